import crypto from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { organisations, organisationUsers, sessions, users } from '../../kernel/identity.schema.js';
import { TtlCache } from '../cache.js';
import { now } from '../clock.js';
import type { Executor } from '../db/client.js';
import { forbidden, unauthenticated, unavailable } from '../errors.js';
import { bearerOf, loadTokenActor } from './api-token.js';
import { type Actor, type OrganisationRole, tenantOf } from './context.js';

export const SESSION_COOKIE = 'socle_session';
export const CSRF_HEADER = 'x-csrf-token';

export const newToken = () => crypto.randomBytes(32).toString('base64url');
export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export async function createSession(
  db: Executor,
  userId: string,
  currentMemberId: string | null,
  ttlHours: number,
  proconnectIdToken: string | null = null,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now().getTime() + ttlHours * 3600_000);
  await db.insert(sessions).values({
    id: hashToken(token),
    userId,
    currentMemberId,
    csrfToken: newToken(),
    expiresAt,
    proconnectIdToken,
  });
  return { token, expiresAt };
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** The user's roles in every organisation, the operator first, then by name. */
export async function loadOrganisationRoles(db: Executor, userId: string): Promise<OrganisationRole[]> {
  const rows = await db
    .select({
      organisationId: organisationUsers.memberId,
      name: organisations.name,
      kind: organisations.kind,
      role: organisationUsers.role,
      scopes: organisationUsers.scopes,
    })
    .from(organisationUsers)
    .innerJoin(organisations, eq(organisations.id, organisationUsers.memberId))
    .where(eq(organisationUsers.userId, userId))
    .orderBy(sql`${organisations.kind} <> 'operator'`, organisations.name);
  return rows;
}

/**
 * The session lookup, built once per database (drizzle then skips building its SQL on every request,
 * ~80 µs of CPU each): the session by its hashed token, unexpired at `now`, with its active user and
 * every role of that user as JSON.
 */
function sessionLookup(db: Executor) {
  const roles = sql<OrganisationRole[] | string>`COALESCE((
    SELECT json_agg(json_build_object(
      'organisationId', ou.member_id, 'name', o.name, 'kind', o.kind, 'role', ou.role, 'scopes', ou.scopes
    ) ORDER BY o.kind <> 'operator', o.name)
    FROM ${organisationUsers} ou JOIN ${organisations} o ON o.id = ou.member_id
    WHERE ou.user_id = ${users.id}
  ), '[]'::json)`;
  return db
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      csrfToken: sessions.csrfToken,
      currentMemberId: sessions.currentMemberId,
      viaProConnect: sql<boolean>`${sessions.proconnectIdToken} IS NOT NULL`,
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      roles,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sql.placeholder('id')),
        gt(sessions.expiresAt, sql.placeholder('now')),
        eq(users.isActive, true),
      ),
    )
    .prepare('socle_session_lookup');
}
const sessionLookups = new WeakMap<Executor, ReturnType<typeof sessionLookup>>();

/** The session, its user and every role of that user, in one round trip (this runs on every request). */
export async function loadActor(db: Executor, token: string): Promise<Actor | null> {
  let lookup = sessionLookups.get(db);
  if (!lookup) {
    lookup = sessionLookup(db);
    sessionLookups.set(db, lookup);
  }
  const [row] = await lookup.execute({ id: hashToken(token), now: now().toISOString() });
  if (!row) return null;
  // json comes back parsed from pg and PGlite alike; a string would mean a driver change.
  const organisationRoles: OrganisationRole[] =
    typeof row.roles === 'string' ? JSON.parse(row.roles) : row.roles;
  const current =
    organisationRoles.find((r) => r.organisationId === row.currentMemberId) ?? organisationRoles[0] ?? null;
  return {
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    sessionId: row.sessionId,
    csrfToken: row.csrfToken,
    organisations: organisationRoles,
    current,
    isOperator: current?.kind === 'operator',
    sessionExpiresAt: row.expiresAt.getTime(),
    viaProConnect: row.viaProConnect,
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `false` on anonymous entry points (login, password reset) so that a stale session cookie does not
     * block them. They act on no session, and cross-site JSON posts are stopped by CORS preflight.
     */
    csrf?: boolean;
    /**
     * `false` on a route whose anonymous GET sets transaction-local settings itself (reading an
     * invitation through its link): its work then runs in a real transaction, not on the read-only
     * connections anonymous reads use (see TenantContext.anonymousRead).
     */
    anonymousRead?: boolean;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * For a response that outlives its request (a live stream): a function telling, each time it is
     * called, who this request's credentials (its API token, else its session cookie) name now —
     * through the same cache, which every access change empties — or null once the session ended,
     * the user was deactivated, or the token was revoked or no longer reaches this route's module.
     */
    actorLater(): () => Promise<Actor | null>;
  }
}

