import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { now } from '../clock.js';
import type { Db, Executor } from '../db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../db/tenancy.js';
import { enqueue } from '../jobs/queue.js';
import type { JobRunner } from '../jobs/worker.js';
import { outboxMails } from './mail.schema.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
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
  private readonly transporter;
  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transporter = nodemailer.createTransport(url);
  }
  async deliver(mail: Mail): Promise<void> {
    await this.transporter.sendMail({ from: this.from, ...mail });
  }
}

/** The job that delivers one outbox mail; its payload is `{ outboxId }`. */
export const MAIL_SEND_JOB = 'mail.send';
/** With the backoff of platform/jobs (30 s doubling, at most 1 h): attempts spread over about 3 hours. */
export const MAIL_MAX_ATTEMPTS = 10;

export class Mailer {
  constructor(readonly transport: MailTransport) {}

  /**
   * Records the mail in the outbox and queues its delivery (the `mail.send` job), both in the caller's
   * transaction: a rolled-back action leaves no mail and sends nothing; a committed one is delivered
   * by the job runner, and a failed delivery is retried, then left dead on the operator page, never
   * lost. Returns the outbox id.
   */
  /**
   * Records mails in the outbox (one statement) without queueing their delivery: for a module that
   * delivers them from a job of its own (`deliver`), which also records what it needs per recipient
   * (governance convocations: the sending date, once). Returns the outbox ids, in order.
   */
  async record(db: Executor, mails: readonly Mail[]): Promise<string[]> {
    if (mails.length === 0) return [];
    const rows = mails.map((mail) => ({
      id: crypto.randomUUID(),
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      transport: this.transport.name,
    }));
    await db.insert(outboxMails).values(rows);
    return rows.map((row) => row.id);
  }

  async send(db: Executor, mail: Mail): Promise<string> {
    const id = crypto.randomUUID();
    await db.insert(outboxMails).values({
      id,
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      transport: this.transport.name,
    });
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
      await this.transport.deliver({
        to: row.toAddress,
        subject: row.subject,
        text: row.textBody,
        ...(row.htmlBody === null ? {} : { html: row.htmlBody }),
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
}

/** Mail delivery goes through the job queue: the runner calls the mailer for each `mail.send` job. */
export function registerMailJobs(jobs: JobRunner, mailer: Mailer): void {
  jobs.register(MAIL_SEND_JOB, async (payload, { db }) => {
    if (typeof payload.outboxId !== 'string') throw new Error('mail.send sans outboxId');
    await mailer.deliver(db, payload.outboxId);
  });
}
