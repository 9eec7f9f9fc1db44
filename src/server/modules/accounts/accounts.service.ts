import crypto from 'node:crypto';
import type { Invitation, Me, OperatorScope, OrganisationUser, Role } from '../../../contracts/accounts.js';
import type { Config } from '../../config.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Actor, OrganisationRole } from '../../platform/auth/context.js';
import { createSession, hashToken, loadOrganisationRoles, newToken } from '../../platform/auth/session.js';
import type { Db, Executor, Tx } from '../../platform/db/client.js';
import { ANONYMOUS, type TenantContext, withTenant } from '../../platform/db/tenancy.js';
import {
  conflict,
  forbidden,
  invalid,
  notFound,
  unauthenticated,
  unprocessable,
} from '../../platform/errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { invitationMail, passwordResetMail } from './accounts.mails.js';
import * as repo from './accounts.repository.js';
import { hashPassword, verifyPassword } from './password.js';

export interface AccountsDeps {
  config: Config;
  mailer: Mailer;
}

export const PASSWORD_RESET_TTL_MS = 3600_000;
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;
/** Beyond this many reset mails per hour for one account, further requests send nothing. */
const MAX_RESETS_PER_HOUR = 3;
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
  };
}

const userTenant = (userId: string): TenantContext => ({ userId, memberId: null, operatorRole: null });

// --- Login and logout ---

export type LoginOutcome =
  | { kind: 'success'; token: string; expiresAt: Date; userId: string }
  | { kind: 'invalid' }
  | { kind: 'blocked'; retryAt: Date };

let dummyHash: Promise<string> | undefined;
/** Verified when the account is unknown, so that the answer takes as long as for a wrong password. */
const getDummyHash = () => {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
};

/** Failures are counted per account without keeping the address in clear. */
const emailKey = (email: string) => `email:${crypto.createHash('sha256').update(email).digest('hex')}`;
const ipKey = (ip: string) => `ip:${ip}`;

/** When the oldest failure that keeps the count at `max` leaves the window; null when under `max`. */
export function blockedUntil(failures: Date[], max: number, windowMs: number): Date | null {
  if (failures.length < max) return null;
  return new Date(failures[failures.length - max].getTime() + windowMs);
}

/**
 * Three short transactions around the password check: argon2 takes tens of milliseconds and must not
 * hold a connection (PGlite has only one).
 */
export async function login(
  db: Db,
  deps: AccountsDeps,
  input: { email: string; password: string; ip: string; previousSessionId?: string },
): Promise<LoginOutcome> {
  const now = new Date();
  const windowMs = deps.config.LOGIN_WINDOW_MINUTES * 60_000;
  const windowStart = new Date(now.getTime() - windowMs);
  const keys = { email: emailKey(input.email), ip: ipKey(input.ip) };
  const max = deps.config.LOGIN_MAX_ATTEMPTS;

  const { user, retryAt } = await withTenant(db, ANONYMOUS, async (tx) => {
    const user = await repo.findUserByEmail(tx, input.email);
    const blocks = [
      blockedUntil(await repo.failuresSince(tx, keys.email, windowStart), max, windowMs),
      blockedUntil(await repo.failuresSince(tx, keys.ip, windowStart), max * IP_LIMIT_FACTOR, windowMs),
    ].filter((d): d is Date => d !== null);
    const retryAt = blocks.length ? new Date(Math.max(...blocks.map((d) => d.getTime()))) : null;
    if (retryAt) {
      await recordAudit(tx, { action: 'auth.login.blocked', actorUserId: user?.id, ipAddress: input.ip });
    }
    return { user, retryAt };
  });
  if (retryAt) return { kind: 'blocked', retryAt };

  const passwordMatches = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), input.password);
  if (!user?.isActive || !passwordMatches || !user.passwordHash) {
    const reason = !user ? 'unknown_account' : !user.isActive ? 'inactive_account' : 'wrong_password';
    await withTenant(db, ANONYMOUS, async (tx) => {
      await repo.pruneFailures(tx, windowStart);
      await repo.recordFailures(tx, [keys.email, keys.ip], now);
      await recordAudit(tx, {
        action: 'auth.login.failed',
        actorUserId: user?.id,
        ipAddress: input.ip,
        details: { reason },
      });
    });
    return { kind: 'invalid' };
  }

  return withTenant(db, userTenant(user.id), async (tx) => {
    if (input.previousSessionId) await repo.deleteSession(tx, input.previousSessionId);
    await repo.deleteExpiredSessions(tx, user.id, now);
    await repo.clearFailures(tx, keys.email);
    const roles = await loadOrganisationRoles(tx, user.id);
    const session = await createSession(
      tx,
      user.id,
      roles[0]?.organisationId ?? null,
      deps.config.SESSION_TTL_HOURS,
    );
    await repo.touchLastLogin(tx, user.id, now);
    await recordAudit(tx, { action: 'auth.login.succeeded', actorUserId: user.id, ipAddress: input.ip });
    return { kind: 'success' as const, ...session, userId: user.id };
  });
}

