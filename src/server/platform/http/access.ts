import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, RouteOptions } from 'fastify';
import type { TokenModule } from '../../../contracts/connect.js';
import { checkTokenScope } from '../auth/api-token.js';
import type { Actor } from '../auth/context.js';
import type { Tx } from '../db/client.js';
import { withTenant } from '../db/tenancy.js';
import { forbidden, unauthenticated } from '../errors.js';

/**
 * Who may call a route, declared once in its options (`config: { access }`) and checked by one
 * pre-handler, after the request was validated and before the handler runs:
 * - `'public'`: anyone, anonymous visitors included (what they see is still narrowed by RLS);
 * - `'signed-in'`: any signed-in person (401 otherwise);
 * - a rule, usually built with `can(policy, action, memberOf)`: 401 without a session, 403 when it
 *   answers no.
 * A route under the API prefix that declares none refuses to register: there is no third way.
 */
export type Access = 'public' | 'signed-in' | AccessRule;

export interface AccessRule {
  (actor: Actor, request: FastifyRequest): boolean;
  /** The French sentence a refused person reads. */
  detail?: string;
}

/** A module's policy: `(actor, action, memberId)` → allowed. */
export type Policy<A extends string> = (actor: Actor | null, action: A, memberId?: string | null) => boolean;

/**
 * `policy` must allow `action`, on the member that `memberOf` reads from the (validated) request when
 * the action concerns one. Example: `can(rgpdPolicy, 'registry:read', param('memberId'))`.
 */
export function can<A extends string>(
  policy: Policy<A>,
  action: A,
  memberOf?: (request: FastifyRequest) => string | null | undefined,
  detail?: string,
): AccessRule {
  const rule: AccessRule = (actor, request) => policy(actor, action, memberOf?.(request) ?? null);
  rule.detail = detail;
  return rule;
}

/** Reads the member targeted by a route from one of its path parameters. */
export const param =
  (name: string) =>
  (request: FastifyRequest): string | undefined =>
    (request.params as Record<string, string | undefined>)[name];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /**
     * Runs `work` in this request's tenant transaction: the restricted role and the actor's settings,
     * so RLS applies; an error anywhere rolls everything back. Services receive the transaction and
     * never open one.
     */
    inTenant<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  }
}

/** The signed-in actor of a route whose access already required one (401 otherwise). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

function check(access: Access) {
  return async (request: FastifyRequest) => {
    // An API token reaches only its modules, and writes only where it may (platform/auth/api-token.ts).
    if (request.actor?.token) checkTokenScope(request.actor, request, access === 'public');
    if (access === 'public') return;
    const actor = actorOf(request);
    if (access === 'signed-in') return;
    if (!access(actor, request)) throw forbidden(access.detail);
  };
}

/**
 * Installs the pipeline on `app`: every route registered afterwards under `prefix` must declare its
 * access, which is checked before its handler; `request.inTenant` opens the request's transaction.
 */
export function registerAccessPipeline(
  app: FastifyInstance,
  prefix: string,
  isExempt: (url: string) => boolean,
) {
  app.decorateRequest('inTenant', function <T>(this: FastifyRequest, work: (tx: Tx) => Promise<T>) {
    return withTenant(app.database.db, this.tenant, work);
  });
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith(prefix) || isExempt(route.url)) return;
    const access = route.config?.access;
    if (!access) {
      const methods = [route.method].flat().join(',');
      throw new Error(
        `${methods} ${route.url} declares no access (config.access): public, signed-in or a rule`,
      );
    }
    const existing = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [check(access), ...existing];
  });
}

/**
 * Registers a module's routes tagged with the module an API token's scopes name
 * (`config.module`): a token given `rgpd: read` reaches these routes, and only to read.
 */
export function apiModule(module: TokenModule, plugin: FastifyPluginAsync): FastifyPluginAsync {
  return async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, module };
    });
    await scope.register(plugin);
  };
}
