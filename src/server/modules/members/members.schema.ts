import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.schema.js';
import { communes, departements, epci } from '../territory/territory.schema.js';

export const ORGANISATION_KINDS = [
  'operator',
  'commune',
  'epci',
  'syndicat_mixte',
  'syndicat_intercommunal',
  'ccas',
  'medico_social',
  'structure_departementale',
  'spl',
  'autre',
] as const;

export const MEMBERSHIP_STATUSES = [
  'prospect',
  'requested',
  'accepted',
  'member',
  'withdrawal_requested',
  'withdrawn',
] as const;

export const CONTACT_ROLES = [
  'maire_president',
  'dgs_secretaire',
  'referent_numerique',
  'referent_rgpd',
  'delegue_titulaire',
  'delegue_suppleant',
] as const;

export const DOCUMENT_KINDS = ['deliberation', 'convention', 'decision', 'other'] as const;

const inList = (column: string, values: readonly string[]) =>
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
    kind: text('kind').notNull(),
    /** For kind epci: CC, CA, CU, METRO, MET69 (from official data). */
    epciType: text('epci_type'),
    name: text('name').notNull(),
    searchName: text('search_name').notNull(),
    siren: text('siren').notNull(),
    siret: text('siret'),
    communeCode: text('commune_code').references(() => communes.code),
    epciCode: text('epci_code').references(() => epci.code),
    departementCode: text('departement_code').references(() => departements.code),
    address: text('address'),
    postalCode: text('postal_code'),
    city: text('city'),
    /** Entered for kinds other than commune and EPCI, whose population comes from official data. */
    population: integer('population'),
    parentId: uuid('parent_id').references((): AnyPgColumn => organisations.id, { onDelete: 'set null' }),
    status: text('status').notNull().default('prospect'),
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
    check('organisations_kind_check', inList('kind', ORGANISATION_KINDS)),
    check('organisations_status_check', inList('status', MEMBERSHIP_STATUSES)),
    check('organisations_siren_format', sql`siren ~ '^[0-9]{9}$'`),
    check('organisations_siret_format', sql`siret IS NULL OR siret ~ '^[0-9]{14}$'`),
    check('organisations_population_check', sql`population IS NULL OR population >= 0`),
    check('organisations_commune_link', sql`kind <> 'commune' OR commune_code IS NOT NULL`),
    check('organisations_epci_link', sql`kind <> 'epci' OR epci_code IS NOT NULL`),
  ],
);

export const memberContacts = pgTable(
  'member_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('member_contacts_member_idx').on(t.memberId, t.role),
    check('member_contacts_role_check', inList('role', CONTACT_ROLES)),
  ],
);

export const memberDocuments = pgTable(
  'member_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    documentDate: date('document_date'),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('member_documents_member_idx').on(t.memberId, t.createdAt),
    check('member_documents_kind_check', inList('kind', DOCUMENT_KINDS)),
    check('member_documents_size_check', sql`size_bytes > 0`),
  ],
);

/** Dated, attributed history of the membership lifecycle. */
export const membershipEvents = pgTable(
  'membership_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** Date the step took effect (délibération date, comité syndical decision date…). */
    effectiveOn: date('effective_on').notNull(),
    decisionReference: text('decision_reference'),
    documentId: uuid('document_id').references(() => memberDocuments.id),
    note: text('note'),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('membership_events_member_idx').on(t.memberId, t.createdAt),
    check('membership_events_to_status_check', inList('to_status', MEMBERSHIP_STATUSES)),
  ],
);
