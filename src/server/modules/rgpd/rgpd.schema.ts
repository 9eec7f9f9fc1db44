import { sql } from 'drizzle-orm';
import {
  bigint,
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
import { MEMBER_KINDS } from '../../../contracts/members.js';
import {
  type DataSubject,
  DPIA_CRITERIA,
  DPIA_STATUSES,
  LEGAL_BASES,
  PROCESSING_STATUSES,
  type Recipient,
  type Retention,
  type SecurityMeasures,
  type TemplateFields,
  type Transfer,
} from '../../../contracts/rgpd.js';
import {
  BREACH_NATURES,
  BREACH_RISK_LEVELS,
  RIGHTS_REQUEST_STATUSES,
  RIGHTS_REQUEST_TYPES,
} from '../../../contracts/rgpd-cases.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';

const subsetOf = (column: string, values: readonly string[]) =>
  sql.raw(`${column} <@ ARRAY[${values.map((v) => `'${v}'`).join(', ')}]::text[]`);

const memberIdColumn = () =>
  uuid('member_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' });

/** Operator reference: the DPO team's library of processing templates. */
export const rgpdTemplates = pgTable(
  'rgpd_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    version: integer('version').notNull().default(1),
    /** The processing field set (TemplateFields in contracts/rgpd.ts). */
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull(),
    /** Organisation kinds the template suits (commune, epci, ccas…); empty = any. */
    applicableKinds: text('applicable_kinds', { enum: MEMBER_KINDS })
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('rgpd_templates_code_key').on(t.code),
    index('rgpd_templates_name_idx').on(t.name, t.id),
    check('rgpd_templates_version_check', sql`version >= 1`),
  ],
);

/** Every published state of a template: the base of the three-way merge offered to linked processings. */
export const rgpdTemplateVersions = pgTable(
  'rgpd_template_versions',
  {
    templateId: uuid('template_id')
      .notNull()
      .references(() => rgpdTemplates.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').$type<TemplateFields>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.templateId, t.version] })],
);

/** Operator reference: shared directory of processors (sous-traitants). */
export const rgpdProcessors = pgTable(
  'rgpd_processors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    siren: text('siren'),
    contractClausesChecked: boolean('contract_clauses_checked').notNull().default(false),
    ownRegistry: boolean('own_registry').notNull().default(false),
    dpoContact: text('dpo_contact'),
    transfersOutsideEu: boolean('transfers_outside_eu').notNull().default(false),
    transferDetails: text('transfer_details'),
    /** The operator itself, processor of the services it hosts. */
    isOperator: boolean('is_operator').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('rgpd_processors_name_idx').on(t.name, t.id),
    check('rgpd_processors_siren_format', sql`siren IS NULL OR siren ~ '^[0-9]{9}$'`),
  ],
);

/** Registry of processing activities (GDPR Art. 30), one row per processing of a member. */
export const rgpdProcessings = pgTable(
  'rgpd_processings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: memberIdColumn(),
    templateId: uuid('template_id').references(() => rgpdTemplates.id, { onDelete: 'set null' }),
    /** The template version this processing is aligned with (accepted or dismissed up to). */
    templateVersion: integer('template_version'),
    name: text('name').notNull(),
    purposes: text('purposes').notNull().default(''),
    legalBasis: text('legal_basis', { enum: LEGAL_BASES }),
    legalBasisJustification: text('legal_basis_justification'),
    sensitiveData: boolean('sensitive_data').notNull().default(false),
    sensitiveException: text('sensitive_exception'),
    dataSubjects: jsonb('data_subjects').$type<DataSubject[]>().notNull().default(sql`'[]'::jsonb`),
    dataCategories: text('data_categories').array().notNull().default(sql`'{}'::text[]`),
    sources: text('sources'),
    collectionMethod: text('collection_method'),
    recipients: jsonb('recipients').$type<Recipient[]>().notNull().default(sql`'[]'::jsonb`),
    transfers: jsonb('transfers').$type<Transfer[]>().notNull().default(sql`'[]'::jsonb`),
    retention: jsonb('retention').$type<Retention[]>().notNull().default(sql`'[]'::jsonb`),
    securityMeasures: jsonb('security_measures')
      .$type<SecurityMeasures>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    software: text('software'),
    department: text('department'),
    status: text('status', { enum: PROCESSING_STATUSES }).notNull().default('draft'),
    lastReviewOn: date('last_review_on'),
    nextReviewOn: date('next_review_on'),
    dpiaCriteria: text('dpia_criteria', { enum: DPIA_CRITERIA }).array().notNull().default(sql`'{}'::text[]`),
    dpiaStatus: text('dpia_status', { enum: DPIA_STATUSES }).notNull().default('not_started'),
    dpiaNotRequiredReason: text('dpia_not_required_reason'),
    isPublic: boolean('is_public').notNull().default(false),
    /** 0–100, recomputed on every write so dashboards never recompute it. */
    completion: integer('completion').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('rgpd_processings_member_idx').on(t.memberId, t.name, t.id),
    index('rgpd_processings_review_idx').on(t.nextReviewOn),
    // DPO dashboard and reminders: processings due for review per member, read from the index alone.
    index('rgpd_processings_review_member_idx').on(t.nextReviewOn, t.memberId),
    index('rgpd_processings_template_idx').on(t.templateId, t.templateVersion),
    // A member holds a template once: mass application skips members that already have it.
    uniqueIndex('rgpd_processings_member_template_key')
      .on(t.memberId, t.templateId)
      .where(sql`template_id IS NOT NULL`),
    check(
      'rgpd_processings_legal_basis_check',
      sql`legal_basis IS NULL OR ${inList('legal_basis', LEGAL_BASES)}`,
    ),
    check('rgpd_processings_status_check', inList('status', PROCESSING_STATUSES)),
    check('rgpd_processings_dpia_status_check', inList('dpia_status', DPIA_STATUSES)),
    check('rgpd_processings_dpia_criteria_check', subsetOf('dpia_criteria', DPIA_CRITERIA)),
    check('rgpd_processings_completion_check', sql`completion BETWEEN 0 AND 100`),
    check('rgpd_processings_version_check', sql`version >= 1`),
  ],
);

