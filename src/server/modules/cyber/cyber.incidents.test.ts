import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentYear } from '../../platform/clock.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { buildOrganisation, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildPool } from '../pricing/pricing.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { sendIncidentReminder } from './cyber.incidents.service.js';
import { answersOf, buildCyberCast } from './cyber.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildCyberCast>>;
const v1 = '/api/v1';
const member = (id: string) => `${v1}/members/${id}`;

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildCyberCast(t);
});
afterAll(async () => {
  await t.close();
});

describe('incidents', () => {
  it('out of NIS 2 scope: no deadlines; personal data: a linked breach at the same instant, both pointing to each other', async () => {
    const a = member(cast.communeA.id);
    const detectedAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const created = await request(t.app, cast.cyberA, 'POST', `${a}/incidents`, {
      category: 'ransomware',
      detectedAt,
      personalData: true,
      servicesAffected: ['État civil', 'Messagerie'],
    });
    expect(created.statusCode).toBe(201);
    const { id, deadlines, breachId } = created.json();
    expect(deadlines).toBeNull();
    expect(breachId).toEqual(expect.any(String));
    // The breach is in the RGPD register with the incident's instant and its own 72 h clock.
    const breach = await request(t.app, cast.adminA, 'GET', `${a}/breaches/${breachId}`);
    expect(breach.statusCode).toBe(200);
    expect(breach.json()).toMatchObject({
      awareAt: detectedAt,
      cnilNotificationRequired: true,
      notificationStatus: 'pending',
    });
    expect(Date.parse(breach.json().notificationDeadline) - Date.parse(detectedAt)).toBe(72 * 3_600_000);
    // From the breach, its incident.
    const back = await request(t.app, cast.adminA, 'GET', `${a}/incidents?breachId=${breachId}`);
    expect(back.json().items).toMatchObject([{ id, breachId }]);
    const detail = (await request(t.app, cast.cyberTeam, 'GET', `${a}/incidents/${id}`)).json();
    expect(detail).toMatchObject({ nis2: false, clocks: [], servicesAffected: ['État civil', 'Messagerie'] });
    expect(detail.timeline[0].text).toContain('Violation de données personnelles');
  });

  it('in NIS 2 scope: 24 h, 72 h and one month from detection, reminders by the job queue, once each', async () => {
    const a = member(cast.communeA.id);
    const refused = await request(t.app, cast.adminA, 'PUT', `${a}/cyber-profile`, { nis2InScope: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('NIS 2');
    const profile = await request(t.app, cast.adminA, 'PUT', `${a}/cyber-profile`, {
      nis2InScope: true,
      nis2Reason: 'Entité importante : communauté de plus de 50 000 habitants (désignée par le préfet).',
    });
    expect(profile.json().nis2InScope).toBe(true);
    const detectedAt = new Date(Date.now() - 3_600_000);
    const created = await request(t.app, cast.adminA, 'POST', `${a}/incidents`, {
      category: 'phishing',
      detectedAt: detectedAt.toISOString(),
      personalData: false,
    });
    const { id, deadlines, breachId } = created.json();
    expect(breachId).toBeNull();
    expect(Date.parse(deadlines.earlyWarning) - detectedAt.getTime()).toBe(24 * 3_600_000);
    expect(Date.parse(deadlines.notification) - detectedAt.getTime()).toBe(72 * 3_600_000);
    const detail = (await request(t.app, cast.adminA, 'GET', `${a}/incidents/${id}`)).json();
    expect(detail.nextClock).toMatchObject({ clock: 'earlyWarning', overdue: false });
    expect(detail.clocks.map((c: { clock: string }) => c.clock)).toEqual([
      'earlyWarning',
      'notification',
      'finalReport',
    ]);

    // The reminder job mails the member's people once, and not once the step is done.
    const payload = {
      incidentId: id,
      memberId: cast.communeA.id,
      clock: 'earlyWarning' as const,
      kind: 'lead' as const,
    };
    const sent = await withTenant(t.database.db, SYSTEM_OPERATOR, (tx) =>
      sendIncidentReminder(tx, t.app.mailer, payload),
    );
    expect(sent).toBe(2); // the admin and the référent sécurité of A
    const again = await withTenant(t.database.db, SYSTEM_OPERATOR, (tx) =>
      sendIncidentReminder(tx, t.app.mailer, payload),
    );
    expect(again).toBe(0);
    const done = await request(t.app, cast.adminA, 'PATCH', `${a}/incidents/${id}`, {
      earlyWarningSentAt: new Date().toISOString(),
      policeComplaintAt: new Date().toISOString(),
      status: 'contained',
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().nextClock.clock).toBe('notification');
    expect(done.json().timeline.map((e: { text: string }) => e.text)).toEqual(
      expect.arrayContaining(['Alerte précoce transmise', 'Plainte déposée', 'Incident maîtrisé']),
    );
    const dueLater = await withTenant(t.database.db, SYSTEM_OPERATOR, (tx) =>
      sendIncidentReminder(tx, t.app.mailer, { ...payload, kind: 'due' }),
    );
    expect(dueLater).toBe(0);

    const tooEarly = await request(t.app, cast.adminA, 'PATCH', `${a}/incidents/${id}`, {
      insurerDeclaredAt: new Date(detectedAt.getTime() - 86_400_000).toISOString(),
    });
    expect(tooEarly.statusCode).toBe(400);

    // The team's dashboard lists it by its running clock.
    const dashboard = (await request(t.app, cast.cyberTeam, 'GET', `${v1}/cyber/dashboard`)).json();
    expect(dashboard.openIncidents[0]).toMatchObject({ id, nextClock: { clock: 'notification' } });
    const rows = await request(t.app, cast.cyberTeam, 'GET', `${v1}/cyber/members?q=roche`);
    expect(rows.statusCode).toBe(200);
    expect(rows.json().items).toMatchObject([
      { memberId: cast.communeA.id, nis2InScope: true, openIncidents: 2, maturity: null },
    ]);
  });

  it("hides a member's incidents from another member, even through its own path", async () => {
    const list = (await request(t.app, cast.adminA, 'GET', `${member(cast.communeA.id)}/incidents`)).json();
    const id = list.items[0].id;
    expect(
      (await request(t.app, cast.adminB, 'GET', `${member(cast.communeA.id)}/incidents`)).statusCode,
    ).toBe(403);
    expect(
      (await request(t.app, cast.agentA, 'GET', `${member(cast.communeA.id)}/incidents`)).statusCode,
    ).toBe(403);
    expect(
      (await request(t.app, cast.adminB, 'GET', `${member(cast.communeB.id)}/incidents/${id}`)).statusCode,
    ).toBe(404);
    const timeline = await request(
      t.app,
      cast.adminB,
      'POST',
      `${member(cast.communeB.id)}/incidents/${id}/timeline`,
      {
        at: new Date().toISOString(),
        text: 'Intrusion',
      },
    );
    expect(timeline.statusCode).toBe(404);
  });
});

describe('diagnostics', () => {
  it('refuses an incomplete questionnaire, naming the question', async () => {
    const { 'backups.offline': _, ...answers } = answersOf('yes');
    const response = await request(t.app, cast.adminA, 'POST', `${member(cast.communeA.id)}/diagnostics`, {
      answers,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      expect.objectContaining({
        path: 'body.answers.backups.offline',
        message: expect.stringContaining('hors ligne'),
      }),
    ]);
  });

  it('scores per theme, plans measures linked to catalogue services, compares with the previous one', async () => {
    const a = member(cast.communeA.id);
    const first = await request(t.app, cast.cyberA, 'POST', `${a}/diagnostics`, { answers: answersOf('no') });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ overallScore: 0, maturity: 'initial', previous: null, peers: null });
    const second = await request(t.app, cast.cyberA, 'POST', `${a}/diagnostics`, {
      answers: answersOf('yes', { 'backups.regular': 'no', 'backups.offline': 'partial' }),
      respondents: 'DGS et référent sécurité',
    });
    const body = second.json();
    expect(body.previous).toMatchObject({ id: first.json().id, overallScore: 0 });
    expect(body.themeScores.find((s: { theme: string }) => s.theme === 'backups').score).toBe(
      Math.round((100 * 7) / 16),
    );
    expect(body.actionPlan.map((m: { questionId: string }) => m.questionId)).toEqual([
      'backups.regular',
      'backups.offline',
    ]);
    // No catalogue service « CYBER-SAUVEGARDE » in this test's catalogue: no link, no cost.
    expect(body.actionPlan[0].service).toBeNull();
    const list = (await request(t.app, cast.adminA, 'GET', `${a}/diagnostics`)).json();
    expect(list.items.map((d: { id: string }) => d.id)).toEqual([body.id, first.json().id]);
    expect((await request(t.app, cast.readerA, 'GET', `${a}/diagnostics`)).statusCode).toBe(403);
  });

  it("links a measure to the operator's service with the member's share of its cost (pricing engine)", async () => {
    const db = t.database.db;
    const year = currentYear();
    const backup = await buildService(db, {
      code: 'CYBER-SAUVEGARDE',
      domain: 'cybersecurite',
      name: 'Sauvegarde externalisée',
    });
    await buildPool(db, { serviceId: backup.id, year, poolCents: 300_000 });
    // Two subscribers share 3,000 € equally: B pays 1,500 €; A, joining, would pay a third.
    const other = await buildOrganisation(db, { name: 'Syndicat abonné' });
    await buildSubscription(db, { memberId: other.id, serviceId: backup.id });
    await buildSubscription(db, { memberId: cast.communeB.id, serviceId: backup.id });
    const a = await request(t.app, cast.adminA, 'POST', `${member(cast.communeA.id)}/diagnostics`, {
      answers: answersOf('yes', { 'backups.regular': 'no' }),
    });
    expect(a.json().actionPlan[0]).toMatchObject({
      questionId: 'backups.regular',
      service: {
        id: backup.id,
        name: 'Sauvegarde externalisée',
        subscribed: false,
        annualCostCents: 100_000,
      },
    });
    const b = await request(t.app, cast.adminB, 'POST', `${member(cast.communeB.id)}/diagnostics`, {
      answers: answersOf('yes', { 'backups.regular': 'no' }),
    });
    expect(b.json().actionPlan[0].service).toMatchObject({ subscribed: true, annualCostCents: 150_000 });
  });

  it('shows the median of similar members only when at least five have a diagnostic', async () => {
    const db = t.database.db;
    const peers = [];
    for (let i = 0; i < 5; i++) {
      const org = await buildOrganisation(db, {
        name: `Syndicat ${i}`,
        kind: 'syndicat_mixte',
        population: 3_000 + i,
      });
      peers.push({ org, admin: await sessionAs(t, org, 'admin') });
    }
    const scores: number[] = [];
    for (const [i, p] of peers.entries()) {
      const response = await request(t.app, p.admin, 'POST', `${member(p.org.id)}/diagnostics`, {
        answers: answersOf(i < 2 ? 'no' : i < 4 ? 'partial' : 'yes'),
      });
      scores.push(response.json().overallScore);
      expect(response.json().peers === null).toBe(i < 4);
    }
    const last = (
      await request(
        t.app,
        peers[0]?.admin ?? cast.adminA,
        'GET',
        `${member(peers[0]?.org.id ?? '')}/diagnostics`,
      )
    ).json();
    const detail = (
      await request(
        t.app,
        peers[0]?.admin ?? cast.adminA,
        'GET',
        `${member(peers[0]?.org.id ?? '')}/diagnostics/${last.items[0].id}`,
      )
    ).json();
    expect(detail.peers).toMatchObject({
      count: 5,
      overallScore: 50,
      label: 'Syndicats mixtes de 2 000 à 9 999 habitants',
    });
    expect(scores).toEqual([0, 0, 50, 50, 100]);
  });
});
