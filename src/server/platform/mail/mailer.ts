import nodemailer from 'nodemailer';
import type { Executor } from '../db/client.js';
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

/** Test twin: records what was delivered. */
export class MemoryTransport implements MailTransport {
  readonly name = 'memory';
  readonly delivered: Mail[] = [];
  async deliver(mail: Mail): Promise<void> {
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

export class Mailer {
  constructor(readonly transport: MailTransport) {}

  /**
   * Delivers, then records the mail in the outbox inside the caller's transaction, so that a
   * rolled-back action leaves no trace in the outbox. A delivery failure is recorded, not thrown:
   * the operator sees it in the outbox.
   */
  async send(db: Executor, mail: Mail): Promise<void> {
    let error: string | null = null;
    try {
      await this.transport.deliver(mail);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    await db.insert(outboxMails).values({
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html ?? null,
      transport: this.transport.name,
      sentAt: error ? null : new Date(),
      error,
    });
  }
}
