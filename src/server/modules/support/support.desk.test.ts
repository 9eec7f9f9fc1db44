import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkCandidates, SupportReport, Ticket, TicketCreated } from '../../../contracts/support.js';
import { rowsOf } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { type ProblemBody, tinyPdf } from '../../test/bodies.js';
import { buildOperator, buildOrganisation } from '../../test/builders.js';
import { cyberIncidents } from '../cyber/cyber.schema.js';
import { hostingIncidents } from '../hosting/hosting.schema.js';
import { longSession } from './support.test-support.js';

/** A multipart body with several files in `file` parts, as the ticket forms send it. */
function sending(fields: Record<string, string>, files: { name: string; data: Buffer; type?: string }[]) {
  const boundary = `----socle${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('capture'),
]);

/**
 * The desk's tickets (issue 14): attachments (limits, who downloads, internal files), merging a
 * duplicate, links to cyber and hosting incidents.
 */
describe('support desk', () => {
  let t: TestApp;
  let memberA: Awaited<ReturnType<typeof buildOrganisation>>;
  let memberB: Awaited<ReturnType<typeof buildOrganisation>>;
  let adminA: Session;
  let agentA: Session;
  let adminB: Session;
  let support: Session;
  let ticketId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const operator = await buildOperator(db);
    memberA = await buildOrganisation(db, { name: 'Commune A', status: 'member' });
    memberB = await buildOrganisation(db, { name: 'Commune B', status: 'member' });
    adminA = await longSession(t, memberA, 'admin', [], 'Dominique Secrétaire');
    agentA = await longSession(t, memberA, 'agent', [], 'Alix Agent');
    adminB = await longSession(t, memberB, 'admin');
    support = await longSession(t, operator, 'agent', ['support'], 'Sam Assistance');
  });
  afterAll(async () => {
    await t.close();
  });

  const send = (
    session: Session,
    url: string,
    fields: Record<string, string>,
    files: { name: string; data: Buffer }[],
  ) => {
    const body = sending(fields, files);
    return request(t.app, session, 'POST', url, body.payload, body.headers);
  };
  const memberTicket = (session: Session, id: string, member = memberA.id) =>
    request(t.app, session, 'GET', `/api/v1/members/${member}/tickets/${id}`);

  it('opens a ticket with its files, stored and downloadable by whoever may read the ticket', async () => {
    const res = await send(
      agentA,
      `/api/v1/members/${memberA.id}/tickets/with-attachments`,
      { subject: 'Écran bleu au démarrage', description: 'Voir la capture et le journal.', serviceId: '' },
      [
        { name: 'capture.png', data: PNG },
        { name: 'journal.log', data: Buffer.from('erreur 0x0000007B\n') },
      ],
    );
    expect(res.statusCode).toBe(201);
    ticketId = res.json<TicketCreated>().id;
    const ticket = (await memberTicket(agentA, ticketId)).json<Ticket>();
    expect(ticket.attachments.map((a) => [a.fileName, a.mediaType, a.messageId])).toEqual([
      ['capture.png', 'image/png', null],
      ['journal.log', 'text/plain', null],
    ]);
    const storage = t.storage;
    expect([...storage.objects.keys()].filter((k) => k.startsWith(`support/${memberA.id}/`))).toHaveLength(2);

    const [png] = ticket.attachments;
    const url = `/api/v1/members/${memberA.id}/tickets/${ticketId}/attachments/${png?.id}`;
    const download = await request(t.app, adminA, 'GET', url);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toContain('capture.png');
    expect(download.rawPayload.equals(PNG)).toBe(true);
    // Another member: not its ticket (404, whether through its own path or A's).
    expect((await request(t.app, adminB, 'GET', url)).statusCode).toBe(403);
    const foreign = `/api/v1/members/${memberB.id}/tickets/${ticketId}/attachments/${png?.id}`;
    expect((await request(t.app, adminB, 'GET', foreign)).statusCode).toBe(404);
    // The team downloads it too.
    const team = await request(
      t.app,
      support,
      'GET',
      `/api/v1/support/tickets/${ticketId}/attachments/${png?.id}`,
    );
    expect(team.statusCode).toBe(200);
  });

  it('refuses a file of a type not accepted, a renamed one and too many, in French, storing nothing', async () => {
    const url = `/api/v1/members/${memberA.id}/tickets/${ticketId}/attachments`;
    const before = t.storage.objects.size;
    const exe = await send(agentA, url, { body: 'Le programme' }, [
      { name: 'outil.exe', data: Buffer.from('MZ') },
    ]);
    expect(exe.statusCode).toBe(415);
    expect(exe.json<ProblemBody>().errors?.[0]).toMatchObject({ path: 'body.file' });
    expect(exe.json<ProblemBody>().detail).toContain('« outil.exe » : type de fichier non accepté');
    const renamed = await send(agentA, url, {}, [{ name: 'facture.pdf', data: Buffer.from('pas un pdf') }]);
    expect(renamed.json<ProblemBody>().detail).toContain('le contenu ne correspond pas à un fichier PDF');
    const many = await send(
      agentA,
      url,
      {},
      Array.from({ length: 6 }, (_, i) => ({ name: `n${i}.txt`, data: Buffer.from('x') })),
    );
    expect(many.statusCode).toBe(400);
    expect(many.json<ProblemBody>().detail).toContain('5 fichiers au plus');
    const big = await send(agentA, url, {}, [
      { name: 'gros.txt', data: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61) },
    ]);
    expect(big.statusCode).toBe(413);
    expect(big.json<ProblemBody>().detail).toContain('10 Mo');
    const none = await send(agentA, url, { body: 'Rien' }, []);
    expect(none.statusCode).toBe(400);
    expect(none.json<ProblemBody>().errors?.[0]?.message).toBe('Joignez au moins un fichier.');
    expect(t.storage.objects.size).toBe(before);
    const ticket = (await memberTicket(agentA, ticketId)).json<Ticket>();
    expect(ticket.messages).toHaveLength(0);
  });

  it('joins files to replies and internal notes; a note’s files never reach the member', async () => {
    const reply = await send(
      agentA,
      `/api/v1/members/${memberA.id}/tickets/${ticketId}/attachments`,
      { body: 'Le rapport' },
      [{ name: 'rapport.pdf', data: tinyPdf() }],
    );
    expect(reply.statusCode).toBe(201);
    const withReply = reply.json<Ticket>();
    const message = withReply.messages.at(-1);
    expect(message?.body).toBe('Le rapport');
    expect(withReply.attachments.find((a) => a.fileName === 'rapport.pdf')?.messageId).toBe(message?.id);

    const note = await send(
      support,
      `/api/v1/support/tickets/${ticketId}/attachments`,
      { body: 'Trace interne', internal: 'true' },
      [{ name: 'trace.txt', data: Buffer.from('pile interne') }],
    );
    expect(note.statusCode).toBe(201);
    const internal = note.json<Ticket>().attachments.find((a) => a.fileName === 'trace.txt');
    expect(internal?.internal).toBe(true);
    const seen = (await memberTicket(adminA, ticketId)).json<Ticket>();
    expect(seen.attachments.map((a) => a.fileName)).not.toContain('trace.txt');
    expect(seen.messages.map((m) => m.body)).not.toContain('Trace interne');
    const hidden = await request(
      t.app,
      adminA,
      'GET',
      `/api/v1/members/${memberA.id}/tickets/${ticketId}/attachments/${internal?.id}`,
    );
    expect(hidden.statusCode).toBe(404);
    // RLS backs it: as the member, the row is not there at all.
    const rows = await withTenant(
      t.database.db,
      { userId: adminA.userId, memberId: memberA.id, operatorRole: null },
      (tx) => tx.execute(sql`SELECT id FROM support_attachments WHERE id = ${internal?.id ?? ''}`),
    );
    expect(rowsOf(rows)).toHaveLength(0);
  });

  it('merges a duplicate into the ticket kept: closed as merged, its messages and files read there, audited', async () => {
    const dup = await send(
      adminA,
      `/api/v1/members/${memberA.id}/tickets/with-attachments`,
      { subject: 'Écran bleu encore', description: 'Même problème sur le poste 2.' },
      [{ name: 'poste2.png', data: PNG }],
    );
    const dupId = dup.json<TicketCreated>().id;
    await request(t.app, adminA, 'POST', `/api/v1/members/${memberA.id}/tickets/${dupId}/messages`, {
      body: 'Toujours pareil.',
    });
    const other = await request(t.app, adminB, 'POST', `/api/v1/members/${memberB.id}/tickets`, {
      subject: 'Autre structure',
      description: 'Sans rapport.',
    });
    const otherId = other.json<TicketCreated>().id;
    const cross = await request(t.app, support, 'POST', `/api/v1/support/tickets/${otherId}/merge`, {
      intoTicketId: ticketId,
    });
    expect(cross.statusCode).toBe(400);
    expect(cross.json<ProblemBody>().errors?.[0]).toMatchObject({
      path: 'body.intoTicketId',
      message: 'Seuls deux tickets de la même structure peuvent être fusionnés.',
    });

    const merged = await request(t.app, support, 'POST', `/api/v1/support/tickets/${dupId}/merge`, {
      intoTicketId: ticketId,
    });
    expect(merged.statusCode).toBe(200);
    const kept = merged.json<Ticket>();
    expect(kept.merged.map((m) => m.subject)).toEqual(['Écran bleu encore']);
    const fromDup = kept.messages.find((m) => m.body === 'Toujours pareil.');
    expect(fromDup?.mergedFrom).toBe(kept.merged[0]?.reference);
    const poste2 = kept.attachments.find((a) => a.fileName === 'poste2.png');
    expect(poste2?.ticketId).toBe(dupId);
    // The member's admin downloads the duplicate's file from the ticket kept.
    const download = await request(
      t.app,
      adminA,
      'GET',
      `/api/v1/members/${memberA.id}/tickets/${ticketId}/attachments/${poste2?.id}`,
    );
    expect(download.statusCode).toBe(200);
    // The agent who opened the ticket kept does not see adminA's duplicate through it.
    const agentView = (await memberTicket(agentA, ticketId)).json<Ticket>();
    expect(agentView.merged).toEqual([]);
    expect(agentView.messages.some((m) => m.mergedFrom)).toBe(false);

    const duplicate = (await memberTicket(adminA, dupId)).json<Ticket>();
    expect(duplicate).toMatchObject({
      status: 'closed',
      mergedInto: { id: ticketId, reference: kept.reference },
    });
    const write = await request(
      t.app,
      adminA,
      'POST',
      `/api/v1/members/${memberA.id}/tickets/${dupId}/messages`,
      {
        body: 'Encore ?',
      },
    );
    expect(write.statusCode).toBe(409);
    const again = await request(t.app, support, 'POST', `/api/v1/support/tickets/${dupId}/merge`, {
      intoTicketId: ticketId,
    });
    expect(again.statusCode).toBe(409);
    const audit = rowsOf<{ target_id: string }>(
      await t.database.db.execute(
        sql`SELECT target_id FROM audit_events WHERE action = 'support.ticket.merge' ORDER BY target_id`,
      ),
    );
    expect(audit.map((a) => a.target_id).sort()).toEqual([dupId, ticketId].sort());
    // The member's software hears of the merge once (the refused ones emitted nothing), by ids.
    const events = rowsOf<{ member_id: string; data: Record<string, unknown> }>(
      await t.database.db.execute(
        sql`SELECT member_id, data FROM webhook_events WHERE type = 'ticket.merged'`,
      ),
    );
    expect(events).toEqual([
      {
        member_id: memberA.id,
        data: {
          ticketId: dupId,
          number: duplicate.reference,
          mergedIntoTicketId: ticketId,
          mergedIntoNumber: kept.reference,
        },
      },
    ]);
    await t.runJobs();
    expect(t.mail.delivered.some((m) => m.subject.includes(`Regroupé avec ${kept.reference}`))).toBe(true);
  });

  it('links a ticket to a cyber incident of its member and to a status incident, shown to the member', async () => {
    const db = t.database.db;
    const [cyberA] = await db
      .insert(cyberIncidents)
      .values({
        memberId: memberA.id,
        title: 'Rançongiciel sur le serveur de fichiers',
        category: 'ransomware',
        detectedAt: new Date(),
        personalData: false,
        nis2: false,
      })
      .returning({ id: cyberIncidents.id });
    const [cyberB] = await db
      .insert(cyberIncidents)
      .values({
        memberId: memberB.id,
        title: 'Hameçonnage',
        category: 'phishing',
        detectedAt: new Date(),
        personalData: false,
        nis2: false,
      })
      .returning({ id: cyberIncidents.id });
    const [status] = await db
      .insert(hostingIncidents)
      .values({ title: 'Messagerie indisponible', state: 'major_outage', startedAt: new Date() })
      .returning({ id: hostingIncidents.id });
    const candidates = await request(
      t.app,
      support,
      'GET',
      `/api/v1/support/tickets/${ticketId}/link-candidates`,
    );
    const ids = candidates.json<LinkCandidates>().items.map((c) => c.incidentId);
    expect(ids).toContain(cyberA?.id);
    expect(ids).toContain(status?.id);
    expect(ids).not.toContain(cyberB?.id);

    const link = (body: unknown) =>
      request(t.app, support, 'POST', `/api/v1/support/tickets/${ticketId}/links`, body);
    const foreign = await link({ kind: 'cyber_incident', incidentId: cyberB?.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<ProblemBody>().errors?.[0]?.path).toBe('body.incidentId');
    expect((await link({ kind: 'cyber_incident', incidentId: cyberA?.id })).statusCode).toBe(201);
    const both = await link({ kind: 'hosting_incident', incidentId: status?.id });
    expect(both.json<Ticket>().links.map((l) => [l.kind, l.title, l.state])).toEqual([
      ['cyber_incident', 'Rançongiciel sur le serveur de fichiers', 'En cours'],
      ['hosting_incident', 'Messagerie indisponible', 'Panne majeure'],
    ]);
    expect((await link({ kind: 'hosting_incident', incidentId: status?.id })).statusCode).toBe(409);
    const seen = (await memberTicket(agentA, ticketId)).json<Ticket>();
    expect(seen.links).toHaveLength(2);
    const linkId = seen.links[1]?.id;
    const removed = await request(
      t.app,
      support,
      'DELETE',
      `/api/v1/support/tickets/${ticketId}/links/${linkId}`,
    );
    expect(removed.json<Ticket>().links).toHaveLength(1);
  });

  it('reports one month alone (the monthly report), per service and per département and kind', async () => {
    const [year, month] = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
    })
      .format(new Date())
      .split('-')
      .map(Number);
    const res = await request(t.app, support, 'GET', `/api/v1/support/reports?year=${year}&month=${month}`);
    expect(res.statusCode).toBe(200);
    const report = res.json<SupportReport>();
    expect(report.month).toBe(month);
    expect(new Set(report.months.map((m) => m.month))).toEqual(
      new Set([`${year}-${String(month).padStart(2, '0')}`]),
    );
    const opened = report.months.reduce((n, m) => n + m.opened, 0);
    expect(opened).toBe(3);
    expect(report.equity.reduce((n, r) => n + r.opened, 0)).toBe(opened);
    const bad = await request(t.app, support, 'GET', `/api/v1/support/reports?year=${year}&month=13`);
    expect(bad.json<ProblemBody>().errors?.[0]).toMatchObject({
      path: 'query.month',
      message: 'mois attendu (1 à 12)',
    });
  });
});
