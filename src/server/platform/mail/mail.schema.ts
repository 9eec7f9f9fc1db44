import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** An attachment of an outbox mail: its bytes are in object storage under `key`. */
export interface StoredMailAttachment {
  key: string;
  fileName: string;
  contentType: string;
  size: number;
}

/** Every mail the platform sends; the embedded transport stops here and the operator admin reads it. */
export const outboxMails = pgTable(
  'outbox_mails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    transport: text('transport').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    error: text('error'),
    /** The files sent with the mail, in order (platform/mail/mailer.ts keeps their bytes in storage). */
    attachments: jsonb('attachments').$type<StoredMailAttachment[]>().notNull().default([]),
  },
  (t) => [index('outbox_mails_created_idx').on(t.createdAt)],
);
