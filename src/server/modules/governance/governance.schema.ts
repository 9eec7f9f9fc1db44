import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
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
import {
  ASSEMBLY_KINDS,
  ATTENDANCE_STATUSES,
  BOUND_DECISION_KINDS,
  ITEM_STATUSES,
  SEAT_KINDS,
  SESSION_STATUSES,
  VOTE_CHOICES,
} from '../../../contracts/governance.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';
import { acts } from '../acts/acts.schema.js';
import { memberDocuments } from '../members/members.schema.js';

/**
 * Assemblies (issue 12). Every row belongs to the organisation holding the assembly (`member_id`:
 * the operator for its comité syndical and bureau, a member for its councils). RLS lets the operator,
 * the organisation's people, and the officials sitting in the assembly through (migration 0034).
 */
export const governanceAssemblies = pgTable(
  'governance_assemblies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ASSEMBLY_KINDS }).notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('governance_assemblies_member_name_key').on(t.memberId, t.name),
    check('governance_assemblies_kind_check', inList('kind', ASSEMBLY_KINDS)),
  ],
);

/** The statutes' colleges: a number of seats and the votes each delegate carries. */
export const governanceColleges = pgTable(
  'governance_colleges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    assemblyId: uuid('assembly_id')
      .notNull()
      .references(() => governanceAssemblies.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    seats: integer('seats').notNull(),
    voteWeight: integer('vote_weight').notNull().default(1),
  },
  (t) => [
    uniqueIndex('governance_colleges_assembly_name_key').on(t.memberId, t.assemblyId, t.name),
    check('governance_colleges_numbers', sql`seats > 0 AND vote_weight > 0`),
  ],
);

/** Who sits: titular or substitute, for a term, designated by an organisation, in a college. */
export const governanceSeats = pgTable(
  'governance_seats',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    assemblyId: uuid('assembly_id')
      .notNull()
      .references(() => governanceAssemblies.id, { onDelete: 'cascade' }),
    collegeId: uuid('college_id').references(() => governanceColleges.id, { onDelete: 'set null' }),
    kind: text('kind', { enum: SEAT_KINDS }).notNull(),
    fullName: text('full_name').notNull(),
    email: text('email'),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    designatedBy: uuid('designated_by').references(() => organisations.id, { onDelete: 'set null' }),
    substituteFor: uuid('substitute_for').references((): AnyPgColumn => governanceSeats.id, {
      onDelete: 'set null',
    }),
    isChair: boolean('is_chair').notNull().default(false),
    paperConvocation: boolean('paper_convocation').notNull().default(false),
    termStart: date('term_start').notNull(),
    termEnd: date('term_end'),
    designationDocumentId: uuid('designation_document_id').references(() => memberDocuments.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('governance_seats_assembly_idx').on(t.memberId, t.assemblyId, t.kind),
    index('governance_seats_user_idx').on(t.userId).where(sql`user_id IS NOT NULL`),
    index('governance_seats_designated_idx').on(t.designatedBy).where(sql`designated_by IS NOT NULL`),
    check('governance_seats_kind_check', inList('kind', SEAT_KINDS)),
    check('governance_seats_term', sql`term_end IS NULL OR term_end >= term_start`),
    check('governance_seats_substitute', sql`substitute_for IS NULL OR kind = 'substitute'`),
  ],
);

