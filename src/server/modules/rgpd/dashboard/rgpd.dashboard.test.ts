import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DASHBOARD_SORTS,
  type DashboardMember,
  type DashboardSort,
} from '../../../../contracts/rgpd-cases.js';
import { searchKey } from '../../../../contracts/search.js';
import { type Db, rowsOf, type Tx } from '../../../platform/db/client.js';
import {
  memberContacts,
  organisations,
  rgpdBreaches,
  rgpdMemberSummaries,
  rgpdProcessings,
  rgpdRightsRequests,
} from '../../../platform/db/schema.js';
import { SYSTEM_OPERATOR, type TenantContext, withTenant } from '../../../platform/db/tenancy.js';
import { createTestApp, request, type Session, type TestApp } from '../../../test/app.js';
import { buildOrganisation, buildSignedInCast, sessionAs } from '../../../test/builders.js';
import {
  addCalendarDays,
  breachNotificationDeadline,
  parisToday,
  rightsRequestDueOn,
} from '../rgpd.deadlines.js';
import { fullProcessing } from '../rgpd.test-support.js';
import { refreshReviewCounts } from './rgpd.dashboard.service.js';

type Cast = Awaited<ReturnType<typeof buildSignedInCast>>;

describe('DPO dashboard', () => {
  let t: TestApp;
  let cast: Cast;
  let financeAgent: Session;
  let ccas: { id: string };
  const today = parisToday(new Date());

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    cast = await buildSignedInCast(t);
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

  it('answers 400, not a database error, to a forged cursor', async () => {
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const validId = '00000000-0000-4000-8000-000000000000';
    for (const [sort, cursor] of [
      ['name', forge(['x', 'not-a-uuid'])],
      ['-completion', forge(['abc', validId])],
      ['nextDueOn', forge(['tomorrow', validId])],
      ['name', 'not base64 json'],
    ]) {
      const res = await get(cast.operatorAgent, `?sort=${sort}&cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['query.cursor']);
    }
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

/**
 * Every summary recounted from the source tables (reviews and overdue requests as of the summary's
 * own date): the rows that differ from what the triggers kept, or that are missing. Empty when the
 * summaries are right.
 */
async function summaryDrift(db: Db) {
  return rowsOf<{ member_id: string; expected: unknown; stored: unknown }>(
    await db.execute(sql`
      WITH expected AS (
        SELECT o.id AS member_id, o.kind, o.departement_code, o.search_name,
          o.status IN ('accepted', 'member', 'withdrawal_requested') AS followed,
          (SELECT count(*)::int FROM rgpd_processings p WHERE p.member_id = o.id) AS processings,
          (SELECT COALESCE(sum(p.completion), 0)::int FROM rgpd_processings p WHERE p.member_id = o.id)
            AS completion_sum,
          (SELECT count(*)::int FROM rgpd_processings p WHERE p.member_id = o.id
            AND cardinality(p.dpia_criteria) >= 2 AND p.dpia_status IN ('not_started', 'in_progress'))
            AS dpia_to_do,
          (SELECT count(*)::int FROM rgpd_processings p WHERE p.member_id = o.id
            AND p.next_review_on <= s.review_due_on) AS review_due,
          (SELECT count(*)::int FROM rgpd_rights_requests r WHERE r.member_id = o.id
            AND r.status IN ('received', 'in_progress')) AS open_requests,
          (SELECT count(*)::int FROM rgpd_rights_requests r WHERE r.member_id = o.id
            AND r.status IN ('received', 'in_progress')
            AND COALESCE(r.extended_until, r.due_on) < s.review_due_on) AS overdue_requests,
          (SELECT min(COALESCE(r.extended_until, r.due_on)) FROM rgpd_rights_requests r
            WHERE r.member_id = o.id AND r.status IN ('received', 'in_progress')) AS next_due_on,
          (SELECT count(*)::int FROM member_contacts c WHERE c.member_id = o.id AND c.role = 'referent_rgpd')
            AS referents
        FROM organisations o LEFT JOIN rgpd_member_summaries s ON s.member_id = o.id
        WHERE o.kind <> 'operator'
      )
      SELECT e.member_id, to_jsonb(e) AS expected, to_jsonb(s) AS stored
      FROM expected e LEFT JOIN rgpd_member_summaries s ON s.member_id = e.member_id
      WHERE s.member_id IS NULL
        OR (e.kind, e.departement_code, e.search_name, e.followed, e.processings, e.completion_sum,
          e.dpia_to_do, e.review_due, e.open_requests, e.overdue_requests, e.next_due_on, e.referents)
        IS DISTINCT FROM (s.kind, s.departement_code, s.search_name, s.followed, s.processings,
          s.completion_sum, s.dpia_to_do, s.review_due, s.open_requests, s.overdue_requests, s.next_due_on,
          s.referents)
      UNION ALL
      SELECT s.member_id, NULL, to_jsonb(s) FROM rgpd_member_summaries s
      WHERE NOT EXISTS (SELECT 1 FROM organisations o WHERE o.id = s.member_id AND o.kind <> 'operator')`),
  ).concat(await countsDrift(db));
}

/** The columns of a bucket's totals, summed from `rows`, as bigints (so they compare as JSON). */
const BUCKET_SUMS =
  sql.raw(`sum(members)::bigint AS members, sum(without_referent)::bigint AS without_referent,
  sum(with_registry)::bigint AS with_registry, sum(processings)::bigint AS processings,
  sum(completion_sum)::bigint AS completion_sum, sum(review_due)::bigint AS review_due,
  sum(dpia_to_do)::bigint AS dpia_to_do, sum(open_requests)::bigint AS open_requests,
  sum(overdue_requests)::bigint AS overdue_requests`);

/**
 * The buckets whose rgpd_dashboard_counts (the dashboard's totals, kept by triggers) differ from the
 * followed summaries counted directly; reported like summaryDrift's rows (member_id: the bucket).
 */
async function countsDrift(db: Db) {
  return rowsOf<{ member_id: string; expected: unknown; stored: unknown }>(
    await db.execute(sql`
      WITH expected AS (
        SELECT departement_code, kind, ${BUCKET_SUMS} FROM (
          SELECT departement_code, kind, 1 AS members, (referents = 0)::int AS without_referent,
            (processings > 0)::int AS with_registry, processings, completion_sum, review_due, dpia_to_do,
            open_requests, overdue_requests
          FROM rgpd_member_summaries WHERE followed
        ) s GROUP BY departement_code, kind
      ), stored AS (
        SELECT departement_code, kind, ${BUCKET_SUMS} FROM rgpd_dashboard_counts
        GROUP BY departement_code, kind
      )
      SELECT concat(COALESCE(e.departement_code, s.departement_code), '/', COALESCE(e.kind, s.kind)) AS member_id,
        to_jsonb(e) AS expected, to_jsonb(s) AS stored
      FROM expected e FULL JOIN stored s
        ON s.departement_code IS NOT DISTINCT FROM e.departement_code AND s.kind = e.kind
      WHERE to_jsonb(e) IS DISTINCT FROM to_jsonb(s)
        -- A bucket whose members all left sums to zero until the daily fold removes it.
        AND NOT (e.kind IS NULL AND s.members = 0 AND s.without_referent = 0 AND s.with_registry = 0
          AND s.processings = 0 AND s.completion_sum = 0 AND s.review_due = 0 AND s.dpia_to_do = 0
          AND s.open_requests = 0 AND s.overdue_requests = 0)`),
  );
}

/** The value each sort orders by, as the API shows it. */
const SORT_VALUE: Record<DashboardSort, (m: DashboardMember) => string | number> = {
  name: (m) => searchKey(m.name),
  '-name': (m) => searchKey(m.name),
  completion: (m) => m.completion ?? -1,
  '-completion': (m) => m.completion ?? -1,
  '-reviewDue': (m) => m.reviewDue,
  '-dpiaToDo': (m) => m.dpiaToDo,
  '-openRequests': (m) => m.openRequests,
  nextDueOn: (m) => m.nextDueOn ?? '9999-12-31',
  '-breachesInWindow': (m) => m.breachesInWindow,
};

describe('DPO dashboard summaries kept by triggers', () => {
  let t: TestApp;
  let cast: Cast;
  const today = parisToday(new Date());
  const member = (id: string): TenantContext => ({ userId: null, memberId: id, operatorRole: null });

  beforeAll(async () => {
    t = await createTestApp();
    cast = await buildSignedInCast(t);
  });
  afterAll(() => t?.close());

  const board = async (query = '') => {
    const res = await request(t.app, cast.operatorAgent, 'GET', `/api/v1/rgpd/dashboard${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      totals: Record<string, number | null>;
      members: { items: DashboardMember[]; total: number; nextCursor: string | null };
      membersWithoutReferent: { memberId: string }[];
      openRequests: { memberId: string; dueOn: string; overdue: boolean }[];
      breachesInWindow: { memberId: string }[];
    };
  };
  const row = async (id: string, query = '?limit=200') =>
    (await board(query)).members.items.find((m) => m.memberId === id);

  it('starts every organisation with a summary, and follows only accepted, member and leaving ones', async () => {
    const prospect = await buildOrganisation(t.database.db, { name: 'Prospect RGPD', status: 'prospect' });
    expect(await summaryDrift(t.database.db)).toEqual([]);
    expect(await row(cast.memberA.id)).toMatchObject({
      processings: 0,
      completion: null,
      hasReferent: false,
    });
    expect(await row(prospect.id)).toBeUndefined();
    expect((await board()).totals.members).toBe(2);
  });

  it('counts processings inserted, updated and deleted by the member, and applied from a template', async () => {
    const db = t.database.db;
    const a = cast.memberA.id;
    await withTenant(db, member(a), async (tx) => {
      await tx.insert(rgpdProcessings).values([
        { memberId: a, name: 'P1', completion: 40, nextReviewOn: addCalendarDays(today, -3) },
        {
          memberId: a,
          name: 'P2',
          completion: 80,
          dpiaCriteria: ['large_scale', 'sensitive_data'],
          dpiaStatus: 'not_started',
          nextReviewOn: addCalendarDays(today, 30),
        },
        { memberId: a, name: 'P3', completion: 60 },
      ]);
    });
    expect(await summaryDrift(db)).toEqual([]);
    expect(await row(a)).toMatchObject({ processings: 3, completion: 60, reviewDue: 1, dpiaToDo: 1 });

    await withTenant(db, member(a), async (tx) => {
      await tx
        .update(rgpdProcessings)
        .set({ dpiaStatus: 'done', nextReviewOn: today, completion: 100 })
        .where(eq(rgpdProcessings.name, 'P2'));
      await tx.delete(rgpdProcessings).where(eq(rgpdProcessings.name, 'P3'));
    });
    expect(await summaryDrift(db)).toEqual([]);
    expect(await row(a)).toMatchObject({ processings: 2, completion: 70, reviewDue: 2, dpiaToDo: 0 });

    const template = await request(t.app, cast.operatorAgent, 'POST', '/api/v1/rgpd/templates', {
      code: 'tableau-de-bord',
      name: 'État civil',
      applicableKinds: [],
      fields: fullProcessing(),
    });
    expect(template.statusCode, template.body).toBe(201);
    const apply = () =>
      request(t.app, cast.operatorAgent, 'POST', `/api/v1/rgpd/templates/${template.json().id}/apply`, {
        memberIds: [cast.memberA.id, cast.memberB.id],
      });
    expect((await apply()).json().created).toBe(2);
    expect(await summaryDrift(db)).toEqual([]);
    expect((await row(cast.memberB.id))?.processings).toBe(1);
    expect((await apply()).json().created).toBe(0);
    expect(await summaryDrift(db)).toEqual([]);
    expect((await board()).totals).toMatchObject({ processings: 4, membersWithRegistry: 2 });

    // A bulk delete across members (one statement).
    await db.delete(rgpdProcessings).where(eq(rgpdProcessings.templateId, template.json().id));
    expect(await summaryDrift(db)).toEqual([]);
    expect((await board()).totals).toMatchObject({ processings: 2, membersWithRegistry: 1 });
  });

  it('follows organisations renamed, moved, withdrawn, re-admitted and deleted', async () => {
    const db = t.database.db;
    const c = await buildOrganisation(db, {
      name: 'CCAS de Nulle Part',
      kind: 'ccas',
      departementCode: '49',
    });
    await db.insert(rgpdProcessings).values({ memberId: c.id, name: 'Aide sociale', completion: 90 });
    expect((await board('?departement=49')).members.items.map((m) => m.memberId)).toEqual([c.id]);

    await db
      .update(organisations)
      .set({ name: 'CCAS d’Aval', searchName: searchKey('CCAS d’Aval'), departementCode: '85' })
      .where(eq(organisations.id, c.id));
    expect(await summaryDrift(db)).toEqual([]);
    expect((await board('?departement=49')).members.total).toBe(0);
    expect((await board('?sort=name&limit=1')).members.items[0]).toMatchObject({
      memberId: c.id,
      name: 'CCAS d’Aval',
      departementCode: '85',
    });

    await db.update(organisations).set({ status: 'withdrawn' }).where(eq(organisations.id, c.id));
    expect(await summaryDrift(db)).toEqual([]);
    let all = await board('?limit=200');
    expect(all.members.items.map((m) => m.memberId)).not.toContain(c.id);
    expect(all.totals).toMatchObject({ members: 2, processings: 2 });

    await db.update(organisations).set({ status: 'member' }).where(eq(organisations.id, c.id));
    all = await board('?limit=200');
    expect(all.totals).toMatchObject({ members: 3, processings: 3 });

    // Population updates (territory import) do not touch the summaries, but stay harmless.
    await db.update(organisations).set({ population: 1234 }).where(eq(organisations.id, c.id));
    await db.delete(organisations).where(eq(organisations.id, c.id));
    expect(await summaryDrift(db)).toEqual([]);
    expect((await board()).totals.members).toBe(2);
  });

  it('counts référents RGPD added, moved to another role and removed', async () => {
    const db = t.database.db;
    const b = cast.memberB.id;
    const [contact] = await withTenant(db, member(b), (tx) =>
      tx
        .insert(memberContacts)
        .values({
          memberId: b,
          role: 'referent_rgpd',
          firstName: 'Rita',
          lastName: 'Gépédé',
          email: 'r@b.example',
        })
        .returning(),
    );
    expect(await summaryDrift(db)).toEqual([]);
    const view = await board();
    expect(view.totals.membersWithoutReferent).toBe(1);
    expect(view.membersWithoutReferent.map((m) => m.memberId)).toEqual([cast.memberA.id]);
    expect((await row(b))?.hasReferent).toBe(true);

    await db.update(memberContacts).set({ role: 'dgs_secretaire' }).where(eq(memberContacts.id, contact.id));
    expect(await summaryDrift(db)).toEqual([]);
    expect((await row(b))?.hasReferent).toBe(false);
    await db.update(memberContacts).set({ role: 'referent_rgpd' }).where(eq(memberContacts.id, contact.id));
    await db.insert(memberContacts).values({
      memberId: b,
      role: 'referent_rgpd',
      firstName: 'Second',
      lastName: 'Référent',
      email: 's@b.example',
    });
    expect(await summaryDrift(db)).toEqual([]);
    await db.delete(memberContacts).where(eq(memberContacts.id, contact.id));
    expect(await summaryDrift(db)).toEqual([]);
    expect((await row(b))?.hasReferent).toBe(true);
    expect((await board()).totals.membersWithoutReferent).toBe(1);
  });

  it('counts rights requests received, extended, answered and deleted (as the member, under RLS)', async () => {
    const db = t.database.db;
    const a = cast.memberA.id;
    const late = addCalendarDays(today, -40);
    const recent = addCalendarDays(today, -3);
    const [first, second] = await withTenant(db, member(a), (tx) =>
      tx
        .insert(rgpdRightsRequests)
        .values([
          {
            memberId: a,
            type: 'access',
            requesterName: 'X',
            receivedOn: late,
            dueOn: rightsRequestDueOn(late),
          },
          {
            memberId: a,
            type: 'erasure',
            requesterName: 'Y',
            receivedOn: recent,
            dueOn: rightsRequestDueOn(recent),
            status: 'in_progress',
          },
        ])
        .returning(),
    );
    expect(await summaryDrift(db)).toEqual([]);
    expect(await row(a)).toMatchObject({ openRequests: 2, overdueRequests: 1, nextDueOn: first.dueOn });
    let view = await board('?sort=-openRequests');
    expect(view.members.items[0].memberId).toBe(a);
    expect(view.totals).toMatchObject({ openRequests: 2, overdueRequests: 1 });

    const extended = addCalendarDays(today, 40);
    await withTenant(db, member(a), (tx) =>
      tx
        .update(rgpdRightsRequests)
        .set({ extendedUntil: extended })
        .where(eq(rgpdRightsRequests.id, first.id)),
    );
    expect(await summaryDrift(db)).toEqual([]);
    expect(await row(a)).toMatchObject({ openRequests: 2, overdueRequests: 0, nextDueOn: second.dueOn });
    expect(second.dueOn < extended).toBe(true);

    await db
      .update(rgpdRightsRequests)
      .set({ status: 'answered', answer: 'Fait.', answeredOn: today })
      .where(eq(rgpdRightsRequests.id, second.id));
    expect(await summaryDrift(db)).toEqual([]);
    expect(await row(a)).toMatchObject({ openRequests: 1, nextDueOn: extended });
    view = await board('?sort=nextDueOn');
    expect(view.members.items[0]).toMatchObject({ memberId: a, nextDueOn: extended });
    expect(view.openRequests.map((r) => r.dueOn)).toEqual([extended]);

    await db.delete(rgpdRightsRequests).where(eq(rgpdRightsRequests.memberId, a));
    expect(await summaryDrift(db)).toEqual([]);
    expect(await row(a)).toMatchObject({ openRequests: 0, overdueRequests: 0, nextDueOn: null });
  });

  it('counts breaches while their 72 h window is open and no notification is made', async () => {
    const db = t.database.db;
    const b = cast.memberB.id;
    const breach = (hoursAgo: number) => {
      const awareAt = new Date(Date.now() - hoursAgo * 3_600_000);
      return {
        memberId: b,
        awareAt,
        notificationDeadline: breachNotificationDeadline(awareAt),
        nature: ['availability' as const],
        riskLevel: 'low' as const,
        cnilNotificationRequired: true,
      };
    };
    const [open] = await db
      .insert(rgpdBreaches)
      .values([breach(2), breach(80)])
      .returning();
    let view = await board('?sort=-breachesInWindow');
    expect(view.totals.breachesInWindow).toBe(1);
    expect(view.members.items[0]).toMatchObject({ memberId: b, breachesInWindow: 1 });
    expect(view.breachesInWindow.map((x) => x.memberId)).toEqual([b]);

    await db.update(rgpdBreaches).set({ notifiedAt: new Date() }).where(eq(rgpdBreaches.id, open.id));
    view = await board('?sort=-breachesInWindow');
    expect(view.totals.breachesInWindow).toBe(0);
    expect(view.members.items.every((m) => m.breachesInWindow === 0)).toBe(true);
    expect(view.breachesInWindow).toEqual([]);
  });

  it('reads reviews due and overdue requests for today whatever day the summaries were last moved to', async () => {
    const db = t.database.db;
    const b = cast.memberB.id;
    await db.insert(rgpdProcessings).values([
      { memberId: b, name: 'Due earlier', nextReviewOn: addCalendarDays(today, -5) },
      { memberId: b, name: 'Due today', nextReviewOn: today },
      { memberId: b, name: 'Due tomorrow', nextReviewOn: addCalendarDays(today, 1) },
    ]);
    await db.insert(rgpdRightsRequests).values(
      [-1, 0, 1].map((days) => ({
        memberId: b,
        type: 'access' as const,
        requesterName: `Due ${days}`,
        receivedOn: addCalendarDays(today, days - 30),
        dueOn: addCalendarDays(today, days),
      })),
    );
    const expected = async () => {
      expect(await summaryDrift(db)).toEqual([]);
      const view = await board('?sort=-reviewDue&limit=200');
      expect(view.members.items.find((m) => m.memberId === b)).toMatchObject({
        reviewDue: 2,
        overdueRequests: 1,
      });
      expect(view.members.items[0].reviewDue).toBe(2);
      const sum = (f: (m: DashboardMember) => number) => view.members.items.reduce((n, m) => n + f(m), 0);
      expect(view.totals.reviewDue).toBe(sum((m) => m.reviewDue));
      expect(view.totals.overdueRequests).toBe(sum((m) => m.overdueRequests));
      return view;
    };
    const fresh = await expected();

    // Before the daily job: summaries as of yesterday (one review and one request fewer), or of
    // tomorrow (a server whose clock ran ahead): the dashboard still reads today's counts.
    for (const day of [addCalendarDays(today, -1), addCalendarDays(today, -3), addCalendarDays(today, 1)]) {
      await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, day));
      const [stored] = await db.select().from(rgpdMemberSummaries).where(eq(rgpdMemberSummaries.memberId, b));
      expect(stored.reviewDueOn).toBe(day);
      expect((await expected()).members.items).toEqual(fresh.members.items);
    }
    // Changes while the summaries are behind are counted against their own day.
    await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, addCalendarDays(today, -1)));
    await db
      .update(rgpdProcessings)
      .set({ nextReviewOn: addCalendarDays(today, 10) })
      .where(eq(rgpdProcessings.name, 'Due today'));
    await db
      .update(rgpdProcessings)
      .set({ nextReviewOn: today })
      .where(eq(rgpdProcessings.name, 'Due tomorrow'));
    await expected();

    // Every summary is moved, the prospect's too (members A and B, the prospect).
    expect(await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, today))).toBe(3);
    expect(await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, today))).toBe(0);
    expect((await expected()).members.items).toEqual(fresh.members.items);
  });

  // PGlite is one session: concurrent transactions only exist on PostgreSQL.
  it.runIf(process.env.SOCLE_TEST_DB === 'postgres')(
    'stays exact when transactions on the same member, or the daily job, run concurrently',
    async () => {
      const db = t.database.db;
      const a = cast.memberA.id;
      /** Runs `first` in a transaction held open until `second` has started and waited a little. */
      const race = async (first: (tx: Tx) => Promise<unknown>, second: (tx: Tx) => Promise<unknown>) => {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        let ready!: () => void;
        const started = new Promise<void>((resolve) => {
          ready = resolve;
        });
        const one = withTenant(db, SYSTEM_OPERATOR, async (tx) => {
          await first(tx);
          ready();
          await gate;
        });
        await started;
        const two = withTenant(db, SYSTEM_OPERATOR, second);
        await new Promise((resolve) => setTimeout(resolve, 300));
        release();
        await Promise.all([one, two]);
      };
      const requestFor = (name: string) => ({
        memberId: a,
        type: 'access' as const,
        requesterName: name,
        receivedOn: today,
        dueOn: rightsRequestDueOn(today),
      });
      await race(
        (tx) => tx.insert(rgpdRightsRequests).values(requestFor('Concurrent 1')),
        (tx) => tx.insert(rgpdRightsRequests).values(requestFor('Concurrent 2')),
      );
      expect(await summaryDrift(db)).toEqual([]);

      const [processing] = await db
        .insert(rgpdProcessings)
        .values({ memberId: a, name: 'Concurrent', nextReviewOn: addCalendarDays(today, 10) })
        .returning();
      const yesterday = addCalendarDays(today, -1);
      const move = (nextReviewOn: string) => (tx: Tx) =>
        tx.update(rgpdProcessings).set({ nextReviewOn }).where(eq(rgpdProcessings.id, processing.id));
      // A processing changed while the daily job moves the counts to today, in both orders.
      await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, yesterday));
      await race(move(today), (tx) => refreshReviewCounts(tx, today));
      expect(await summaryDrift(db)).toEqual([]);
      await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, yesterday));
      await race((tx) => refreshReviewCounts(tx, today), move(addCalendarDays(today, 20)));
      expect(await summaryDrift(db)).toEqual([]);
      const [stored] = await db.select().from(rgpdMemberSummaries).where(eq(rgpdMemberSummaries.memberId, a));
      expect(stored.reviewDueOn).toBe(today);
    },
  );

  it('pages through every followed member exactly once, in order, for every sort and filter', async () => {
    const db = t.database.db;
    // More members, with ties on every key.
    for (let i = 0; i < 6; i++) {
      const o = await buildOrganisation(db, {
        name: `Membre ${i % 3} ${i}`,
        kind: i % 2 ? 'ccas' : 'syndicat_mixte',
        departementCode: i % 3 ? '85' : '49',
      });
      await db.insert(rgpdProcessings).values(
        Array.from({ length: 1 + (i % 3) }, (_, k) => ({
          memberId: o.id,
          name: `T${k}`,
          completion: 50 + (i % 2) * 10,
          nextReviewOn: addCalendarDays(today, k - 1),
        })),
      );
      // Breaches inside their window for some (counted live), requests for others.
      const awareAt = new Date(Date.now() - 3_600_000);
      if (i % 3 === 1) {
        await db.insert(rgpdBreaches).values(
          Array.from({ length: 1 + (i % 2) }, () => ({
            memberId: o.id,
            awareAt,
            notificationDeadline: breachNotificationDeadline(awareAt),
            nature: ['availability' as const],
            riskLevel: 'low' as const,
            cnilNotificationRequired: true,
          })),
        );
      }
      if (i % 2 === 0) {
        await db.insert(rgpdRightsRequests).values({
          memberId: o.id,
          type: 'access',
          requesterName: `R${i}`,
          receivedOn: addCalendarDays(today, -i),
          dueOn: rightsRequestDueOn(addCalendarDays(today, -i)),
        });
      }
    }
    // Reviews counted live for some members (summaries behind by a day).
    await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, addCalendarDays(today, -1)));
    for (const filter of ['', '&kind=ccas', '&departement=85']) {
      const reference = (await board(`?limit=200${filter}`)).members;
      for (const sort of DASHBOARD_SORTS) {
        const seen: DashboardMember[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: DashboardMember[]; nextCursor: string | null } = (
            await board(`?sort=${sort}&limit=2${filter}${cursor ? `&cursor=${cursor}` : ''}`)
          ).members;
          seen.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor && seen.length <= reference.total);
        expect(new Set(seen.map((m) => m.memberId)).size, `${sort}${filter}`).toBe(reference.total);
        expect(seen.length, `${sort}${filter}`).toBe(reference.total);
        const values = seen.map(SORT_VALUE[sort]);
        const ordered = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        if (sort.startsWith('-')) ordered.reverse();
        expect(values, `${sort}${filter}`).toEqual(ordered);
        const all = (await board(`?sort=${sort}&limit=200${filter}`)).members.items;
        expect(seen, `${sort}${filter}`).toEqual(all);
      }
    }
    await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, today));
  });

  it('keeps the totals in per-bucket counts, folded by the daily job into one row per bucket', async () => {
    const db = t.database.db;
    const rows = async () =>
      rowsOf<{ n: unknown; buckets: unknown }>(
        await db.execute(
          sql`SELECT count(*)::int AS n, count(DISTINCT (departement_code, kind))::int AS buckets FROM rgpd_dashboard_counts`,
        ),
      )[0];
    // Writes since the last fold left rows of differences: a member moved to another département
    // and back, one leaving the followed statuses.
    const moved = await buildOrganisation(db, { name: 'CCAS déplacé', kind: 'ccas', departementCode: '49' });
    await db.insert(rgpdProcessings).values({ memberId: moved.id, name: 'Cantine', completion: 40 });
    await db.update(organisations).set({ departementCode: '85' }).where(eq(organisations.id, moved.id));
    const leaving = await buildOrganisation(db, { name: 'Syndicat sortant' });
    await db.update(organisations).set({ status: 'withdrawn' }).where(eq(organisations.id, leaving.id));
    expect(await summaryDrift(db)).toEqual([]);
    const before = await board();
    const unfolded = await rows();
    expect(Number(unfolded.n)).toBeGreaterThan(Number(unfolded.buckets));

    await withTenant(db, SYSTEM_OPERATOR, (tx) => refreshReviewCounts(tx, today));
    const folded = await rows();
    expect(Number(folded.n)).toBe(Number(folded.buckets));
    expect(await summaryDrift(db)).toEqual([]);
    expect((await board()).totals).toEqual(before.totals);
    // The totals of a filter read the filter's buckets only.
    const [direct] = rowsOf<{ members: number; processings: number }>(
      await db.execute(sql`SELECT count(*)::int AS members, sum(processings)::int AS processings
        FROM rgpd_member_summaries WHERE followed AND departement_code = '85'`),
    );
    expect((await board('?departement=85')).totals).toMatchObject(direct);
    expect(direct.processings).toBeGreaterThan(0);
  });

  it('lets no member read or write the per-bucket counts', async () => {
    const a = cast.memberA.id;
    const read = await withTenant(t.database.db, member(a), (tx) =>
      tx.execute(sql`SELECT count(*)::int AS n FROM rgpd_dashboard_counts`),
    );
    expect(rowsOf<{ n: number }>(read)[0].n).toBe(0);
    await expect(
      withTenant(t.database.db, member(a), (tx) =>
        tx.execute(sql`INSERT INTO rgpd_dashboard_counts (kind, members) VALUES ('commune', 1000)`),
      ),
    ).rejects.toThrow();
  });
});
