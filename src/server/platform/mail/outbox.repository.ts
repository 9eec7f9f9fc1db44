import { and, count, desc, eq } from 'drizzle-orm';
import { type Executor, toCount } from '../db/client.js';
import { afterCursor, type CursorValue, cursorInstant } from '../http/pagination.js';
import { outboxMails } from './mail.schema.js';

const summaryColumns = {
  id: outboxMails.id,
  to: outboxMails.toAddress,
  subject: outboxMails.subject,
  transport: outboxMails.transport,
  createdAt: outboxMails.createdAt,
  sentAt: outboxMails.sentAt,
  error: outboxMails.error,
  attachments: outboxMails.attachments,
};

const recipient = (to: string | undefined) => (to ? eq(outboxMails.toAddress, to) : undefined);

/** Newest first, `limit + 1` rows after the cursor. */
export async function listOutbox(
  db: Executor,
  to: string | undefined,
  limit: number,
  cursor: { sortValue: CursorValue; id: string } | null,
) {
  return db
    .select({ ...summaryColumns, cursorAt: cursorInstant(outboxMails.createdAt) })
    .from(outboxMails)
    .where(and(recipient(to), afterCursor(outboxMails.createdAt, outboxMails.id, cursor, true)))
    .orderBy(desc(outboxMails.createdAt), desc(outboxMails.id))
    .limit(limit + 1);
}

export async function countOutbox(db: Executor, to: string | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(outboxMails).where(recipient(to));
  return toCount(row?.n);
}

export async function findOutboxMail(db: Executor, id: string) {
  const [row] = await db
    .select({ ...summaryColumns, text: outboxMails.textBody, html: outboxMails.htmlBody })
    .from(outboxMails)
    .where(eq(outboxMails.id, id));
  return row ?? null;
}
