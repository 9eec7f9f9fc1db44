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
 * API tokens (`Authorization: Bearer socle_…`). A token acts as its account in its organisation, with
 * the role that person holds there now (a role withdrawn, an account deactivated: the token stops),
 * narrowed to its scopes: the request pipeline (http/access.ts) refuses a module the token was not
 * given and a write where it reads only. Policies and RLS then apply as for that person.
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

/** The token, its account and that account's role in the token's organisation, in one round trip. */
export async function loadTokenActor(db: Executor, token: string): Promise<Actor | null> {
  const [row] = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      organisationId: apiTokens.memberId,
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      role: organisationUsers.role,
      operatorScopes: organisationUsers.scopes,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(
      organisationUsers,
      and(eq(organisationUsers.userId, apiTokens.userId), eq(organisationUsers.memberId, apiTokens.memberId)),
    )
    .innerJoin(organisations, eq(organisations.id, apiTokens.memberId))
    .where(
      and(
        eq(apiTokens.tokenHash, hashToken(token)),
        isNull(apiTokens.revokedAt),
        gte(apiTokens.expiresOn, today()),
        eq(users.isActive, true),
      ),
    );
  if (!row) return null;
  const current = {
    organisationId: row.organisationId,
    name: row.organisationName,
    kind: row.organisationKind,
    role: row.role,
    scopes: row.operatorScopes,
  };
  return {
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    sessionId: `token:${row.id}`,
    csrfToken: '',
    organisations: [current],
    current,
    isOperator: row.organisationKind === 'operator',
    sessionExpiresAt: now().getTime() + TOKEN_ACTOR_SECONDS * 1000,
    token: { id: row.id, name: row.name, scopes: scopesOf(row.scopes) },
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
