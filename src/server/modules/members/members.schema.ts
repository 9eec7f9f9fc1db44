import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { CONTACT_ROLES, DOCUMENT_KINDS, MEMBERSHIP_STATUSES } from '../../../contracts/members.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';

export { organisations, statusRank } from '../../kernel/identity.schema.js';

export const memberContacts = pgTable(
  'member_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    role: text('role', { enum: CONTACT_ROLES }).notNull(),
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
    kind: text('kind', { enum: DOCUMENT_KINDS }).notNull(),
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
    fromStatus: text('from_status', { enum: MEMBERSHIP_STATUSES }),
    toStatus: text('to_status', { enum: MEMBERSHIP_STATUSES }).notNull(),
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
