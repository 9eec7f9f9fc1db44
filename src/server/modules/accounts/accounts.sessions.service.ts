import crypto from 'node:crypto';
import type { Me } from '../../../contracts/accounts.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor, OrganisationRole } from '../../platform/auth/context.js';
import { createSession, loadOrganisationRoles } from '../../platform/auth/session.js';
import { now } from '../../platform/clock.js';
import type { Tx } from '../../platform/db/client.js';
import { DomainError, forbidden, invalid } from '../../platform/errors.js';
import { readAuthSettings } from './accounts.connect.repository.js';
import { frenchDateTime } from './accounts.mails.js';
import * as repo from './accounts.repository.js';
import type { AccountsDeps } from './accounts.service.js';
import { hashPassword, verifyPassword } from './password.js';
import * as proconnect from './proconnect/proconnect.service.js';

/** Login, logout, the current user and changing one's password (transactions: see accounts.service.ts). */

/**
 * One town hall or EPCI network often shares one public address: the per-address limit is this
 * many times the per-account one, so that one person's typos do not lock out their colleagues.
 */
export const IP_LIMIT_FACTOR = 4;

export function presentMe(actor: Actor): Me {
  const view = (r: OrganisationRole) => ({
    id: r.organisationId,
    name: r.name,
    kind: r.kind,
    role: r.role,
    scopes: r.scopes,
  });
  return {
    user: { id: actor.userId, email: actor.email, displayName: actor.displayName },
    organisations: actor.organisations.map(view),
    current: actor.current ? view(actor.current) : null,
    csrfToken: actor.csrfToken,
    viaProConnect: actor.viaProConnect ?? false,
  };
}

// --- Login ---

/** Failures are counted per account without keeping the address in clear. */
export const emailKey = (email: string) => `email:${crypto.createHash('sha256').update(email).digest('hex')}`;
const ipKey = (ip: string | null) => `ip:${ip ?? ''}`;

/** When the oldest failure that keeps the count at `max` leaves the window; null when under `max`. */
export function blockedUntil(failures: Date[], max: number, windowMs: number): Date | null {
  const oldest = failures[failures.length - max];
  return failures.length < max || !oldest ? null : new Date(oldest.getTime() + windowMs);
}

/** A login that may go on to the password check: its attempt is already counted as a failure. */
export interface CountedLogin {
  kind: 'counted';
  user: { id: string; passwordHash: string | null; isActive: boolean } | null;
  /** The failures recorded in advance for the account and the address: removed if the password is right. */
  attemptIds: string[];
}

export type LoginAttempt = CountedLogin | { kind: 'blocked'; retryAt: Date };

export type LoginOutcome =
  | { kind: 'success'; token: string; expiresAt: Date; userId: string; proconnectLinked: boolean }
  | { kind: 'invalid' }
  | { kind: 'proconnect_required'; proconnectLinked: boolean };

/**
 * First step of a login: counts the attempt before any password is checked. The account's and the
 * address's counters are locked for the rest of the transaction, so parallel logins for one account
 * are counted one after the other: each sees the failures recorded by those before it, and at most
 * LOGIN_MAX_ATTEMPTS of them (per address: IP_LIMIT_FACTOR times as many) reach the password check.
 * A blocked login is audited and answered without a check, even with the right password.
 */
