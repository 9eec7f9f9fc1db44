import type { OperatorScope, Role } from '../../../contracts/accounts.js';
import type { TokenKind, TokenScopes } from '../../../contracts/connect.js';
import type { TenantContext } from '../db/tenancy.js';

export type { OperatorScope, Role };

export interface OrganisationRole {
  organisationId: string;
  name: string;
  kind: string;
  role: Role;
  scopes: OperatorScope[];
}

/**
 * Who is acting. Policies take this and a resource and answer yes or no; they never query.
 * `current` is the organisation the user chose to act for (a secrétaire serving three communes switches).
 */
export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  sessionId: string;
  csrfToken: string;
  organisations: OrganisationRole[];
  current: OrganisationRole | null;
  isOperator: boolean;
  /** When the session ends (epoch ms): a cached actor is not used past it. */
  sessionExpiresAt: number;
  /**
   * The API token the request came with (platform/auth/api-token.ts): no session, no CSRF token. A
   * `member` token acts as the member itself: `userId` is then the token's id, which is no account
   * (see personOf), and the database sees no person.
   */
  token?: { id: string; name: string; kind: TokenKind; scopes: TokenScopes };
  /** The session was opened with ProConnect: signing out goes through its end-session endpoint. */
  viaProConnect?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    tenant: TenantContext;
  }
}

/**
 * The person acting, for what is written in their name (created_by, audit): null for a member's own
 * API token, which acts as the structure and names no one.
 */
export const personOf = (actor: Actor | null): string | null =>
  actor && actor.token?.kind !== 'member' ? actor.userId : null;

export function tenantOf(actor: Actor | null): TenantContext {
  if (!actor?.current) return { userId: personOf(actor), memberId: null, operatorRole: null };
  if (actor.isOperator) {
    return {
      userId: personOf(actor),
      memberId: null,
      operatorRole: actor.current.role === 'admin' ? 'admin' : 'agent',
    };
  }
  return { userId: personOf(actor), memberId: actor.current.organisationId, operatorRole: null };
}

export const isOperatorAdmin = (actor: Actor | null) =>
  !!actor?.isOperator && actor.current?.role === 'admin';
export const hasOperatorScope = (actor: Actor | null, scope: OperatorScope) =>
  !!actor?.isOperator && (actor.current?.role === 'admin' || !!actor.current?.scopes.includes(scope));
/** The actor's role in `memberId` when it is their current organisation, else null. */
export const roleIn = (actor: Actor | null, memberId: string): Role | null =>
  actor?.current && !actor.isOperator && actor.current.organisationId === memberId
    ? actor.current.role
    : null;
