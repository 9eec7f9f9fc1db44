import { and, asc, count, eq, gt, ilike, inArray, isNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { OperatorScope, Role } from '../../../contracts/accounts.js';
import { organisations } from '../../kernel/identity.schema.js';
import type { Executor, Tx } from '../../platform/db/client.js';
import { toCount } from '../../platform/db/client.js';
import { setTenantSettings } from '../../platform/db/tenancy.js';
import { afterCursor, type CursorValue } from '../../platform/http/pagination.js';
import { loginAttempts, organisationUsers, passwordResets, sessions, users } from './accounts.schema.js';

// --- Locks ---

/** The namespace of this module's advisory locks (the first of their two keys). */
const ACCOUNTS_LOCKS = 0xacc0;

/**
 * Serialises, until the transaction ends, every transaction that locks one of `keys` (an account's or
 * an address's login counter, an account's reset links): the second one waits here, then sees what the
 * first one wrote. Keys are taken in one order, so two transactions never wait on each other.
 */
export async function lockKeys(db: Executor, keys: string[]) {
  for (const key of [...new Set(keys)].sort()) {
    await db.execute(sql`SELECT pg_advisory_xact_lock(${ACCOUNTS_LOCKS}::int, hashtext(${key}))`);
  }
}

/**
 * Once a password is verified, the rest of the transaction acts as that user, for no organisation:
 * that is what the password proves (a login over another person's live session drops their settings).
 * The settings are signed again (platform/db/tenancy.ts): socle_app cannot set them itself.
 */
export async function actAsUser(tx: Tx, userId: string) {
  await setTenantSettings(tx, { userId, memberId: null, operatorRole: null });
}

// --- Users ---

/**
 * The account of `email`. Under RLS (migration 0031) a request reads accounts only through its tenant,
 * or the one account of an address it was given (app.account_email), as this lookup declares first.
 */
export async function findUserByEmail(db: Executor, email: string) {
  await db.execute(sql`SELECT set_config('app.account_email', ${email}, true)`);
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row ?? null;
}

export async function findUserById(db: Executor, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function insertUser(
  db: Executor,
  values: { email: string; displayName: string; passwordHash: string | null },
) {
  const [row] = await db.insert(users).values(values).returning();
  return row;
}

export async function setPasswordHash(db: Executor, userId: string, passwordHash: string) {
  await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
}

export async function setDisplayName(db: Executor, userId: string, displayName: string) {
  await db.update(users).set({ displayName }).where(eq(users.id, userId));
}

export async function touchLastLogin(db: Executor, userId: string, at: Date) {
  await db.update(users).set({ lastLoginAt: at }).where(eq(users.id, userId));
}

// --- Sessions ---

export async function deleteSession(db: Executor, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of the user, except `keepSessionId` when given. */
export async function deleteUserSessions(db: Executor, userId: string, keepSessionId?: string) {
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), keepSessionId ? ne(sessions.id, keepSessionId) : undefined));
}

/** Expired sessions are refused anyway; removing them at the next login keeps the table small. */
export async function deleteExpiredSessions(db: Executor, userId: string, now: Date) {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)));
}

export async function proconnectIdTokenOf(db: Executor, sessionId: string): Promise<string | null> {
  const [row] = await db
    .select({ idToken: sessions.proconnectIdToken })
    .from(sessions)
    .where(eq(sessions.id, sessionId));
  return row?.idToken ?? null;
}

export async function setSessionOrganisation(db: Executor, sessionId: string, organisationId: string) {
  await db.update(sessions).set({ currentMemberId: organisationId }).where(eq(sessions.id, sessionId));
}

// --- Failed logins ---

/** When each failure for `key` since `since` happened, oldest first. */
export async function failuresSince(db: Executor, key: string, since: Date): Promise<Date[]> {
  const rows = await db
    .select({ at: loginAttempts.attemptedAt })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.key, key), gt(loginAttempts.attemptedAt, since)))
    .orderBy(asc(loginAttempts.attemptedAt));
  return rows.map((r) => r.at);
}

/** Records one failure per key at `at`; answers their ids (a login counts as failed until proven right). */
export async function recordFailures(db: Executor, keys: string[], at: Date): Promise<string[]> {
  const rows = await db
    .insert(loginAttempts)
    .values(keys.map((key) => ({ key, attemptedAt: at })))
    .returning({ id: loginAttempts.id });
  return rows.map((r) => r.id);
}

export async function deleteFailures(db: Executor, ids: string[]) {
  if (ids.length > 0) await db.delete(loginAttempts).where(inArray(loginAttempts.id, ids));
}

export async function clearFailures(db: Executor, key: string) {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, key));
}

/**
 * Failures older than the window count for nothing: keep no address longer than needed. Rows another
 * transaction holds are left to the next prune, so parallel logins never wait on each other here.
 */
export async function pruneFailures(db: Executor, before: Date) {
  const stale = db
    .select({ id: loginAttempts.id })
    .from(loginAttempts)
    .where(lt(loginAttempts.attemptedAt, before))
    .for('update', { skipLocked: true });
  await db.delete(loginAttempts).where(inArray(loginAttempts.id, stale));
}

// --- Password resets ---

export async function insertPasswordReset(
  db: Executor,
  values: { tokenHash: string; userId: string; expiresAt: Date },
) {
  await db.insert(passwordResets).values(values);
}