export async function startLogin(
  tx: Tx,
  deps: AccountsDeps,
  email: string,
  source: AuditSource,
): Promise<LoginAttempt> {
  const at = now();
  const windowMs = deps.config.LOGIN_WINDOW_MINUTES * 60_000;
  const windowStart = new Date(at.getTime() - windowMs);
  const max = deps.config.LOGIN_MAX_ATTEMPTS;
  const keys = { email: emailKey(email), ip: ipKey(source.ipAddress) };

  await repo.lockKeys(tx, [keys.email, keys.ip]);
  const user = await repo.findUserByEmail(tx, email);
  const blocks = [
    blockedUntil(await repo.failuresSince(tx, keys.email, windowStart), max, windowMs),
    blockedUntil(await repo.failuresSince(tx, keys.ip, windowStart), max * IP_LIMIT_FACTOR, windowMs),
  ].filter((d): d is Date => d !== null);
  if (blocks.length > 0) {
    await recordAudit(tx, {
      action: 'auth.login.blocked',
      actorUserId: user?.id ?? null,
      ipAddress: source.ipAddress,
    });
    return { kind: 'blocked', retryAt: new Date(Math.max(...blocks.map((d) => d.getTime()))) };
  }
  await repo.pruneFailures(tx, windowStart);
  return {
    kind: 'counted',
    user: user ? { id: user.id, passwordHash: user.passwordHash, isActive: user.isActive } : null,
    attemptIds: await repo.recordFailures(tx, [keys.email, keys.ip], at),
  };
}

let dummyHash: Promise<string> | undefined;
/** Verified when the account is unknown, so that the answer takes as long as for a wrong password. */
const getDummyHash = () => {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
};

/** Second step, outside any transaction: whether `password` is the counted account's. */
export async function checkPassword(attempt: CountedLogin, password: string): Promise<boolean> {
  return verifyPassword(attempt.user?.passwordHash ?? (await getDummyHash()), password);
}

/**
 * Last step: a failure stays counted and is audited (answered `invalid`, for the route to refuse);
 * a success withdraws the attempt, forgets the account's earlier failures and opens a session.
 */
export async function finishLogin(
  tx: Tx,
  deps: AccountsDeps,
  attempt: CountedLogin,
  passwordMatches: boolean,
  input: { email: string; previousSessionId?: string; proconnectLink?: string },
  source: AuditSource,
): Promise<LoginOutcome> {
  const { user } = attempt;
  if (!user?.isActive || !passwordMatches || !user.passwordHash) {
    const reason = !user ? 'unknown_account' : !user.isActive ? 'inactive_account' : 'wrong_password';
    await recordAudit(tx, {
      action: 'auth.login.failed',
      actorUserId: user?.id ?? null,
      ipAddress: source.ipAddress,
      details: { reason },
    });
    // A ProConnect identity waiting for this login's confirmation stays unlinked.
    if (input.proconnectLink) await proconnect.refuseLink(tx, user?.id ?? null, source);
    return { kind: 'invalid' };
  }
  // The session the browser held ends, deleted while the transaction still acts as its owner (RLS
  // lets a person reach only their own sessions).
  if (input.previousSessionId) await repo.deleteSession(tx, input.previousSessionId);
  await repo.actAsUser(tx, user.id);
  // Parallel right logins of one person take turns from here (they delete the same rows).
  await repo.lockKeys(tx, [emailKey(input.email)]);
  await repo.deleteFailures(tx, attempt.attemptIds);
  await repo.clearFailures(tx, emailKey(input.email));
  // The password just checked confirms the ProConnect identity this browser brought (if any).
  const proconnectLinked = input.proconnectLink
    ? await proconnect.confirmLink(tx, user.id, input.proconnectLink, source)
    : false;
  const at = now();
  await repo.deleteExpiredSessions(tx, user.id, at);
  const roles = await loadOrganisationRoles(tx, user.id);
  // The operator may require ProConnect for its agents (admins keep their password: the way back in).
  if (
    deps.proconnectEnabled &&
    roles.some((r) => r.kind === 'operator' && r.role === 'agent') &&
    (await readAuthSettings(tx)).proconnectRequiredForOperatorAgents
  ) {
    await recordAudit(tx, {
      action: 'auth.login.failed',
      actorUserId: user.id,
      ipAddress: source.ipAddress,
      details: { reason: 'proconnect_required' },
    });
    return { kind: 'proconnect_required', proconnectLinked };
  }
  const session = await createSession(
    tx,
    user.id,
    roles[0]?.organisationId ?? null,
    deps.config.SESSION_TTL_HOURS,
  );
  await repo.touchLastLogin(tx, user.id, at);
  await recordAudit(tx, {
    action: 'auth.login.succeeded',
    actorUserId: user.id,
    ipAddress: source.ipAddress,
  });
  return { kind: 'success', ...session, userId: user.id, proconnectLinked };
}

