import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import { now } from '../clock.js';
import { type Db, type Executor, rowsOf } from '../db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../db/tenancy.js';
import { DomainError } from '../errors.js';
import { enqueue } from '../jobs/queue.js';
import type { JobRunner } from '../jobs/worker.js';
import { cleanFileName } from '../storage/files.js';
import { type ObjectStorage, type ObjectToStore, storeThenRecord } from '../storage/storage.js';
import { registerStoredFileOwner } from '../storage/sweep.js';
import { outboxMails, type StoredMailAttachment } from './mail.schema.js';

/** A file sent with a mail (an invitation .ics, a certificate PDF…). */
export interface MailAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: readonly MailAttachment[];
}

/** Where attachments are kept: `mail/<outboxId>/<n>`; the outbox row points to them. */
export const MAIL_ATTACHMENTS_PREFIX = 'mail/';
/** The total size of a mail's attachments: beyond, the mail is refused (most servers take 10 to 25 MB). */
export const MAIL_ATTACHMENTS_MAX_BYTES = 10 * 1024 * 1024;

/** Refused before anything is written: the caller's action fails with a clear French message. */
export function checkAttachments(attachments: readonly MailAttachment[] | undefined): void {
  const total = (attachments ?? []).reduce((sum, a) => sum + a.content.length, 0);
  if (total > MAIL_ATTACHMENTS_MAX_BYTES) {
    const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} Mo`;
    throw new DomainError(
      'too_large',
      'Pièces jointes trop volumineuses',
      `Les pièces jointes du courriel pèsent ${mb(total)} : ${mb(MAIL_ATTACHMENTS_MAX_BYTES)} au plus.`,
      [
        {
          path: 'attachments',
          message: `${mb(MAIL_ATTACHMENTS_MAX_BYTES)} au plus pour l'ensemble des pièces jointes`,
        },
      ],
    );
  }
}

/** The start-up storage sweep keeps the attachments an outbox row points to, and removes the others. */
export function registerMailStoredFiles(): void {
  registerStoredFileOwner({
    name: 'mail.attachments',
    prefix: MAIL_ATTACHMENTS_PREFIX,
    referencedKeys: async (tx) => {
      const rows = rowsOf<{ key: string }>(
        await tx.execute(
          sql`SELECT a->>'key' AS key FROM outbox_mails, jsonb_array_elements(attachments) AS a
              WHERE jsonb_array_length(attachments) > 0`,
        ),
      );
      return rows.map((r) => r.key);
    },
  });
}

/** Where mails go after the outbox. The embedded default delivers nowhere: the outbox is the inbox. */
export interface MailTransport {
  readonly name: string;
  deliver(mail: Mail): Promise<void>;
}

export class OutboxOnlyTransport implements MailTransport {
  readonly name = 'outbox';
  async deliver(): Promise<void> {}
}

/** Test twin: records what was delivered; `failNext(n)` makes the next n deliveries fail. */
export class MemoryTransport implements MailTransport {
  readonly name = 'memory';
  readonly delivered: Mail[] = [];
  private failures = 0;
  private failureMessage = '';
  failNext(count: number, message = 'SMTP indisponible (simulé)'): void {
    this.failures = count;
    this.failureMessage = message;
  }
  async deliver(mail: Mail): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error(this.failureMessage);
    }
    this.delivered.push(mail);
  }
}

export class SmtpTransport implements MailTransport {
  readonly name = 'smtp';
  /** nodemailer (~10 MB resident) is loaded at the first delivery, not with the server. */
  private transporter?: Promise<Transporter>;
  constructor(
    private readonly url: string,
    private readonly from: string,
  ) {}
  async deliver(mail: Mail): Promise<void> {
    this.transporter ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(this.url),
    );
    await (await this.transporter).sendMail(smtpMessage(this.from, mail));
  }
}

/** The message nodemailer is given: attachments with their names, types and bytes. */
export function smtpMessage(from: string, mail: Mail) {
  const { attachments, ...rest } = mail;
  return {
    from,
    ...rest,
    ...(attachments?.length
      ? {
          attachments: attachments.map((a) => ({
            filename: a.fileName,
            contentType: a.contentType,
            content: a.content,
          })),
        }
      : {}),
  };
}

/** The job that delivers one outbox mail; its payload is `{ outboxId }`. */
export const MAIL_SEND_JOB = 'mail.send';
/** With the backoff of platform/jobs (30 s doubling, at most 1 h): attempts spread over about 3 hours. */
export const MAIL_MAX_ATTEMPTS = 10;

export class Mailer {
  private storage: ObjectStorage | null = null;
  constructor(readonly transport: MailTransport) {}

  /** Where attachments are kept (buildApp gives the app's object storage). */
  keepAttachmentsIn(storage: ObjectStorage): void {
    this.storage = storage;
  }

