import crypto from 'node:crypto';
import type { ProConnectOutcome } from '../../../../contracts/connect.js';
import { type AuditSource, recordAudit } from '../../../platform/audit/audit.js';
import { createSession, loadOrganisationRoles } from '../../../platform/auth/session.js';
import { now } from '../../../platform/clock.js';
import type { Tx } from '../../../platform/db/client.js';
import { enqueue } from '../../../platform/jobs/queue.js';
import * as connect from '../accounts.connect.repository.js';
import * as repo from '../accounts.repository.js';
import type { AccountsDeps } from '../accounts.service.js';
import type { ProConnectFlow, ProConnectIdentity } from './proconnect.client.js';

/**
 * What a ProConnect sign-in leads to. The `sub` already linked opens a session. The address of an
 * account not linked yet asks its confirmation first: the person signs in with the account's password
 * once (the browser holds the pending link's secret in a cookie, 15 minutes), and only then is the
 * `sub` linked; later ProConnect sign-ins go straight in. An agent unknown to Socle files an access
 * request with the member whose SIREN the `siret` claim carries; an agent of a structure that is not a
 * member gets a French refusal and nothing is created.
 */

/** Tells the member's admins of a new access request (accounts.jobs.ts). */
export const ACCESS_REQUEST_JOB = 'accounts.access-request';

/** Life of a link waiting for its account's password. */
export const PENDING_LINK_MINUTES = 15;

/** Life of a sign-in under way (ProConnect's own codes live a minute). */
const FLOW_MINUTES = 10;
/** The statuses in which a structure is a member (its agents may ask for access). */
const MEMBER_STATUSES = new Set(['member', 'withdrawal_requested']);

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

export async function recordFlow(tx: Tx, flow: ProConnectFlow): Promise<void> {
  const at = now();
  await connect.pruneFlows(tx, at);
  await connect.insertFlow(tx, {
    stateHash: sha256(flow.state),
    nonce: flow.nonce,
    codeVerifier: flow.codeVerifier,
    expiresAt: new Date(at.getTime() + FLOW_MINUTES * 60_000),
  });
}

/** The flow of `state`, taken out (a replayed state finds nothing); null when unknown or expired. */
export async function takeFlow(tx: Tx, state: string) {
  const flow = await connect.takeFlow(tx, sha256(state));
  if (!flow || flow.expiresAt.getTime() < now().getTime()) return null;
  return { state, nonce: flow.nonce, codeVerifier: flow.codeVerifier };
}

export type ProConnectSignIn =
  | { kind: 'session'; token: string; expiresAt: Date; isOperator: boolean }
  | { kind: 'confirm'; secret: string; expiresAt: Date }
  | { kind: 'outcome'; outcome: ProConnectOutcome };

export async function signIn(
  tx: Tx,
  deps: AccountsDeps,
  identity: ProConnectIdentity,
  source: AuditSource,
): Promise<ProConnectSignIn> {
  const audit = { ipAddress: source.ipAddress };
  await connect.declareProConnectSub(tx, identity.sub);
  const linked = await connect.findIdentity(tx, identity.sub);
  const userId = linked?.userId ?? null;
  if (!userId) {
    const byEmail = await repo.findUserByEmail(tx, identity.email);
    if (byEmail) {
      await repo.actAsUser(tx, byEmail.id);
      const other = await connect.findIdentityOfUser(tx, byEmail.id);
      if (other) {
        await recordAudit(tx, {
          action: 'auth.proconnect.refused',
          ...audit,
          actorUserId: byEmail.id,
          details: { reason: 'linked_to_another_identity' },
        });
        return { kind: 'outcome', outcome: 'refuse' };
      }
      if (!byEmail.passwordHash) {
        // Nothing to confirm with: the person sets a password first (« Mot de passe oublié »).
        await recordAudit(tx, {
          action: 'auth.proconnect.refused',
          ...audit,
          actorUserId: byEmail.id,
          details: { reason: 'no_password_to_confirm' },
        });
        return { kind: 'outcome', outcome: 'sans-mot-de-passe' };
      }
      return askConfirmation(tx, identity, byEmail.id, source);
    }
  }
  if (userId) return openSession(tx, deps, userId, identity, source);
  return fileAccessRequest(tx, identity, source);
}

/**
 * The first ProConnect sign-in with an account's address: nothing is linked yet. A pending link is kept
 * (its secret's SHA-256) for the browser to confirm by signing in with the password once.
 */
async function askConfirmation(
  tx: Tx,
  identity: ProConnectIdentity,
  userId: string,
  source: AuditSource,
): Promise<ProConnectSignIn> {
  const secret = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now().getTime() + PENDING_LINK_MINUTES * 60_000);
  await connect.insertPendingLink(tx, { tokenHash: sha256(secret), sub: identity.sub, userId, expiresAt });
  await recordAudit(tx, {
    action: 'auth.proconnect.link_requested',
    actorUserId: userId,
    ipAddress: source.ipAddress,
  });
  return { kind: 'confirm', secret, expiresAt };
}