export async function logout(tx: Tx, actor: Actor, ip: string) {
  await repo.deleteSession(tx, actor.sessionId);
  await recordAudit(tx, { action: 'auth.logout', actorUserId: actor.userId, ipAddress: ip });
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

export async function changePassword(
  db: Db,
  actor: Actor,
  input: { currentPassword: string; newPassword: string; ip: string },
): Promise<void> {
  const tenant = userTenant(actor.userId);
  const user = await withTenant(db, tenant, (tx) => repo.findUserById(tx, actor.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await withTenant(db, tenant, (tx) =>
      recordAudit(tx, {
        action: 'auth.password.change_failed',
        actorUserId: actor.userId,
        ipAddress: input.ip,
      }),
    );
    throw invalid('Le mot de passe actuel est incorrect.', [
      { path: 'body.currentPassword', message: 'Le mot de passe actuel est incorrect.' },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await withTenant(db, tenant, async (tx) => {
    await repo.setPasswordHash(tx, actor.userId, passwordHash);
    await repo.deleteUserSessions(tx, actor.userId, actor.sessionId);
    await repo.invalidatePasswordResets(tx, actor.userId, new Date());
    await recordAudit(tx, {
      action: 'auth.password.changed',
      actorUserId: actor.userId,
      ipAddress: input.ip,
    });
  });
}

// --- Password reset ---

/** Sends a link when the account exists; answers the same either way (no account enumeration). */
export async function requestPasswordReset(tx: Tx, deps: AccountsDeps, email: string, ip: string) {
  const user = await repo.findUserByEmail(tx, email);
  if (!user?.isActive) return;
  const now = new Date();
  if ((await repo.countResetsSince(tx, user.id, new Date(now.getTime() - 3600_000))) >= MAX_RESETS_PER_HOUR) {
    await recordAudit(tx, { action: 'auth.password_reset.throttled', actorUserId: user.id, ipAddress: ip });
    return;
  }
  const token = newToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
  await repo.insertPasswordReset(tx, { tokenHash: hashToken(token), userId: user.id, expiresAt });
  const link = `${deps.config.publicUrl}/reinitialiser-mot-de-passe?jeton=${token}`;
  await deps.mailer.send(tx, passwordResetMail(user.email, link, expiresAt));
  await recordAudit(tx, { action: 'auth.password_reset.requested', actorUserId: user.id, ipAddress: ip });
}

export async function confirmPasswordReset(
  db: Db,
  input: { token: string; newPassword: string; ip: string },
): Promise<void> {
  const passwordHash = await hashPassword(input.newPassword);
  await withTenant(db, ANONYMOUS, async (tx) => {
    const now = new Date();
    const userId = await repo.consumePasswordReset(tx, hashToken(input.token), now);
    if (!userId) {
      throw invalid(
        'Ce lien de réinitialisation est invalide, expiré ou déjà utilisé : demandez-en un nouveau.',
        [{ path: 'body.token', message: 'lien invalide, expiré ou déjà utilisé' }],
      );
    }
    const user = await repo.findUserById(tx, userId);
    await repo.setPasswordHash(tx, userId, passwordHash);
    await repo.invalidatePasswordResets(tx, userId, now);
    await repo.deleteUserSessions(tx, userId);
    // Whoever proved they own the mailbox gets their account back even after failed guesses.
    if (user) await repo.clearFailures(tx, emailKey(user.email));
    await recordAudit(tx, {
      action: 'auth.password_reset.completed',
      actorUserId: userId,
      ipAddress: input.ip,
    });
  });
}

// --- Invitations ---

const iso = (d: Date) => d.toISOString();

async function requireOrganisation(tx: Executor, memberId: string) {
  const organisation = await repo.findOrganisation(tx, memberId);
  if (!organisation) throw notFound("Cette structure n'existe pas.");
  return organisation;
}

/** Operator people are admins or agents with scopes; members' people have no scopes. */
function normaliseRole(
  organisationKind: string,
  role: Role,
  scopes: OperatorScope[] | undefined,
  path: string,
): OperatorScope[] {
  const operator = organisationKind === 'operator';
  if (operator && role === 'reader') {
    throw invalid("Le rôle lecteur n'existe pas pour l'opérateur : choisissez administrateur ou agent.", [
      { path: `${path}.role`, message: 'rôle lecteur impossible pour l’opérateur' },
    ]);
  }
  if (!operator && scopes && scopes.length > 0) {
    throw invalid("Les périmètres ne concernent que les agents de l'opérateur : retirez-les.", [
      { path: `${path}.scopes`, message: 'périmètres réservés aux agents de l’opérateur' },
    ]);
  }
  return operator && role === 'agent' ? [...new Set(scopes ?? [])] : [];
}

export async function invite(
  tx: Tx,
  deps: AccountsDeps,
  actor: Actor,
  memberId: string,
  input: { email: string; role: Role; scopes: OperatorScope[] },
  ip: string,
): Promise<Invitation> {
  const organisation = await requireOrganisation(tx, memberId);
  const scopes = normaliseRole(organisation.kind, input.role, input.scopes, 'body');
  if (await repo.hasRoleByEmail(tx, memberId, input.email)) {
    throw conflict(
      'Cette personne a déjà accès à cette structure : modifiez son rôle dans la liste des utilisateurs.',
      [{ path: 'body.email', message: 'déjà utilisateur de cette structure' }],
    );
  }
  const now = new Date();
  await repo.revokePendingInvitationsFor(tx, memberId, input.email, now);
  const token = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const row = await repo.insertInvitation(tx, {
    tokenHash: hashToken(token),
    memberId,
    email: input.email,
    role: input.role,
    scopes,
    invitedBy: actor.userId,
    expiresAt,
  });
  await deps.mailer.send(
    tx,
    invitationMail({
      to: input.email,
      link: `${deps.config.publicUrl}/invitation?jeton=${token}`,
      organisationName: organisation.name,
      role: input.role,
      inviterName: actor.displayName,
      expiresAt,
    }),
  );
  await recordAudit(tx, {
    action: 'invitation.created',
    actorUserId: actor.userId,
    memberId,
    targetType: 'invitation',
    targetId: row.id,
    ipAddress: ip,
    details: { role: input.role, scopes },
  });
  return {
    id: row.id,
    email: row.email,
    role: row.role as Role,
    scopes: row.scopes as OperatorScope[],
    invitedBy: { id: actor.userId, displayName: actor.displayName },
    createdAt: iso(row.createdAt),
    expiresAt: iso(row.expiresAt),
  };
}

export async function listInvitations(
  tx: Tx,
  memberId: string,
  query: { limit: number; cursor?: string },
): Promise<{ items: Invitation[]; total: number; nextCursor: string | null }> {
  await requireOrganisation(tx, memberId);
  const now = new Date();
  const rows = await repo.listPendingInvitations(tx, memberId, now, query.limit, decodeCursor(query.cursor));
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.cursorAt, r.id));
  return {
    items: page.items.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role as Role,
      scopes: r.scopes as OperatorScope[],
      invitedBy: r.inviterId ? { id: r.inviterId, displayName: r.inviterName ?? '' } : null,
      createdAt: iso(r.createdAt),
      expiresAt: iso(r.expiresAt),
    })),
    total: await repo.countPendingInvitations(tx, memberId, now),
    nextCursor: page.nextCursor,
  };
}

