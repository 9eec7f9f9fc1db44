import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Article,
  type Registration,
  SERVICE_ID_REQUIRED,
  SESSION_FIELDS_REQUIRED_ON_UPDATE,
  type Ticket,
  type TrainingSession,
  VISIBILITY_REQUIRED,
} from '../../../contracts/support.js';
import type {
  PublicSurvey,
  ServiceLevel,
  SessionRegistrationList,
  SurveyResults,
  TrainingReport,
} from '../../../contracts/support-training.js';
import { hashToken } from '../../platform/auth/session.js';
import { useClock } from '../../platform/clock.js';
import { rowsOf } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import type { ProblemBody } from '../../test/bodies.js';
import { buildOperator, buildOrganisation } from '../../test/builders.js';
import { readPdf } from '../acts/publication/pdf-reader.test-support.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { webhookEvents } from '../webhooks/webhooks.schema.js';
import { longSession } from './support.test-support.js';
import { trainingSurveys } from './support.training.schema.js';

/**
 * After a training session: attendance recorded by the team (audited, refused before the session and
 * for a registration that is not a confirmed one of it), the mail with the personal link, the survey
 * answered once, the certificate read back (through the link, by the member's people, never by another
 * member), the aggregated answers, the reports and their export; then the team's edits of sessions,
 * articles and service levels.
 */
