import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketReference } from '../../../contracts/support.js';
import { rowsOf } from '../../platform/db/client.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation, buildUser } from '../../test/builders.js';
import { startInboundSmtp } from './support.inbound.js';

/** E-mail in, through a real SMTP conversation (nodemailer as the client, smtp-server as the endpoint). */
describe('support inbound e-mail', () => {
  let t: TestApp;
  let inbound: Awaited<ReturnType<typeof startInboundSmtp>>;
  const logs: string[] = [];
  const SENDER = 'secretaire.inbound@commune.example';

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
    t = await createTestApp({}, { logStream: stream });
    const db = t.database.db;
    const operator = await buildOperator(db);
    await buildUser(db, { roles: [{ organisation: operator, role: 'agent', scopes: ['support'] }] });
    const member = await buildOrganisation(db, { name: 'Commune du courriel', status: 'member' });
    await buildUser(db, {
      email: SENDER,
      displayName: 'Sacha Secrétaire',
      roles: [{ organisation: member, role: 'agent' }],
    });
    inbound = await startInboundSmtp(
      { db, mailer: t.app.mailer, storage: t.storage, publicUrl: 'http://socle.test', log: t.app.log },
      0,
      '127.0.0.1',
    );
  });
  afterAll(async () => {
    await inbound?.close();
    await t?.close();
  });

  const send = (from: string, subject: string, text: string) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true })
      .sendMail({ from, to: 'assistance@socle.test', subject, text });

  const tickets = async () =>
    rowsOf<{ id: string; number: number; subject: string; description: string }>(
      await t.database.db.execute(
        sql`SELECT id, number, subject, description FROM support_tickets ORDER BY number`,
      ),
    );

  it('turns a known user’s mail into a ticket, and a mail quoting its reference into a reply', async () => {
    await send(SENDER, 'Le scanner ne marche plus', 'Bonjour,\nle scanner de l’accueil ne répond plus.\n');
    const [ticket] = await tickets();
    expect(ticket).toMatchObject({ subject: 'Le scanner ne marche plus' });
    expect(ticket?.description).toContain('le scanner de l’accueil');
    await t.runJobs();
    expect(t.mail.delivered.some((m) => m.subject.includes('Nouveau ticket : Le scanner'))).toBe(true);

    await send(
      SENDER,
      `Re: [${ticketReference(ticket?.number ?? 0)}] Le scanner ne marche plus`,
      'Il remarche, merci.',
    );
    expect(await tickets()).toHaveLength(1);
    const messages = rowsOf<{ body: string; from_operator: boolean }>(
      await t.database.db.execute(
        sql`SELECT body, from_operator FROM support_messages WHERE ticket_id = ${ticket?.id}`,
      ),
    );
    expect(messages).toEqual([{ body: 'Il remarche, merci.', from_operator: false }]);
  });

  it('stores the accepted attachments of a mail as the web form’s, and names the refused ones', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('x'),
    ]);
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true })
      .sendMail({
        from: SENDER,
        to: 'assistance@socle.test',
        subject: 'Imprimante en erreur',
        text: 'Voici la capture.',
        attachments: [
          { filename: 'capture écran.png', content: png, contentType: 'image/png' },
          { filename: 'pilote.exe', content: Buffer.from('MZ'), contentType: 'application/octet-stream' },
        ],
      });
    const ticket = (await tickets()).find((r) => r.subject === 'Imprimante en erreur');
    expect(ticket?.description).toContain('Voici la capture.');
    expect(ticket?.description).toContain('« pilote.exe » : type de fichier non accepté');
    const files = rowsOf<{
      file_name: string;
      media_type: string;
      storage_key: string;
      message_id: string | null;
    }>(
      await t.database.db.execute(
        sql`SELECT file_name, media_type, storage_key, message_id FROM support_attachments WHERE ticket_id = ${ticket?.id}`,
      ),
    );
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      file_name: 'capture écran.png',
      media_type: 'image/png',
      message_id: null,
    });
    expect(t.storage.objects.get(files[0]?.storage_key ?? '')?.equals(png)).toBe(true);

    // A reply with a file: the file goes with the reply's message.
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true })
      .sendMail({
        from: SENDER,
        to: 'assistance@socle.test',
        subject: `Re: [${ticketReference(ticket?.number ?? 0)}] Imprimante en erreur`,
        text: 'Le journal.',
        attachments: [{ filename: 'journal.txt', content: 'E42 bourrage' }],
      });
    const replyFiles = rowsOf<{ file_name: string; message_id: string | null }>(
      await t.database.db.execute(
        sql`SELECT file_name, message_id FROM support_attachments WHERE ticket_id = ${ticket?.id} AND message_id IS NOT NULL`,
      ),
    );
    expect(replyFiles.map((f) => f.file_name)).toEqual(['journal.txt']);
  });

  it('creates nothing for an unknown sender and logs it without the address', async () => {
    const before = (await tickets()).length;
    await send('inconnu@ailleurs.example', 'Publicité', 'Achetez !');
    expect(await tickets()).toHaveLength(before);
    const line = logs.find((l) => l.includes('sender is not a known user'));
    expect(line).toBeDefined();
    expect(line).not.toContain('inconnu@ailleurs.example');
  });
});
