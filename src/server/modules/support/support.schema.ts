import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  doublePrecision,
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
  ARTICLE_VISIBILITIES,
  LEVELS,
  REGISTRATION_STATUSES,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  TRAINING_AUDIENCES,
} from '../../../contracts/support.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { cyberIncidents } from '../cyber/cyber.schema.js';
import { hostingIncidents } from '../hosting/hosting.schema.js';

/**
 * The support desk (issue 14). Member-owned (RLS by member_id): tickets and their messages.
 * Operator-owned: the service levels per catalogue service and priority (read by every signed-in
 * person: a member sees the promise made to it).
 */

/** A pause of the SLA clock, stored as ISO instants (`to` null while still waiting). */
export interface StoredPause {
  from: string;
  to: string | null;
}

/** Business minutes to first response and to resolution, per catalogue service and priority. */
export const supportServiceLevels = pgTable(
  'support_service_levels',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    priority: text('priority', { enum: TICKET_PRIORITIES }).notNull().$type<TicketPriority>(),
    firstResponseMinutes: integer('first_response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.serviceId, t.priority] }),
    check('support_service_levels_priority_check', inList('priority', TICKET_PRIORITIES)),
    check(
      'support_service_levels_minutes_check',
      sql`${t.firstResponseMinutes} > 0 AND ${t.resolutionMinutes} >= ${t.firstResponseMinutes}`,
    ),
  ],
);

export const supportTickets = pgTable(
  'support_tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The reference people quote (« T-000123 »), unique across members. */
    number: integer('number').generatedAlwaysAsIdentity().notNull().unique(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    requesterId: uuid('requester_id').references(() => users.id, { onDelete: 'set null' }),
    subject: text('subject').notNull(),
    description: text('description').notNull(),
    serviceId: uuid('service_id').references(() => catalogueServices.id, { onDelete: 'set null' }),
    category: text('category', { enum: TICKET_CATEGORIES }).notNull(),
    urgency: text('urgency', { enum: LEVELS }),
    impact: text('impact', { enum: LEVELS }),
    priority: text('priority', { enum: TICKET_PRIORITIES }).notNull(),
    status: text('status', { enum: TICKET_STATUSES }).notNull().default('open'),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    /** Business-minute targets copied from the service level when the ticket was opened. */
    firstResponseMinutes: integer('first_response_minutes').notNull(),
    resolutionMinutes: integer('resolution_minutes').notNull(),
    /** Pauses of the clock (waiting for the member); due dates are recomputed when one ends. */
    pauses: jsonb('pauses').$type<StoredPause[]>().notNull().default(sql`'[]'::jsonb`),
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }),
    /**
     * The next deadline the queue sorts by: first response until there is one, then resolution; the
     * far future while the clock is stopped or the ticket resolved (never null, so keyset pages work).
     */
    nextDueAt: timestamp('next_due_at', { withTimezone: true }).notNull(),
    firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    resolution: text('resolution'),
    satisfaction: integer('satisfaction'),
    satisfactionComment: text('satisfaction_comment'),
    /** Warnings and escalations already sent (`<step>:<warn|due>@<due instant>`): a job run twice mails once. */
    alertsSent: text('alerts_sent').array().notNull().default(sql`'{}'::text[]`),
    /** A duplicate merged into another ticket of the same member: closed, its messages read from there. */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => supportTickets.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('support_tickets_member_idx').on(t.memberId, t.createdAt, t.id),
    index('support_tickets_requester_idx').on(t.memberId, t.requesterId, t.createdAt, t.id),
    // The operator's queue: active tickets by next deadline, whole or narrowed by one filter.
    index('support_tickets_queue_idx')
      .on(t.nextDueAt, t.id)
      .where(sql`status IN ('open', 'in_progress', 'waiting_member')`),
    index('support_tickets_queue_assignee_idx')
      .on(t.assigneeId, t.nextDueAt, t.id)
      .where(sql`status IN ('open', 'in_progress', 'waiting_member')`),
    index('support_tickets_queue_service_idx')
      .on(t.serviceId, t.nextDueAt, t.id)
      .where(sql`status IN ('open', 'in_progress', 'waiting_member')`),
    index('support_tickets_queue_priority_idx')
      .on(t.priority, t.nextDueAt, t.id)
      .where(sql`status IN ('open', 'in_progress', 'waiting_member')`),
    index('support_tickets_status_idx').on(t.status, t.createdAt, t.id),
    index('support_tickets_created_idx').on(t.createdAt, t.id),
    index('support_tickets_merged_idx').on(t.mergedIntoId).where(sql`merged_into_id IS NOT NULL`),
    check('support_tickets_category_check', inList('category', TICKET_CATEGORIES)),
    check('support_tickets_priority_check', inList('priority', TICKET_PRIORITIES)),
    check('support_tickets_status_check', inList('status', TICKET_STATUSES)),
    check('support_tickets_satisfaction_check', sql`${t.satisfaction} BETWEEN 1 AND 5`),
  ],
);

