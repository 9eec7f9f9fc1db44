import { addDays, format } from 'date-fns';
import type { Role } from '../../../contracts/accounts.js';
import {
  type AccessRequest,
  type AccessRequestStatus,
  type ApiToken,
  type AuthSettings,
  type CreatedToken,
  TOKEN_MAX_DAYS,
  type TokenKind,
  type TokenScopes,
} from '../../../contracts/connect.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { displayPrefix, newApiToken, scopeList, scopesOf } from '../../platform/auth/api-token.js';
import { type Actor, roleIn } from '../../platform/auth/context.js';
import { hashToken } from '../../platform/auth/session.js';
import { now, today } from '../../platform/clock.js';
import type { Tx } from '../../platform/db/client.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { decodeInstantCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import * as connect from './accounts.connect.repository.js';
import * as repo from './accounts.repository.js';

/**
 * API tokens (member admins for their member, operator admins for the operator), the access requests
 * ProConnect opens for unknown agents of a member, and the operator's sign-in settings.
 */

type TokenRow = Awaited<ReturnType<typeof connect.findToken>>;

function presentToken(row: NonNullable<TokenRow>): ApiToken {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    prefix: row.prefix,
    scopes: scopesOf(row.scopes),
    expiresOn: row.expiresOn,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.userId && row.userName ? { id: row.userId, displayName: row.userName } : null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** The expiry must be after today and at most a year ahead. */
function checkExpiry(expiresOn: string) {
  const first = format(addDays(new Date(`${today()}T12:00:00Z`), 1), 'yyyy-MM-dd');
  const last = format(addDays(new Date(`${today()}T12:00:00Z`), TOKEN_MAX_DAYS), 'yyyy-MM-dd');
  if (expiresOn < first || expiresOn > last) {
    throw invalidField('body.expiresOn', `date entre le ${first} et le ${last} attendue (un an au plus)`);
  }
}

/**
 * Whose tokens the actor manages in `organisationId`: every one for the member's admins and for the
 * operator's tokens (operator admins only reach those routes); only their own personal ones for anyone
 * else (the answer is that person's id, the filter).
 */
function ownerFilter(actor: Actor, organisationId: string): string | null {
  if (actor.isOperator) return null;
  return roleIn(actor, organisationId) === 'admin' ? null : actor.userId;
}

/**
 * A new token of `organisationId`: the secret is answered once, only its SHA-256 is kept. A personal
 * token acts as `actor`; a member token as the member (made by its admins only); an operator token as
 * its operator admin. Tokens do not make tokens (the accounts module is out of every token's scopes).
 */
export async function createToken(
  tx: Tx,
  actor: Actor,
  organisationId: string,
  input: { name: string; scopes: TokenScopes; expiresOn: string; kind: TokenKind },
  source: AuditSource,
): Promise<CreatedToken> {
  if (actor.token) throw forbidden("Un jeton d'API ne peut pas créer d'autre jeton.");
  if (input.kind === 'member' && roleIn(actor, organisationId) !== 'admin') {
    throw forbidden(
      "Seul l'administrateur de la structure (référent) crée les jetons de la structure : créez un jeton personnel, qui agit avec vos propres droits.",
    );
  }
  checkExpiry(input.expiresOn);
  const secret = newApiToken();
  const row = await connect.insertToken(tx, {
    memberId: organisationId,
    kind: input.kind,
    name: input.name,
    tokenHash: hashToken(secret),
    prefix: displayPrefix(secret),
    scopes: scopeList(input.scopes),
    userId: actor.userId,
    expiresOn: input.expiresOn,
  });
  await recordAudit(tx, {
    action: 'api_token.created',
    ...source,
    memberId: organisationId,
    targetType: 'api_token',
    targetId: row.id,
    details: { kind: input.kind, scopes: scopeList(input.scopes), expiresOn: input.expiresOn },
  });
  const created = await connect.findToken(tx, organisationId, row.id);
  if (!created) throw notFound();
  return { ...presentToken(created), token: secret };
}

export async function listTokens(
  tx: Tx,
  actor: Actor,
  organisationId: string,
  query: { limit: number; cursor?: string; includeRevoked: boolean },
) {
  const ownerId = ownerFilter(actor, organisationId);
  const rows = await connect.listTokens(tx, organisationId, {
    limit: query.limit,
    includeRevoked: query.includeRevoked,
    after: decodeInstantCursor(query.cursor),
    ownerId,
  });
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.createdAtCursor, r.id));
  return {
    items: page.items.map(presentToken),
    total: await connect.countTokens(tx, organisationId, query.includeRevoked, ownerId),
    nextCursor: page.nextCursor,
  };
}

