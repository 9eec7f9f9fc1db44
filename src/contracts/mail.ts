import { z } from 'zod';
import { listOf, paginationQuery } from './common.js';

export const outboxQuery = paginationQuery.extend({
  /** Only the mails sent to this address. */
  to: z.string().trim().toLowerCase().max(320).optional(),
});

/**
 * A file sent with a mail: its name, type and size. Its bytes: GET /outbox/:id/attachments/:index,
 * `index` its position in the mail's list (from 0), for those who may read the mail.
 */
export const outboxAttachmentSchema = z.object({
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});

export const outboxMailSummary = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  transport: z.string(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  error: z.string().nullable(),
  attachments: z.array(outboxAttachmentSchema),
});
export const outboxMailSchema = outboxMailSummary.extend({
  text: z.string(),
  html: z.string().nullable(),
});
export type OutboxMail = z.infer<typeof outboxMailSchema>;
export const outboxList = listOf(outboxMailSummary);