describe('training follow-up', () => {
  let t: TestApp;
  let restoreClock: () => void;
  let team: Session;
  let adminA: Session;
  let readerA: Session;
  let adminB: Session;
  let memberA: Awaited<ReturnType<typeof buildOrganisation>>;
  let memberB: Awaited<ReturnType<typeof buildOrganisation>>;
  let sessionId = '';
  const registrations: Registration[] = [];
  let waitlisted: Registration;
  let token = '';
  // Monday 3 May 2027, 08:00 in Paris.
  const START = new Date('2027-05-03T06:00:00Z');
  const at = (days: number, hour: number) => {
    const d = new Date(START.getTime() + days * 86_400_000);
    d.setUTCHours(hour - 2, 0, 0, 0);
    return d.toISOString();
  };
  const setClock = (iso: string) => {
    restoreClock();
    restoreClock = useClock(new Date(iso));
  };

  beforeAll(async () => {
    restoreClock = useClock(START);
    t = await createTestApp();
    const db = t.database.db;
    const operator = await buildOperator(db);
    memberA = await buildOrganisation(db, {
      name: 'Commune de Mareuil',
      kind: 'ccas',
      departementCode: '85',
    });
    memberB = await buildOrganisation(db, { name: 'Syndicat des eaux', departementCode: '44' });
    team = await longSession(t, operator, 'agent', ['support'], 'Équipe formation');
    adminA = await longSession(t, memberA, 'admin');
    readerA = await longSession(t, memberA, 'reader');
    adminB = await longSession(t, memberB, 'admin');
    const created = await request(t.app, team, 'POST', '/api/v1/trainings/sessions', {
      title: 'Le registre RGPD de la commune',
      audience: 'agents',
      startsAt: at(10, 9),
      endsAt: at(10, 16),
      place: 'Maison des communes, La Roche-sur-Yon',
      departementCode: '85',
      trainer: 'Anne Chiron',
      capacity: 3,
      registrationDeadline: at(8, 17),
    });
    expect(created.statusCode).toBe(201);
    sessionId = created.json<TrainingSession>().id;
    const people: [Session, { id: string }, string][] = [
      [adminA, memberA, 'Lucie Martin'],
      [adminA, memberA, 'Hugo Bernard'],
      [adminB, memberB, 'Nina Petit'],
      [adminB, memberB, 'Paul Attente'],
    ];
    for (const [session, member, name] of people) {
      const res = await request(
        t.app,
        session,
        'POST',
        `/api/v1/trainings/sessions/${sessionId}/registrations`,
        {
          memberId: member.id,
          name,
          email: `${name.toLowerCase().replace(' ', '.')}@commune.example`,
        },
      );
      expect(res.statusCode).toBe(201);
      registrations.push(res.json<Registration>());
    }
    waitlisted = registrations.pop() as Registration;
    expect(waitlisted.status).toBe('waitlisted');
  });
  afterAll(async () => {
    restoreClock();
    await t.close();
  });

  it('edits a session, refusing a capacity below the confirmed registrations', async () => {
    const service = await buildService(t.database.db, { name: 'Registre RGPD mutualisé' });
    const body = {
      title: 'Le registre RGPD de la commune (mise à jour)',
      description: null,
      audience: 'agents',
      startsAt: at(10, 9),
      endsAt: at(10, 16),
      place: 'Maison des communes, La Roche-sur-Yon',
      departementCode: '85',
      remote: false,
      trainer: 'Anne Chiron',
      capacity: 2,
      perMemberCap: null,
      registrationDeadline: at(8, 17),
      serviceId: service.id,
    };
    const refused = await request(t.app, team, 'PUT', `/api/v1/trainings/sessions/${sessionId}`, body);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<ProblemBody>().errors?.[0]).toMatchObject({ path: 'body.capacity' });
    const edited = await request(t.app, team, 'PUT', `/api/v1/trainings/sessions/${sessionId}`, {
      ...body,
      capacity: 3,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<TrainingSession>()).toMatchObject({
      title: body.title,
      confirmed: 3,
      waitlisted: 1,
      serviceId: service.id,
    });
    expect(
      (await request(t.app, adminA, 'PUT', `/api/v1/trainings/sessions/${sessionId}`, body)).statusCode,
    ).toBe(403);
  });

  it('requires every field on a PUT (null clears one): a client that leaves one out gets a 400 naming it and loses nothing', async () => {
    const url = `/api/v1/trainings/sessions/${sessionId}`;
    const before = (await request(t.app, team, 'GET', url)).json<TrainingSession>();
    expect(before.serviceId).not.toBeNull();
    const full = {
      title: before.title,
      description: 'Tenir le registre des traitements de la commune.',
      audience: 'agents',
      startsAt: before.startsAt,
      endsAt: before.endsAt,
      place: before.place,
      departementCode: '85',
      remote: true,
      trainer: 'Anne Chiron',
      capacity: 3,
      perMemberCap: 2,
      registrationDeadline: at(8, 17),
      serviceId: before.serviceId,
    };
    // What the PUT sets besides the fields a new session requires.
    const { title: _t, startsAt: _s, endsAt: _e, place: _p, capacity: _c, ...kept } = full;
    const set = await request(t.app, team, 'PUT', url, full);
    expect(set.statusCode).toBe(200);
    expect(set.json<TrainingSession>()).toMatchObject(kept);
    // A new session may leave the optional fields out (beforeAll's POST does); a PUT may not: each one
    // left out is a 400 naming it, and the session keeps what it had.
    for (const [field, message] of Object.entries(SESSION_FIELDS_REQUIRED_ON_UPDATE)) {
      const { [field as keyof typeof full]: _left, ...without } = full;
      const refused = await request(t.app, team, 'PUT', url, { ...without, title: 'Titre changé' });
      expect(refused.statusCode, field).toBe(400);
      expect(refused.json<ProblemBody>().errors).toEqual([{ path: `body.${field}`, message }]);
      expect(refused.json<ProblemBody>().detail).toContain(field);
    }
    expect(SESSION_FIELDS_REQUIRED_ON_UPDATE.serviceId).toBe(SERVICE_ID_REQUIRED);
    expect((await request(t.app, team, 'GET', url)).json<TrainingSession>()).toMatchObject({
      title: before.title,
      ...kept,
    });
    const malformed = await request(t.app, team, 'PUT', url, { ...full, serviceId: 'abc' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<ProblemBody>().errors?.[0]?.path).toBe('body.serviceId');
    // null clears a field (the deadline falls back to the start).
    const cleared = await request(t.app, team, 'PUT', url, {
      ...full,
      description: null,
      audience: 'tous',
      departementCode: null,
      remote: false,
      trainer: null,
      perMemberCap: null,
      registrationDeadline: null,
      serviceId: null,
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json<TrainingSession>()).toMatchObject({
      capacity: 3,
      description: null,
      audience: 'tous',
      departementCode: null,
      remote: false,
      trainer: null,
      perMemberCap: null,
      registrationDeadline: before.startsAt,
      serviceId: null,
    });
  });

  it('refuses attendance before the session starts, then records it (audited) and mails each attendee once', async () => {
    const [lucie, hugo, nina] = registrations;
    const url = `/api/v1/trainings/sessions/${sessionId}/attendance`;
    const body = {
      attendance: [
        { registrationId: lucie.id, attended: true },
        { registrationId: hugo.id, attended: false },
        { registrationId: nina.id, attended: true },
      ],
    };
    const early = await request(t.app, team, 'PUT', url, body);
    expect(early.statusCode).toBe(409);
    expect(early.json<ProblemBody>().detail).toContain("n'a pas encore commencé");

    setClock(at(10, 17));
    const wrong = await request(t.app, team, 'PUT', url, {
      attendance: [...body.attendance, { registrationId: waitlisted.id, attended: true }],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<ProblemBody>().errors?.[0]).toMatchObject({
      path: 'body.attendance.3.registrationId',
      message: "Ligne 4 : cette inscription n'est pas une inscription confirmée de la session",
    });
    expect((await request(t.app, adminA, 'PUT', url, body)).statusCode).toBe(403);

    const recorded = await request(t.app, team, 'PUT', url, body);
    expect(recorded.statusCode).toBe(200);
    const list = recorded.json<SessionRegistrationList>();
    expect(list.attendanceRecordedAt).not.toBeNull();
    expect(list.items.map((r) => [r.name, r.attended])).toEqual([
      ['Lucie Martin', true],
      ['Hugo Bernard', false],
      ['Nina Petit', true],
      ['Paul Attente', null],
    ]);
    const mails = t.mail.delivered.filter((m) => m.subject.startsWith('Votre avis et votre attestation'));
    expect(mails.map((m) => m.to).sort()).toEqual([
      'lucie.martin@commune.example',
      'nina.petit@commune.example',
    ]);
    // The certificate is attached (its link kept in the text), a PDF naming the attendee.
    const lucieMail = mails.find((m) => m.to === 'lucie.martin@commune.example');
    const certificate = lucieMail?.attachments?.[0];
    expect(certificate).toMatchObject({
      fileName: 'attestation-lucie-martin.pdf',
      contentType: 'application/pdf',
    });
    expect(certificate?.content.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect((await readPdf(certificate?.content ?? Buffer.alloc(0))).text).toContain('Lucie Martin');
    expect(lucieMail?.text).toContain('/certificate.pdf');
    const link = lucieMail?.text.match(/\/formations\/avis\/([\w-]+)/);
    token = link?.[1] ?? '';
    expect(token).toHaveLength(43);
    // Only the hash is stored.
    const stored = rowsOf<{ token_hash: string }>(
      await t.database.db.execute(sql`SELECT token_hash FROM training_surveys`),
    );
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    // A correction (Hugo was there after all) mails him only.
    await request(t.app, team, 'PUT', url, { attendance: [{ registrationId: hugo.id, attended: true }] });
    const after = t.mail.delivered.filter((m) => m.subject.startsWith('Votre avis et votre attestation'));
    expect(after.map((m) => m.to).sort()).toEqual([
      'hugo.bernard@commune.example',
      'lucie.martin@commune.example',
      'nina.petit@commune.example',
    ]);
    const audit = rowsOf<{ action: string }>(
      await t.database.db.execute(
        sql`SELECT action FROM audit_events WHERE target_id = ${sessionId} AND action = 'training.attendance.record'`,
      ),
    );
    expect(audit).toHaveLength(2);

    // Each member's software hears of its own people's attendance (changed values only), by ids.
    const events = await t.database.db
      .select()
      .from(webhookEvents)
      .where(eq(webhookEvents.type, 'training.attendance_recorded'));
    expect(events.map((e) => [e.memberId, e.data.registrationId, e.data.attended, e.data.sessionId])).toEqual(
      expect.arrayContaining([
        [memberA.id, lucie.id, true, sessionId],
        [memberA.id, hugo.id, false, sessionId],
        [memberB.id, nina.id, true, sessionId],
        [memberA.id, hugo.id, true, sessionId],
      ]),
    );
    expect(events).toHaveLength(4);
    expect(JSON.stringify(events.map((e) => e.data))).not.toMatch(/commune\.example|Lucie|Nina|Hugo/);
  });

  it('opens the survey through the link, takes one answer, and aggregates it for the team', async () => {
    const opened = await request(t.app, null, 'GET', `/api/v1/trainings/surveys/${token}`);
    expect(opened.statusCode).toBe(200);
    expect(opened.json<PublicSurvey>()).toMatchObject({
      name: 'Lucie Martin',
      answeredAt: null,
      certificateAvailable: true,
    });
    expect(
      (await request(t.app, null, 'GET', `/api/v1/trainings/surveys/${'x'.repeat(43)}`)).statusCode,
    ).toBe(404);
    const bad = await request(t.app, null, 'POST', `/api/v1/trainings/surveys/${token}`, { overall: 6 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ProblemBody>().errors?.map((e) => e.path)).toEqual(['body.overall', 'body.usefulness']);
    const answer = { overall: 4, usefulness: 'very', comment: 'Très concret, merci.' };
    const answered = await request(t.app, null, 'POST', `/api/v1/trainings/surveys/${token}`, answer);
    expect(answered.statusCode).toBe(200);
    expect(answered.json<PublicSurvey>().answeredAt).not.toBeNull();
    const again = await request(t.app, null, 'POST', `/api/v1/trainings/surveys/${token}`, answer);
    expect(again.statusCode).toBe(409);

    const results = await request(
      t.app,
      team,
      'GET',
      `/api/v1/trainings/sessions/${sessionId}/survey-results`,
    );
    expect(results.json<SurveyResults>()).toMatchObject({
      invited: 3,
      answered: 1,
      overallAverage: 4,
      overallCounts: [0, 0, 0, 1, 0],
      usefulnessCounts: { very: 1, rather: 0, little: 0, not: 0 },
      comments: [{ overall: 4, comment: 'Très concret, merci.' }],
    });
    expect(
      (await request(t.app, adminA, 'GET', `/api/v1/trainings/sessions/${sessionId}/survey-results`))
        .statusCode,
    ).toBe(403);
  });

  it('gives the certificate to the link, the member’s people and the team — not to another member, not to the absent', async () => {
    const [lucie] = registrations;
    const viaLink = await request(t.app, null, 'GET', `/api/v1/trainings/surveys/${token}/certificate.pdf`);
    expect(viaLink.statusCode).toBe(200);
    expect(viaLink.headers['content-type']).toBe('application/pdf');
    const { text, info } = await readPdf(viaLink.rawPayload);
    expect(text).toContain('Attestation de présence');
    expect(text).toContain('Lucie Martin');
    expect(text).toContain('Commune de Mareuil');
    expect(text).toContain('Le registre RGPD de la commune (mise à jour)');
    expect(text).toContain('durée : 7 h');
    expect(String(info.Title)).toContain('Lucie Martin');

    const url = `/api/v1/trainings/registrations/${lucie.id}/certificate.pdf`;
    expect((await request(t.app, readerA, 'GET', url)).statusCode).toBe(200);
    expect((await request(t.app, team, 'GET', url)).statusCode).toBe(200);
    expect((await request(t.app, adminB, 'GET', url)).statusCode).toBe(404);
    expect((await request(t.app, null, 'GET', url)).statusCode).toBe(401);
    const absent = await request(
      t.app,
      adminB,
      'GET',
      `/api/v1/trainings/registrations/${waitlisted.id}/certificate.pdf`,
    );
    expect(absent.statusCode).toBe(409);

    const mine = await request(t.app, readerA, 'GET', `/api/v1/members/${memberA.id}/trainings`);
    expect(mine.json<{ items: { name: string; certificateAvailable: boolean }[] }>().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Lucie Martin', certificateAvailable: true }),
        expect.objectContaining({ name: 'Hugo Bernard', certificateAvailable: true }),
      ]),
    );
    expect((await request(t.app, adminB, 'GET', `/api/v1/members/${memberA.id}/trainings`)).statusCode).toBe(
      403,
    );
  });

  it('keeps surveys behind RLS: members never read them, a link reads only its own', async () => {
    const db = t.database.db;
    const seen = await withTenant(
      db,
      { userId: adminB.userId, memberId: memberB.id, operatorRole: null },
      (tx) => tx.select({ memberId: trainingSurveys.memberId }).from(trainingSurveys),
    );
    // Not even its own attendee's answer: opinions go to the training team only.
    expect(seen).toHaveLength(0);
    const anonymous = await withTenant(
      db,
      { userId: null, memberId: null, operatorRole: null, anonymousRead: false },
      (tx) => tx.select().from(trainingSurveys).where(eq(trainingSurveys.sessionId, sessionId)),
    );
    expect(anonymous).toHaveLength(0);
    const linked = await withTenant(
      db,
      { userId: null, memberId: null, operatorRole: null, anonymousRead: false },
      async (tx) => {
        await tx.execute(sql`SELECT set_config('app.training_survey_token', ${hashToken(token)}, true)`);
        return tx.select({ memberId: trainingSurveys.memberId }).from(trainingSurveys);
      },
    );
    expect(linked).toEqual([{ memberId: memberA.id }]);
  });

  it('reports people and members trained per département and kind, fill rates and waiting lists, and exports them', async () => {
    const res = await request(t.app, team, 'GET', '/api/v1/trainings/reports?from=2027-01-01&to=2027-12-31');
    expect(res.statusCode).toBe(200);
    const report = res.json<TrainingReport>();
    expect(report.territories).toEqual([
      { departementCode: '44', memberKind: 'syndicat_intercommunal', people: 1, members: 1 },
      { departementCode: '85', memberKind: 'ccas', people: 2, members: 1 },
    ]);
    expect(report.sessions).toEqual([
      expect.objectContaining({
        id: sessionId,
        capacity: 3,
        confirmed: 3,
        waitlisted: 1,
        attended: 3,
        fillRate: 1,
      }),
    ]);
    expect(report.sessions[0]).toMatchObject({ surveyAnswers: 1, overallAverage: 4 });
    expect(report.waitingLists).toEqual([
      {
        title: 'Le registre RGPD de la commune (mise à jour)',
        departementCode: '44',
        waitlisted: 1,
        members: 1,
        sessions: 1,
      },
    ]);
    const empty = await request(
      t.app,
      team,
      'GET',
      '/api/v1/trainings/reports?from=2026-01-01&to=2026-12-31',
    );
    expect(empty.json<TrainingReport>().sessions).toEqual([]);
    const backwards = await request(
      t.app,
      team,
      'GET',
      '/api/v1/trainings/reports?from=2027-12-31&to=2027-01-01',
    );
    expect(backwards.json<ProblemBody>().errors?.[0]).toMatchObject({
      path: 'query.to',
      message: 'La fin de période doit suivre son début',
    });

    const csv = await request(
      t.app,
      team,
      'GET',
      '/api/v1/trainings/reports/export?from=2027-01-01&to=2027-12-31&part=sessions&format=csv',
    );
    expect(csv.headers['content-type']).toContain('text/csv');
    const { parse } = await import('csv-parse/sync');
    const rows: string[][] = parse(csv.rawPayload.toString('utf8').replace(/^\uFEFF/, ''), {
      delimiter: ';',
    });
    expect(rows[0]).toContain('Taux de remplissage (%)');
    expect(rows[1]?.[0]).toBe('Le registre RGPD de la commune (mise à jour)');
    expect(rows[1]?.[6]).toBe('100,0');
    const xlsx = await request(
      t.app,
      team,
      'GET',
      '/api/v1/trainings/reports/export?from=2027-01-01&to=2027-12-31&part=territories&format=xlsx',
    );
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(1).getCell(3).value).toBe('Personnes formées');
    expect(sheet?.getRow(3).getCell(2).value).toBe('CCAS / CIAS');
    expect(sheet?.getRow(3).getCell(3).value).toBe(2);
    expect(
      (await request(t.app, adminA, 'GET', '/api/v1/trainings/reports?from=2027-01-01&to=2027-12-31'))
        .statusCode,
    ).toBe(403);
  });

  it('lets the team edit and delete an article, tied to a catalogue service that exists', async () => {
    const service = await buildService(t.database.db, { name: 'Parapheur électronique' });
    const created = await request(t.app, team, 'POST', '/api/v1/support/articles', {
      title: 'Brouillon',
      body: 'Texte provisoire.',
      serviceId: service.id,
    });
    expect(created.json<Article>().serviceId).toBe(service.id);
    const id = created.json<Article>().id;
    const unknown = await request(t.app, team, 'PUT', `/api/v1/support/articles/${id}`, {
      title: 'Brouillon',
      body: 'Texte provisoire.',
      serviceId: '00000000-0000-4000-8000-000000000000',
      visibility: 'public',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ProblemBody>().errors?.[0]).toMatchObject({
      path: 'body.serviceId',
      message: "Ce service n'existe pas dans le catalogue.",
    });
    const edit = { title: 'Changer de mot de passe', body: 'Ouvrez **Mon compte**.', visibility: 'members' };
    // Without serviceId (an older client): refused, the article keeps its service.
    const refused = await request(t.app, team, 'PUT', `/api/v1/support/articles/${id}`, edit);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ProblemBody>().errors).toEqual([
      { path: 'body.serviceId', message: SERVICE_ID_REQUIRED },
    ]);
    expect(
      (await request(t.app, team, 'GET', `/api/v1/support/articles/${id}`)).json<Article>(),
    ).toMatchObject({ title: 'Brouillon', serviceId: service.id });
    // Without visibility: refused too, rather than made public by default.
    const { visibility: _visibility, ...withoutVisibility } = edit;
    const noVisibility = await request(t.app, team, 'PUT', `/api/v1/support/articles/${id}`, {
      ...withoutVisibility,
      serviceId: service.id,
    });
    expect(noVisibility.statusCode).toBe(400);
    expect(noVisibility.json<ProblemBody>().errors).toEqual([
      { path: 'body.visibility', message: VISIBILITY_REQUIRED },
    ]);
    const kept = await request(t.app, team, 'PUT', `/api/v1/support/articles/${id}`, {
      ...edit,
      serviceId: service.id,
    });
    expect(kept.json<Article>()).toMatchObject({ title: edit.title, serviceId: service.id });
    const edited = await request(t.app, team, 'PUT', `/api/v1/support/articles/${id}`, {
      ...edit,
      serviceId: null,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<Article>()).toMatchObject({
      title: 'Changer de mot de passe',
      visibility: 'members',
      serviceId: null,
    });
    expect(edited.json<Article>().html).toContain('<strong>Mon compte</strong>');
    const search = await request(t.app, readerA, 'GET', '/api/v1/support/articles?q=MOT DE PASSE');
    expect(search.json<{ items: { id: string }[] }>().items.map((a) => a.id)).toContain(id);
    expect((await request(t.app, null, 'GET', `/api/v1/support/articles/${id}`)).statusCode).toBe(404);
    expect((await request(t.app, adminA, 'DELETE', `/api/v1/support/articles/${id}`)).statusCode).toBe(403);
    expect((await request(t.app, team, 'DELETE', `/api/v1/support/articles/${id}`)).statusCode).toBe(204);
    expect((await request(t.app, team, 'GET', `/api/v1/support/articles/${id}`)).statusCode).toBe(404);
  });

  it('lets the team set a service level, which the next ticket of that service and priority follows', async () => {
    const db = t.database.db;
    const service = await buildService(db, { name: 'Messagerie hébergée' });
    await buildSubscription(db, { memberId: memberA.id, serviceId: service.id });
    const list = await request(t.app, team, 'GET', '/api/v1/support/service-levels');
    const row = list
      .json<{ items: ServiceLevel[] }>()
      .items.find((l) => l.serviceId === service.id && l.priority === 'critical');
    expect(row).toMatchObject({ isDefault: true, firstResponseMinutes: 60, resolutionMinutes: 480 });
    const url = `/api/v1/support/service-levels/${service.id}/critical`;
    const refused = await request(t.app, team, 'PUT', url, {
      firstResponseMinutes: 120,
      resolutionMinutes: 60,
    });
    expect(refused.json<ProblemBody>().errors?.[0]).toMatchObject({ path: 'body.resolutionMinutes' });
    const set = await request(t.app, team, 'PUT', url, { firstResponseMinutes: 30, resolutionMinutes: 240 });
    expect(set.json<ServiceLevel>()).toMatchObject({ isDefault: false, firstResponseMinutes: 30 });
    expect(
      (await request(t.app, adminA, 'PUT', url, { firstResponseMinutes: 30, resolutionMinutes: 240 }))
        .statusCode,
    ).toBe(403);
    const ticket = await request(t.app, adminA, 'POST', `/api/v1/members/${memberA.id}/tickets`, {
      subject: 'Messagerie en panne',
      description: 'Plus aucun courriel.',
      serviceId: service.id,
      priority: 'critical',
    });
    expect(ticket.statusCode).toBe(201);
    const detail = await request(
      t.app,
      team,
      'GET',
      `/api/v1/support/tickets/${ticket.json<{ id: string }>().id}`,
    );
    const opened = detail.json<Ticket>();
    // Opened on Thursday 13 May 2027 at 17:00 in Paris: 30 business minutes later, 17:30.
    expect(opened.firstResponseDueAt).toBe('2027-05-13T15:30:00.000Z');
  });
});
