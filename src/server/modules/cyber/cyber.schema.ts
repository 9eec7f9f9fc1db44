import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  ADVISORY_SOURCES,
  type AdvisoryProduct,
  ASSET_KINDS,
  ASSET_SOURCES,
  type DiagnosticAnswer,
  EXPOSURES,
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  REMEDIATION_STATES,
  RUNNERS,
  SEVERITIES,
  type Severity,
} from '../../../contracts/cyber.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { rgpdBreaches } from '../rgpd/rgpd.schema.js';

/**
 * Mutualised cybersecurity (issue 13). Member-owned (RLS): profiles, assets, diagnostics,
 * exposures, remediations, incidents and their timelines. Operator-owned: settings, the software
 * each catalogue service brings, advisories (public documents every member's people may read).
 */

/** A member's cyber profile: NIS 2 scope (with its reason) and its security contact. */
export const cyberProfiles = pgTable('cyber_profiles', {
  memberId: uuid('member_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  nis2InScope: boolean('nis2_in_scope').notNull().default(false),
  nis2Reason: text('nis2_reason'),
  securityContactEmail: text('security_contact_email'),
  securityContactName: text('security_contact_name'),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The cyber team's settings (one row, id 1): remediation days per severity. */
export const cyberSettings = pgTable(
  'cyber_settings',
  {
    id: integer('id').primaryKey().default(1),
    remediationDays: jsonb('remediation_days').$type<Record<Severity, number>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('cyber_settings_one_row', sql`${t.id} = 1`)],
);

/** Software an operator-run catalogue service brings into each subscriber's inventory. */
export const cyberServiceSoftware = pgTable(
  'cyber_service_software',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    vendor: text('vendor').notNull(),
    product: text('product').notNull(),
    version: text('version').notNull(),
    cpe: text('cpe'),
    exposure: text('exposure', { enum: EXPOSURES }).notNull().default('internet'),
    /** Matching keys, copied into subscribers' inventory lines (see cyber_assets). */
    vendorKey: text('vendor_key'),
    productKey: text('product_key'),
    searchKey: text('search_key').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cyber_service_software_service_idx').on(t.serviceId),
    check('cyber_service_software_exposure_check', inList('exposure', EXPOSURES)),
  ],
);

/**
 * A member's inventory line. `vendor_key`/`product_key` are the matching keys (lower-case
 * alphanumerics only, from the CPE name when there is one, else from vendor and product): an
 * advisory's products find their candidates through `cyber_assets_product_idx`.
 */
export const cyberAssets = pgTable(
  'cyber_assets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ASSET_KINDS }).notNull(),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull().default(1),
    vendor: text('vendor'),
    product: text('product'),
    version: text('version'),
    cpe: text('cpe'),
    runner: text('runner', { enum: RUNNERS }).notNull().default('member'),
    exposure: text('exposure', { enum: EXPOSURES }).notNull().default('unknown'),
    notes: text('notes'),
    source: text('source', { enum: ASSET_SOURCES }).notNull().default('member'),
    serviceSoftwareId: uuid('service_software_id').references(() => cyberServiceSoftware.id, {
      onDelete: 'cascade',
    }),
    vendorKey: text('vendor_key'),
    productKey: text('product_key'),
    searchKey: text('search_key').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cyber_assets_member_idx').on(t.memberId, t.kind, t.name, t.id),
    // Covering: the matching reads its candidates (id, member, keys, version) from the index alone.
    index('cyber_assets_product_idx')
      .on(t.productKey, t.vendorKey, t.version, t.memberId, t.id)
      .where(sql`product_key IS NOT NULL`),
    uniqueIndex('cyber_assets_member_service_software_key')
      .on(t.memberId, t.serviceSoftwareId)
      .where(sql`service_software_id IS NOT NULL`),
    check('cyber_assets_kind_check', inList('kind', ASSET_KINDS)),
    check('cyber_assets_runner_check', inList('runner', RUNNERS)),
    check('cyber_assets_exposure_check', inList('exposure', EXPOSURES)),
    check('cyber_assets_source_check', inList('source', ASSET_SOURCES)),
    check('cyber_assets_quantity_check', sql`${t.quantity} >= 1`),
  ],
);

/** Diagnostics: the answers as given, and the scores computed when they were given. */
export const cyberDiagnostics = pgTable(
  'cyber_diagnostics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    questionnaireVersion: integer('questionnaire_version').notNull(),
    answers: jsonb('answers').$type<Record<string, DiagnosticAnswer>>().notNull(),
    /** `{ theme: score }` (0–100). */
    themeScores: jsonb('theme_scores').$type<Record<string, number>>().notNull(),
    overallScore: integer('overall_score').notNull(),
    respondents: text('respondents'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cyber_diagnostics_member_idx').on(t.memberId, t.createdAt, t.id),
    check('cyber_diagnostics_score_check', sql`${t.overallScore} BETWEEN 0 AND 100`),
  ],
);

/** Advisories: imported CSAF 2.0 documents or written by hand. */
export const cyberAdvisories = pgTable(
  'cyber_advisories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reference: text('reference').notNull(),
    title: text('title').notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    source: text('source', { enum: ADVISORY_SOURCES }).notNull(),
    publisher: text('publisher'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    summary: text('summary'),
    url: text('url'),
    cves: text('cves').array().notNull().default(sql`'{}'::text[]`),
    products: jsonb('products').$type<AdvisoryProduct[]>().notNull(),
    /** The CSAF document as imported (null for advisories written by hand). */
    document: jsonb('document').$type<Record<string, unknown>>(),
    dueOn: date('due_on').notNull(),
    importedBy: uuid('imported_by').references(() => users.id, { onDelete: 'set null' }),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Members affected and members fully remediated: counters kept in the writing transaction by
     * statement triggers on cyber_exposures (migration cyber_matching_set_based_rls), so that the
     * exposure page and the advisories list read them instead of aggregating every exposure.
     * Overdue members are `affected - remediated` once `due_on` has passed (every exposure of an
     * advisory has the advisory's due date).
     */
    affectedMembers: integer('affected_members').notNull().default(0),
    remediatedMembers: integer('remediated_members').notNull().default(0),
  },
  (t) => [
    uniqueIndex('cyber_advisories_reference_key').on(t.reference),
    index('cyber_advisories_imported_idx').on(t.importedAt, t.id),
    check('cyber_advisories_severity_check', inList('severity', SEVERITIES)),
    check('cyber_advisories_source_check', inList('source', ADVISORY_SOURCES)),
  ],
);

/**
 * One row per member an advisory affects, with counters kept by the service (so that the exposure
 * page reads one row per member): assets matched, assets remediated, when the last one was.
 * `search_name` is a copy of the member's sort name (organisations.search_name), written with the row
 * by the repository and followed on renames by a trigger on organisations (migration
 * cyber_exposures_sort_key_rls): the exposure page, sorted by member name, is then one range of
 * `cyber_exposures_advisory_name_idx` + LIMIT, not a join and sort of every affected member. The
 * empty default only lets the column be added to existing rows (backfilled by the same migration);
 * a row inserted without it gets it from a trigger.
 */
export const cyberExposures = pgTable(
  'cyber_exposures',
  {
    // No foreign keys (as cyber_remediations, below): triggers delete the exposures of a deleted
    // advisory or organisation (migration cyber_matching_set_based_rls).
    advisoryId: uuid('advisory_id').notNull(),
    memberId: uuid('member_id').notNull(),
    assets: integer('assets').notNull(),
    remediatedAssets: integer('remediated_assets').notNull().default(0),
    dueOn: date('due_on').notNull(),
    remediatedAt: timestamp('remediated_at', { withTimezone: true }),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    searchName: text('search_name').notNull().default(''),
  },
  (t) => [
    primaryKey({ columns: [t.advisoryId, t.memberId] }),
    index('cyber_exposures_member_idx').on(t.memberId, t.createdAt),
    index('cyber_exposures_advisory_name_idx').on(t.advisoryId, t.searchName, t.memberId),
  ],
);

/**
 * Remediation of one advisory on one asset. No foreign keys (to the asset, the member, the
 * advisory), nor on cyber_exposures: each costs one lookup and row lock per row written (at 2 M
 * inventory lines, 8,000 remediations and exposures, they were 1.4 s of the 1.8 s it took to write
 * the remediations, and 0.6 s of the exposures), and the one statement that writes both
 * (repo.insertMatches: an INSERT … SELECT from cyber_assets, then from the rows it wrote, for an
 * advisory inserted just before in its transaction) proves them. What the foreign keys also did is
 * kept by migration cyber_matching_set_based_rls: deleting assets (a member's own, or all of a
 * member's through the organisations → cyber_assets cascade) deletes their remediations, deleting an
 * advisory or an organisation its exposures and remediations (statement triggers); and a deletion of
 * assets waits for a matching in progress (an advisory lock both take: repo.lockMatching), so that
 * no remediation is written for an asset deleted meanwhile.
 */
export const cyberRemediations = pgTable(
  'cyber_remediations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id').notNull(),
    advisoryId: uuid('advisory_id').notNull(),
    assetId: uuid('asset_id').notNull(),
    matchedOn: text('matched_on').notNull(),
    state: text('state', { enum: REMEDIATION_STATES }).notNull().default('to_do'),
    reason: text('reason'),
    dueOn: date('due_on').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cyber_remediations_advisory_asset_key').on(t.advisoryId, t.assetId),
    index('cyber_remediations_member_idx').on(t.memberId, t.advisoryId),
    index('cyber_remediations_asset_idx').on(t.assetId),
    check('cyber_remediations_state_check', inList('state', REMEDIATION_STATES)),
  ],
);