export async function revokeInvitation(
  tx: Tx,
  actor: Actor,
  memberId: string,
  invitationId: string,
  ip: string,
) {
  const revoked = await repo.revokeInvitation(tx, memberId, invitationId, new Date());
  if (!revoked) throw notFound("Cette invitation n'existe pas ou n'est plus en attente.");
  await recordAudit(tx, {
    action: 'invitation.revoked',
    actorUserId: actor.userId,
    memberId,
    targetType: 'invitation',
    targetId: invitationId,
    ipAddress: ip,
  });
}

const INVITATION_GONE =
  'Cette invitation est invalide, expirée, révoquée ou déjà utilisée : demandez-en une nouvelle au référent de la structure.';

export async function viewInvitation(tx: Tx, token: string) {
  const invitation = await repo.findPendingInvitationByToken(tx, hashToken(token), new Date());
  if (!invitation) throw notFound(INVITATION_GONE);
  return {
    organisation: {
      id: invitation.memberId,
      name: invitation.organisationName,
      kind: invitation.organisationKind,
    },
    email: invitation.email,
    role: invitation.role as Role,
    scopes: invitation.scopes as OperatorScope[],
    accountExists: (await repo.findUserByEmail(tx, invitation.email)) !== null,
    expiresAt: iso(invitation.expiresAt),
  };
}