export const governanceSessions = pgTable(
  'governance_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    assemblyId: uuid('assembly_id')
      .notNull()
      .references(() => governanceAssemblies.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    place: text('place').notNull(),
    remote: boolean('remote').notNull().default(false),
    urgent: boolean('urgent').notNull().default(false),
    urgencyReason: text('urgency_reason'),
    /** The session without quorum this one convenes again (no quorum required). */
    secondConvocationOf: uuid('second_convocation_of').references((): AnyPgColumn => governanceSessions.id, {
      onDelete: 'set null',
    }),
    status: text('status', { enum: SESSION_STATUSES }).notNull().default('planned'),
    convocationDays: integer('convocation_days').notNull(),
    convocationDueBy: date('convocation_due_by').notNull(),
    convocationsSentAt: timestamp('convocations_sent_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Bumped by the triggers of migration 0041 whenever anything the session's page shows changes (the
     * session, its items and ballots, attendance, convocations, the assembly's seats): the page's ETag,
     * so that officials polling a sitting get « 304 Not Modified » for one indexed read.
     */
    revision: bigint('revision', { mode: 'number' }).notNull().default(0),
    /** When the secretary closed the sitting (status `closed`). */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** When the list of the session's deliberations was published (within a week of the sitting). */
    deliberationsPublishedAt: timestamp('deliberations_published_at', { withTimezone: true }),
    /** When its secretary was reminded to publish that list (once). */
    deliberationsRemindedAt: timestamp('deliberations_reminded_at', { withTimezone: true }),
  },
  (t) => [
    index('governance_sessions_assembly_idx').on(t.memberId, t.assemblyId, t.startsAt),
    check('governance_sessions_status_check', inList('status', SESSION_STATUSES)),
    check('governance_sessions_urgency', sql`NOT urgent OR char_length(coalesce(urgency_reason, '')) > 0`),
  ],
);

/** Agenda items, their vote and what adoption changes (a deliberation, a bound decision). */
export const governanceItems = pgTable(
  'governance_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => governanceSessions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    explanatoryNote: text('explanatory_note').notNull().default(''),
    classification: text('classification').notNull().default('5.2'),
    secretBallot: boolean('secret_ballot').notNull().default(false),
    namedVote: boolean('named_vote').notNull().default(false),
    status: text('status', { enum: ITEM_STATUSES }).notNull().default('pending'),
    decisionKind: text('decision_kind', { enum: BOUND_DECISION_KINDS }),
    decisionMemberId: uuid('decision_member_id').references(() => organisations.id, { onDelete: 'set null' }),
    decisionYear: integer('decision_year'),
    /** For `adopt_minutes`: the earlier session of the same assembly whose procès-verbal is adopted. */
    decisionSessionId: uuid('decision_session_id').references((): AnyPgColumn => governanceSessions.id, {
      onDelete: 'set null',
    }),
    /** Set once, in the transaction that adopts the item and carries the decision out. */
    decisionExecutedAt: timestamp('decision_executed_at', { withTimezone: true }),
    votesMembers: integer('votes_members'),
    votesPresent: integer('votes_present'),
    votesFor: integer('votes_for'),
    votesAgainst: integer('votes_against'),
    votesAbstention: integer('votes_abstention'),
    votesNotVoting: integer('votes_not_voting'),
    chairPrevailed: boolean('chair_prevailed').notNull().default(false),
    weighted: boolean('weighted').notNull().default(false),
    votedAt: timestamp('voted_at', { withTimezone: true }),
    actId: uuid('act_id').references(() => acts.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('governance_items_session_position_key').on(t.memberId, t.sessionId, t.position),
    index('governance_items_decision_idx').on(t.decisionMemberId).where(sql`decision_member_id IS NOT NULL`),
    check('governance_items_status_check', inList('status', ITEM_STATUSES)),
    check(
      'governance_items_decision_check',
      sql`decision_kind IS NULL OR ${inList('decision_kind', BOUND_DECISION_KINDS)}`,
    ),
    check('governance_items_executed', sql`decision_executed_at IS NULL OR status = 'adopted'`),
    check('governance_items_voted', sql`status = 'pending' OR voted_at IS NOT NULL`),
  ],
);

/** Named votes and weighted ballots: who voted what (never recorded for a secret ballot). */
export const governanceBallots = pgTable(
  'governance_ballots',
  {
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => governanceItems.id, { onDelete: 'cascade' }),
    seatId: uuid('seat_id')
      .notNull()
      .references(() => governanceSeats.id, { onDelete: 'cascade' }),
    choice: text('choice', { enum: VOTE_CHOICES }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.seatId] }),
    check('governance_ballots_choice_check', inList('choice', VOTE_CHOICES)),
  ],
);