/**
 * The login that confirms a pending link (its secret from the browser's cookie), run while acting as the
 * account whose password was just checked: RLS shows only that account's pending links, so a link asked
 * for another account is not found. Linked: true; otherwise audited and false, nothing linked.
 */
export async function confirmLink(
  tx: Tx,
  userId: string,
  secret: string,
  source: AuditSource,
): Promise<boolean> {
  const pending = await connect.takePendingLink(tx, sha256(secret));
  const refuse = async (reason: string) => {
    await recordAudit(tx, {
      action: 'auth.proconnect.link_refused',
      actorUserId: userId,
      ipAddress: source.ipAddress,
      details: { reason },
    });
    return false;
  };
  if (!pending || pending.userId !== userId) return refuse('unknown_or_other_account');
  if (pending.expiresAt.getTime() < now().getTime()) return refuse('expired');
  await connect.declareProConnectSub(tx, pending.sub);
  if ((await connect.findIdentity(tx, pending.sub)) || (await connect.findIdentityOfUser(tx, userId))) {
    return refuse('already_linked');
  }
  await connect.insertIdentity(tx, pending.sub, userId);
  await recordAudit(tx, {
    action: 'auth.proconnect.linked',
    actorUserId: userId,
    ipAddress: source.ipAddress,
    details: { confirmedBy: 'password' },
  });
  return true;
}

/** A wrong password with a pending link in the browser: audited, nothing linked (the link waits). */
export async function refuseLink(tx: Tx, userId: string | null, source: AuditSource): Promise<void> {
  await recordAudit(tx, {
    action: 'auth.proconnect.link_refused',
    actorUserId: userId,
    ipAddress: source.ipAddress,
    details: { reason: 'wrong_password' },
  });
}

async function openSession(
  tx: Tx,
  deps: AccountsDeps,
  userId: string,
  identity: ProConnectIdentity,
  source: AuditSource,
): Promise<ProConnectSignIn> {
  await repo.actAsUser(tx, userId);
  const user = await repo.findUserById(tx, userId);
  if (!user?.isActive) {
    await recordAudit(tx, {
      action: 'auth.proconnect.refused',
      actorUserId: userId,
      ipAddress: source.ipAddress,
      details: { reason: 'inactive_account' },
    });
    return { kind: 'outcome', outcome: 'refuse' };
  }
  const at = now();
  await repo.deleteExpiredSessions(tx, userId, at);
  const roles = await loadOrganisationRoles(tx, userId);
  // The structure ProConnect names comes first when the person acts for it.
  const siren = identity.siret.slice(0, 9);
  const sirens = await Promise.all(
    roles.map(async (r) => ({ role: r, siren: (await repo.findOrganisation(tx, r.organisationId))?.siren })),
  );
  const current = sirens.find((r) => r.siren === siren)?.role ?? roles[0] ?? null;
  const session = await createSession(
    tx,
    userId,
    current?.organisationId ?? null,
    deps.config.SESSION_TTL_HOURS,
    identity.idToken,
  );
  await repo.touchLastLogin(tx, userId, at);
  await recordAudit(tx, {
    action: 'auth.login.succeeded',
    actorUserId: userId,
    ipAddress: source.ipAddress,
    details: { method: 'proconnect' },
  });
  return { kind: 'session', ...session, isOperator: current?.kind === 'operator' };
}

async function fileAccessRequest(
  tx: Tx,
  identity: ProConnectIdentity,
  source: AuditSource,
): Promise<ProConnectSignIn> {
  const siren = identity.siret.slice(0, 9);
  const organisation = await repo.findOrganisationBySiren(tx, siren);
  if (!organisation || organisation.kind === 'operator' || !MEMBER_STATUSES.has(organisation.status)) {
    await recordAudit(tx, {
      action: 'auth.proconnect.refused',
      ipAddress: source.ipAddress,
      details: {
        reason: organisation?.kind === 'operator' ? 'unknown_operator_agent' : 'not_a_member',
        siren,
      },
    });
    return { kind: 'outcome', outcome: organisation?.kind === 'operator' ? 'inconnu' : 'non-adherent' };
  }
  if (await connect.findPendingRequest(tx, organisation.id, identity.sub)) {
    return { kind: 'outcome', outcome: 'demande-en-cours' };
  }
  const request = await connect.insertAccessRequest(tx, {
    memberId: organisation.id,
    sub: identity.sub,
    email: identity.email,
    givenName: identity.givenName,
    usualName: identity.usualName,
    siret: identity.siret,
  });
  await enqueue(tx, ACCESS_REQUEST_JOB, { requestId: request.id });
  await recordAudit(tx, {
    action: 'auth.proconnect.access_requested',
    ipAddress: source.ipAddress,
    memberId: organisation.id,
    targetType: 'access_request',
    targetId: request.id,
  });
  return { kind: 'outcome', outcome: 'demande' };
}

/** The ID token of a session opened with ProConnect (the logout's hint), read as its owner. */
export async function idTokenOf(tx: Tx, sessionId: string): Promise<string | null> {
  return repo.proconnectIdTokenOf(tx, sessionId);
}