/**
 * Accepts an invitation: a logged-in invitee (a secrétaire joining a second commune) gains the role;
 * a newcomer creates their account and is logged in. Answers the session token for a newcomer.
 */
export async function acceptInvitation(
  db: Db,
  deps: AccountsDeps,
  actor: Actor | null,
  tenant: TenantContext,
  input: { token: string; displayName?: string; password?: string; ip: string },
): Promise<{ userId: string; session: { token: string; expiresAt: Date } | null }> {
  const passwordHash = !actor && input.password ? await hashPassword(input.password) : null;
  return withTenant(db, tenant, async (tx) => {
    const now = new Date();
    const invitation = await repo.findPendingInvitationByToken(tx, hashToken(input.token), now);
    if (!invitation) throw notFound(INVITATION_GONE);

    let userId: string;
    if (actor) {
      if (actor.email !== invitation.email) {
        throw forbidden(
          `Cette invitation est destinée à ${invitation.email} : déconnectez-vous, puis ouvrez à nouveau le lien.`,
        );
      }
      userId = actor.userId;
    } else {
      if (await repo.findUserByEmail(tx, invitation.email)) {
        throw unauthenticated(
          `Un compte existe déjà pour ${invitation.email} : connectez-vous avec cette adresse, puis acceptez l'invitation.`,
        );
      }
      const missing = [
        ...(input.displayName ? [] : [{ path: 'body.displayName', message: 'Saisissez votre nom.' }]),
        ...(passwordHash ? [] : [{ path: 'body.password', message: 'Choisissez un mot de passe.' }]),
      ];
      if (missing.length > 0 || !input.displayName || !passwordHash) {
        throw invalid('Pour créer votre compte, indiquez votre nom et choisissez un mot de passe.', missing);
      }
      userId = (
        await repo.insertUser(tx, { email: invitation.email, displayName: input.displayName, passwordHash })
      ).id;
    }

    await repo.actForInvitedOrganisation(tx, invitation.memberId);
    const added = await repo.insertOrganisationUser(tx, {
      memberId: invitation.memberId,
      userId,
      role: invitation.role,
      scopes: invitation.scopes,
    });
    if (!added) {
      throw conflict('Vous avez déjà un rôle dans cette structure : demandez à son référent de le modifier.');
    }
    if (!(await repo.markInvitationAccepted(tx, invitation.memberId, invitation.id, now))) {
      throw notFound(INVITATION_GONE);
    }
    await recordAudit(tx, {
      action: 'invitation.accepted',
      actorUserId: userId,
      memberId: invitation.memberId,
      targetType: 'invitation',
      targetId: invitation.id,
      ipAddress: input.ip,
      details: { role: invitation.role, newAccount: !actor },
    });
    if (actor) {
      await repo.setSessionOrganisation(tx, actor.sessionId, invitation.memberId);
      return { userId, session: null };
    }
    await repo.touchLastLogin(tx, userId, now);
    const session = await createSession(tx, userId, invitation.memberId, deps.config.SESSION_TTL_HOURS);
    return { userId, session };
  });
}