export async function revokeToken(
  tx: Tx,
  actor: Actor,
  organisationId: string,
  tokenId: string,
  source: AuditSource,
): Promise<void> {
  const revoked = await connect.revokeToken(
    tx,
    organisationId,
    tokenId,
    actor.userId,
    now(),
    ownerFilter(actor, organisationId),
  );
  if (!revoked) throw notFound("Ce jeton n'existe pas ou a déjà été révoqué.");
  await recordAudit(tx, {
    action: 'api_token.revoked',
    ...source,
    memberId: organisationId,
    targetType: 'api_token',
    targetId: tokenId,
  });
}

// --- Access requests ---

type RequestRow = NonNullable<Awaited<ReturnType<typeof connect.lockAccessRequest>>>;

function presentRequest(row: RequestRow): AccessRequest {
  return {
    id: row.id,
    email: row.email,
    givenName: row.givenName,
    usualName: row.usualName,
    siret: row.siret,
    status: row.status,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

export async function listAccessRequests(
  tx: Tx,
  memberId: string,
  query: { limit: number; cursor?: string; status?: AccessRequestStatus },
) {
  const rows = await connect.listAccessRequests(tx, memberId, {
    limit: query.limit,
    status: query.status,
    after: decodeInstantCursor(query.cursor),
  });
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.createdAtCursor, r.id));
  return {
    items: page.items.map(presentRequest),
    total: await connect.countAccessRequests(tx, memberId, query.status),
    nextCursor: page.nextCursor,
  };
}

async function pendingRequest(tx: Tx, memberId: string, requestId: string): Promise<RequestRow> {
  const request = await connect.lockAccessRequest(tx, memberId, requestId);
  if (!request) throw notFound("Cette demande d'accès n'existe pas.");
  if (request.status !== 'pending') throw conflict('Cette demande a déjà reçu une réponse.');
  return request;
}

/**
 * The admin lets the agent in with `role`: the account (without a password: the agent signs in with
 * ProConnect) is created if the address has none, given the role, and linked to the ProConnect identity.
 */
export async function acceptAccessRequest(
  tx: Tx,
  actor: Actor,
  memberId: string,
  requestId: string,
  role: Role,
  source: AuditSource,
): Promise<AccessRequest> {
  const request = await pendingRequest(tx, memberId, requestId);
  await connect.declareProConnectSub(tx, request.sub);
  const existing = await repo.findUserByEmail(tx, request.email);
  const user =
    existing ??
    (await repo.insertUser(tx, {
      email: request.email,
      displayName: `${request.givenName} ${request.usualName}`.trim() || request.email,
      passwordHash: null,
    }));
  await repo.insertOrganisationUser(tx, { memberId, userId: user.id, role, scopes: [] });
  if (!existing && !(await connect.findIdentity(tx, request.sub))) {
    await connect.insertIdentity(tx, request.sub, user.id);
  }
  const at = now();
  await connect.decideAccessRequest(tx, memberId, requestId, {
    status: 'accepted',
    role,
    decidedBy: actor.userId,
    decidedAt: at,
  });
  await recordAudit(tx, {
    action: 'accounts.access_request.accepted',
    ...source,
    memberId,
    targetType: 'user',
    targetId: user.id,
    details: { requestId, role },
  });
  return presentRequest({ ...request, status: 'accepted', role, decidedAt: at });
}

export async function refuseAccessRequest(
  tx: Tx,
  actor: Actor,
  memberId: string,
  requestId: string,
  source: AuditSource,
): Promise<AccessRequest> {
  const request = await pendingRequest(tx, memberId, requestId);
  const at = now();
  await connect.decideAccessRequest(tx, memberId, requestId, {
    status: 'refused',
    role: null,
    decidedBy: actor.userId,
    decidedAt: at,
  });
  await recordAudit(tx, {
    action: 'accounts.access_request.refused',
    ...source,
    memberId,
    targetType: 'access_request',
    targetId: requestId,
  });
  return presentRequest({ ...request, status: 'refused', decidedAt: at });
}

// --- Sign-in settings ---

export const readAuthSettings = (tx: Tx): Promise<AuthSettings> => connect.readAuthSettings(tx);

export async function updateAuthSettings(tx: Tx, settings: AuthSettings, source: AuditSource) {
  await connect.writeAuthSettings(tx, settings.proconnectRequiredForOperatorAgents, now());
  await recordAudit(tx, {
    action: 'auth.settings.changed',
    ...source,
    details: { proconnectRequiredForOperatorAgents: settings.proconnectRequiredForOperatorAgents },
  });
  return connect.readAuthSettings(tx);
}
