import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  INCIDENT_PHASES,
  INCIDENT_STATES,
  LICENCE_SOURCES,
  MONITOR_KINDS,
  QUALIFICATIONS,
  SEAT_REQUEST_STATUSES,
} from '../../../contracts/hosting.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { rgpdProcessors } from '../rgpd/rgpd.schema.js';
import { subscriptions } from '../subscriptions/subscriptions.schema.js';

/**
 * An instance serving a member's subscription to a hosted service: where it runs, who runs it, its
 * backups and targets. Member-owned (RLS).
 */
export const hostingInstances = pgTable(
  'hosting_instances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    url: text('url'),
    software: text('software').notNull(),
    softwareVersion: text('software_version').notNull(),
    datacentre: text('datacentre').notNull(),
    region: text('region').notNull(),
    provider: text('provider').notNull(),
    qualification: text('qualification', { enum: QUALIFICATIONS }).notNull().default('none'),
    plan: text('plan').notNull().default(''),
    backupSchedule: text('backup_schedule').notNull().default(''),
    backupRetentionDays: integer('backup_retention_days').notNull().default(30),
    restoreTestEveryDays: integer('restore_test_every_days').notNull().default(180),
    lastBackupAt: timestamp('last_backup_at', { withTimezone: true }),
    rtoMinutes: integer('rto_minutes').notNull(),
    rpoMinutes: integer('rpo_minutes').notNull(),
    processorId: uuid('processor_id').references(() => rgpdProcessors.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('hosting_instances_member_name_key').on(t.memberId, t.name),
    index('hosting_instances_service_idx').on(t.serviceId),
    index('hosting_instances_subscription_idx').on(t.subscriptionId),
    check('hosting_instances_qualification_check', inList('qualification', QUALIFICATIONS)),
    check('hosting_instances_targets_check', sql`rto_minutes >= 0 AND rpo_minutes >= 0`),
  ],
);

/** Restore tests of an instance's backups: measured RTO (duration) and RPO (data age). */
export const hostingRestoreTests = pgTable(
  'hosting_restore_tests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => hostingInstances.id, { onDelete: 'cascade' }),
    testedAt: timestamp('tested_at', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    dataAgeMinutes: integer('data_age_minutes').notNull(),
    succeeded: boolean('succeeded').notNull().default(true),
    note: text('note').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('hosting_restore_tests_instance_idx').on(t.memberId, t.instanceId, t.testedAt)],
);

/**
 * Backup runs of an instance as the team records them (success or failure, size, duration); the
 * latest success is also kept on the instance (`last_backup_at`). Member-owned (RLS).
 */
export const hostingBackups = pgTable(
  'hosting_backups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => hostingInstances.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    succeeded: boolean('succeeded').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    durationMinutes: integer('duration_minutes'),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('hosting_backups_instance_idx').on(t.memberId, t.instanceId, t.at),
    check(
      'hosting_backups_measures_check',
      sql`(size_bytes IS NULL OR size_bytes >= 0) AND (duration_minutes IS NULL OR duration_minutes >= 0)`,
    ),
  ],
);

/** A status incident: declared by the hosting team or opened by a monitor. Public. */
export const hostingIncidents = pgTable(
  'hosting_incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    state: text('state', { enum: INCIDENT_STATES }).notNull(),
    phase: text('phase', { enum: INCIDENT_PHASES }).notNull().default('investigating'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    monitorId: uuid('monitor_id'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('hosting_incidents_open_idx').on(t.startedAt).where(sql`resolved_at IS NULL`),
    index('hosting_incidents_started_idx').on(t.startedAt),
    /** The status page's incidents resolved within its window (the open ones use the index above). */
    index('hosting_incidents_resolved_idx').on(t.resolvedAt).where(sql`resolved_at IS NOT NULL`),
    check('hosting_incidents_state_check', inList('state', INCIDENT_STATES)),
    check('hosting_incidents_phase_check', inList('phase', INCIDENT_PHASES)),
    check('hosting_incidents_dates_check', sql`resolved_at IS NULL OR resolved_at >= started_at`),
  ],
);

export const hostingIncidentServices = pgTable(
  'hosting_incident_services',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => hostingIncidents.id, { onDelete: 'cascade' }),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.incidentId, t.serviceId] }),
    index('hosting_incident_services_service_idx').on(t.serviceId),
  ],
);

