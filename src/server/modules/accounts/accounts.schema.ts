import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { OPERATOR_SCOPES, ROLES } from '../../../contracts/accounts.js';
import { ACCESS_REQUEST_STATUSES } from '../../../contracts/connect.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';

export { apiTokens, organisationUsers, sessions, users } from '../../kernel/identity.schema.js';

/** Single-use, expiring tokens: password reset and invitation links. Only hashes are stored. */
export const passwordResets = pgTable(
  'password_resets',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('password_resets_user_idx').on(t.userId)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    scopes: text('scopes', { enum: OPERATOR_SCOPES }).array().notNull().default(sql`'{}'::text[]`),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invitations_token_key').on(t.tokenHash),
    index('invitations_member_idx').on(t.memberId, t.createdAt),
    check('invitations_role_check', inList('role', ROLES)),
  ],
);

/** Failed logins by key (email or address) for rate limiting across processes. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_attempts_key_idx').on(t.key, t.attemptedAt)],
);

/** A person's ProConnect identity (`sub`), linked once to their account. */
export const proconnectIdentities = pgTable(
  'proconnect_identities',
  {
    sub: text('sub').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('proconnect_identities_user_key').on(t.userId)],
);

/**
 * A ProConnect sign-in under way: the browser keeps `state` in a cookie, the server its SHA-256 with
 * the nonce and the PKCE verifier. Used once (deleted by the callback), expiring after 10 minutes.
 */
export const proconnectFlows = pgTable(
  'proconnect_flows',
  {
    stateHash: text('state_hash').primaryKey(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('proconnect_flows_expires_idx').on(t.expiresAt)],
);

/**
 * A ProConnect identity waiting for its account's confirmation: the first ProConnect sign-in with the
 * address of an account not yet linked. The browser holds the secret (a cookie), the server its
 * SHA-256; the person confirms by signing in with the account's password once, within 15 minutes, and
 * only then is `sub` linked (proconnect_identities). Used once.
 */
export const proconnectPendingLinks = pgTable(
  'proconnect_pending_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    sub: text('sub').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('proconnect_pending_links_expires_idx').on(t.expiresAt)],
);

/** An agent of a member unknown to Socle who signed in with ProConnect: the member's admin decides. */
export const accessRequests = pgTable(
  'access_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sub: text('sub').notNull(),
    email: text('email').notNull(),
    givenName: text('given_name').notNull(),
    usualName: text('usual_name').notNull(),
    siret: text('siret').notNull(),
    status: text('status', { enum: ACCESS_REQUEST_STATUSES }).notNull().default('pending'),
    role: text('role', { enum: ROLES }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('access_requests_member_idx').on(t.memberId, t.createdAt),
    uniqueIndex('access_requests_pending_key').on(t.memberId, t.sub).where(sql`status = 'pending'`),
    check('access_requests_status_check', inList('status', ACCESS_REQUEST_STATUSES)),
  ],
);

/** The operator's sign-in settings: one row. */
export const authSettings = pgTable(
  'auth_settings',
  {
    id: boolean('id').primaryKey().default(true),
    proconnectRequiredForOperatorAgents: boolean('proconnect_required_for_operator_agents')
      .notNull()
      .default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [check('auth_settings_one_row', sql`id`)],
);
