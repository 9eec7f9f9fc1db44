import { and, asc, eq } from 'drizzle-orm';
import { organisationUsers, users } from '../../../kernel/identity.schema.js';
import { now } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { rgpdDesignations, rgpdEditors } from '../rgpd.schema.js';

export type DesignationValues = Pick<
  typeof rgpdDesignations.$inferInsert,
  'cnilNumber' | 'designatedOn' | 'dpoName'
>;

export async function findDesignation(db: Executor, memberId: string) {
  const [row] = await db.select().from(rgpdDesignations).where(eq(rgpdDesignations.memberId, memberId));
  return row ?? null;
}

export async function upsertDesignation(db: Executor, memberId: string, values: DesignationValues) {
  await db
    .insert(rgpdDesignations)
    .values({ memberId, ...values })
    .onConflictDoUpdate({ target: rgpdDesignations.memberId, set: { ...values, updatedAt: now() } });
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
  return db
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
}

/** Whether `userId` is a user of the member (holds a role there). */
export async function isUserOfMember(db: Executor, memberId: string, userId: string): Promise<boolean> {
  const [membership] = await db
    .select({ userId: organisationUsers.userId })
    .from(organisationUsers)
    .where(and(eq(organisationUsers.memberId, memberId), eq(organisationUsers.userId, userId)));
  return !!membership;
}

/** Idempotent. */
export async function insertEditor(db: Executor, memberId: string, userId: string): Promise<void> {
  await db.insert(rgpdEditors).values({ memberId, userId }).onConflictDoNothing();
}

/** Whether a row was removed. */
export async function deleteEditor(db: Executor, memberId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(rgpdEditors)
    .where(and(eq(rgpdEditors.memberId, memberId), eq(rgpdEditors.userId, userId)))
    .returning({ userId: rgpdEditors.userId });
  return rows.length > 0;
}