/** The timeline of an incident, the first entry written with it. */
export const hostingIncidentUpdates = pgTable(
  'hosting_incident_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => hostingIncidents.id, { onDelete: 'cascade' }),
    phase: text('phase', { enum: INCIDENT_PHASES }).notNull(),
    state: text('state', { enum: INCIDENT_STATES }).notNull(),
    message: text('message').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** When the subscribers of the services were mailed (the job's mark: once). */
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('hosting_incident_updates_incident_idx').on(t.incidentId, t.at),
    check('hosting_incident_updates_phase_check', inList('phase', INCIDENT_PHASES)),
    check('hosting_incident_updates_state_check', inList('state', INCIDENT_STATES)),
  ],
);

/**
 * The status page's history, kept as incidents are resolved: for each service and Paris day that a
 * resolved incident touched, the worst state of that day (its rank in SERVICE_STATES, 1-based as
 * PostgreSQL's array_position). Written only by the triggers of the
 * hosting_service_days_rls migration; open incidents and
 * maintenance are added when the page is read. Public.
 */
export const hostingServiceDays = pgTable(
  'hosting_service_days',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    rank: smallint('rank').notNull(),
  },
  (t) => [primaryKey({ columns: [t.serviceId, t.day] })],
);

/**
 * The public status answer kept as a row (one: the answer has no variants): the JSON text
 * `socle_public_status` builds and its ETag, rebuilt by the triggers of the hosting_status_answer_rls
 * migration in the transaction of every write to what it shows, and by the `hosting.status.rebuild` job
 * at Paris midnight and at the next instant the answer changes with time alone (a maintenance starting
 * or ending, an incident leaving the 14- or 90-day window). Valid for `built_at <= t < valid_until`;
 * outside that the route builds the answer live. Public.
 */
export const hostingStatusAnswer = pgTable(
  'hosting_status_answer',
  {
    id: boolean('id').primaryKey().default(true),
    body: text('body').notNull(),
    etag: text('etag').notNull(),
    builtAt: timestamp('built_at', { withTimezone: true }).notNull(),
    validUntil: timestamp('valid_until', { withTimezone: true }).notNull(),
  },
  () => [check('hosting_status_answer_one_row', sql`id`)],
);

/** Planned maintenance, announced at least the configured notice ahead. Public. */
export const hostingMaintenances = pgTable(
  'hosting_maintenances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    message: text('message').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('hosting_maintenances_ends_idx').on(t.endsAt),
    check('hosting_maintenances_dates_check', sql`ends_at > starts_at`),
  ],
);

export const hostingMaintenanceServices = pgTable(
  'hosting_maintenance_services',
  {
    maintenanceId: uuid('maintenance_id')
      .notNull()
      .references(() => hostingMaintenances.id, { onDelete: 'cascade' }),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.maintenanceId, t.serviceId] }),
    index('hosting_maintenance_services_service_idx').on(t.serviceId),
  ],
);

/** A probe of a service, run by the job queue every `interval_seconds`. Operator-only. */
export const hostingMonitors = pgTable(
  'hosting_monitors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: MONITOR_KINDS }).notNull(),
    target: text('target').notNull(),
    keyword: text('keyword'),
    intervalSeconds: integer('interval_seconds').notNull(),
    failuresBeforeIncident: integer('failures_before_incident').notNull(),
    tlsWarningDays: integer('tls_warning_days').notNull().default(14),
    active: boolean('active').notNull().default(true),
    nextCheckAt: timestamp('next_check_at', { withTimezone: true }).notNull(),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    /** When the current run of failures began (the incident starts there). */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    lastCheckAt: timestamp('last_check_at', { withTimezone: true }),
    lastOk: boolean('last_ok'),
    lastMessage: text('last_message'),
    lastResponseMs: integer('last_response_ms'),
    openIncidentId: uuid('open_incident_id').references(() => hostingIncidents.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('hosting_monitors_due_idx').on(t.nextCheckAt).where(sql`active`),
    index('hosting_monitors_service_idx').on(t.serviceId),
    check('hosting_monitors_kind_check', inList('kind', MONITOR_KINDS)),
    check('hosting_monitors_interval_check', sql`interval_seconds >= 60`),
    check('hosting_monitors_failures_check', sql`failures_before_incident >= 1`),
  ],
);