export const supportMessages = pgTable(
  'support_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => supportTickets.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    /** An internal note of the support team: never shown to the member (RLS hides it too). */
    internal: boolean('internal').notNull().default(false),
    fromOperator: boolean('from_operator').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('support_messages_ticket_idx').on(t.ticketId, t.createdAt),
    check('support_messages_internal_check', sql`NOT ${t.internal} OR ${t.fromOperator}`),
  ],
);

/**
 * The operator's training offer (issue 14, §3): public sessions (the calendar), capacity, a per-member
 * cap, a registration deadline (cancellations close then too).
 */
export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    description: text('description'),
    audience: text('audience', { enum: TRAINING_AUDIENCES }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    place: text('place').notNull(),
    departementCode: text('departement_code'),
    remote: boolean('remote').notNull().default(false),
    trainer: text('trainer'),
    capacity: integer('capacity').notNull(),
    perMemberCap: integer('per_member_cap'),
    registrationDeadline: timestamp('registration_deadline', { withTimezone: true }).notNull(),
    serviceId: uuid('service_id').references(() => catalogueServices.id, { onDelete: 'set null' }),
    /** When the support team last recorded who attended (null: not yet); see support.training.schema.ts. */
    attendanceRecordedAt: timestamp('attendance_recorded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('training_sessions_starts_idx').on(t.startsAt, t.id),
    check('training_sessions_audience_check', inList('audience', TRAINING_AUDIENCES)),
    check('training_sessions_capacity_check', sql`${t.capacity} > 0`),
    check('training_sessions_dates_check', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** A person a member registered to a session: confirmed, on the waiting list (in order), or cancelled. */
export const trainingRegistrations = pgTable(
  'training_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => trainingSessions.id, { onDelete: 'cascade' }),
    registeredBy: uuid('registered_by').references(() => users.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    status: text('status', { enum: REGISTRATION_STATUSES }).notNull(),
    attended: boolean('attended'),
    promotedAt: timestamp('promoted_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('training_registrations_session_idx').on(t.sessionId, t.status, t.createdAt),
    index('training_registrations_member_idx').on(t.memberId, t.sessionId),
    uniqueIndex('training_registrations_person_unique')
      .on(t.sessionId, t.email)
      .where(sql`status <> 'cancelled'`),
    check('training_registrations_status_check', inList('status', REGISTRATION_STATUSES)),
  ],
);

/** The knowledge base: articles per service (or general), public or for members' people only. */
export const supportArticles = pgTable(
  'support_articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    serviceId: uuid('service_id').references(() => catalogueServices.id, { onDelete: 'set null' }),
    visibility: text('visibility', { enum: ARTICLE_VISIBILITIES }).notNull(),
    /** searchKey(title + body): accents, case and punctuation ignored (contracts/search.ts). */
    searchKey: text('search_key').notNull(),
    helpfulYes: integer('helpful_yes').notNull().default(0),
    helpfulNo: integer('helpful_no').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('support_articles_title_idx').on(t.title, t.id),
    check('support_articles_visibility_check', inList('visibility', ARTICLE_VISIBILITIES)),
  ],
);

// Ticket attachments, merges and links (issue 14, desk) --------------------------------------------

/**
 * A file joined to a ticket (`messageId` null: with the ticket's description) or to one of its
 * messages, kept in object storage under `support/<memberId>/<ticketId>/<id>`. An internal note's
 * files are internal too: never shown to the member (RLS hides them as it hides the note).
 */
export const supportAttachments = pgTable(
  'support_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => supportTickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => supportMessages.id, { onDelete: 'cascade' }),
    internal: boolean('internal').notNull().default(false),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull().unique(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('support_attachments_ticket_idx').on(t.ticketId, t.createdAt)],
);

/**
 * A ticket linked by the support team to what caused it: a cyber incident of the same member, or an
 * incident of the hosting status page (public). Exactly one of the two is set.
 */
export const supportTicketLinks = pgTable(
  'support_ticket_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => supportTickets.id, { onDelete: 'cascade' }),
    cyberIncidentId: uuid('cyber_incident_id').references(() => cyberIncidents.id, { onDelete: 'cascade' }),
    hostingIncidentId: uuid('hosting_incident_id').references(() => hostingIncidents.id, {
      onDelete: 'cascade',
    }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('support_ticket_links_cyber_unique').on(t.ticketId, t.cyberIncidentId),
    uniqueIndex('support_ticket_links_hosting_unique').on(t.ticketId, t.hostingIncidentId),
    check(
      'support_ticket_links_target_check',
      sql`(${t.cyberIncidentId} IS NULL) <> (${t.hostingIncidentId} IS NULL)`,
    ),
  ],
);

// The yearly report's summary of closed months (support.report.ts) ---------------------------------

/**
 * A closed month (Paris time, `YYYY-MM`) whose figures are kept in support_report_figures, and when
 * they were computed. A month is read from there only while no support_report_dirty row names it.
 */
export const supportReportMonths = pgTable('support_report_months', {
  month: text('month').primaryKey(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
});

/**
 * A summarised month whose tickets changed since (a reply, a resolution, a satisfaction answer on a
 * ticket of that month, its member's département or kind): written by statement triggers (migration
 * support_report_summary_rls), removed by the refresh that took them into account.
 */
export const supportReportDirty = pgTable(
  'support_report_dirty',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    month: text('month').notNull(),
  },
  (t) => [index('support_report_dirty_month_idx').on(t.month)],
);

/**
 * One closed month's figures: per catalogue service (`part` 'service', exact), and per département
 * and member kind (`part` 'equity', exact for the month, plus the histograms of its response and
 * resolution times that a year's figures are merged from: bucket → tickets, see support.report.ts).
 */
export const supportReportFigures = pgTable(
  'support_report_figures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    month: text('month').notNull(),
    part: text('part', { enum: ['service', 'equity'] }).notNull(),
    serviceId: uuid('service_id'),
    departementCode: text('departement_code'),
    memberKind: text('member_kind'),
    opened: integer('opened').notNull(),
    responded: integer('responded').notNull(),
    respondedInTime: integer('responded_in_time').notNull(),
    resolved: integer('resolved').notNull(),
    resolvedInTime: integer('resolved_in_time').notNull(),
    responseMedian: doublePrecision('response_median'),
    responseP90: doublePrecision('response_p90'),
    resolutionMedian: doublePrecision('resolution_median'),
    resolutionP90: doublePrecision('resolution_p90'),
    satisfactionAverage: doublePrecision('satisfaction_average'),
    satisfactionSum: integer('satisfaction_sum').notNull(),
    satisfactionAnswers: integer('satisfaction_answers').notNull(),
    responseHistogram: jsonb('response_histogram').$type<Record<string, number>>(),
    resolutionHistogram: jsonb('resolution_histogram').$type<Record<string, number>>(),
  },
  (t) => [
    index('support_report_figures_month_idx').on(t.month, t.part),
    check('support_report_figures_part_check', sql`${t.part} IN ('service', 'equity')`),
  ],
);
