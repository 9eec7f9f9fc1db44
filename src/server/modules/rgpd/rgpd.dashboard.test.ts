import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  memberContacts,
  rgpdBreaches,
  rgpdMemberSummaries,
  rgpdProcessings,
  rgpdRightsRequests,
} from '../../platform/db/schema.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildOrganisation } from '../../test/builders.js';
import { buildCast, sessionAs } from '../members/members.test-support.js';
import { refreshReviewCounts } from './rgpd.dashboard.service.js';
import {
  addCalendarDays,
  breachNotificationDeadline,
  parisToday,
  rightsRequestDueOn,
} from './rgpd.deadlines.js';

type Cast = Awaited<ReturnType<typeof buildCast>>;

describe('DPO dashboard', () => {
  let t: TestApp;
  let cast: Cast;
  let financeAgent: Session;
  let ccas: { id: string };
  const today = parisToday(new Date());

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    cast = await buildCast(t);
    financeAgent = await sessionAs(t, cast.operator, 'agent', ['finance']);
    ccas = await buildOrganisation(db, { name: 'CCAS de Zeta', kind: 'ccas', departementCode: '49' });
    await buildOrganisation(db, { name: 'Ancien membre', status: 'withdrawn' });

    // Member A: 3 processings (completion 50, 70, 90 → 70), one due for review, one DPIA to do.
    await db.insert(rgpdProcessings).values([
      {
        memberId: cast.memberA.id,
        name: 'État civil',
        completion: 50,
        nextReviewOn: addCalendarDays(today, -1),
      },
      {
        memberId: cast.memberA.id,
        name: 'Vidéoprotection',
        completion: 70,
        dpiaCriteria: ['systematic_monitoring', 'large_scale'],
        dpiaStatus: 'in_progress',
        nextReviewOn: addCalendarDays(today, 100),
      },
      {
        memberId: cast.memberA.id,
        name: 'Paie',
        completion: 90,
        dpiaCriteria: ['sensitive_data', 'large_scale'],
        dpiaStatus: 'done',
      },
    ]);
    // CCAS: one complete processing.
    await db.insert(rgpdProcessings).values({ memberId: ccas.id, name: 'Aide sociale', completion: 100 });
    await db.insert(memberContacts).values([
      {
        memberId: cast.memberA.id,
        role: 'referent_rgpd',
        firstName: 'Rémi',
        lastName: 'Ferent',
        email: 'rgpd@a.example',
      },
      {
        memberId: ccas.id,
        role: 'referent_rgpd',
        firstName: 'Zoé',
        lastName: 'Ferent',
        email: 'rgpd@ccas.example',
      },
    ]);
    const receivedLate = addCalendarDays(today, -40);
    const receivedRecently = addCalendarDays(today, -5);
    await db.insert(rgpdRightsRequests).values([
      {
        memberId: cast.memberA.id,
        type: 'access',
        requesterName: 'X',
        receivedOn: receivedLate,
        dueOn: rightsRequestDueOn(receivedLate),
        status: 'in_progress',
      },
      {
        memberId: cast.memberB.id,
        type: 'erasure',
        requesterName: 'Y',
        receivedOn: receivedRecently,
        dueOn: rightsRequestDueOn(receivedRecently),
        status: 'received',
      },
      {
        memberId: cast.memberB.id,
        type: 'erasure',
        requesterName: 'Z',
        receivedOn: receivedRecently,
        dueOn: rightsRequestDueOn(receivedRecently),
        status: 'answered',
        answer: 'Fait.',
        answeredOn: today,
      },
    ]);
    const awareAt = new Date(Date.now() - 5 * 3_600_000);
    const oldAwareAt = new Date(Date.now() - 100 * 3_600_000);
    await db.insert(rgpdBreaches).values([
      {
        memberId: cast.memberB.id,
        awareAt,
        notificationDeadline: breachNotificationDeadline(awareAt),
        nature: ['availability'],
        riskLevel: 'low',
        cnilNotificationRequired: true,
      },
      {
        memberId: cast.memberB.id,
        awareAt: oldAwareAt,
        notificationDeadline: breachNotificationDeadline(oldAwareAt),
        nature: ['availability'],
        riskLevel: 'low',
        cnilNotificationRequired: true,
      },
    ]);
  });
  afterAll(() => t?.close());

  const get = (session: Session | null, query = '') =>
    request(t.app, session, 'GET', `/api/v1/rgpd/dashboard${query}`);

  it('keeps per-member registry totals in step with processings (triggers)', async () => {
    const db = t.database.db;
    const [summary] = await db
      .select()
      .from(rgpdMemberSummaries)
      .where(eq(rgpdMemberSummaries.memberId, cast.memberA.id));
    expect(summary).toMatchObject({ processings: 3, completionSum: 210, dpiaToDo: 1, reviewDue: 1 });
    await withTenant(db, { userId: null, memberId: cast.memberA.id, operatorRole: null }, async (tx) => {
      await tx
        .update(rgpdProcessings)
        .set({ completion: 60, nextReviewOn: addCalendarDays(today, 10) })
        .where(eq(rgpdProcessings.name, 'État civil'));
      const [temp] = await tx
        .insert(rgpdProcessings)
        .values({ memberId: cast.memberA.id, name: 'Temporaire', completion: 10 })
        .returning();
      await tx.delete(rgpdProcessings).where(eq(rgpdProcessings.id, temp.id));
    });
    const [after] = await db
      .select()
      .from(rgpdMemberSummaries)
      .where(eq(rgpdMemberSummaries.memberId, cast.memberA.id));
    expect(after).toMatchObject({ processings: 3, completionSum: 220, dpiaToDo: 1, reviewDue: 0 });
    await db
      .update(rgpdProcessings)
      .set({ completion: 50, nextReviewOn: addCalendarDays(today, -1) })
      .where(eq(rgpdProcessings.name, 'État civil'));
  });

  it('counts reviews live for summaries the daily job has not moved to today yet', async () => {
    const db = t.database.db;
    const [fresh] = await db
      .select()
      .from(rgpdMemberSummaries)
      .where(eq(rgpdMemberSummaries.memberId, cast.memberA.id));
    expect(fresh).toMatchObject({ reviewDue: 1, reviewDueOn: today });
    await db
      .update(rgpdMemberSummaries)
      .set({ reviewDue: 99, reviewDueOn: addCalendarDays(today, -1) })
      .where(eq(rgpdMemberSummaries.memberId, cast.memberA.id));
    expect((await get(cast.operatorAgent)).json().totals.reviewDue).toBe(1);
    const moved = await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, today));
    expect(moved).toBe(1);
    const [refreshed] = await db
      .select()
      .from(rgpdMemberSummaries)
      .where(eq(rgpdMemberSummaries.memberId, cast.memberA.id));
    expect(refreshed).toMatchObject({ reviewDue: 1, reviewDueOn: today });
  });

  it('summarises every followed member for the DPO team', async () => {
    const res = await get(cast.operatorAgent);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.asOf).toBe(today);
    // Members A, B, the CCAS; not the withdrawn one, not the operator.
    expect(body.totals).toMatchObject({
      members: 3,
      membersWithRegistry: 2,
      processings: 4,
      completion: Math.round((50 + 70 + 90 + 100) / 4),
      reviewDue: 1,
      dpiaToDo: 1,
      openRequests: 2,
      overdueRequests: 1,
      breachesInWindow: 1,
      membersWithoutReferent: 1,
    });
    expect(body.membersWithoutReferent.map((m: { name: string }) => m.name)).toEqual(['Syndicat des eaux B']);
    expect(body.openRequests[0]).toMatchObject({ memberId: cast.memberA.id, overdue: true });
    expect(body.openRequests).toHaveLength(2);
    expect(body.breachesInWindow).toHaveLength(1);
    expect(body.breachesInWindow[0].remainingSeconds).toBeGreaterThan(66 * 3600);
    const a = body.members.items.find((m: { memberId: string }) => m.memberId === cast.memberA.id);
    expect(a).toMatchObject({
      processings: 3,
      completion: 70,
      reviewDue: 1,
      dpiaToDo: 1,
      openRequests: 1,
      overdueRequests: 1,
      hasReferent: true,
    });
    // Default sort: least complete registry first (none = -1 before 70 before 100).
    expect(body.members.items.map((m: { completion: number | null }) => m.completion)).toEqual([
      null,
      70,
      100,
    ]);
  });

  it('sorts, filters by département and kind, and pages with a cursor', async () => {
    const byOpen = (await get(cast.operatorAdmin, '?sort=-openRequests')).json();
    expect(byOpen.members.items[0].openRequests).toBe(1);
    const byName = (await get(cast.operatorAgent, '?sort=name&limit=2')).json();
    expect(byName.members.items.map((m: { name: string }) => m.name)).toEqual([
      'CCAS de Zeta',
      'Syndicat des eaux A',
    ]);
    expect(byName.members.total).toBe(3);
    const page2 = (
      await get(cast.operatorAgent, `?sort=name&limit=2&cursor=${byName.members.nextCursor}`)
    ).json();
    expect(page2.members.items.map((m: { name: string }) => m.name)).toEqual(['Syndicat des eaux B']);
    expect(page2.members.nextCursor).toBeNull();
    expect(page2.totals.members).toBe(3);

    const dep49 = (await get(cast.operatorAgent, '?departement=49')).json();
    expect(dep49.totals).toMatchObject({ members: 1, processings: 1, completion: 100, openRequests: 0 });
    expect(dep49.members.items[0].memberId).toBe(ccas.id);
    const syndicats = (await get(cast.operatorAgent, '?kind=syndicat_intercommunal')).json();
    expect(syndicats.totals).toMatchObject({ members: 2, openRequests: 2, breachesInWindow: 1 });
    expect(syndicats.openRequests).toHaveLength(2);
    const none = (await get(cast.operatorAgent, '?kind=epci')).json();
    expect(none.totals).toMatchObject({ members: 0, processings: 0, completion: null });
    expect(none.members.items).toEqual([]);
  });

  it('answers 400 with the field path on a bad filter', async () => {
    const res = await get(cast.operatorAgent, '?sort=population&departement=999x');
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['query.sort', 'query.departement']));
  });

  it('is for the DPO team only: 401 anonymous, 403 to members and other operator agents', async () => {
    expect((await get(null)).statusCode).toBe(401);
    for (const session of [cast.adminA, cast.readerA, financeAgent]) {
      expect((await get(session)).statusCode).toBe(403);
      expect((await request(t.app, session, 'GET', '/api/v1/rgpd/dashboard.csv')).statusCode).toBe(403);
    }
  });

  it('exports the member table as CSV and XLSX', async () => {
    const csv = await request(t.app, cast.operatorAgent, 'GET', '/api/v1/rgpd/dashboard.csv?sort=name');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('Complétude du registre (%)');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('CCAS de Zeta');

    const xlsx = await request(
      t.app,
      cast.operatorAgent,
      'GET',
      '/api/v1/rgpd/dashboard.xlsx?departement=49',
    );
    expect(xlsx.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(1).value).toBe('CCAS de Zeta');
    expect(sheet.getRow(2).getCell(5).value).toBe(100);
  });
});
