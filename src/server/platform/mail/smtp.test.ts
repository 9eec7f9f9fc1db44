import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpTransport } from './mailer.js';

/**
 * The SMTP transport against a real SMTP server (smtp-server, as the support desk's inbound mail
 * uses): what an operator's relay receives, and a refusal reaching the caller (the mail job then
 * retries it, see jobs.test.ts).
 */
describe('SmtpTransport', () => {
  const received: { from: string; to: string[]; raw: Buffer }[] = [];
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@refuse.example')) {
          const error = new Error('Mailbox unavailable') as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers the mail with its attachment to the relay', async () => {
    const transport = new SmtpTransport(`smtp://127.0.0.1:${port}`, 'Socle <ne-pas-repondre@socle.example>');
    await transport.deliver({
      to: 'secretariat@commune.example',
      subject: 'Convocation : formation',
      text: 'Bonjour,\n\nVotre inscription est confirmée.\n',
      attachments: [
        {
          fileName: 'invitation.ics',
          contentType: 'text/calendar; charset=utf-8',
          content: Buffer.from('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'),
        },
      ],
    });
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail?.from).toBe('ne-pas-repondre@socle.example');
    expect(mail?.to).toEqual(['secretariat@commune.example']);
    const parsed = await simpleParser(mail?.raw ?? Buffer.alloc(0));
    expect(parsed.subject).toBe('Convocation : formation');
    expect(parsed.text).toContain('Votre inscription est confirmée.');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['invitation.ics', 'text/calendar'],
    ]);
  });

  it('throws when the relay refuses the recipient, so that the mail job retries', async () => {
    const transport = new SmtpTransport(`smtp://127.0.0.1:${port}`, 'ne-pas-repondre@socle.example');
    await expect(
      transport.deliver({ to: 'personne@refuse.example', subject: 'x', text: 'x' }),
    ).rejects.toThrow(/550|Mailbox unavailable/);
  });
});
