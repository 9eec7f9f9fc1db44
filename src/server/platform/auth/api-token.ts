import crypto from 'node:crypto';
import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import {
  TOKEN_ACCESS,
  TOKEN_MODULES,
  type TokenAccess,
  type TokenModule,
  type TokenScopes,
} from '../../../contracts/connect.js';
import { apiTokens, organisations, organisationUsers, users } from '../../kernel/identity.schema.js';
import { now, today } from '../clock.js';
import type { Executor } from '../db/client.js';
import { forbidden } from '../errors.js';
import type { Actor } from './context.js';

/**
 * API tokens (`Authorization: Bearer socle_…`), of two natures:
 * - a `personal` token (and an operator token) acts as its account in its organisation, with the role
 *   that person holds there now: a role withdrawn, the person removed from the member, an account
 *   deactivated, and the token stops;
 * - a `member` token belongs to the member: it acts as the structure itself, with its admin's breadth
 *   and nothing more than its scopes, whoever made it (it survives its creator leaving). No person is
 *   behind it: the database sees no user, what it writes names no one, its audit names the token.
 * Either is narrowed to its scopes: the request pipeline (http/access.ts) refuses a module the token
 * was not given and a write where it reads only. Policies and RLS then apply as for that actor.
 */

export const API_TOKEN_PREFIX = 'socle_';

/** A new secret: `socle_` and 32 random bytes in base64url. Only its SHA-256 is stored. */
export const newApiToken = () => `${API_TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;

/** The first characters shown to recognise a token in a list. */
export const displayPrefix = (token: string) => token.slice(0, API_TOKEN_PREFIX.length + 6);

/** `{ rgpd: 'read' }` ↔ `['rgpd:read']`, the column's form. */
export const scopeList = (scopes: TokenScopes): string[] =>
  Object.entries(scopes).map(([module, access]) => `${module}:${access}`);

export function scopesOf(list: readonly string[]): TokenScopes {
  const scopes: TokenScopes = {};
  for (const entry of list) {
    const [module, access] = entry.split(':');
    if (TOKEN_MODULES.includes(module as TokenModule) && TOKEN_ACCESS.includes(access as TokenAccess)) {
      scopes[module as TokenModule] = access as TokenAccess;
    }
  }
  return scopes;
}

/**
 * The bearer token of a request: undefined without an Authorization header, '' for a header that is
 * not `Bearer <token>` (refused by the session hook as a wrong credential).
 */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/i.exec(header);
  return match?.[1] ?? '';
}

/** How long a token's actor is trusted before it is read again (a cached one also drops on any change). */
const TOKEN_ACTOR_SECONDS = 60;

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** The token, its organisation, and its account's role there, in one round trip. */
export async function loadTokenActor(db: Executor, token: string): Promise<Actor | null> {
  const [row] = await db
    .select({
      id: apiTokens.id,
      kind: apiTokens.kind,
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      organisationId: apiTokens.memberId,
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      isActive: users.isActive,
      role: organisationUsers.role,
      operatorScopes: organisationUsers.scopes,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
    })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.memberId))
    .leftJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(
      organisationUsers,
      and(eq(organisationUsers.userId, apiTokens.userId), eq(organisationUsers.memberId, apiTokens.memberId)),
    )
    .where(
      and(
        eq(apiTokens.tokenHash, hashToken(token)),
        isNull(apiTokens.revokedAt),
        gte(apiTokens.expiresOn, today()),
      ),
    );
  if (!row) return null;
  const tokenOf = { id: row.id, name: row.name, kind: row.kind, scopes: scopesOf(row.scopes) };
  const base = {
    sessionId: `token:${row.id}`,
    csrfToken: '',
    isOperator: row.organisationKind === 'operator',
    sessionExpiresAt: now().getTime() + TOKEN_ACTOR_SECONDS * 1000,
    token: tokenOf,
  };
  if (row.kind === 'member' && row.organisationKind !== 'operator') {
    // The member's own integration: its admin's breadth, narrowed to the scopes; no person.
    const current = {
      organisationId: row.organisationId,
      name: row.organisationName,
      kind: row.organisationKind,
      role: 'admin' as const,
      scopes: [],
    };
    return {
      ...base,
      userId: row.id,
      email: '',
      displayName: `Jeton d'API « ${row.name} »`,
      organisations: [current],
      current,
    };
  }
  // A personal (or operator) token: its person, as they stand in the organisation now.
  if (!row.userId || !row.email || !row.displayName || !row.isActive || !row.role) return null;
  const current = {
    organisationId: row.organisationId,
    name: row.organisationName,
    kind: row.organisationKind,
    role: row.role,
    scopes: row.operatorScopes ?? [],
  };
  return {
    ...base,
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    organisations: [current],
    current,
  };
}

/** Last use, written at most once a minute per token (on the owner connection, after the answer). */
export async function touchToken(db: Executor, tokenId: string): Promise<void> {
  const at = now();
  await db
    .update(apiTokens)
    .set({ lastUsedAt: at })
    .where(
      and(
        eq(apiTokens.id, tokenId),
        sql`(${apiTokens.lastUsedAt} IS NULL OR ${apiTokens.lastUsedAt} < ${new Date(at.getTime() - 60_000)})`,
      ),
    );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A token reaches only the modules it was given, and writes only where it was given `write`. Public
 * reads stay open to it as to anyone.
 */
export function checkTokenScope(actor: Actor, request: FastifyRequest, isPublic: boolean): void {
  const { token } = actor;
  if (!token) return;
  const safe = SAFE_METHODS.has(request.method);
  if (isPublic && safe) return;
  const module = request.routeOptions.config.module;
  const granted = module ? token.scopes[module] : undefined;
  if (!granted) {
    throw forbidden("Ce jeton d'API ne donne pas accès à cette partie de l'API.");
  }
  if (!safe && granted !== 'write') {
    throw forbidden("Ce jeton d'API est en lecture seule pour ce module : il ne permet pas de modifier.");
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The module a route belongs to: what an API token's scopes name (set by app.ts's apiModule). */
    module?: TokenModule;
  }
}