/**
 * One convocation per recipient and session (unique: never twice). The link's token is kept as its
 * SHA-256 only; the mail itself is in the outbox, delivered by the `governance.convocation` job.
 */
export const governanceConvocations = pgTable(
  'governance_convocations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => governanceSessions.id, { onDelete: 'cascade' }),
    seatId: uuid('seat_id')
      .notNull()
      .references(() => governanceSeats.id, { onDelete: 'cascade' }),
    email: text('email'),
    paper: boolean('paper').notNull().default(false),
    tokenHash: text('token_hash').notNull(),
    outboxMailId: uuid('outbox_mail_id'),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    unavailableAt: timestamp('unavailable_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('governance_convocations_recipient_key').on(t.memberId, t.sessionId, t.seatId),
    uniqueIndex('governance_convocations_token_key').on(t.tokenHash),
  ],
);

export const governanceAttendance = pgTable(
  'governance_attendance',
  {
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => governanceSessions.id, { onDelete: 'cascade' }),
    seatId: uuid('seat_id')
      .notNull()
      .references(() => governanceSeats.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ATTENDANCE_STATUSES }).notNull(),
    proxySeatId: uuid('proxy_seat_id').references(() => governanceSeats.id, { onDelete: 'set null' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.seatId] }),
    index('governance_attendance_member_idx').on(t.memberId, t.sessionId),
    check('governance_attendance_status_check', inList('status', ATTENDANCE_STATUSES)),
    check('governance_attendance_proxy', sql`(status = 'represented') = (proxy_seat_id IS NOT NULL)`),
  ],
);

/**
 * Documents attached to an agenda item (reports, annexes): the file in object storage
 * (`governance/<memberId>/<documentId>`), read by those who manage the assembly, its officials
 * (signed in) and the holders of a convocation link to the session.
 */
export const governanceItemDocuments = pgTable(
  'governance_item_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => governanceSessions.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => governanceItems.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('governance_item_documents_item_idx').on(t.memberId, t.itemId),
    index('governance_item_documents_session_idx').on(t.memberId, t.sessionId),
    uniqueIndex('governance_item_documents_storage_key').on(t.storageKey),
    check('governance_item_documents_size', sql`size_bytes > 0`),
  ],
);

/**
 * A closed session's procès-verbal once adopted (no row: still a draft, drafted from the record on
 * demand). The row is written once, in the transaction of the vote of a later session of the same
 * assembly that adopts it (the item bound by `adopt_minutes`): the PDF as adopted is frozen in object
 * storage (`governance-minutes/<organisationId>/<sessionId>.pdf`) with its SHA-256. Then only
 * `published_at` may be set, once (trigger of the migration `governance_minutes_rls`); never deleted.
 */
export const governanceMinutes = pgTable(
  'governance_minutes',
  {
    sessionId: uuid('session_id')
      .primaryKey()
      .references(() => governanceSessions.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    assemblyId: uuid('assembly_id')
      .notNull()
      .references(() => governanceAssemblies.id, { onDelete: 'cascade' }),
    adoptedAt: timestamp('adopted_at', { withTimezone: true }).notNull(),
    adoptedBySessionId: uuid('adopted_by_session_id')
      .notNull()
      .references(() => governanceSessions.id, { onDelete: 'cascade' }),
    adoptedByItemId: uuid('adopted_by_item_id')
      .notNull()
      .references(() => governanceItems.id, { onDelete: 'cascade' }),
    deliberationNumber: text('deliberation_number'),
    storageKey: text('storage_key').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('governance_minutes_item_key').on(t.adoptedByItemId),
    uniqueIndex('governance_minutes_storage_key').on(t.storageKey),
    index('governance_minutes_member_idx').on(t.memberId, t.assemblyId),
    check('governance_minutes_size', sql`size_bytes > 0`),
    check('governance_minutes_not_itself', sql`adopted_by_session_id <> session_id`),
  ],
);
