import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupportReport } from '../../../contracts/support.js';
import { useClock } from '../../platform/clock.js';
import { rowsOf } from '../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { enqueue } from '../../platform/jobs/queue.js';
import { insertRows } from '../../seed/bulk.js';
import { generateTickets, ticketMembers } from '../../seed/demo-support.js';
import { Random } from '../../seed/random.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { refreshReportSummary } from './support.jobs.js';
import {
  bucketMiddle,
  FIRST_SUMMARY_KEY,
  HISTOGRAM_RELATIVE_ERROR,
  histogramPercentiles,
  periodOf,
  REPORT_SUMMARY_JOB,
  requestFirstSummary,
  summarisedYearReport,
} from './support.report.js';
import * as repo from './support.repository.js';
import { supportMessages, supportTickets } from './support.schema.js';
import { longSession } from './support.test-support.js';

const MONTHS = (year: number) =>
  Array.from({ length: 12 }, (_, i) => periodOf(`${year}-${String(i + 1).padStart(2, '0')}`));
const PERCENTILES = ['response_median', 'response_p90', 'resolution_median', 'resolution_p90'] as const;

/**
 * The yearly report read from the closed months' summary (support.report.ts) against the live one
 * (repo.yearReport, every ticket read), on generated tickets: equal, but for the percentiles of the
 * equity part of a report mixing summarised and live months, within the stated precision.
 */
