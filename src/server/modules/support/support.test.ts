import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../contracts/defined.js';
import type {
  SupportReport,
  Ticket,
  TicketCreated,
  TicketList,
  TicketQueue,
} from '../../../contracts/support.js';
import { useClock } from '../../platform/clock.js';
import { rowsOf } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import type { ProblemBody } from '../../test/bodies.js';
import { buildOperator, buildOrganisation } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { supportServiceLevels, supportTickets } from './support.schema.js';
import { longSession } from './support.test-support.js';

/**
 * Tickets through the API: due dates in business time, who sees what, replies and internal notes,
 * the clock stopped while waiting for the member, resolution, confirmation and reopening, the SLA
 * alert jobs, and RLS as the backstop (other members' tickets and internal notes).
 */
describe('support tickets', () => {
  let t: TestApp;
  let restoreClock: () => void;
  let memberA: { id: string };
  let memberB: { id: string };
  let operator: Awaited<ReturnType<typeof buildOperator>>;
  let adminA: Session;
  let agentA: Session;
  let agent2A: Session;
  let adminB: Session;
  let support: Session;
  let opCyber: Session;
  let serviceId: string;
  let unsubscribedServiceId: string;
  let ticketId: string;
  // Friday 26 March 2027, 18:00 in Paris (UTC+1): Easter Monday is 29 March, summer time starts on the 28th.
  const FRIDAY_EVENING = new Date('2027-03-26T17:00:00Z');
  const setClock = (at: Date) => {
    restoreClock();
    restoreClock = useClock(at);
  };

  beforeAll(async () => {
    restoreClock = useClock(FRIDAY_EVENING);
    t = await createTestApp();
    const db = t.database.db;
    operator = await buildOperator(db);
    const a = await buildOrganisation(db, { name: 'Commune A', status: 'member' });
    const b = await buildOrganisation(db, { name: 'Commune B', status: 'member' });
    memberA = a;
    memberB = b;
    adminA = await longSession(t, a, 'admin', [], 'Dominique Secrétaire');
    agentA = await longSession(t, a, 'agent', [], 'Alix Agent');
    agent2A = await longSession(t, a, 'agent', [], 'Charlie Agent');
    adminB = await longSession(t, b, 'admin');
    support = await longSession(t, operator, 'agent', ['support'], 'Sam Assistance');
    opCyber = await longSession(t, operator, 'agent', ['cyber']);
    const service = await buildService(db, { name: 'Messagerie' });
    const other = await buildService(db, { name: 'Hébergement' });
    await buildSubscription(db, { memberId: a.id, serviceId: service.id });
    serviceId = service.id;
    unsubscribedServiceId = other.id;
    await db.insert(supportServiceLevels).values({
      serviceId,
      priority: 'critical',
      firstResponseMinutes: 30,
      resolutionMinutes: 240,
    });
  });
  afterAll(async () => {
    restoreClock();
    await t.close();
  });

  const open = (session: Session, body: Record<string, unknown>, member = memberA.id) =>
    request(t.app, session, 'POST', `/api/v1/members/${member}/tickets`, body);

  it('opens a ticket on a Friday evening before Easter Monday: due on Tuesday, in summer time', async () => {
    const res = await open(agentA, {
      subject: 'Impossible d’envoyer des courriels',
      description: 'Depuis ce matin la messagerie refuse nos envois.',
    });
    expect(res.statusCode).toBe(201);
    const created = res.json<TicketCreated>();
    expect(created).toMatchObject({ status: 'open', priority: 'medium' });
    // 8 business hours: Monday is a holiday, Tuesday 30 March 8:30–17:30 in Paris (UTC+2).
    expect(created.firstResponseDueAt).toBe('2027-03-30T15:30:00.000Z');
    // 40 business hours: Tuesday to Friday, then Monday 5 April until 17:30.
    expect(created.resolutionDueAt).toBe('2027-04-05T15:30:00.000Z');
    ticketId = created.id;
    // The support team was told of the new ticket through the outbox.
    expect(t.mail.delivered.some((m) => m.subject.includes('Nouveau ticket'))).toBe(true);
  });

  it('uses the service level of the service and priority from urgency × impact', async () => {
    const res = await open(adminA, {
      subject: 'Messagerie en panne pour toute la mairie',
      description: 'Plus rien ne part.',
      serviceId,
      urgency: 'high',
      impact: 'high',
      category: 'incident',
    });
    expect(res.statusCode).toBe(201);
    const created = res.json<TicketCreated>();
    expect(created.priority).toBe('critical');
    // 30 business minutes from Friday 18:00: Tuesday 9:00 in Paris.
    expect(created.firstResponseDueAt).toBe('2027-03-30T07:00:00.000Z');
  });

  it('refuses bad input in French, naming the field', async () => {
    const res = await open(agentA, { subject: 'ab', description: '' });
    expect(res.statusCode).toBe(400);
    const problem = res.json<ProblemBody>();
    const paths = (problem.errors ?? []).map((e) => e.path);
    expect(paths).toContain('body.subject');
    expect(paths).toContain('body.description');
    const notSubscribed = await open(agentA, {
      subject: 'Hébergement',
      description: 'Question',
      serviceId: unsubscribedServiceId,
    });
    expect(notSubscribed.statusCode).toBe(400);
    expect(notSubscribed.json<ProblemBody>().errors?.[0]).toMatchObject({
      path: 'body.serviceId',
      message: "Votre structure n'est pas abonnée à ce service.",
    });
  });

  it('shows a member admin every ticket of the member, an agent their own, another member nothing', async () => {
    const list = (s: Session, member = memberA.id) =>
      request(t.app, s, 'GET', `/api/v1/members/${member}/tickets`);
    expect((await list(adminA)).json<TicketList>().total).toBe(2);
    const own = (await list(agentA)).json<TicketList>();
    expect(own.items.map((i) => i.id)).toEqual([ticketId]);
    expect((await list(agent2A)).json<TicketList>().total).toBe(0);
    expect(
      (await request(t.app, agent2A, 'GET', `/api/v1/members/${memberA.id}/tickets/${ticketId}`)).statusCode,
    ).toBe(404);
    expect((await list(adminB)).statusCode).toBe(403);
    expect(
      (await request(t.app, adminB, 'GET', `/api/v1/members/${memberB.id}/tickets/${ticketId}`)).statusCode,
    ).toBe(404);
    expect((await request(t.app, opCyber, 'GET', '/api/v1/support/tickets')).statusCode).toBe(403);
  });

  it('lets the team note internally (never shown to the member) and answer publicly (mailed)', async () => {
    setClock(new Date('2027-03-30T07:30:00Z')); // Tuesday 9:30 in Paris
    const note = await request(t.app, support, 'POST', `/api/v1/support/tickets/${ticketId}/messages`, {
      body: 'Note interne : SECRET vérifier le relais SMTP.',
      internal: true,
    });
    expect(note.statusCode).toBe(201);
    expect(note.json<Ticket>().firstRespondedAt).toBeNull();
    const before = t.mail.delivered.length;
    const reply = await request(t.app, support, 'POST', `/api/v1/support/tickets/${ticketId}/messages`, {
      body: 'Pouvez-vous nous dire quel message d’erreur s’affiche ?',
      waitForMember: true,
    });
    expect(reply.statusCode).toBe(201);
    const worked = reply.json<Ticket>();
    expect(worked).toMatchObject({ status: 'waiting_member', paused: true, assigneeName: 'Sam Assistance' });
    expect(worked.firstRespondedAt).toBe('2027-03-30T07:30:00.000Z');
    expect(worked.messages.map((m) => m.internal)).toEqual([true, false]);
    // The reply (the critical ticket's first-response alerts, due at 9:00, went out meanwhile).
    const mailed = t.mail.delivered.slice(before).filter((m) => !m.subject.includes('chéance'));
    expect(mailed).toHaveLength(1);
    expect(mailed[0]?.subject).toMatch(/^\[T-\d{6}\] Impossible/);
    expect(mailed[0]?.text).not.toContain('SECRET');

    const seen = await request(t.app, agentA, 'GET', `/api/v1/members/${memberA.id}/tickets/${ticketId}`);
    const body = seen.json<Ticket>();
    expect(body.messages).toHaveLength(1);
    expect(seen.body).not.toContain('SECRET');

    // The queue: active tickets by next deadline; the one waiting for the member sorts last.
    const queue = (await request(t.app, support, 'GET', '/api/v1/support/tickets')).json<TicketQueue>();
    expect(queue.total).toBe(2);
    expect(queue.items.at(-1)?.id).toBe(ticketId);
    const critical = (
      await request(t.app, support, 'GET', `/api/v1/support/tickets?priority=critical&serviceId=${serviceId}`)
    ).json<TicketQueue>();
    expect(critical.items).toHaveLength(1);
    const paged = (
      await request(t.app, support, 'GET', '/api/v1/support/tickets?limit=1')
    ).json<TicketQueue>();
    const next = await request(
      t.app,
      support,
      'GET',
      `/api/v1/support/tickets?limit=1&cursor=${defined(paged.nextCursor, 'cursor')}`,
    );
    expect(next.json<TicketQueue>().items[0]?.id).toBe(ticketId);
  });

  it('stops the clock while waiting for the member and moves the due date by the pause', async () => {
    // Member answers on Wednesday 31 March at 9:30 in Paris: a full business day (8 h) paused.
    setClock(new Date('2027-03-31T07:30:00Z'));
    const agent = agentA;
    const res = await request(
      t.app,
      agent,
      'POST',
      `/api/v1/members/${memberA.id}/tickets/${ticketId}/messages`,
      {
        body: 'Le message dit « relais refusé ».',
      },
    );
    expect(res.statusCode).toBe(201);
    const ticket = res.json<Ticket>();
    expect(ticket.status).toBe('in_progress');
    // 5 April 17:30 + 8 business hours → Tuesday 6 April 17:30 in Paris.
    expect(ticket.resolutionDueAt).toBe('2027-04-06T15:30:00.000Z');
  });

  it('warns and escalates through durable jobs, once, and not once the step is done', async () => {
    const db = t.database.db;
    const jobsOf = async () =>
      rowsOf<{ payload: { kind: string; step: string } }>(
        await db.execute(sql`SELECT payload FROM jobs WHERE name = 'support.sla-alert' AND state = 'pending'
          AND payload->>'ticketId' = ${ticketId} ORDER BY run_at`),
      );
    const pending = await jobsOf();
    expect(pending.map((j) => `${j.payload.step}:${j.payload.kind}`)).toContain('resolution:due');
    const before = t.mail.delivered.length;
    setClock(new Date('2027-04-06T16:00:00Z')); // past the resolution deadline
    await t.runJobs();
    const alerts = t.mail.delivered.slice(before).map((m) => m.subject);
    expect(alerts.some((s) => s.includes('Échéance proche pour la résolution'))).toBe(true);
    expect(alerts.some((s) => s.includes('Escalade : échéance dépassée pour la résolution'))).toBe(true);
    const [flags] = await db
      .select({ alerts: supportTickets.alertsSent })
      .from(supportTickets)
      .where(sql`id = ${ticketId}`);
    // The warning and the escalation jobs were both due: the runner may run them side by side, so
    // their marks land in either order — each exactly once.
    expect(flags?.alerts).toHaveLength(3);
    expect(flags?.alerts?.[0]).toBe('new');
    expect(flags?.alerts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^resolution:warn@/),
        expect.stringMatching(/^resolution:due@/),
      ]),
    );
    const count = t.mail.delivered.length;
    await t.runJobs();
    expect(t.mail.delivered.length).toBe(count);
  });

  it('resolves, lets the member reopen within 15 days, then confirm with satisfaction', async () => {
    const resolved = await request(t.app, support, 'POST', `/api/v1/support/tickets/${ticketId}/resolve`, {
      resolution: 'Le relais SMTP a été reconfiguré.',
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json<Ticket>()).toMatchObject({ status: 'resolved', breached: true });
    const base = `/api/v1/members/${memberA.id}/tickets/${ticketId}`;
    const reopened = await request(t.app, adminA, 'POST', `${base}/reopen`, { body: 'Ça recommence.' });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json<Ticket>().status).toBe('in_progress');
    await request(t.app, support, 'POST', `/api/v1/support/tickets/${ticketId}/resolve`, {
      resolution: 'Certificat renouvelé.',
    });
    const confirmed = await request(t.app, adminA, 'POST', `${base}/confirm`, { satisfaction: 4 });
    expect(confirmed.json<Ticket>()).toMatchObject({ status: 'closed', satisfaction: 4 });
    const again = await request(t.app, adminA, 'POST', `${base}/confirm`, { satisfaction: 4 });
    expect(again.statusCode).toBe(409);
    const bad = await request(t.app, adminA, 'POST', `${base}/confirm`, { satisfaction: 9 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ProblemBody>().errors?.[0]?.path).toBe('body.satisfaction');
  });

  it('assigns only to the support team', async () => {
    const queue = (await request(t.app, support, 'GET', '/api/v1/support/tickets')).json<TicketQueue>();
    const id = defined(queue.items[0], 'ticket').id;
    const refused = await request(t.app, support, 'POST', `/api/v1/support/tickets/${id}/assign`, {
      assigneeId: adminA.userId,
    });
    expect(refused.statusCode).toBe(400);
    const ok = await request(t.app, support, 'POST', `/api/v1/support/tickets/${id}/assign`, {
      assigneeId: support.userId,
    });
    expect(ok.json<Ticket>().assigneeId).toBe(support.userId);
  });

  it('reports the year per month and service, and per département and member kind', async () => {
    const res = await request(t.app, support, 'GET', '/api/v1/support/reports?year=2027');
    expect(res.statusCode).toBe(200);
    const report = res.json<SupportReport>();
    const march = report.months.filter((m) => m.month === '2027-03');
    expect(march.reduce((n, m) => n + m.opened, 0)).toBe(2);
    const general = defined(
      march.find((m) => m.serviceId === null),
      'general row',
    );
    expect(general).toMatchObject({
      opened: 1,
      responded: 1,
      respondedInTime: 1,
      resolved: 1,
      resolvedInTime: 0,
    });
    expect(general.responseCompliance).toBe(1);
    expect(general.satisfactionAverage).toBe(4);
    expect(general.responseHoursMedian).toBeGreaterThan(80);
    expect(report.equity.reduce((n, r) => n + r.opened, 0)).toBe(2);
    const bad = await request(t.app, support, 'GET', '/api/v1/support/reports?year=19');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ProblemBody>().errors?.[0]?.path).toBe('query.year');
    expect((await request(t.app, adminA, 'GET', '/api/v1/support/reports?year=2027')).statusCode).toBe(403);
  });

  it('RLS hides other members’ tickets and internal notes even without the application filter', async () => {
    const asMember = (memberId: string) => ({
      userId: '00000000-0000-4000-8000-000000000001',
      memberId,
      operatorRole: null,
    });
    const count = (ctx: ReturnType<typeof asMember>, table: string) =>
      withTenant(t.database.db, ctx, async (tx) => {
        const rows = rowsOf<{ n: number }>(
          await tx.execute(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`),
        );
        return Number(rows[0]?.n);
      });
    expect(await count(asMember(memberB.id), 'support_tickets')).toBe(0);
    expect(await count(asMember(memberA.id), 'support_tickets')).toBe(2);
    const internal = (ctx: Parameters<typeof withTenant>[1]) =>
      withTenant(t.database.db, ctx, async (tx) =>
        rowsOf(await tx.execute(sql`SELECT id FROM support_messages WHERE internal`)),
      );
    expect(await internal(asMember(memberA.id))).toHaveLength(0);
    const team = { userId: support.userId, memberId: null, operatorRole: 'agent' as const };
    expect(await internal(team)).toHaveLength(1);
  });
});
