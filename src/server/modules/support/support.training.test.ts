import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registration, TrainingSession } from '../../../contracts/support.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import type { ProblemBody } from '../../test/bodies.js';
import { buildOperator, buildOrganisation } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { webhookEvents } from '../webhooks/webhooks.schema.js';
import { longSession } from './support.test-support.js';

/**
 * Training sessions through the API: the public calendar, capacity and the waiting list (never over
 * capacity under concurrent registrations), the per-member cap, cancellation and the promotion job
 * with its e-mail, the .ics and the attendance sheet read back.
 */
describe('training sessions', () => {
  let t: TestApp;
  let team: Session;
  let adminA: Session;
  let adminB: Session;
  let members: { id: string }[];
  let memberA: { id: string };
  let memberB: { id: string };
  let firstSession = '';
  const inDays = (days: number, hour = 9) => {
    const d = new Date(Date.now() + days * 86_400_000);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  const newSession = async (capacity: number, perMemberCap: number | null = null) => {
    const res = await request(t.app, team, 'POST', '/api/v1/trainings/sessions', {
      title: 'Le parapheur électronique',
      audience: 'agents',
      startsAt: inDays(20),
      endsAt: inDays(20, 16),
      place: 'Maison des communes, La Roche-sur-Yon',
      departementCode: '85',
      trainer: 'Marie Formatrice',
      capacity,
      perMemberCap,
      registrationDeadline: inDays(18),
    });
    expect(res.statusCode).toBe(201);
    return res.json<TrainingSession>();
  };
  const register = (s: Session, sessionId: string, memberId: string, n: number) =>
    request(t.app, s, 'POST', `/api/v1/trainings/sessions/${sessionId}/registrations`, {
      memberId,
      name: `Personne ${n}`,
      email: `personne-${n}@commune.example`,
    });

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    const operator = await buildOperator(db);
    const a = await buildOrganisation(db, { name: 'Commune A', status: 'member' });
    const b = await buildOrganisation(db, { name: 'Commune B', status: 'member' });
    memberA = a;
    memberB = b;
    members = [a, b];
    for (let i = 0; i < 6; i++)
      members.push(await buildOrganisation(db, { name: `Syndicat ${i}`, status: 'member' }));
    team = await longSession(t, operator, 'agent', ['support'], 'Équipe formation');
    adminA = await longSession(t, a, 'admin');
    adminB = await longSession(t, b, 'admin');
  });
  afterAll(() => t.close());

  it('refuses a session ending before it starts, in French, naming the field', async () => {
    const res = await request(t.app, team, 'POST', '/api/v1/trainings/sessions', {
      title: 'Session impossible',
      startsAt: inDays(5, 14),
      endsAt: inDays(5, 9),
      place: 'À distance',
      capacity: 10,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ProblemBody>().errors?.[0]).toMatchObject({
      path: 'body.endsAt',
      message: 'La fin doit suivre le début',
    });
    expect((await request(t.app, adminA, 'POST', '/api/v1/trainings/sessions', {})).statusCode).toBe(400);
  });

  it('confirms within capacity, waitlists beyond, caps per member, then promotes and tells by e-mail', async () => {
    const session = await newSession(2, 2);
    firstSession = session.id;
    const r1 = await register(adminA, session.id, memberA.id, 1);
    const r2 = await register(adminA, session.id, memberA.id, 2);
    expect([r1.json<Registration>().status, r2.json<Registration>().status]).toEqual([
      'confirmed',
      'confirmed',
    ]);
    const capped = await register(adminA, session.id, memberA.id, 3);
    expect(capped.statusCode).toBe(409);
    expect(capped.json<ProblemBody>().detail).toContain('le maximum par structure');
    const waiting = await register(adminB, session.id, memberB.id, 4);
    expect(waiting.statusCode).toBe(201);
    expect(waiting.json<Registration>().status).toBe('waitlisted');
    expect(t.mail.delivered.find((m) => m.to === 'personne-4@commune.example')?.subject).toMatch(
      /^Liste d'attente/,
    );
    // Another member's people may not register for A, nor cancel A's registrations.
    expect((await register(adminB, session.id, memberA.id, 5)).statusCode).toBe(403);
    const id1 = r1.json<Registration>().id;
    expect(
      (await request(t.app, adminB, 'DELETE', `/api/v1/trainings/registrations/${id1}`)).statusCode,
    ).toBe(404);

    const anonymous = await request(t.app, null, 'GET', `/api/v1/trainings/sessions/${session.id}`);
    expect(anonymous.json<TrainingSession>()).toMatchObject({ confirmed: 2, waitlisted: 1, full: true });
    expect(anonymous.body).not.toContain('personne-');

    expect(
      (await request(t.app, adminA, 'DELETE', `/api/v1/trainings/registrations/${id1}`)).statusCode,
    ).toBe(204);
    const after = (
      await request(t.app, null, 'GET', `/api/v1/trainings/sessions/${session.id}`)
    ).json<TrainingSession>();
    expect(after).toMatchObject({ confirmed: 2, waitlisted: 0 });
    const promoted = t.mail.delivered.filter((m) => m.to === 'personne-4@commune.example').at(-1);
    expect(promoted?.subject).toMatch(/^Convocation : Le parapheur électronique/);
    expect(promoted?.text).toContain('Une place s’est libérée');
    expect(promoted?.text).toContain(`/api/v1/trainings/sessions/${session.id}/invitation.ics`);
    // The invitation itself is attached: an iCalendar file with the session's start.
    const invitation = promoted?.attachments?.[0];
    expect(invitation).toMatchObject({ fileName: 'invitation.ics' });
    expect(invitation?.contentType).toContain('text/calendar');
    const ics = invitation?.content.toString('utf8') ?? '';
    expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(ics).toContain(`DTSTART:${session.startsAt.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
    expect(ics).toContain('SUMMARY:Le parapheur électronique');
    const waitlistMail = t.mail.delivered.find((m) => m.subject.startsWith("Liste d'attente"));
    expect(waitlistMail?.attachments ?? []).toEqual([]);
  });

  it("tells each member's software of its own registrations, cancellations and promotions, by ids (webhooks)", async () => {
    const session = await newSession(1);
    const a = (await register(adminA, session.id, memberA.id, 31)).json<Registration>();
    const b = (await register(adminB, session.id, memberB.id, 32)).json<Registration>();
    expect(
      (await request(t.app, adminA, 'DELETE', `/api/v1/trainings/registrations/${a.id}`)).statusCode,
    ).toBe(204);
    const events = await t.database.db
      .select()
      .from(webhookEvents)
      .where(sql`${webhookEvents.data}->>'sessionId' = ${session.id}`);
    const seen = events.map((e) => [e.type, e.memberId, e.data.registrationId, e.data.status]);
    expect(seen).toHaveLength(4);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['training.registration_created', memberA.id, a.id, 'confirmed'],
        ['training.registration_created', memberB.id, b.id, 'waitlisted'],
        ['training.registration_cancelled', memberA.id, a.id, 'cancelled'],
        // A's freed place goes to B, whose software hears it (not only the mail).
        ['training.registration_promoted', memberB.id, b.id, 'confirmed'],
      ]),
    );
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain('personne-');
  });

  it('ties a session to a catalogue service that exists, refusing an unknown one', async () => {
    const service = await buildService(t.database.db, { name: 'Actes en préfecture' });
    const body = {
      title: 'Télétransmettre ses actes',
      startsAt: inDays(30),
      endsAt: inDays(30, 12),
      place: 'À distance',
      remote: true,
      capacity: 10,
    };
    const unknown = await request(t.app, team, 'POST', '/api/v1/trainings/sessions', {
      ...body,
      serviceId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ProblemBody>().errors?.[0]).toMatchObject({ path: 'body.serviceId' });
    const created = await request(t.app, team, 'POST', '/api/v1/trainings/sessions', {
      ...body,
      serviceId: service.id,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json<TrainingSession>().serviceId).toBe(service.id);
  });

  it('never goes over capacity under concurrent registrations', async () => {
    const session = await newSession(3);
    const answers = await Promise.all(
      members.map((m, i) =>
        request(t.app, team, 'POST', `/api/v1/trainings/sessions/${session.id}/registrations`, {
          memberId: m.id,
          name: `Concurrent ${i}`,
          email: `concurrent-${i}@commune.example`,
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(members.map(() => 201));
    const statuses = answers.map((a) => a.json<Registration>().status);
    expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(members.length - 3);
    const counts = (
      await request(t.app, null, 'GET', `/api/v1/trainings/sessions/${session.id}`)
    ).json<TrainingSession>();
    expect(counts).toMatchObject({ confirmed: 3, waitlisted: members.length - 3 });
  });

  it('serves the calendar, the .ics and the attendance sheet (read back)', async () => {
    const calendar = await request(t.app, null, 'GET', '/api/v1/trainings/sessions?departement=85');
    expect(calendar.statusCode).toBe(200);
    expect(calendar.json<{ total: number }>().total).toBeGreaterThanOrEqual(2);
    expect(calendar.json<{ items: TrainingSession[] }>().items.map((i) => i.id)).toContain(firstSession);
    const sessionId = firstSession;
    const ics = await request(t.app, null, 'GET', `/api/v1/trainings/sessions/${sessionId}/invitation.ics`);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('BEGIN:VEVENT');
    expect(ics.body).toContain('SUMMARY:Le parapheur électronique');
    const pdf = await request(t.app, team, 'GET', `/api/v1/trainings/sessions/${sessionId}/attendance.pdf`);
    expect(pdf.statusCode).toBe(200);
    const { PDFParse } = await import('pdf-parse');
    const { text } = await new PDFParse({ data: pdf.rawPayload }).getText();
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain("Feuille d'émargement");
    expect(flat).toContain('Personne 2');
    expect(flat).toContain('Commune A');
    expect(flat).toContain('Personne 4');
    expect(flat).not.toContain('Personne 1 ');
    expect(
      (await request(t.app, adminA, 'GET', `/api/v1/trainings/sessions/${sessionId}/attendance.pdf`))
        .statusCode,
    ).toBe(403);
  });
});