describe('support report summary', () => {
  let t: TestApp;
  let restoreClock: () => void;
  let support: Session;
  // Friday 11 June 2027, 10:00 in Paris: January to May closed, June live.
  const NOW = new Date('2027-06-11T08:00:00Z');
  const live = (periods: repo.ReportPeriod[]) =>
    withTenant(t.database.db, SYSTEM_OPERATOR, (tx) => repo.yearReport(tx, periods));
  const summarised = (periods: repo.ReportPeriod[]) =>
    withTenant(t.database.db, SYSTEM_OPERATOR, (tx) => summarisedYearReport(tx, periods, NOW));
  const summaryMonths = async () =>
    rowsOf<{ month: string; dirty: boolean }>(
      await t.database.db.execute(sql`SELECT m.month,
        EXISTS (SELECT 1 FROM support_report_dirty d WHERE d.month = m.month) AS dirty
        FROM support_report_months m ORDER BY m.month`),
    );

  beforeAll(async () => {
    restoreClock = useClock(NOW);
    t = await createTestApp();
    const db = t.database.db;
    const operator = await buildOperator(db);
    support = await longSession(t, operator, 'agent', ['support']);
    const services = [
      await buildService(db, { name: 'Messagerie' }),
      await buildService(db, { name: 'Parapheur' }),
      await buildService(db, { name: 'Sauvegarde' }),
    ];
    const places = ['85', '44', '49', null];
    const kinds = ['syndicat_mixte', 'medico_social', 'ccas'] as const;
    for (let i = 0; i < 12; i++) {
      const member = await buildOrganisation(db, {
        name: `Membre ${i}`,
        kind: kinds[i % kinds.length],
        departementCode: places[i % places.length],
      });
      for (const service of services.slice(0, 1 + (i % 3))) {
        await buildSubscription(db, { memberId: member.id, serviceId: service.id });
      }
    }
    const { tickets, messages } = generateTickets(
      new Random(14),
      await ticketMembers(db),
      [],
      NOW,
      3000,
      540,
    );
    await insertRows(db, supportTickets, tickets, 1000);
    await insertRows(db, supportMessages, messages, 1000);
  });
  afterAll(async () => {
    restoreClock();
    await t.close();
  });

  it('reads percentiles back from histograms as percentile_cont does, within the bucket precision', () => {
    const values = [0, 3, 40, 95, 3600, 5400, 7200, 86_400, 200_000, 1_000_000];
    const histogram = new Map<number, number>();
    for (const v of values) {
      const bucket = Math.floor(Math.log(1 + v) / Math.log(1.005));
      histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
      expect(Math.abs(bucketMiddle(bucket) - v)).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR * (1 + v));
    }
    // percentile_cont(0.5) of 10 values: halfway between the 5th and the 6th; 0.9: 0.1 past the 9th.
    const [median, p90] = histogramPercentiles(histogram, [0.5, 0.9]);
    expect(median).toBeCloseTo((3600 + 5400) / 2, -1);
    expect(p90).toBeCloseTo(200_000 + 0.1 * 800_000, -3);
    expect(histogramPercentiles(new Map(), [0.5])).toEqual([null]);
  });

  it('gives the live answer while nothing is summarised, then the same from the summary', async () => {
    const year = MONTHS(2027);
    const before = await summarised(year);
    expect(before).toEqual(await live(year));
    expect(before.months.length).toBeGreaterThan(10);

    // The nightly job: every closed month since the first ticket (2025), none of June 2027.
    await enqueue(t.database.db, REPORT_SUMMARY_JOB, {});
    await t.runJobs();
    const months = await summaryMonths();
    expect(months.length).toBeGreaterThanOrEqual(17);
    expect(months.at(-1)).toEqual({ month: '2027-05', dirty: false });
    expect(months.every((m) => !m.dirty)).toBe(true);
    expect(await refreshReportSummary(t.database.db)).toBe(0);

    // A closed month: exactly the live figures, both parts.
    const march = [periodOf('2027-03')];
    expect(await summarised(march)).toEqual(await live(march));
    // Several months (the current year, a closed one): months exact; equity counts and sums exact,
    // its percentiles (merged histograms) within the precision.
    await expectSameReport(await summarised(year), await live(year));
    await expectSameReport(await summarised(MONTHS(2026)), await live(MONTHS(2026)));
  });

  it('reads closed months from the summary (a figure changed there shows), the current month live', async () => {
    await t.database.db.execute(
      sql`UPDATE support_report_figures SET opened = opened + 1000 WHERE month = '2027-02' AND part = 'service'`,
    );
    const read = await summarised(MONTHS(2027));
    const exact = await live(MONTHS(2027));
    const february = (r: typeof read) =>
      r.months.filter((m) => m.month === '2027-02').reduce((sum, m) => sum + Number(m.opened), 0);
    expect(february(read)).toBe(
      february(exact) + 1000 * read.months.filter((m) => m.month === '2027-02').length,
    );
    expect(read.months.filter((m) => m.month === '2027-06')).toEqual(
      exact.months.filter((m) => m.month === '2027-06'),
    );
    await refreshReportSummary(t.database.db); // nothing marked: the tampered figures stay
    expect(february(await summarised(MONTHS(2027)))).not.toBe(february(exact));
    await t.database.db.execute(
      sql`UPDATE support_report_figures SET opened = opened - 1000 WHERE month = '2027-02' AND part = 'service'`,
    );
  });

  it('computes a month live again as soon as one of its tickets or members changes, until the refresh', async () => {
    const db = t.database.db;
    const [ticket] = rowsOf<{ id: string; member_id: string }>(
      await db.execute(sql`SELECT id, member_id FROM support_tickets
        WHERE created_at >= '2027-03-05T00:00:00Z' AND created_at < '2027-03-20T00:00:00Z'
          AND satisfaction IS NULL ORDER BY id LIMIT 1`),
    );
    if (!ticket) throw new Error('no ticket in March');
    await withTenant(db, { userId: null, memberId: ticket.member_id, operatorRole: null }, (tx) =>
      tx.execute(sql`UPDATE support_tickets SET satisfaction = 1,
        first_responded_at = coalesce(first_responded_at, created_at + interval '3 days'),
        resolved_at = created_at + interval '40 days' WHERE id = ${ticket.id}`),
    );
    expect((await summaryMonths()).filter((m) => m.dirty).map((m) => m.month)).toEqual(['2027-03']);
    const march = [periodOf('2027-03')];
    expect(await summarised(march)).toEqual(await live(march));
    await expectSameReport(await summarised(MONTHS(2027)), await live(MONTHS(2027)));

    // A member moving to another département: every summarised month holding its tickets.
    await db.execute(sql`UPDATE organisations SET departement_code = '53' WHERE id = ${ticket.member_id}`);
    expect((await summaryMonths()).filter((m) => m.dirty).length).toBeGreaterThan(10);
    await expectSameReport(await summarised(MONTHS(2027)), await live(MONTHS(2027)));
    expect(await refreshReportSummary(db)).toBeGreaterThan(10);
    expect((await summaryMonths()).some((m) => m.dirty)).toBe(false);
    expect(await summarised(march)).toEqual(await live(march));
    await expectSameReport(await summarised(MONTHS(2027)), await live(MONTHS(2027)));
  });

  it('serves the route from it, and keeps the summary from members (row security)', async () => {
    const res = await request(t.app, support, 'GET', '/api/v1/support/reports?year=2027&month=4');
    expect(res.statusCode).toBe(200);
    const april = await live([periodOf('2027-04')]);
    const body = res.json<SupportReport>();
    expect(body.months.map((m) => m.opened)).toEqual(april.months.map((m) => Number(m.opened)));
    expect(body.equity.map((e) => e.resolutionHoursP90)).toEqual(
      april.equity.map((e) => (e.resolution_p90 === null ? null : Math.round(e.resolution_p90 * 100) / 100)),
    );
    const [member] = rowsOf<{ id: string }>(
      await t.database.db.execute(sql`SELECT id FROM organisations WHERE kind <> 'operator' LIMIT 1`),
    );
    const seen = await withTenant(
      t.database.db,
      { userId: null, memberId: member?.id ?? null, operatorRole: null },
      (tx) =>
        tx.execute(sql`SELECT (SELECT count(*) FROM support_report_figures) + (SELECT count(*) FROM support_report_months)
          + (SELECT count(*) FROM support_report_dirty) AS n`),
    );
    expect(Number(rowsOf<{ n: unknown }>(seen)[0]?.n)).toBe(0);
    const [all] = rowsOf<{ n: unknown }>(
      await t.database.db.execute(sql`SELECT count(*) AS n FROM support_report_figures`),
    );
    expect(Number(all?.n)).toBeGreaterThan(0);
  });

  it('queues the first refresh when a report is asked for before any summary exists, once, rather than waiting for the night', async () => {
    const db = t.database.db;
    const forget = async () => {
      await db.execute(sql`DELETE FROM support_report_figures`);
      await db.execute(sql`DELETE FROM support_report_dirty`);
      await db.execute(sql`DELETE FROM support_report_months`);
    };
    const queued = async () =>
      rowsOf<{ state: string }>(
        await db.execute(sql`SELECT state FROM jobs
          WHERE name = ${REPORT_SUMMARY_JOB} AND singleton_key = ${FIRST_SUMMARY_KEY} AND state IN ('pending', 'running')`),
      );
    await forget();
    // Asked twice (two requests, two processes): one job.
    const ask = (periods: repo.ReportPeriod[]) =>
      withTenant(db, SYSTEM_OPERATOR, (tx) => requestFirstSummary(tx, periods, NOW));
    await ask(MONTHS(2027));
    await ask([periodOf('2027-04')]);
    expect(await queued()).toEqual([{ state: 'pending' }]);
    await t.runJobs();
    expect(await queued()).toEqual([]);
    expect((await summaryMonths()).length).toBeGreaterThanOrEqual(17);
    // A summary there, or only the current month asked for: nothing queued.
    await ask(MONTHS(2027));
    await forget();
    await ask([periodOf('2027-06')]);
    expect(await queued()).toEqual([]);

    // Through the route (the support team's transaction may queue it): the test app runs the job
    // before answering, so the summary exists right after the first report.
    const res = await request(t.app, support, 'GET', '/api/v1/support/reports?year=2027');
    expect(res.statusCode).toBe(200);
    expect((await summaryMonths()).at(-1)).toEqual({ month: '2027-05', dirty: false });
    await expectSameReport(await summarised(MONTHS(2027)), await live(MONTHS(2027)));
  });

  it('never doubles a month when two refreshes run at once (the first one a report queued, the nightly one)', async () => {
    const db = t.database.db;
    await db.execute(sql`INSERT INTO support_report_dirty (month) SELECT month FROM support_report_months`);
    await Promise.all([refreshReportSummary(db), refreshReportSummary(db), refreshReportSummary(db)]);
    const [twice] = rowsOf<{ n: unknown }>(
      await db.execute(sql`SELECT count(*) AS n FROM (SELECT 1 FROM support_report_figures
        GROUP BY month, part, service_id, departement_code, member_kind HAVING count(*) > 1) d`),
    );
    expect(Number(twice?.n)).toBe(0);
    expect((await summaryMonths()).some((m) => m.dirty)).toBe(false);
    await expectSameReport(await summarised(MONTHS(2027)), await live(MONTHS(2027)));
  });
});

