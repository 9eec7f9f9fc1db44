import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { OPERATOR_SCOPES, ROLES } from '../../contracts/accounts.js';
import { TOKEN_KINDS } from '../../contracts/connect.js';
import { MEMBERSHIP_STATUSES, ORGANISATION_KINDS } from '../../contracts/members.js';
import { communes, departements, epci } from './territory.schema.js';

/**
 * Identity: the organisations (the operator and every member), the people who sign in, their roles in
 * organisations, and their sessions. Platform (session lookup, audit) and every module use these
 * tables; they import nothing from modules.
 */

/** `column IN ('a', 'b')` for a CHECK constraint over an enum defined in src/contracts. */
export const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(', ')})`);

/** Lifecycle order of a status (prospect first, withdrawn last), for sorting lists by status. */
export const statusRank = (status: AnyPgColumn | SQL) => sql`(CASE ${status}
  WHEN 'prospect' THEN 0 WHEN 'requested' THEN 1 WHEN 'accepted' THEN 2
  WHEN 'member' THEN 3 WHEN 'withdrawal_requested' THEN 4 ELSE 5 END)`;

/**
 * The operator and every member. Public columns only (transparency): name, kind, territory, status.
 * Private data lives in member-owned tables carrying member_id.
 */
export const organisations = pgTable(
  'organisations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ORGANISATION_KINDS }).notNull(),
    /** For kind epci: CC, CA, CU, METRO, MET69 (from official data). */
    epciType: text('epci_type'),
    name: text('name').notNull(),
    searchName: text('search_name').notNull(),
    siren: text('siren').notNull(),
    siret: text('siret'),
    /**
     * Chorus Pro: the service code of the member's structure, and whether its structure requires one
     * (the « code service obligatoire » of the Chorus Pro directory: an invoice without it is rejected).
     */
    chorusServiceCode: text('chorus_service_code'),
    chorusServiceCodeRequired: boolean('chorus_service_code_required').notNull().default(false),
    communeCode: text('commune_code').references(() => communes.code),
    epciCode: text('epci_code').references(() => epci.code),
    departementCode: text('departement_code').references(() => departements.code),
    address: text('address'),
    postalCode: text('postal_code'),
    city: text('city'),
    /** Entered for kinds other than commune and EPCI, whose population comes from official data. */
    population: integer('population'),
    parentId: uuid('parent_id').references((): AnyPgColumn => organisations.id, { onDelete: 'set null' }),
    status: text('status', { enum: MEMBERSHIP_STATUSES }).notNull().default('prospect'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('organisations_siren_key').on(t.siren),
    uniqueIndex('organisations_one_operator').on(t.kind).where(sql`kind = 'operator'`),
    // Lists sort by search_name (accent-free, so « Écouflant » files under E) with id as tie-breaker:
    // each filter's index ends with both so a keyset page is an index range scan.
    index('organisations_kind_idx').on(t.kind, t.searchName, t.id),
    index('organisations_status_idx').on(t.status, t.searchName, t.id),
    index('organisations_departement_idx').on(t.departementCode, t.searchName, t.id),
    index('organisations_commune_idx').on(t.communeCode),
    index('organisations_epci_idx').on(t.epciCode),
    index('organisations_parent_idx').on(t.parentId),
    index('organisations_search_name_idx').on(t.searchName, t.id),
    index('organisations_updated_idx').on(t.updatedAt, t.id),
    index('organisations_status_rank_idx').on(statusRank(sql`status`), t.searchName, t.id),
    // The member lists' capped counts (10,001 rows read at most), unfiltered or by status: an
    // index-only scan of this narrow index instead of the table's rows (members.repository.ts).
    index('organisations_member_status_idx').on(t.status).where(sql`kind <> 'operator'`),
    check('organisations_kind_check', inList('kind', ORGANISATION_KINDS)),
    check('organisations_status_check', inList('status', MEMBERSHIP_STATUSES)),
    check('organisations_siren_format', sql`siren ~ '^[0-9]{9}$'`),
    check('organisations_siret_format', sql`siret IS NULL OR siret ~ '^[0-9]{14}$'`),
    check(
      'organisations_chorus_service_code_check',
      sql`chorus_service_code IS NULL OR length(chorus_service_code) BETWEEN 1 AND 100`,
    ),
    check('organisations_population_check', sql`population IS NULL OR population >= 0`),
    check('organisations_commune_link', sql`kind <> 'commune' OR commune_code IS NOT NULL`),
    check('organisations_epci_link', sql`kind <> 'epci' OR epci_code IS NOT NULL`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-case; unique. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash'),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email), check('users_email_lower', sql`email = lower(email)`)],
);

/** A user's role in one organisation (the operator or a member). member_id is the organisation. */
export const organisationUsers = pgTable(
  'organisation_users',
  {
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    /** Operator agents only: dpo, cyber, support, finance, hosting. */
    scopes: text('scopes', { enum: OPERATOR_SCOPES }).array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.userId] }),
    index('organisation_users_user_idx').on(t.userId),
    check('organisation_users_role_check', inList('role', ROLES)),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie token: a stolen table does not yield live sessions. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    currentMemberId: uuid('current_member_id').references(() => organisations.id, { onDelete: 'set null' }),
    csrfToken: text('csrf_token').notNull(),
    /** The ID token of a ProConnect sign-in: the hint its logout sends to the end-session endpoint. */
    proconnectIdToken: text('proconnect_id_token'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * API tokens (`Authorization: Bearer socle_…`): only the SHA-256 of the secret is kept. A `personal`
 * (or operator) token acts as its account (`user_id`) in its organisation (`member_id`), with that
 * person's current role there; a `member` token acts as the member itself (its admin's breadth), no
 * person behind it. Both are narrowed to `scopes` (`module:read|write`).
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: TOKEN_KINDS }).notNull(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    scopes: text('scopes').array().notNull(),
    /**
     * A personal token's owner (it acts as that person); a member's or the operator's token's creator,
     * kept for the record: a member token survives its creator (the account gone, the link is null).
     */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    expiresOn: date('expires_on').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('api_tokens_hash_key').on(t.tokenHash),
    index('api_tokens_member_idx').on(t.memberId, t.createdAt),
    index('api_tokens_user_idx').on(t.userId),
    check('api_tokens_kind_check', inList('kind', TOKEN_KINDS)),
    check('api_tokens_scopes_check', sql`cardinality(scopes) > 0`),
  ],
);
