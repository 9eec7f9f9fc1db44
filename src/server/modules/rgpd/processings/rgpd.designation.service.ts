import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/client.js';
import { notFound, unprocessable } from '../../../platform/errors.js';
import { organisationUsers, users } from '../../accounts/accounts.schema.js';
import { rgpdDesignations, rgpdEditors } from '../rgpd.schema.js';
import { requireMember } from './rgpd.processings.service.js';

export async function getDesignation(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const [row] = await db.select().from(rgpdDesignations).where(eq(rgpdDesignations.memberId, memberId));
  return {
    memberId,
    cnilNumber: row?.cnilNumber ?? null,
    designatedOn: row?.designatedOn ?? null,
    dpoName: row?.dpoName ?? null,
    updatedAt: row ? row.updatedAt.toISOString() : null,
  };
}

export async function putDesignation(
  db: Executor,
  memberId: string,
  input: { cnilNumber: string | null; designatedOn: string | null; dpoName: string | null },
) {
  await requireMember(db, memberId);
  await db
    .insert(rgpdDesignations)
    .values({ memberId, ...input })
    .onConflictDoUpdate({ target: rgpdDesignations.memberId, set: { ...input, updatedAt: new Date() } });
  return getDesignation(db, memberId);
}

/** Whether `userId` holds the member `rgpd` role (listed in rgpd_editors) for `memberId`. */
export async function isRgpdEditor(db: Executor, memberId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: rgpdEditors.userId })
    .from(rgpdEditors)
    .where(and(eq(rgpdEditors.memberId, memberId), eq(rgpdEditors.userId, userId)));
  return !!row;
}

export async function listEditors(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const rows = await db
    .select({
      userId: rgpdEditors.userId,
      displayName: users.displayName,
      email: users.email,
      since: rgpdEditors.createdAt,
    })
    .from(rgpdEditors)
    .innerJoin(users, eq(users.id, rgpdEditors.userId))
    .where(eq(rgpdEditors.memberId, memberId))
    .orderBy(asc(users.displayName));
  return {
    items: rows.map((r) => ({ ...r, since: r.since.toISOString() })),
    total: rows.length,
    nextCursor: null,
  };
}

/** Only a user of the member can be given its `rgpd` role. Idempotent. */
export async function addEditor(db: Executor, memberId: string, userId: string) {
  await requireMember(db, memberId);
  const [membership] = await db
    .select({ userId: organisationUsers.userId })
    .from(organisationUsers)
    .where(and(eq(organisationUsers.memberId, memberId), eq(organisationUsers.userId, userId)));
  if (!membership) {
    throw unprocessable(
      'Cette personne n’est pas utilisatrice de la structure : invitez-la d’abord, puis confiez-lui le rôle RGPD.',
      [{ path: 'params.userId', message: 'utilisateur hors de la structure' }],
    );
  }
  await db.insert(rgpdEditors).values({ memberId, userId }).onConflictDoNothing();
  return listEditors(db, memberId);
}

export async function removeEditor(db: Executor, memberId: string, userId: string) {
  await requireMember(db, memberId);
  const rows = await db
    .delete(rgpdEditors)
    .where(and(eq(rgpdEditors.memberId, memberId), eq(rgpdEditors.userId, userId)))
    .returning({ userId: rgpdEditors.userId });
  if (rows.length === 0) throw notFound('Cette personne n’a pas le rôle RGPD dans cette structure.');
}