  /** A mail's attachments as the outbox row lists them, and the objects to write for them. */
  private attachmentsOf(
    id: string,
    mail: Mail,
  ): { listed: StoredMailAttachment[]; objects: ObjectToStore[] } {
    const listed: StoredMailAttachment[] = [];
    const objects: ObjectToStore[] = [];
    for (const [n, a] of (mail.attachments ?? []).entries()) {
      const key = `${MAIL_ATTACHMENTS_PREFIX}${id}/${n}`;
      objects.push({ key, data: a.content });
      listed.push({
        key,
        fileName: cleanFileName(a.fileName, `piece-jointe-${n + 1}`),
        contentType: a.contentType,
        size: a.content.length,
      });
    }
    return { listed, objects };
  }

  /**
   * Writes the attachments before the outbox rows that list them are inserted (`record`): a failed
   * insert removes them, a later rollback leaves them to the start-up sweep (registerMailStoredFiles).
   */
  private storeThen<T>(objects: ObjectToStore[], record: () => Promise<T>): Promise<T> {
    if (objects.length === 0) return record();
    if (!this.storage) throw new Error('mail attachments need object storage (Mailer.keepAttachmentsIn)');
    return storeThenRecord(this.storage, objects, record);
  }

  /**
   * Records mails in the outbox (one statement) without queueing their delivery: for a module that
   * delivers them from a job of its own (`deliver`), which also records what it needs per recipient
   * (governance convocations: the sending date, once). Returns the outbox ids, in order.
   */
  async record(db: Executor, mails: readonly Mail[]): Promise<string[]> {
    if (mails.length === 0) return [];
    for (const mail of mails) checkAttachments(mail.attachments);
    const rows: (typeof outboxMails.$inferInsert & { id: string })[] = [];
    const objects: ObjectToStore[] = [];
    for (const mail of mails) {
      const id = crypto.randomUUID();
      const attachments = this.attachmentsOf(id, mail);
      objects.push(...attachments.objects);
      rows.push({
        id,
        toAddress: mail.to,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html ?? null,
        transport: this.transport.name,
        attachments: attachments.listed,
      });
    }
    await this.storeThen(objects, () => db.insert(outboxMails).values(rows));
    return rows.map((row) => row.id);
  }

  /**
   * Records the mail in the outbox and queues its delivery (the `mail.send` job), both in the caller's
   * transaction: a rolled-back action leaves no mail and sends nothing; a committed one is delivered
   * by the job runner, and a failed delivery is retried, then left dead on the operator page, never
   * lost. Returns the outbox id. Attachments (10 MB in all at most) are written to object storage
   * first, their row on the outbox mail.
   */
  async send(db: Executor, mail: Mail): Promise<string> {
    checkAttachments(mail.attachments);
    const id = crypto.randomUUID();
    const attachments = this.attachmentsOf(id, mail);
    await this.storeThen(attachments.objects, () =>
      db.insert(outboxMails).values({
        id,
        toAddress: mail.to,
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html ?? null,
        transport: this.transport.name,
        attachments: attachments.listed,
      }),
    );
    await enqueue(db, MAIL_SEND_JOB, { outboxId: id }, { maxAttempts: MAIL_MAX_ATTEMPTS });
    return id;
  }

  /**
   * The `mail.send` job: hands the outbox mail to the transport, then marks it sent. A mail already
   * sent is not sent again (a retried job after a crash). A delivery failure is recorded on the outbox
   * row and thrown, so the job is retried. No transaction is held while the transport works.
   */
  async deliver(db: Db, outboxId: string): Promise<void> {
    const [row] = await withTenant(db, SYSTEM_OPERATOR, (tx) =>
      tx.select().from(outboxMails).where(eq(outboxMails.id, outboxId)),
    );
    if (!row || row.sentAt) return;
    try {
      const attachments = await this.loadAttachments(row.attachments);
      await this.transport.deliver({
        to: row.toAddress,
        subject: row.subject,
        text: row.textBody,
        ...(row.htmlBody === null ? {} : { html: row.htmlBody }),
        ...(attachments.length > 0 ? { attachments } : {}),
      });
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
      await withTenant(db, SYSTEM_OPERATOR, (tx) =>
        tx.update(outboxMails).set({ error }).where(eq(outboxMails.id, outboxId)),
      );
      throw e;
    }
    await withTenant(db, SYSTEM_OPERATOR, (tx) =>
      tx.update(outboxMails).set({ sentAt: now(), error: null }).where(eq(outboxMails.id, outboxId)),
    );
  }

  private async loadAttachments(stored: readonly StoredMailAttachment[]): Promise<MailAttachment[]> {
    if (stored.length === 0) return [];
    const storage = this.storage;
    if (!storage) throw new Error('mail attachments need object storage (Mailer.keepAttachmentsIn)');
    return Promise.all(
      stored.map(async (a) => ({
        fileName: a.fileName,
        contentType: a.contentType,
        content: await storage.get(a.key),
      })),
    );
  }
}

/** Mail delivery goes through the job queue: the runner calls the mailer for each `mail.send` job. */
export function registerMailJobs(jobs: JobRunner, mailer: Mailer): void {
  jobs.register(MAIL_SEND_JOB, async (payload, { db }) => {
    if (typeof payload.outboxId !== 'string') throw new Error('mail.send sans outboxId');
    await mailer.deliver(db, payload.outboxId);
  });
}
