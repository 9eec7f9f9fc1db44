import { sql } from 'drizzle-orm';
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
import { ACT_DOCUMENT_ROLES, ACT_MESSAGE_KINDS, ACT_NATURES, ACT_STATUSES } from '../../../contracts/acts.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';

/**
 * The member's register of acts (issue 11): each act, its files, its dated history, the prefecture's
 * messages, and the classification (matières) the prefecture gives the member. Member-owned (RLS);
 * anonymous visitors read published acts and their published document only.
 */
export const acts = pgTable(
  'acts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    nature: text('nature', { enum: ACT_NATURES }).notNull(),
    classification: text('classification').notNull(),
    /** The label of the code when the act was classified (kept: the classification may change later). */
    classificationLabel: text('classification_label'),
    /** The date of the classification file the code was checked against. */
    classificationDate: date('classification_date'),
    number: text('number').notNull(),
    decidedOn: date('decided_on').notNull(),
    subject: text('subject').notNull(),
    /** searchKey(subject + number): accent- and case-free search (trigram index). */
    searchKey: text('search_key').notNull(),
    signatoryName: text('signatory_name'),
    signedOn: date('signed_on'),
    sessionOn: date('session_on'),
    transmissionRequired: boolean('transmission_required').notNull().default(true),
    notifiedOn: date('notified_on'),
    status: text('status', { enum: ACT_STATUSES }).notNull().default('draft'),
    errorMessage: text('error_message'),
    /** The tiers de télétransmission's transaction id, stored as soon as it answers. */
    transactionId: text('transaction_id'),
    prefectureId: text('prefecture_id'),
    transmittedAt: timestamp('transmitted_at', { withTimezone: true }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    /** Set once by the server when the act is published; never changed nor cleared. */
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedSha256: text('published_sha256'),
    /** The stamped PDF in object storage. */
    publishedStorageKey: text('published_storage_key'),
    correctsActId: uuid('corrects_act_id').references((): AnyPgColumn => acts.id, { onDelete: 'restrict' }),
    votesMembers: integer('votes_members'),
    votesPresent: integer('votes_present'),
    votesFor: integer('votes_for'),
    votesAgainst: integer('votes_against'),
    votesAbstention: integer('votes_abstention'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('acts_member_number_key').on(t.memberId, t.number),
    // Register and portal pages: newest decisions first, id as tie-breaker (keyset).
    index('acts_member_decided_idx').on(t.memberId, t.decidedOn, t.id),
    index('acts_member_published_idx').on(t.memberId, t.decidedOn, t.id).where(sql`published_at IS NOT NULL`),
    index('acts_published_idx').on(t.decidedOn, t.id).where(sql`published_at IS NOT NULL`),
    index('acts_search_trgm_idx').using('gin', sql`search_key gin_trgm_ops`),
    // Operator overview: transmissions by status across members, latest first.
    index('acts_status_updated_idx').on(t.status, t.updatedAt, t.id),
    index('acts_transmitted_idx').on(t.transmittedAt).where(sql`transmitted_at IS NOT NULL`),
    index('acts_corrects_idx').on(t.correctsActId),
    check('acts_nature_check', inList('nature', ACT_NATURES)),
    check('acts_status_check', inList('status', ACT_STATUSES)),
    check('acts_number_format', sql`number ~ '^[A-Z0-9_]{1,15}$'`),
    check('acts_subject_length', sql`char_length(subject) BETWEEN 1 AND 499`),
    check(
      'acts_published_complete',
      sql`published_at IS NULL OR (published_sha256 IS NOT NULL AND published_storage_key IS NOT NULL)`,
    ),
    check(
      'acts_votes_check',
      sql`COALESCE(votes_members, 0) >= 0 AND COALESCE(votes_present, 0) >= 0 AND COALESCE(votes_for, 0) >= 0
        AND COALESCE(votes_against, 0) >= 0 AND COALESCE(votes_abstention, 0) >= 0`,
    ),
  ],
);

/** Messages of the prefecture about an act (and the member's answers). Member-owned. */
export const actMessages = pgTable(
  'act_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    actId: uuid('act_id')
      .notNull()
      .references(() => acts.id, { onDelete: 'cascade' }),
    /** The tiers' id of the message; null for the member's answers. */
    externalId: text('external_id'),
    kind: text('kind', { enum: ACT_MESSAGE_KINDS }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    answerDueOn: date('answer_due_on'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    /** For an answer: the demande it answers. */
    answersMessageId: uuid('answers_message_id').references((): AnyPgColumn => actMessages.id, {
      onDelete: 'cascade',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('act_messages_external_key').on(t.memberId, t.actId, t.externalId),
    index('act_messages_act_idx').on(t.memberId, t.actId, t.receivedAt),
    check('act_messages_kind_check', inList('kind', ACT_MESSAGE_KINDS)),
  ],
);

/** The act's files (main PDF, annexes) and the files of its messages. Member-owned. */
export const actDocuments = pgTable(
  'act_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    actId: uuid('act_id')
      .notNull()
      .references(() => acts.id, { onDelete: 'cascade' }),
    /** Set for a file of a prefecture message or of an answer. */
    messageId: uuid('message_id').references(() => actMessages.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ACT_DOCUMENT_ROLES }).notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('act_documents_act_idx').on(t.memberId, t.actId, t.createdAt),
    uniqueIndex('act_documents_one_main').on(t.actId).where(sql`role = 'main' AND message_id IS NULL`),
    check('act_documents_role_check', inList('role', ACT_DOCUMENT_ROLES)),
    check('act_documents_size_check', sql`size_bytes >= 0`),
  ],
);

/** Dated, attributed history of each act. Member-owned. */
export const actEvents = pgTable(
  'act_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    actId: uuid('act_id')
      .notNull()
      .references(() => acts.id, { onDelete: 'cascade' }),
    /** The status the act moved to, if it moved. */
    status: text('status', { enum: ACT_STATUSES }),
    label: text('label').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Who, when not a person of Socle: « Préfecture », « Tiers de télétransmission ». */
    actorLabel: text('actor_label'),
  },
  (t) => [
    index('act_events_act_idx').on(t.memberId, t.actId, t.at),
    check('act_events_status_check', sql`status IS NULL OR ${inList('status', ACT_STATUSES)}`),
  ],
);

/** The classification the prefecture gives a member (matières and sub-levels), refreshed. Member-owned. */
export const actClassifications = pgTable(
  'act_classifications',
  {
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    label: text('label').notNull(),
    level: integer('level').notNull(),
    classificationDate: date('classification_date').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.code] })],
);
