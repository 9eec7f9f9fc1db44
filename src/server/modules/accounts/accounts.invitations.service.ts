import type { Invitation, OperatorScope, PublicInvitation, Role } from '../../../contracts/accounts.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import { createSession, hashToken, newToken } from '../../platform/auth/session.js';
import { now } from '../../platform/clock.js';
import type { Tx } from '../../platform/db/client.js';
import { conflict, forbidden, invalid, notFound, unauthenticated } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import * as invitationsRepo from './accounts.invitations.repository.js';
import { invitationMail } from './accounts.mails.js';
import * as repo from './accounts.repository.js';
import type { AccountsDeps } from './accounts.service.js';
import { normaliseRole, requireOrganisation } from './accounts.users.service.js';

/** Inviting people into an organisation and accepting an invitation (transactions: see accounts.service.ts). */

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

const iso = (d: Date) => d.toISOString();

export async function invite(
  tx: Tx,
  deps: AccountsDeps,
  actor: Actor,
  memberId: string,
  input: { email: string; role: Role; scopes: OperatorScope[] },
  source: AuditSource,
): Promise<Invitation> {
  const organisation = await requireOrganisation(tx, memberId);
  const scopes = normaliseRole(organisation.kind, input.role, input.scopes, 'body');
  if (await repo.hasRoleByEmail(tx, memberId, input.email)) {
    throw conflict(
      'Cette personne a déjà accès à cette structure : modifiez son rôle dans la liste des utilisateurs.',
      [{ path: 'body.email', message: 'déjà utilisateur de cette structure' }],
    );
  }
  const at = now();
  await invitationsRepo.revokePendingInvitationsFor(tx, memberId, input.email, at);
  const token = newToken();
  const expiresAt = new Date(at.getTime() + INVITATION_TTL_MS);
  const row = await invitationsRepo.insertInvitation(tx, {
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
    ...source,
    memberId,
    targetType: 'invitation',
    targetId: row.id,
    details: { role: input.role, scopes },
  });
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    scopes: row.scopes,
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
  const at = now();
  const rows = await invitationsRepo.listPendingInvitations(
    tx,
    memberId,
    at,
    query.limit,
    decodeCursor(query.cursor),
  );
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.cursorAt, r.id));
  return {
    items: page.items.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      scopes: r.scopes,
      invitedBy: r.inviterId ? { id: r.inviterId, displayName: r.inviterName ?? '' } : null,
      createdAt: iso(r.createdAt),
      expiresAt: iso(r.expiresAt),
    })),
    total: await invitationsRepo.countPendingInvitations(tx, memberId, at),
    nextCursor: page.nextCursor,
  };
}

export async function revokeInvitation(tx: Tx, memberId: string, invitationId: string, source: AuditSource) {
  const revoked = await invitationsRepo.revokeInvitation(tx, memberId, invitationId, now());
  if (!revoked) throw notFound("Cette invitation n'existe pas ou n'est plus en attente.");
  await recordAudit(tx, {
    action: 'invitation.revoked',
    ...source,
    memberId,
    targetType: 'invitation',
    targetId: invitationId,
  });
}

const INVITATION_GONE =
  'Cette invitation est invalide, expirée, révoquée ou déjà utilisée : demandez-en une nouvelle au référent de la structure.';

/**
 * What the link offers. The token-holder policy reads a transaction-local setting: the route's
 * transaction must be a real one even for an anonymous read (`config.anonymousRead: false`).
 */
export async function viewInvitation(tx: Tx, token: string): Promise<PublicInvitation> {
  const invitation = await invitationsRepo.findPendingInvitationByToken(tx, hashToken(token), now());
  if (!invitation) throw notFound(INVITATION_GONE);
  return {
    organisation: {
      id: invitation.memberId,
      name: invitation.organisationName,
      kind: invitation.organisationKind,
    },
    email: invitation.email,
    role: invitation.role,
    scopes: invitation.scopes,
    accountExists: (await repo.findUserByEmail(tx, invitation.email)) !== null,
    expiresAt: iso(invitation.expiresAt),
  };
}

/**
 * Accepts an invitation: a logged-in invitee (a secrétaire joining a second commune) gains the role;
 * a newcomer creates their account, with the password hashed beforehand (`hashNewPassword`), and is
 * logged in. Answers the session token for a newcomer.
 */
export async function acceptInvitation(
  tx: Tx,
  deps: AccountsDeps,
  actor: Actor | null,
  input: { token: string; displayName?: string; passwordHash: string | null },
  source: AuditSource,
): Promise<{ userId: string; session: { token: string; expiresAt: Date } | null }> {
  const at = now();
  const invitation = await invitationsRepo.findPendingInvitationByToken(tx, hashToken(input.token), at);
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
    const { displayName, passwordHash } = input;
    if (!displayName || !passwordHash) {
      throw invalid('Pour créer votre compte, indiquez votre nom et choisissez un mot de passe.', [
        ...(displayName ? [] : [{ path: 'body.displayName', message: 'Saisissez votre nom.' }]),
        ...(passwordHash ? [] : [{ path: 'body.password', message: 'Choisissez un mot de passe.' }]),
      ]);
    }
    userId = (await repo.insertUser(tx, { email: invitation.email, displayName, passwordHash })).id;
  }

  await invitationsRepo.actForInvitedOrganisation(tx, invitation.memberId, userId);
  const added = await repo.insertOrganisationUser(tx, {
    memberId: invitation.memberId,
    userId,
    role: invitation.role,
    scopes: invitation.scopes,
  });
  if (!added) {
    throw conflict('Vous avez déjà un rôle dans cette structure : demandez à son référent de le modifier.');
  }
  if (!(await invitationsRepo.markInvitationAccepted(tx, invitation.memberId, invitation.id, at))) {
    throw notFound(INVITATION_GONE);
  }
  await recordAudit(tx, {
    action: 'invitation.accepted',
    ...source,
    actorUserId: userId,
    memberId: invitation.memberId,
    targetType: 'invitation',
    targetId: invitation.id,
    details: { role: invitation.role, newAccount: !actor },
  });
  if (actor) {
    await repo.setSessionOrganisation(tx, actor.sessionId, invitation.memberId);
    return { userId, session: null };
  }
  await repo.touchLastLogin(tx, userId, at);
  const session = await createSession(tx, userId, invitation.memberId, deps.config.SESSION_TTL_HOURS);
  return { userId, session };
}
