import { and, count, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { OperatorScope, Role } from '../../../contracts/accounts.js';
import { organisations } from '../../kernel/identity.schema.js';
import type { Executor, Tx } from '../../platform/db/client.js';
import { toCount } from '../../platform/db/client.js';
import { setTenantSettings } from '../../platform/db/tenancy.js';
import { afterCursor, type CursorValue, cursorInstant } from '../../platform/http/pagination.js';
import { invitations, users } from './accounts.schema.js';

/** Invitation links: only their hashes are stored (see accounts.repository.ts for the rest). */

const pending = (now: Date) =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));

export async function insertInvitation(
  db: Executor,
  values: {
    tokenHash: string;
    memberId: string;
    email: string;
    role: Role;
    scopes: OperatorScope[];
    invitedBy: string;
    expiresAt: Date;
  },
) {
  const [row] = await db.insert(invitations).values(values).returning();
  return row;
}

/** A new invitation to the same address replaces the pending ones: only the latest link works. */
export async function revokePendingInvitationsFor(db: Executor, memberId: string, email: string, now: Date) {
  await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.memberId, memberId), eq(invitations.email, email), pending(now)));
}

export async function listPendingInvitations(
  db: Executor,
  memberId: string,
  now: Date,
  limit: number,
  cursor: { sortValue: CursorValue; id: string } | null,
) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      scopes: invitations.scopes,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
      cursorAt: cursorInstant(invitations.createdAt),
      inviterId: users.id,
      inviterName: users.displayName,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        eq(invitations.memberId, memberId),
        pending(now),
        afterCursor(invitations.createdAt, invitations.id, cursor, true),
      ),
    )
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(limit + 1);
}

export async function countPendingInvitations(db: Executor, memberId: string, now: Date) {
  const [row] = await db
    .select({ n: count() })
    .from(invitations)
    .where(and(eq(invitations.memberId, memberId), pending(now)));
  return toCount(row?.n);
}

export async function revokeInvitation(db: Executor, memberId: string, invitationId: string, now: Date) {
  const rows = await db
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.memberId, memberId), eq(invitations.id, invitationId), pending(now)))
    .returning({ id: invitations.id, email: invitations.email });
  return rows[0] ?? null;
}

/**
 * The pending invitation whose link carries `tokenHash`. The link is the credential: the
 * `invitations_token_holder_read` RLS policy lets this one row through before any tenant is known.
 */
export async function findPendingInvitationByToken(db: Executor, tokenHash: string, now: Date) {
  await db.execute(sql`SELECT set_config('app.invitation_token', ${tokenHash}, true)`);
  const [row] = await db
    .select({
      id: invitations.id,
      memberId: invitations.memberId,
      email: invitations.email,
      role: invitations.role,
      scopes: invitations.scopes,
      expiresAt: invitations.expiresAt,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
    })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.memberId))
    .where(and(eq(invitations.tokenHash, tokenHash), pending(now)));
  return row ?? null;
}

/**
 * Once the invitation link has been verified, the rest of the transaction acts for the invitation's
 * organisation, as `userId` (the signed-in invitee, or the account just created for the link): that is
 * what the link grants. The settings are signed again (platform/db/tenancy.ts).
 */
export async function actForInvitedOrganisation(tx: Tx, memberId: string, userId: string) {
  await setTenantSettings(tx, { userId, memberId, operatorRole: null });
}

export async function markInvitationAccepted(
  db: Executor,
  memberId: string,
  invitationId: string,
  now: Date,
) {
  const rows = await db
    .update(invitations)
    .set({ acceptedAt: now })
    .where(and(eq(invitations.memberId, memberId), eq(invitations.id, invitationId), pending(now)))
    .returning({ id: invitations.id });
  return rows.length > 0;
}