/** Who changed what and when: one row per version of a processing, with the full snapshot and the diff. */
export const rgpdProcessingVersions = pgTable(
  'rgpd_processing_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: memberIdColumn(),
    processingId: uuid('processing_id')
      .notNull()
      .references(() => rgpdProcessings.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    /** [{field, before, after}] */
    changes: jsonb('changes').$type<{ field: string; before: unknown; after: unknown }[]>().notNull(),
  },
  (t) => [
    uniqueIndex('rgpd_processing_versions_key').on(t.memberId, t.processingId, t.version),
    index('rgpd_processing_versions_processing_idx').on(t.processingId, t.version),
  ],
);

export const rgpdProcessingProcessors = pgTable(
  'rgpd_processing_processors',
  {
    memberId: memberIdColumn(),
    processingId: uuid('processing_id')
      .notNull()
      .references(() => rgpdProcessings.id, { onDelete: 'cascade' }),
    processorId: uuid('processor_id')
      .notNull()
      .references(() => rgpdProcessors.id, { onDelete: 'restrict' }),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.processingId, t.processorId] }),
    index('rgpd_processing_processors_processor_idx').on(t.processorId),
  ],
);

/** The DPO designation filed with the CNIL for a member. */
export const rgpdDesignations = pgTable('rgpd_designations', {
  memberId: uuid('member_id')
    .primaryKey()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  cnilNumber: text('cnil_number'),
  designatedOn: date('designated_on'),
  dpoName: text('dpo_name'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Member users given the `rgpd` role: they edit their member's registry without being its admin. */
export const rgpdEditors = pgTable(
  'rgpd_editors',
  {
    memberId: memberIdColumn(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.userId] }), index('rgpd_editors_user_idx').on(t.userId)],
);

/**
 * What a member's user wrote to the mutualised DPO (an empty registry, a question): mailed to the DPO
 * team and kept here as a task on the DPO's dashboard until someone of the team closes it.
 */
export const rgpdDpoRequests = pgTable(
  'rgpd_dpo_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: memberIdColumn(),
    message: text('message').notNull(),
    requestedByUserId: uuid('requested_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** « Name (e-mail) » as the DPO team reads it, kept if the account goes. */
    requester: text('requester').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedByUserId: uuid('closed_by_user_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('rgpd_dpo_requests_member_idx').on(t.memberId, t.createdAt, t.id),
    index('rgpd_dpo_requests_open_idx').on(t.createdAt, t.id).where(sql`closed_at IS NULL`),
    check('rgpd_dpo_requests_message_check', sql`length(message) BETWEEN 1 AND 5000`),
  ],
);

export const rgpdRightsRequests = pgTable(
  'rgpd_rights_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: memberIdColumn(),
    type: text('type', { enum: RIGHTS_REQUEST_TYPES }).notNull(),
    requesterName: text('requester_name').notNull(),
    identityChecked: boolean('identity_checked').notNull().default(false),
    receivedOn: date('received_on').notNull(),
    dueOn: date('due_on').notNull(),
    extendedUntil: date('extended_until'),
    extensionReason: text('extension_reason'),
    status: text('status', { enum: RIGHTS_REQUEST_STATUSES }).notNull().default('received'),
    answer: text('answer'),
    answeredOn: date('answered_on'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('rgpd_rights_requests_member_idx').on(t.memberId, t.receivedOn, t.id),
    index('rgpd_rights_requests_due_idx').on(t.status, t.dueOn),
    // Open requests by (extended) due date, across members: the dashboard list and the reminders.
    index('rgpd_rights_requests_open_due_idx')
      .on(sql`COALESCE(extended_until, due_on)`, t.id)
      .where(sql`status IN ('received', 'in_progress')`),
    // A member's open requests: the dashboard filtered by département or kind, the summary triggers.
    index('rgpd_rights_requests_open_member_idx')
      .on(t.memberId)
      .where(sql`status IN ('received', 'in_progress')`),
    check('rgpd_rights_requests_type_check', inList('type', RIGHTS_REQUEST_TYPES)),
    check('rgpd_rights_requests_status_check', inList('status', RIGHTS_REQUEST_STATUSES)),
  ],
);

export const rgpdBreaches = pgTable(
  'rgpd_breaches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: memberIdColumn(),
    awareAt: timestamp('aware_at', { withTimezone: true }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    nature: text('nature', { enum: BREACH_NATURES }).array().notNull().default(sql`'{}'::text[]`),
    dataDescription: text('data_description'),
    peopleCount: integer('people_count'),
    recordsCount: integer('records_count'),
    consequences: text('consequences'),
    measures: text('measures'),
    riskLevel: text('risk_level', { enum: BREACH_RISK_LEVELS }).notNull().default('low'),
    cnilNotificationRequired: boolean('cnil_notification_required').notNull().default(false),
    notificationReason: text('notification_reason'),
    /** aware_at + 72 h, stored so dashboards sort and filter on it. */
    notificationDeadline: timestamp('notification_deadline', { withTimezone: true }).notNull(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    cnilReference: text('cnil_reference'),
    lateReasons: text('late_reasons'),
    peopleInformedAt: timestamp('people_informed_at', { withTimezone: true }),
    peopleInformation: text('people_information'),
    /**
     * When the register's entry was qualified (nature, risk, notification): at once for a breach the
     * DPO or the member's referent records; null for one a member's user reported in words, until
     * someone who writes the register edits it (« à qualifier » until then).
     */
    qualifiedAt: timestamp('qualified_at', { withTimezone: true }).defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Reported breaches still to qualify, oldest first: the DPO's to-do list.
    index('rgpd_breaches_to_qualify_idx').on(t.createdAt, t.id).where(sql`qualified_at IS NULL`),
    index('rgpd_breaches_member_idx').on(t.memberId, t.awareAt, t.id),
    index('rgpd_breaches_deadline_idx').on(t.notificationDeadline),
    // Breaches still owed a notification to the CNIL: the dashboard's 72 h window and the reminders.
    index('rgpd_breaches_owed_idx')
      .on(t.notificationDeadline, t.memberId)
      .where(sql`notified_at IS NULL AND cnil_notification_required`),
    check('rgpd_breaches_nature_check', subsetOf('nature', BREACH_NATURES)),
    check('rgpd_breaches_risk_level_check', inList('risk_level', BREACH_RISK_LEVELS)),
    check(
      'rgpd_breaches_counts_check',
      sql`(people_count IS NULL OR people_count >= 0) AND (records_count IS NULL OR records_count >= 0)`,
    ),
  ],
);

/** Reminders already mailed, so the daily job never mails twice. */
export const rgpdRemindersSent = pgTable(
  'rgpd_reminders_sent',
  {
    memberId: memberIdColumn(),
    kind: text('kind').notNull(),
    targetId: uuid('target_id').notNull(),
    sentOn: date('sent_on').notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.kind, t.targetId, t.sentOn] })],
);

