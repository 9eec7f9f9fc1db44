import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../../platform/db/client.js';
import { rgpdBreaches, rgpdEditors, rgpdRightsRequests } from '../../../platform/db/schema.js';
import { withTenant } from '../../../platform/db/tenancy.js';
import { createTestApp, request, type Session, type TestApp } from '../../../test/app.js';
import { buildSignedInCast, sessionAs } from '../../../test/builders.js';
import {
  addCalendarDays,
  breachNotificationDeadline,
  formatParisInstant,
  parisToday,
  rightsRequestDueOn,
} from '../rgpd.deadlines.js';

type Cast = Awaited<ReturnType<typeof buildSignedInCast>>;

describe('RGPD rights requests and breaches (HTTP)', () => {
  let t: TestApp;
  let cast: Cast;
  let financeAgent: Session;
  let editorA: Session;
  const today = () => parisToday(new Date());
  const requestsUrl = (memberId: string) => `/api/v1/members/${memberId}/rights-requests`;
  const breachesUrl = (memberId: string) => `/api/v1/members/${memberId}/breaches`;

  beforeAll(async () => {
    t = await createTestApp();
    cast = await buildSignedInCast(t);
    financeAgent = await sessionAs(t, cast.operator, 'agent', ['finance']);
    editorA = await sessionAs(t, cast.memberA, 'agent');
    await t.database.db.insert(rgpdEditors).values({ memberId: cast.memberA.id, userId: editorA.userId });
  });
  afterAll(() => t?.close());

  const newRequest = (overrides: Record<string, unknown> = {}) => ({
    type: 'access',
    requesterName: 'Mme Test',
    identityChecked: true,
    receivedOn: today(),
    ...overrides,
  });

  describe('rights requests', () => {
    it('creates a request due one month after reception, for the member admin', async () => {
      const receivedOn = addCalendarDays(today(), -3);
      const res = await request(
        t.app,
        cast.adminA,
        'POST',
        requestsUrl(cast.memberA.id),
        newRequest({ receivedOn }),
      );
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        memberId: cast.memberA.id,
        type: 'access',
        status: 'received',
        receivedOn,
        dueOn: rightsRequestDueOn(receivedOn),
        extendedUntil: null,
        overdue: false,
      });
      expect(body.daysLeft).toBeGreaterThan(20);
    });

    it('lists requests with receivedOn, dueOn and the overdue flag, to every user of the member', async () => {
      await request(
        t.app,
        cast.operatorAgent,
        'POST',
        requestsUrl(cast.memberA.id),
        newRequest({ type: 'erasure', receivedOn: addCalendarDays(today(), -45), status: 'in_progress' }),
      );
      for (const session of [
        cast.readerA,
        cast.agentA,
        cast.adminA,
        cast.operatorAgent,
        cast.operatorAdmin,
      ]) {
        const res = await request(t.app, session, 'GET', requestsUrl(cast.memberA.id));
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body.total).toBeGreaterThanOrEqual(2);
        const late = body.items.find((i: { type: string }) => i.type === 'erasure');
        expect(late).toMatchObject({ overdue: true, receivedOn: addCalendarDays(today(), -45) });
        expect(late.daysLeft).toBeLessThan(0);
        expect(body.items[0]).toHaveProperty('dueOn');
      }
    });

    it('filters open requests and pages with a cursor', async () => {
      const open = await request(
        t.app,
        cast.readerA,
        'GET',
        `${requestsUrl(cast.memberA.id)}?open=true&limit=1`,
      );
      expect(open.statusCode).toBe(200);
      expect(open.json().items).toHaveLength(1);
      expect(open.json().nextCursor).not.toBeNull();
      const next = await request(
        t.app,
        cast.readerA,
        'GET',
        `${requestsUrl(cast.memberA.id)}?open=true&limit=1&cursor=${open.json().nextCursor}`,
      );
      expect(next.json().items[0].id).not.toBe(open.json().items[0].id);
    });

    it('answers 400 with the field path on bad input', async () => {
      const res = await request(
        t.app,
        cast.adminA,
        'POST',
        requestsUrl(cast.memberA.id),
        newRequest({ type: 'teleportation', receivedOn: '2026-02-30' }),
      );
      expect(res.statusCode).toBe(400);
      const paths = res.json().errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['body.type', 'body.receivedOn']));
    });

    it('refuses a reception date in the future and an answered status without answer', async () => {
      const future = await request(
        t.app,
        cast.adminA,
        'POST',
        requestsUrl(cast.memberA.id),
        newRequest({ receivedOn: addCalendarDays(today(), 2) }),
      );
      expect(future.statusCode).toBe(400);
      expect(future.json().errors[0].path).toBe('body.receivedOn');

      const unanswered = await request(
        t.app,
        cast.adminA,
        'POST',
        requestsUrl(cast.memberA.id),
        newRequest({ status: 'answered' }),
      );
      expect(unanswered.statusCode).toBe(400);
      expect(unanswered.json().errors.map((e: { path: string }) => e.path)).toEqual([
        'body.answer',
        'body.answeredOn',
      ]);
    });

    it('updates status and answer, and the request is no longer open', async () => {
      const created = (
        await request(
          t.app,
          cast.adminA,
          'POST',
          requestsUrl(cast.memberA.id),
          newRequest({ type: 'rectification' }),
        )
      ).json();
      const res = await request(t.app, editorA, 'PATCH', `${requestsUrl(cast.memberA.id)}/${created.id}`, {
        status: 'answered',
        answer: 'Données corrigées.',
        answeredOn: today(),
        identityChecked: true,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'answered',
        answeredOn: today(),
        daysLeft: null,
        overdue: false,
      });
      const read = await request(t.app, cast.readerA, 'GET', `${requestsUrl(cast.memberA.id)}/${created.id}`);
      expect(read.json().answer).toBe('Données corrigées.');
    });

    it('extends by up to two months in total, with a reason, and refuses more', async () => {
      const created = (
        await request(
          t.app,
          cast.adminA,
          'POST',
          requestsUrl(cast.memberA.id),
          newRequest({ type: 'portability' }),
        )
      ).json();
      const url = `${requestsUrl(cast.memberA.id)}/${created.id}/extension`;
      const noReason = await request(t.app, cast.adminA, 'POST', url, { months: 1, reason: '' });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().errors[0].path).toBe('body.reason');
      const three = await request(t.app, cast.adminA, 'POST', url, {
        months: 3,
        reason: 'Demande très complexe.',
      });
      expect(three.statusCode).toBe(400);
      expect(three.json().errors[0].path).toBe('body.months');

      const first = await request(t.app, cast.adminA, 'POST', url, {
        months: 1,
        reason: 'Archives papier à consulter.',
      });
      expect(first.statusCode).toBe(200);
      expect(first.json().extendedUntil).not.toBeNull();
      const tooMuch = await request(t.app, cast.adminA, 'POST', url, {
        months: 2,
        reason: 'Encore plus de travail.',
      });
      expect(tooMuch.statusCode).toBe(422);
      expect(tooMuch.json().detail).toContain('il reste 1 mois');
      const second = await request(t.app, cast.adminA, 'POST', url, {
        months: 1,
        reason: 'Nombre de demandes élevé.',
      });
      expect(second.statusCode).toBe(200);
      expect(second.json().extensionReason).toContain('Archives papier');
      expect(second.json().extensionReason).toContain('Nombre de demandes');
      const last = await request(t.app, cast.adminA, 'POST', url, { months: 1, reason: 'Une fois de plus.' });
      expect(last.statusCode).toBe(422);
      expect(last.json().detail).toContain('déjà atteinte');
    });

    it('answers 401 to anonymous visitors', async () => {
      expect((await request(t.app, null, 'GET', requestsUrl(cast.memberA.id))).statusCode).toBe(401);
      expect(
        (await request(t.app, null, 'POST', requestsUrl(cast.memberA.id), newRequest())).statusCode,
      ).toBe(401);
    });

    it('answers 403 to readers, plain agents and operator agents without the dpo scope', async () => {
      for (const session of [cast.readerA, cast.agentA]) {
        const res = await request(t.app, session, 'POST', requestsUrl(cast.memberA.id), newRequest());
        expect(res.statusCode).toBe(403);
      }
      expect((await request(t.app, financeAgent, 'GET', requestsUrl(cast.memberA.id))).statusCode).toBe(403);
      expect(
        (await request(t.app, financeAgent, 'POST', requestsUrl(cast.memberA.id), newRequest())).statusCode,
      ).toBe(403);
    });

    it("keeps another member's requests out of reach", async () => {
      const created = (
        await request(
          t.app,
          cast.adminA,
          'POST',
          requestsUrl(cast.memberA.id),
          newRequest({ type: 'objection' }),
        )
      ).json();
      expect((await request(t.app, cast.adminB, 'GET', requestsUrl(cast.memberA.id))).statusCode).toBe(403);
      expect(
        (await request(t.app, cast.adminB, 'GET', `${requestsUrl(cast.memberA.id)}/${created.id}`))
          .statusCode,
      ).toBe(403);
      // Through its own member path, B cannot reach A's request either.
      expect(
        (await request(t.app, cast.adminB, 'GET', `${requestsUrl(cast.memberB.id)}/${created.id}`))
          .statusCode,
      ).toBe(404);
      expect(
        (
          await request(t.app, cast.adminB, 'PATCH', `${requestsUrl(cast.memberB.id)}/${created.id}`, {
            status: 'closed',
          })
        ).statusCode,
      ).toBe(404);
      expect((await request(t.app, cast.adminB, 'GET', requestsUrl(cast.memberB.id))).json().total).toBe(0);
    });

    it('answers 404 for a member that does not exist (DPO)', async () => {
      const res = await request(
        t.app,
        cast.operatorAgent,
        'GET',
        requestsUrl('00000000-0000-4000-8000-000000000000'),
      );
      expect(res.statusCode).toBe(404);
    });
  });

  describe('breaches', () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const newBreach = (overrides: Record<string, unknown> = {}) => ({
      awareAt: hoursAgo(10),
      nature: ['confidentiality'],
      dataDescription: 'Fichier des inscriptions envoyé au mauvais destinataire.',
      peopleCount: 120,
      recordsCount: 120,
      riskLevel: 'low',
      cnilNotificationRequired: true,
      ...overrides,
    });

    it('declares a breach with its 72 h deadline and countdown', async () => {
      const awareAt = hoursAgo(10);
      const res = await request(
        t.app,
        cast.adminA,
        'POST',
        breachesUrl(cast.memberA.id),
        newBreach({ awareAt }),
      );
      expect(res.statusCode).toBe(201);
      const body = res.json();
      const deadline = breachNotificationDeadline(new Date(awareAt));
      expect(body).toMatchObject({
        notificationDeadline: deadline.toISOString(),
        notificationDeadlineLabel: formatParisInstant(deadline),
        notificationStatus: 'pending',
        overdue: false,
      });
      expect(body.remainingSeconds).toBeGreaterThan(61 * 3600);
      expect(body.remainingSeconds).toBeLessThanOrEqual(62 * 3600);
    });

    it('lists breaches with awareAt and notificationDeadline, flags overdue ones', async () => {
      await request(
        t.app,
        cast.operatorAgent,
        'POST',
        breachesUrl(cast.memberA.id),
        newBreach({ awareAt: hoursAgo(80) }),
      );
      const res = await request(t.app, cast.readerA, 'GET', breachesUrl(cast.memberA.id));
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      expect(items.length).toBeGreaterThanOrEqual(2);
      for (const item of items) {
        expect(item).toHaveProperty('awareAt');
        expect(item).toHaveProperty('notificationDeadline');
      }
      const late = items.find((i: { overdue: boolean }) => i.overdue);
      expect(late).toMatchObject({ notificationStatus: 'overdue', remainingSeconds: null });
      const overdueOnly = await request(
        t.app,
        cast.readerA,
        'GET',
        `${breachesUrl(cast.memberA.id)}?notificationStatus=overdue`,
      );
      expect(overdueOnly.json().items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
      expect(overdueOnly.json().total).toBe(1);
    });

    it('requires late reasons when notified after the deadline, then records the notification', async () => {
      const created = (
        await request(
          t.app,
          cast.adminA,
          'POST',
          breachesUrl(cast.memberA.id),
          newBreach({ awareAt: hoursAgo(100) }),
        )
      ).json();
      const url = `${breachesUrl(cast.memberA.id)}/${created.id}`;
      const noReason = await request(t.app, cast.adminA, 'PATCH', url, {
        notifiedAt: hoursAgo(1),
        cnilReference: 'NOTIF-1',
      });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.lateReasons']);
      const ok = await request(t.app, cast.adminA, 'PATCH', url, {
        notifiedAt: hoursAgo(1),
        cnilReference: 'NOTIF-1',
        lateReasons: 'Analyse de l’étendue de la fuite plus longue que prévu.',
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({
        notificationStatus: 'notified_late',
        cnilReference: 'NOTIF-1',
        overdue: false,
      });
    });

    it('requires the information of the people when the risk is high, and a reason not to notify', async () => {
      const high = await request(
        t.app,
        cast.adminA,
        'POST',
        breachesUrl(cast.memberA.id),
        newBreach({ riskLevel: 'high' }),
      );
      expect(high.statusCode).toBe(400);
      expect(high.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.peopleInformation']);

      const unjustified = await request(
        t.app,
        cast.adminA,
        'POST',
        breachesUrl(cast.memberA.id),
        newBreach({ riskLevel: 'none', cnilNotificationRequired: false }),
      );
      expect(unjustified.statusCode).toBe(400);
      expect(unjustified.json().errors[0].path).toBe('body.notificationReason');

      const riskNotNotified = await request(
        t.app,
        cast.adminA,
        'POST',
        breachesUrl(cast.memberA.id),
        newBreach({ riskLevel: 'low', cnilNotificationRequired: false, notificationReason: 'Pas grave.' }),
      );
      expect(riskNotNotified.statusCode).toBe(400);
      expect(riskNotNotified.json().errors[0].path).toBe('body.cnilNotificationRequired');

      const notRequired = await request(
        t.app,
        cast.adminA,
        'POST',
        breachesUrl(cast.memberA.id),
        newBreach({
          riskLevel: 'none',
          cnilNotificationRequired: false,
          notificationReason: 'Données chiffrées.',
        }),
      );
      expect(notRequired.statusCode).toBe(201);
      expect(notRequired.json()).toMatchObject({
        notificationStatus: 'not_required',
        remainingSeconds: null,
      });
    });

    it('answers 400 with field paths on malformed input', async () => {
      const res = await request(
        t.app,
        cast.adminA,
        'POST',
        breachesUrl(cast.memberA.id),
        newBreach({ awareAt: 'hier', nature: [], peopleCount: -1 }),
      );
      expect(res.statusCode).toBe(400);
      const paths = res.json().errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['body.awareAt', 'body.nature', 'body.peopleCount']));
    });

    it('has no delete route: every breach stays in the register', async () => {
      const created = (
        await request(t.app, cast.adminA, 'POST', breachesUrl(cast.memberA.id), newBreach())
      ).json();
      const res = await request(
        t.app,
        cast.operatorAdmin,
        'DELETE',
        `${breachesUrl(cast.memberA.id)}/${created.id}`,
      );
      expect(res.statusCode).toBe(404);
      const read = await request(t.app, cast.readerA, 'GET', `${breachesUrl(cast.memberA.id)}/${created.id}`);
      expect(read.statusCode).toBe(200);
    });

    it('answers 401, 403 and keeps other members out', async () => {
      expect((await request(t.app, null, 'GET', breachesUrl(cast.memberA.id))).statusCode).toBe(401);
      expect(
        (await request(t.app, cast.readerA, 'POST', breachesUrl(cast.memberA.id), newBreach())).statusCode,
      ).toBe(403);
      expect((await request(t.app, financeAgent, 'GET', breachesUrl(cast.memberA.id))).statusCode).toBe(403);
      expect((await request(t.app, cast.adminB, 'GET', breachesUrl(cast.memberA.id))).statusCode).toBe(403);
      const created = (
        await request(t.app, cast.adminA, 'POST', breachesUrl(cast.memberA.id), newBreach())
      ).json();
      expect(
        (
          await request(t.app, cast.adminB, 'PATCH', `${breachesUrl(cast.memberB.id)}/${created.id}`, {
            measures: 'x',
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (await request(t.app, cast.adminB, 'GET', `${breachesUrl(cast.memberB.id)}/${created.id}`))
          .statusCode,
      ).toBe(404);
    });
  });

  describe('row level security', () => {
    it("hides member A's breaches and requests from member B even without a member filter", async () => {
      const asMember = (memberId: string) => ({ userId: null, memberId, operatorRole: null });
      const seen = await withTenant(t.database.db, asMember(cast.memberB.id), async (tx) => ({
        breaches: await tx.select().from(rgpdBreaches),
        requests: await tx.select().from(rgpdRightsRequests),
      }));
      expect(seen.breaches).toHaveLength(0);
      expect(seen.requests).toHaveLength(0);
      const seenByA = await withTenant(t.database.db, asMember(cast.memberA.id), (tx) =>
        tx.select().from(rgpdBreaches),
      );
      expect(seenByA.length).toBeGreaterThan(0);
      expect(seenByA.every((b) => b.memberId === cast.memberA.id)).toBe(true);
    });

    it('refuses to write a breach for another member', async () => {
      await expect(
        withTenant(t.database.db, { userId: null, memberId: cast.memberB.id, operatorRole: null }, (tx) =>
          tx.execute(
            sql`UPDATE rgpd_breaches SET measures = 'piraté' WHERE member_id = ${cast.memberA.id} RETURNING id`,
          ),
        ).then((r) => rowsOf(r).length),
      ).resolves.toBe(0);
    });
  });
});