/**
 * Checks of a monitor. One row per check for 30 days; older ones are folded into one row per monitor
 * and hour (`samples` checks, `failures` of them failed, mean response time).
 */
export const hostingChecks = pgTable(
  'hosting_checks',
  {
    monitorId: uuid('monitor_id')
      .notNull()
      .references(() => hostingMonitors.id, { onDelete: 'cascade' }),
    /** The instant the check was due: a job run twice writes one row. */
    at: timestamp('at', { withTimezone: true }).notNull(),
    ok: boolean('ok').notNull(),
    responseMs: integer('response_ms'),
    message: text('message'),
    samples: integer('samples').notNull().default(1),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.monitorId, t.at] }),
    index('hosting_checks_at_idx').on(t.at).where(sql`samples = 1`),
  ],
);

/** The continuity plan of a hosted service, read by its subscribers. */
export const hostingContinuityPlans = pgTable(
  'hosting_continuity_plans',
  {
    serviceId: uuid('service_id')
      .primaryKey()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    rtoMinutes: integer('rto_minutes').notNull(),
    rpoMinutes: integer('rpo_minutes').notNull(),
    /** The procedures (failover, restoration, communication), as the team writes them. */
    procedures: text('procedures').notNull(),
    lastExerciseOn: date('last_exercise_on'),
    lastExerciseSummary: text('last_exercise_summary').notNull().default(''),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    check('hosting_continuity_plans_targets_check', sql`${t.rtoMinutes} >= 0 AND ${t.rpoMinutes} >= 0`),
  ],
);

/**
 * The procedures of a service's continuity plan as documents (PDF, ODT, DOCX): the file in object
 * storage under `hosting/continuity/<serviceId>/<id>`, read by those who read the plan (RLS as the plan's).
 */
export const hostingContinuityDocuments = pgTable(
  'hosting_continuity_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => hostingContinuityPlans.serviceId, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('hosting_continuity_documents_service_idx').on(t.serviceId, t.uploadedAt),
    uniqueIndex('hosting_continuity_documents_storage_key').on(t.storageKey),
  ],
);

/**
 * Seats (or units) a member uses of a per-unit hosted service, declared by the member or imported from
 * the software's own export; the seats allowed are the subscription's declared units. Member-owned.
 */
export const hostingLicenceUsage = pgTable(
  'hosting_licence_usage',
  {
    subscriptionId: uuid('subscription_id')
      .primaryKey()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    seatsUsed: integer('seats_used').notNull(),
    source: text('source', { enum: LICENCE_SOURCES }).notNull().default('declared'),
    /**
     * The highest alert threshold (LICENCE_ALERT_THRESHOLDS, % of the seats allowed) the member's
     * admins were mailed about; lowered when usage falls back, so that crossing again tells again.
     */
    alertedPercent: integer('alerted_percent').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('hosting_licence_usage_member_idx').on(t.memberId),
    check('hosting_licence_usage_seats_check', sql`${t.seatsUsed} >= 0`),
    check('hosting_licence_usage_source_check', inList('source', LICENCE_SOURCES)),
  ],
);

/**
 * A member's request for more seats of a per-unit hosted service (issue 15 §5): pending until the
 * hosting team approves it (the subscription's units grow by `additional`, in its history) or refuses
 * it. One pending request per subscription. Member-owned (RLS): its admins ask, only the operator decides.
 */
export const hostingSeatRequests = pgTable(
  'hosting_seat_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    additional: integer('additional').notNull(),
    /** The subscription's units when asked (the approval adds to the units of that day). */
    unitsBefore: integer('units_before').notNull(),
    status: text('status', { enum: SEAT_REQUEST_STATUSES }).notNull().default('pending'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    /** The team's word to the member (the reason of a refusal). */
    decisionNote: text('decision_note'),
    /** When the hosting team was mailed of the request (the notify job's mark: mailed once). */
    teamNotifiedAt: timestamp('team_notified_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('hosting_seat_requests_pending_key').on(t.subscriptionId).where(sql`status = 'pending'`),
    index('hosting_seat_requests_member_idx').on(t.memberId, t.requestedAt),
    index('hosting_seat_requests_status_idx').on(t.status, t.requestedAt),
    check('hosting_seat_requests_additional_check', sql`${t.additional} > 0`),
    check('hosting_seat_requests_status_check', inList('status', SEAT_REQUEST_STATUSES)),
  ],
);