/**
 * Loads the actor from the session cookie on every request, then enforces the CSRF token
 * (synchronizer pattern: the token is bound to the session and sent back in a header) on every
 * cookie-authenticated write.
 */
export function registerSessionHook(app: FastifyInstance) {
  app.decorateRequest('actor', null);
  app.decorateRequest('tenant');
  const actors = new TtlCache<Actor | null>(app.config.ACTOR_CACHE_SECONDS * 1000, 10_000);
  /**
   * The actor of a session is kept in memory while nothing it was read from changed: any write to
   * sessions, users, organisation_users (logout, password change, deactivation, role change) or
   * organisations drops every cached actor, in every process, through the database's notifications
   * (platform/changes.ts). While notifications are down, every request reads the database.
   */
  const actorOf = async (
    token: string,
    load: (db: Executor, token: string) => Promise<Actor | null>,
    kind: string,
  ): Promise<Actor | null> => {
    if (!app.changes.live) return load(app.database.db, token);
    const key = `${kind}:${hashToken(token)}`;
    const actor = await actors.get(
      key,
      () => load(app.database.db, token),
      app.changes.stamp(['access', 'members']),
    );
    if (actor && actor.sessionExpiresAt > now().getTime()) return actor;
    // Unknown or expired tokens are not kept: a flood of made-up cookies must not fill the cache.
    actors.delete(key);
    return actor ? load(app.database.db, token) : null;
  };
  app.decorateRequest('actorLater', function (this: FastifyRequest) {
    const bearer = bearerOf(this);
    const token = this.cookies[SESSION_COOKIE];
    const module = this.routeOptions.config.module;
    return async () => {
      if (bearer) {
        const actor = await actorOf(bearer, loadTokenActor, 'bearer');
        return actor?.token && module && actor.token.scopes[module] ? actor : null;
      }
      if (bearer === undefined && token) return actorOf(token, loadActor, 'session');
      return null;
    };
  });
  app.addHook('onRequest', async (request) => {
    // An API token (Authorization: Bearer) wins over a cookie; a wrong one is refused outright.
    const bearer = bearerOf(request);
    const token = request.cookies[SESSION_COOKIE];
    try {
      if (bearer !== undefined) {
        request.actor = bearer ? await actorOf(bearer, loadTokenActor, 'bearer') : null;
      } else {
        request.actor = token ? await actorOf(token, loadActor, 'session') : null;
      }
    } catch (error) {
      // Nobody can be recognised while the session lookup fails: the service is unavailable (503),
      // whatever the request was.
      request.log.error({ err: error }, 'session lookup failed');
      throw unavailable();
    }
    if (bearer !== undefined && !request.actor) {
      throw unauthenticated("Jeton d'API invalide, expiré ou révoqué.");
    }
    request.tenant = tenantOf(request.actor);
    if (
      !request.actor &&
      SAFE_METHODS.has(request.method) &&
      request.routeOptions.config.anonymousRead !== false
    ) {
      request.tenant.anonymousRead = true;
    }
    // A token is sent by a program, never added by a browser on its own: no CSRF token to check.
    if (
      request.actor &&
      !request.actor.token &&
      !SAFE_METHODS.has(request.method) &&
      request.routeOptions.config.csrf !== false
    ) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, request.actor.csrfToken)) {
        throw forbidden('Jeton anti-CSRF manquant ou invalide : rechargez la page puis réessayez.');
      }
    }
  });
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