export async function countResetsSince(db: Executor, userId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(passwordResets)
    .where(and(eq(passwordResets.userId, userId), gt(passwordResets.createdAt, since)));
  return toCount(row?.n);
}

/** Marks a live token used and answers its user; null when unknown, used or expired. Atomic. */
export async function consumePasswordReset(db: Executor, tokenHash: string, now: Date) {
  // The link's holder reaches that one link under RLS (migration 0031).
  await db.execute(sql`SELECT set_config('app.reset_token', ${tokenHash}, true)`);
  const [row] = await db
    .update(passwordResets)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResets.tokenHash, tokenHash),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResets.userId });
  return row?.userId ?? null;
}

export async function invalidatePasswordResets(db: Executor, userId: string, now: Date) {
  await db
    .update(passwordResets)
    .set({ usedAt: now })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
}

// --- Organisations ---

export async function findOrganisation(db: Executor, id: string) {
  const [row] = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      siren: organisations.siren,
    })
    .from(organisations)
    .where(eq(organisations.id, id));
  return row ?? null;
}

export async function findOrganisationBySiren(db: Executor, siren: string) {
  const [row] = await db
    .select({ id: organisations.id, kind: organisations.kind, status: organisations.status })
    .from(organisations)
    .where(eq(organisations.siren, siren));
  return row ?? null;
}

export async function findOperatorOrganisation(db: Executor) {
  const [row] = await db
    .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.kind, 'operator'));
  return row ?? null;
}

// --- People of an organisation ---

const organisationUserColumns = {
  userId: users.id,
  email: users.email,
  displayName: users.displayName,
  isActive: users.isActive,
  lastLoginAt: users.lastLoginAt,
  role: organisationUsers.role,
  scopes: organisationUsers.scopes,
  joinedAt: organisationUsers.createdAt,
};

export type OrganisationUserRow = {
  userId: string;
  email: string;
  displayName: string;
  isActive: boolean;
  lastLoginAt: Date | null;
  role: Role;
  scopes: OperatorScope[];
  joinedAt: Date;
};

/** People of `memberId` by email (unique), `limit + 1` rows after the cursor. */
/** Part of the name or of the e-mail address (case-insensitive). */
function personMatches(q: string | undefined): SQL | undefined {
  const text = q?.trim();
  if (!text) return undefined;
  const like = `%${text.replace(/[\\%_]/g, '\\$&')}%`;
  return or(ilike(users.displayName, like), ilike(users.email, like));
}

export async function listOrganisationUsers(
  db: Executor,
  memberId: string,
  limit: number,
  cursor: { sortValue: CursorValue; id: string } | null,
  q?: string,
): Promise<OrganisationUserRow[]> {
  return db
    .select(organisationUserColumns)
    .from(organisationUsers)
    .innerJoin(users, eq(users.id, organisationUsers.userId))
    .where(
      and(
        eq(organisationUsers.memberId, memberId),
        personMatches(q),
        afterCursor(users.email, users.id, cursor),
      ),
    )
    .orderBy(asc(users.email), asc(users.id))
    .limit(limit + 1);
}

export async function countOrganisationUsers(db: Executor, memberId: string, q?: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(organisationUsers)
    .innerJoin(users, eq(users.id, organisationUsers.userId))
    .where(and(eq(organisationUsers.memberId, memberId), personMatches(q)));
  return toCount(row?.n);
}

export async function findOrganisationUser(
  db: Executor,
  memberId: string,
  userId: string,
): Promise<OrganisationUserRow | null> {
  const [row] = await db
    .select(organisationUserColumns)
    .from(organisationUsers)
    .innerJoin(users, eq(users.id, organisationUsers.userId))
    .where(and(eq(organisationUsers.memberId, memberId), eq(organisationUsers.userId, userId)));
  return row ?? null;
}

/**
 * Locks the member's admin rows and counts them, so that two concurrent demotions cannot both see
 * "another admin remains" and leave the member without one.
 */
export async function lockAndCountAdmins(db: Executor, memberId: string): Promise<number> {
  const rows = await db
    .select({ userId: organisationUsers.userId })
    .from(organisationUsers)
    .where(and(eq(organisationUsers.memberId, memberId), eq(organisationUsers.role, 'admin')))
    .for('update');
  return rows.length;
}

export async function insertOrganisationUser(
  db: Executor,
  values: { memberId: string; userId: string; role: Role; scopes: OperatorScope[] },
) {
  const rows = await db.insert(organisationUsers).values(values).onConflictDoNothing().returning();
  return rows.length > 0;
}

export async function updateOrganisationUser(
  db: Executor,
  memberId: string,
  userId: string,
  values: { role?: Role; scopes?: OperatorScope[] },
) {
  await db
    .update(organisationUsers)
    .set(values)
    .where(and(eq(organisationUsers.memberId, memberId), eq(organisationUsers.userId, userId)));
}

export async function deleteOrganisationUser(db: Executor, memberId: string, userId: string) {
  await db
    .delete(organisationUsers)
    .where(and(eq(organisationUsers.memberId, memberId), eq(organisationUsers.userId, userId)));
}

export async function hasRoleByEmail(db: Executor, memberId: string, email: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: organisationUsers.userId })
    .from(organisationUsers)
    .innerJoin(users, eq(users.id, organisationUsers.userId))
    .where(and(eq(organisationUsers.memberId, memberId), eq(users.email, email)));
  return !!row;
}