/**
 * Per-member totals of the registry, kept by statement-level triggers on rgpd_processings (custom
 * migration): the DPO dashboard reads 50,000 rows instead of aggregating 2.5 million processings.
 * Reviews due depend on the date: they are stored for one day at a time (see reviewDueOn).
 */
/**
 * One row per member organisation (the operator excepted): everything the DPO dashboard lists, sorts
 * and filters on, kept by triggers (migrations 0015, 0018, 0023) so that a dashboard page is an index
 * walk over this table and its totals a sum over it, whatever the number of processings.
 */
/**
 * A followed member summary with any registry or request count above 0, on the summaries under `alias`: the rows the
 * dashboard's sums read (the partial index rgpd_member_summaries_active_idx is built with it, and the
 * repository queries with it, so that the planner matches the index's predicate).
 */
export const summaryActive = (alias?: string): string => {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  const counts = [
    'processings',
    'completion_sum',
    'dpia_to_do',
    'review_due',
    'overdue_requests',
    'open_requests',
  ];
  return `${c('followed')} AND (${counts.map((n) => `${c(n)} > 0`).join(' OR ')})`;
};

export const rgpdMemberSummaries = pgTable(
  'rgpd_member_summaries',
  {
    memberId: uuid('member_id')
      .primaryKey()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** Copies of the organisation's kind, département and sort name (trigger on organisations). */
    kind: text('kind', { enum: MEMBER_KINDS }).notNull(),
    departementCode: text('departement_code'),
    searchName: text('search_name').notNull(),
    /** Accepted, member or leaving: the organisations the DPO team follows. */
    followed: boolean('followed').notNull().default(false),
    processings: integer('processings').notNull().default(0),
    completionSum: integer('completion_sum').notNull().default(0),
    /** Registry completion (rounded mean) or -1 without a registry: the completion sort key. */
    completionKey: integer('completion_key')
      .notNull()
      .generatedAlwaysAs(
        sql`CASE WHEN processings > 0 THEN round(completion_sum::numeric / processings)::integer ELSE -1 END`,
      ),
    /** Processings meeting 2 EDPB criteria or more whose DPIA is neither done nor ruled out. */
    dpiaToDo: integer('dpia_to_do').notNull().default(0),
    /**
     * Processings whose next review is on or before `review_due_on` (a Paris date), and open rights
     * requests due before it. The triggers keep both exact for that date; the daily job moves them to
     * the new day; until it has, the dashboard adds what changed between that date and today.
     */
    reviewDue: integer('review_due').notNull().default(0),
    overdueRequests: integer('overdue_requests').notNull().default(0),
    reviewDueOn: date('review_due_on').notNull(),
    /** Rights requests received or in progress, and the earliest (extended) due date among them. */
    openRequests: integer('open_requests').notNull().default(0),
    nextDueOn: date('next_due_on'),
    nextDueKey: date('next_due_key')
      .notNull()
      .generatedAlwaysAs(sql`COALESCE(next_due_on, '9999-12-31'::date)`),
    /** Contacts with the référent RGPD role. */
    referents: integer('referents').notNull().default(0),
  },
  (t) => [
    check(
      'rgpd_member_summaries_counts_check',
      sql`processings >= 0 AND completion_sum >= 0 AND dpia_to_do >= 0 AND review_due >= 0 AND overdue_requests >= 0 AND open_requests >= 0 AND referents >= 0`,
    ),
    // One index per dashboard sort (keyset on (key, member_id), read forwards or backwards), the
    // filters, and the « without référent » list; only followed organisations are indexed.
    index('rgpd_member_summaries_name_idx').on(t.searchName, t.memberId).where(sql`followed`),
    index('rgpd_member_summaries_completion_idx').on(t.completionKey, t.memberId).where(sql`followed`),
    index('rgpd_member_summaries_review_idx').on(t.reviewDue, t.memberId).where(sql`followed`),
    index('rgpd_member_summaries_dpia_idx').on(t.dpiaToDo, t.memberId).where(sql`followed`),
    index('rgpd_member_summaries_open_idx').on(t.openRequests, t.memberId).where(sql`followed`),
    index('rgpd_member_summaries_next_due_idx').on(t.nextDueKey, t.memberId).where(sql`followed`),
    index('rgpd_member_summaries_kind_idx').on(t.kind, t.searchName, t.memberId).where(sql`followed`),
    index('rgpd_member_summaries_departement_idx')
      .on(t.departementCode, t.searchName, t.memberId)
      .where(sql`followed`),
    index('rgpd_member_summaries_no_referent_idx')
      .on(t.searchName, t.memberId)
      .where(sql`followed AND referents = 0`),
    index('rgpd_member_summaries_counts_on_idx').on(t.reviewDueOn),
    // The dashboard's totals (repository: totalsSelect): the followed members (and those without a
    // référent) counted through a narrow index, and the registry and request counts summed over the
    // members that have any (every count is >= 0, so the others add nothing) through an index that
    // carries them: index-only scans, no heap row read per member.
    index('rgpd_member_summaries_scope_idx')
      .on(t.departementCode, t.kind, t.memberId, t.referents)
      .where(sql`followed`),
    index('rgpd_member_summaries_active_idx')
      .on(
        t.departementCode,
        t.kind,
        t.memberId,
        t.processings,
        t.completionSum,
        t.reviewDue,
        t.dpiaToDo,
        t.openRequests,
        t.overdueRequests,
      )
      .where(sql.raw(summaryActive())),
  ],
);

