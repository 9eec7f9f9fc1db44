import type { Config } from '../../config.js';
import type { Mailer } from '../../platform/mail/mailer.js';

/**
 * The accounts module's use cases, one file per sub-domain:
 * - accounts.sessions.service.ts: login, logout, the current user, changing one's password;
 * - accounts.password-reset.service.ts: reset links by mail;
 * - accounts.invitations.service.ts: inviting people into an organisation, accepting an invitation;
 * - accounts.users.service.ts: the people of an organisation, their roles and scopes.
 *
 * How they meet the database, one rule for all of them:
 * - Every function takes the request's transaction (`tx`, opened by the route with `request.inTenant`)
 *   and never opens one: an error anywhere rolls the whole request back.
 * - Before a session exists (logging in, asking for or using a reset link, accepting an invitation)
 *   that transaction is the visitor's, with no tenant: the authentication tables (users, sessions,
 *   reset links, login attempts) are outside Row Level Security. Once a credential is proven, the
 *   service narrows the transaction to what the credential grants (`repo.actAsUser` after a password,
 *   `repo.actForInvitedOrganisation` after an invitation link).
 * - argon2 (tens of milliseconds of CPU) never runs inside a transaction, which would hold a connection
 *   meanwhile (PGlite has only one): a use case that checks or sets a password is a chain of steps the
 *   route runs in order, a transaction, the password work (`checkPassword`, `hashNewPassword`,
 *   `replacementHash`), then a transaction.
 * - An outcome that must be recorded although the request fails (a refused login, a wrong current
 *   password) is returned, not thrown, so that its audit entry commits; the route then throws the
 *   domain error the service names for it.
 * Commands are not requests: `operator-admin.ts` (npm run admin:create) receives the owner database and
 * is its own transaction.
 */
export interface AccountsDeps {
  config: Config;
  mailer: Mailer;
  /** ProConnect is available (configured, or the demo's local provider): its sign-in rules apply. */
  proconnectEnabled?: boolean;
}

export * from './accounts.invitations.service.js';
export * from './accounts.password-reset.service.js';
export * from './accounts.sessions.service.js';
export * from './accounts.tokens.service.js';
export * from './accounts.users.service.js';