type Report = Awaited<ReturnType<typeof repo.yearReport>>;

/** Every figure equal, the equity percentiles within the histograms' precision (and 1 ms). */
async function expectSameReport(read: Report, exact: Report) {
  expect(read.months).toEqual(exact.months);
  expect(read.equity.map(withoutPercentiles)).toEqual(exact.equity.map(withoutPercentiles));
  for (const [i, row] of exact.equity.entries()) {
    const got = read.equity[i];
    for (const key of PERCENTILES) {
      const want = row[key];
      if (want === null) {
        expect(got?.[key]).toBeNull();
        continue;
      }
      const hours = Number(got?.[key]);
      const bound = HISTOGRAM_RELATIVE_ERROR * (Number(want) + 1 / 3600) + 1e-6;
      expect(
        Math.abs(hours - Number(want)),
        `${row.departement_code} ${row.kind} ${key}`,
      ).toBeLessThanOrEqual(bound);
    }
    expect(got?.satisfaction_average === null).toBe(row.satisfaction_average === null);
    expect(Number(got?.satisfaction_average ?? 0)).toBeCloseTo(Number(row.satisfaction_average ?? 0), 12);
  }
}

function withoutPercentiles(row: Report['equity'][number]) {
  const {
    response_median: _a,
    response_p90: _b,
    resolution_median: _c,
    resolution_p90: _d,
    satisfaction_average: _e,
    ...rest
  } = row;
  return rest;
}