// --- People of an organisation ---

function presentUser(row: repo.OrganisationUserRow): OrganisationUser {
  return {
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    role: row.role as Role,
    scopes: row.scopes as OperatorScope[],
    isActive: row.isActive,
    joinedAt: iso(row.joinedAt),
    lastLoginAt: row.lastLoginAt ? iso(row.lastLoginAt) : null,
  };
}

export async function listUsers(tx: Tx, memberId: string, query: { limit: number; cursor?: string }) {
  await requireOrganisation(tx, memberId);
  const rows = await repo.listOrganisationUsers(tx, memberId, query.limit, decodeCursor(query.cursor));
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.email, r.userId));
  return {
    items: page.items.map(presentUser),
    total: await repo.countOrganisationUsers(tx, memberId),
    nextCursor: page.nextCursor,
  };
}

const LAST_ADMIN =
  'La structure doit garder au moins un administrateur : nommez d’abord un autre administrateur.';

async function requireMembership(tx: Tx, memberId: string, userId: string) {
  const membership = await repo.findOrganisationUser(tx, memberId, userId);
  if (!membership) throw notFound("Cette personne n'a pas de rôle dans cette structure.");
  return membership;
}

/** Changes a person's role (and, at the operator, scopes); the organisation keeps one admin at least. */
export async function updateMembership(
  tx: Tx,
  actor: Actor,
  memberId: string,
  userId: string,
  change: { role?: Role; scopes?: OperatorScope[] },
  ip: string,
): Promise<OrganisationUser> {
  const organisation = await requireOrganisation(tx, memberId);
  const membership = await requireMembership(tx, memberId, userId);
  const role = change.role ?? (membership.role as Role);
  const scopes = normaliseRole(
    organisation.kind,
    role,
    change.scopes ?? (membership.scopes as OperatorScope[]),
    'body',
  );
  if (membership.role === 'admin' && role !== 'admin' && (await repo.lockAndCountAdmins(tx, memberId)) <= 1) {
    throw unprocessable(LAST_ADMIN, [{ path: 'body.role', message: 'dernier administrateur' }]);
  }
  await repo.updateOrganisationUser(tx, memberId, userId, { role, scopes });
  await recordAudit(tx, {
    action: 'organisation.user.role_changed',
    actorUserId: actor.userId,
    memberId,
    targetType: 'user',
    targetId: userId,
    ipAddress: ip,
    details: { from: membership.role, to: role, scopes },
  });
  return presentUser({ ...membership, role, scopes });
}

export async function removeMembership(tx: Tx, actor: Actor, memberId: string, userId: string, ip: string) {
  await requireOrganisation(tx, memberId);
  const membership = await requireMembership(tx, memberId, userId);
  if (membership.role === 'admin' && (await repo.lockAndCountAdmins(tx, memberId)) <= 1) {
    throw unprocessable(LAST_ADMIN);
  }
  await repo.deleteOrganisationUser(tx, memberId, userId);
  await recordAudit(tx, {
    action: 'organisation.user.removed',
    actorUserId: actor.userId,
    memberId,
    targetType: 'user',
    targetId: userId,
    ipAddress: ip,
    details: { role: membership.role },
  });
}

export async function operatorOrganisationId(tx: Executor): Promise<string> {
  const operator = await repo.findOperatorOrganisation(tx);
  if (!operator)
    throw notFound("L'organisation de l'opérateur n'existe pas encore : lancez npm run admin:create.");
  return operator.id;
}