export const proconnectRequired = () =>
  new DomainError(
    'forbidden',
    'Connexion par ProConnect requise',
    "Les agents de l'opérateur se connectent avec ProConnect : utilisez le bouton « S'identifier avec ProConnect ».",
  );

export const wrongCredentials = () =>
  new DomainError('unauthenticated', 'Connexion refusée', 'Adresse électronique ou mot de passe incorrect.');

/** Whole seconds until `retryAt`, at least one: the Retry-After of a blocked login. */
export const secondsUntil = (retryAt: Date) =>
  Math.max(1, Math.ceil((retryAt.getTime() - now().getTime()) / 1000));

/** The refusal of a blocked login, saying when to try again. */
export function loginBlocked(retryAt: Date, seconds = secondsUntil(retryAt)): DomainError {
  const minutes = Math.ceil(seconds / 60);
  return new DomainError(
    'rate_limited',
    'Trop de tentatives',
    `Trop de tentatives de connexion échouées : par sécurité, la connexion est bloquée. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''} (après le ${frenchDateTime(retryAt)}), ou réinitialisez votre mot de passe.`,
    undefined,
    { retryAfterSeconds: seconds },
  );
}

export async function logout(tx: Tx, actor: Actor, source: AuditSource) {
  await repo.deleteSession(tx, actor.sessionId);
  await recordAudit(tx, { action: 'auth.logout', ...source, actorUserId: actor.userId });
}

// --- The current user ---

/** Switches the organisation the session acts for; answers the updated actor. */
export async function switchOrganisation(tx: Tx, actor: Actor, organisationId: string): Promise<Actor> {
  const role = actor.organisations.find((r) => r.organisationId === organisationId);
  if (!role) {
    throw forbidden("Vous n'avez pas de rôle dans cette structure : demandez une invitation à son référent.");
  }
  await repo.setSessionOrganisation(tx, actor.sessionId, organisationId);
  return { ...actor, current: role, isOperator: role.kind === 'operator' };
}

// --- Changing one's password: passwordHashOf, replacementHash (no transaction), changePassword ---

/** The user's stored password hash (null for an account without a password). */
export async function passwordHashOf(tx: Tx, userId: string): Promise<string | null> {
  return (await repo.findUserById(tx, userId))?.passwordHash ?? null;
}

/** Outside any transaction: the hash of `next` when `current` matches `stored`, else null. */
export async function replacementHash(
  stored: string | null,
  current: string,
  next: string,
): Promise<string | null> {
  return (await verifyPassword(stored, current)) ? hashPassword(next) : null;
}

/**
 * Sets the new password and closes the user's other sessions; a null hash (wrong current password) is
 * audited and answered false, for the route to refuse with `wrongCurrentPassword()`.
 */
export async function changePassword(
  tx: Tx,
  actor: Actor,
  passwordHash: string | null,
  source: AuditSource,
): Promise<boolean> {
  const audit = { ...source, actorUserId: actor.userId };
  if (!passwordHash) {
    await recordAudit(tx, { action: 'auth.password.change_failed', ...audit });
    return false;
  }
  await repo.setPasswordHash(tx, actor.userId, passwordHash);
  await repo.deleteUserSessions(tx, actor.userId, actor.sessionId);
  await repo.invalidatePasswordResets(tx, actor.userId, now());
  await recordAudit(tx, { action: 'auth.password.changed', ...audit });
  return true;
}

const WRONG_CURRENT_PASSWORD = 'Le mot de passe actuel est incorrect.';
export const wrongCurrentPassword = () =>
  invalid(WRONG_CURRENT_PASSWORD, [{ path: 'body.currentPassword', message: WRONG_CURRENT_PASSWORD }]);
