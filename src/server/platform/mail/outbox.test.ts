import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccountsCast } from '../../modules/accounts/accounts.test-support.js';
import { createTestApp, login, request, type Session, type TestApp } from '../../test/app.js';
import { TEST_PASSWORD } from '../../test/builders.js';
import { storedFileOwners, sweepStorage } from '../storage/sweep.js';
import { smtpMessage } from './mailer.js';

describe('mail outbox', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    cast = await buildAccountsCast(t.database.db);
    admin = await login(t.app, cast.operatorAdmin.email, TEST_PASSWORD);
    for (let i = 0; i < 3; i++) {
      await t.app.mailer.send(t.database.db, {
        to: `dest-${i}@test.example`,
        subject: `Sujet ${i}`,
        text: `Texte ${i}`,
        html: i === 0 ? '<p>Texte 0</p>' : undefined,
      });
    }
    await t.runJobs();
  });
  afterAll(() => t.close());

  it('lists sent mails newest first, with paging and a recipient filter', async () => {
    const first = await request(t.app, admin, 'GET', '/api/v1/outbox?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().total).toBe(3);
    expect(first.json().items.map((m: { subject: string }) => m.subject)).toEqual(['Sujet 2', 'Sujet 1']);
    expect(first.json().items[0]).not.toHaveProperty('text');
    const second = await request(
      t.app,
      admin,
      'GET',
      `/api/v1/outbox?limit=2&cursor=${first.json().nextCursor}`,
    );
    expect(second.json().items.map((m: { subject: string }) => m.subject)).toEqual(['Sujet 0']);
    expect(second.json().nextCursor).toBeNull();
    const filtered = await request(t.app, admin, 'GET', '/api/v1/outbox?to=DEST-1@test.example');
    expect(filtered.json().items.map((m: { to: string }) => m.to)).toEqual(['dest-1@test.example']);
  });

  it('shows one mail with its text and HTML', async () => {
    const list = (await request(t.app, admin, 'GET', '/api/v1/outbox?to=dest-0@test.example')).json();
    const mail = await request(t.app, admin, 'GET', `/api/v1/outbox/${list.items[0].id}`);
    expect(mail.statusCode).toBe(200);
    expect(mail.json()).toMatchObject({
      to: 'dest-0@test.example',
      text: 'Texte 0',
      html: '<p>Texte 0</p>',
      transport: 'memory',
    });
    expect(mail.json().sentAt).not.toBeNull();
  });

  it('answers 404 for an unknown mail and 400 for a malformed id or limit', async () => {
    expect(
      (await request(t.app, admin, 'GET', '/api/v1/outbox/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    expect((await request(t.app, admin, 'GET', '/api/v1/outbox/12')).statusCode).toBe(400);
    expect((await request(t.app, admin, 'GET', '/api/v1/outbox?limit=1000')).statusCode).toBe(400);
  });

  it('is for operator admins only: 401 anonymous, 403 operator agents and member admins', async () => {
    const list = (await request(t.app, admin, 'GET', '/api/v1/outbox')).json();
    const url = `/api/v1/outbox/${list.items[0].id}`;
    expect((await request(t.app, null, 'GET', '/api/v1/outbox')).statusCode).toBe(401);
    expect((await request(t.app, null, 'GET', url)).statusCode).toBe(401);
    for (const user of [cast.operatorDpo, cast.adminA]) {
      const session = await login(t.app, user.email, TEST_PASSWORD);
      expect((await request(t.app, session, 'GET', '/api/v1/outbox')).statusCode).toBe(403);
      expect((await request(t.app, session, 'GET', url)).statusCode).toBe(403);
    }
  });
});

describe('mail attachments', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
  let admin: Session;
  const invitation = {
    fileName: 'invitation.ics',
    contentType: 'text/calendar; charset=utf-8',
    content: Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n'),
  };
  const certificate = {
    fileName: 'attestation.pdf',
    contentType: 'application/pdf',
    content: Buffer.from('%PDF-1.4\n%…\n'),
  };
  beforeAll(async () => {
    t = await createTestApp();
    cast = await buildAccountsCast(t.database.db);
    admin = await login(t.app, cast.operatorAdmin.email, TEST_PASSWORD);
  });
  afterAll(() => t.close());

  it('keeps the files in object storage, gives their bytes to the transport and names them on the operator page', async () => {
    const id = await t.app.mailer.send(t.database.db, {
      to: 'joint@test.example',
      subject: 'Avec pièces jointes',
      text: 'Voir les pièces jointes.',
      attachments: [invitation, certificate],
    });
    expect(t.storage.objects.get(`mail/${id}/0`)?.equals(invitation.content)).toBe(true);
    await t.runJobs();
    const delivered = t.mail.delivered.find((m) => m.to === 'joint@test.example');
    expect(delivered?.attachments?.map((a) => [a.fileName, a.contentType])).toEqual([
      ['invitation.ics', 'text/calendar; charset=utf-8'],
      ['attestation.pdf', 'application/pdf'],
    ]);
    expect(delivered?.attachments?.[1]?.content.equals(certificate.content)).toBe(true);

    const list = await request(t.app, admin, 'GET', '/api/v1/outbox?to=joint@test.example');
    expect(list.json().items[0].attachments).toEqual([
      {
        fileName: 'invitation.ics',
        contentType: 'text/calendar; charset=utf-8',
        size: invitation.content.length,
      },
      { fileName: 'attestation.pdf', contentType: 'application/pdf', size: certificate.content.length },
    ]);
    const detail = await request(t.app, admin, 'GET', `/api/v1/outbox/${id}`);
    expect(detail.json().attachments.map((a: { fileName: string }) => a.fileName)).toEqual([
      'invitation.ics',
      'attestation.pdf',
    ]);
    expect(detail.body).not.toContain(`mail/${id}`);
  });

  it('serves one attachment to operator admins, with its type and file name; nobody else', async () => {
    const id = await t.app.mailer.send(t.database.db, {
      to: 'telecharger@test.example',
      subject: 'Convocation',
      text: 'Ci-joint.',
      attachments: [invitation, { ...certificate, fileName: 'attestation été.pdf' }],
    });
    const url = (n: number | string) => `/api/v1/outbox/${id}/attachments/${n}`;
    const ics = await request(t.app, admin, 'GET', url(0));
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(ics.headers['content-disposition']).toBe(
      'attachment; filename="invitation.ics"; filename*=UTF-8\'\'invitation.ics',
    );
    expect(ics.headers['cache-control']).toBe('private, no-store');
    expect(ics.rawPayload.equals(invitation.content)).toBe(true);
    const pdf = await request(t.app, admin, 'GET', url(1));
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="attestation ete.pdf"; filename*=UTF-8''${encodeURIComponent('attestation été.pdf')}`,
    );
    expect(pdf.rawPayload.equals(certificate.content)).toBe(true);

    const missing = await request(t.app, admin, 'GET', url(2));
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toBe("Ce courriel n'a pas de pièce jointe à cette position.");
    expect(
      (
        await request(
          t.app,
          admin,
          'GET',
          '/api/v1/outbox/00000000-0000-4000-8000-000000000000/attachments/0',
        )
      ).statusCode,
    ).toBe(404);
    const malformed = await request(t.app, admin, 'GET', url('x'));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().detail).toContain("L'index de la pièce jointe");
    expect((await request(t.app, admin, 'GET', url(-1))).statusCode).toBe(400);

    // Exactly who may read the mail: anonymous 401; an operator agent, a member's admin 403.
    expect((await request(t.app, null, 'GET', url(0))).statusCode).toBe(401);
    for (const user of [cast.operatorDpo, cast.adminA]) {
      const session = await login(t.app, user.email, TEST_PASSWORD);
      const denied = await request(t.app, session, 'GET', url(0));
      expect(denied.statusCode).toBe(403);
      expect(denied.body).not.toContain('VCALENDAR');
    }
  });

  it('refuses more than 10 MB of attachments, in French, writing nothing', async () => {
    const big = {
      fileName: 'gros.pdf',
      contentType: 'application/pdf',
      content: Buffer.alloc(6 * 1024 * 1024),
    };
    const before = t.storage.objects.size;
    await expect(
      t.app.mailer.send(t.database.db, {
        to: 'trop@test.example',
        subject: 'Trop lourd',
        text: '…',
        attachments: [big, { ...big, fileName: 'gros-2.pdf' }],
      }),
    ).rejects.toMatchObject({
      kind: 'too_large',
      detail: 'Les pièces jointes du courriel pèsent 12 Mo : 10 Mo au plus.',
    });
    expect(t.storage.objects.size).toBe(before);
    const list = await request(t.app, admin, 'GET', '/api/v1/outbox?to=trop@test.example');
    expect(list.json().total).toBe(0);
  });

  it('leaves the files of a rolled-back mail to the start-up sweep, which keeps the others', async () => {
    const before = new Set(t.storage.objects.keys());
    await expect(
      t.database.db.transaction(async (tx) => {
        await t.app.mailer.send(tx, {
          to: 'annule@test.example',
          subject: 'Annulé',
          text: '…',
          attachments: [certificate],
        });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    const orphan = [...t.storage.objects.keys()].find((k) => !before.has(k));
    expect(orphan).toMatch(/^mail\//);
    expect(storedFileOwners().map((o) => o.name)).toContain('mail.attachments');
    const report = await sweepStorage(t.database.db, t.storage, { minAgeMs: -1 });
    expect(report.orphans).toBe(1);
    expect([...t.storage.objects.keys()].sort()).toEqual([...before].sort());
  });

  it('hands the attachments to nodemailer (the SMTP transport’s message, through its stream transport)', async () => {
    const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = await transporter.sendMail(
      smtpMessage('Socle <ne-pas-repondre@socle.example>', {
        to: 'dest@test.example',
        subject: 'Convocation',
        text: 'Bonjour',
        attachments: [invitation, certificate],
      }),
    );
    const raw = (info.message as Buffer).toString('utf8');
    expect(raw).toContain('Content-Type: text/calendar; charset=utf-8');
    expect(raw).toMatch(/Content-Disposition: attachment; filename=invitation\.ics/);
    expect(raw).toMatch(/Content-Disposition: attachment; filename=attestation\.pdf/);
    expect(raw).toContain(certificate.content.toString('base64'));
    // Without attachments, nodemailer is given none.
    expect(smtpMessage('a@b.example', { to: 'c@d.example', subject: 's', text: 't' })).not.toHaveProperty(
      'attachments',
    );
  });
});