/** Incidents, with the NIS 2 deadlines computed at declaration (null when out of scope). */
export const cyberIncidents = pgTable(
  'cyber_incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    category: text('category', { enum: INCIDENT_CATEGORIES }).notNull(),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull().default('open'),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull(),
    personalData: boolean('personal_data').notNull(),
    nis2: boolean('nis2').notNull(),
    description: text('description'),
    servicesAffected: text('services_affected').array().notNull().default(sql`'{}'::text[]`),
    earlyWarningDue: timestamp('early_warning_due', { withTimezone: true }),
    notificationDue: timestamp('notification_due', { withTimezone: true }),
    finalReportDue: timestamp('final_report_due', { withTimezone: true }),
    earlyWarningSentAt: timestamp('early_warning_sent_at', { withTimezone: true }),
    notificationSentAt: timestamp('notification_sent_at', { withTimezone: true }),
    finalReportSentAt: timestamp('final_report_sent_at', { withTimezone: true }),
    policeComplaintAt: timestamp('police_complaint_at', { withTimezone: true }),
    insurerDeclaredAt: timestamp('insurer_declared_at', { withTimezone: true }),
    /** Reminders already sent (`<clock>:<lead|due>`), so that a job run twice mails once. */
    remindersSent: text('reminders_sent').array().notNull().default(sql`'{}'::text[]`),
    breachId: uuid('breach_id').references(() => rgpdBreaches.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cyber_incidents_member_idx').on(t.memberId, t.detectedAt, t.id),
    index('cyber_incidents_open_idx').on(t.status, t.detectedAt).where(sql`status <> 'closed'`),
    index('cyber_incidents_breach_idx').on(t.breachId),
    check('cyber_incidents_category_check', inList('category', INCIDENT_CATEGORIES)),
    check('cyber_incidents_status_check', inList('status', INCIDENT_STATUSES)),
  ],
);

export const cyberIncidentEvents = pgTable(
  'cyber_incident_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => cyberIncidents.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    text: text('text').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('cyber_incident_events_incident_idx').on(t.incidentId, t.at)],
);