/**
 * The DPO dashboard's totals per (département, kind) of the followed member summaries, so that the
 * totals read a few hundred rows instead of one index entry per member (issue #17). Insert-only: a
 * statement-level trigger on rgpd_member_summaries appends one row of differences per bucket a
 * statement changed (no lock taken, no row contended), and the daily job folds the rows into one per
 * bucket (`rgpd_dashboard_counts_compact()`). The totals are the sums over the rows of the buckets in
 * scope. Written only by those two SECURITY DEFINER functions; read by the operator (migration).
 */
export const rgpdDashboardCounts = pgTable(
  'rgpd_dashboard_counts',
  {
    departementCode: text('departement_code'),
    kind: text('kind').notNull(),
    /** Followed members, and those without a référent RGPD or with a registry. */
    members: bigint('members', { mode: 'number' }).notNull().default(0),
    withoutReferent: bigint('without_referent', { mode: 'number' }).notNull().default(0),
    withRegistry: bigint('with_registry', { mode: 'number' }).notNull().default(0),
    /** Sums of the summaries' counts of the same names. */
    processings: bigint('processings', { mode: 'number' }).notNull().default(0),
    completionSum: bigint('completion_sum', { mode: 'number' }).notNull().default(0),
    reviewDue: bigint('review_due', { mode: 'number' }).notNull().default(0),
    dpiaToDo: bigint('dpia_to_do', { mode: 'number' }).notNull().default(0),
    openRequests: bigint('open_requests', { mode: 'number' }).notNull().default(0),
    overdueRequests: bigint('overdue_requests', { mode: 'number' }).notNull().default(0),
  },
  (t) => [index('rgpd_dashboard_counts_bucket_idx').on(t.departementCode, t.kind)],
);

/** Operator reference: the templates a catalogue service implies (offered to its subscribers). */
export const rgpdServiceTemplates = pgTable(
  'rgpd_service_templates',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    templateId: uuid('template_id')
      .notNull()
      .references(() => rgpdTemplates.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.serviceId, t.templateId] }),
    index('rgpd_service_templates_template_idx').on(t.templateId),
  ],
);

/** Operator reference: the processors a catalogue service implies (the operator for hosted services). */
export const rgpdServiceProcessors = pgTable(
  'rgpd_service_processors',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    processorId: uuid('processor_id')
      .notNull()
      .references(() => rgpdProcessors.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.serviceId, t.processorId] }),
    index('rgpd_service_processors_processor_idx').on(t.processorId),
  ],
);
