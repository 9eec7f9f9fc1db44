import { TZDate } from '@date-fns/tz';
import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client.js';
import { rowsOf } from '../../platform/db/client.js';
import { enqueue } from '../../platform/jobs/queue.js';
import * as repo from './support.repository.js';
import { supportReportDirty, supportReportFigures, supportReportMonths } from './support.schema.js';

/**
 * The yearly report without reading the year's tickets on every call (issue 14, §1 reports).
 *
 * Closed months (Paris time) are summarised in support_report_figures by the nightly
 * `support.report-summary` job: per month and service the report's figures themselves, and per
 * month, département and member kind the same figures plus histograms of the response and
 * resolution times. The report reads a closed month from there while no support_report_dirty row
 * names it (statement triggers mark a month when one of its tickets or members changes), and
 * computes the others live: the current month, later ones, and any month changed since the last
 * refresh.
 *
 * Precision: every figure is exactly the live one (repo.yearReport) except the medians and 90th
 * percentiles of the per-département-and-kind part when it spans several months and mixes summarised
 * and live months (the yearly report during the year): those are read from merged histograms whose
 * buckets grow by BUCKET_GROWTH (0.5 %), a duration being read back as its bucket's middle, so each
 * is within 0.25 % of the exact value (plus 0.003 s), before the report's rounding to 0.01 h.
 */
export const BUCKET_GROWTH = 1.005;
/** The relative precision stated above, for the test. */
export const HISTOGRAM_RELATIVE_ERROR = (Math.sqrt(BUCKET_GROWTH) - 1) * 1.0001;
const LN_GROWTH = Math.log(BUCKET_GROWTH);

/** A bucket's middle (seconds): the inverse of the SQL floor(ln(1 + s) / ln(growth)), half a bucket up. */
export const bucketMiddle = (bucket: number) => Math.exp((bucket + 0.5) * LN_GROWTH) - 1;

/** Bucket → tickets. */
type Histogram = Map<number, number>;

/** percentile_cont's linear interpolation, on a histogram's bucket middles; seconds or null. */
export function histogramPercentiles(histogram: Histogram, fractions: readonly number[]) {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return fractions.map(() => null);
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const [bucket, n] of buckets) {
      seen += n;
      if (rank < seen) return bucketMiddle(bucket);
    }
    return bucketMiddle(buckets.at(-1)?.[0] ?? 0);
  };
  return fractions.map((p) => {
    const position = p * (total - 1);
    const low = Math.floor(position);
    const high = Math.ceil(position);
    const a = valueAt(low);
    return high === low ? a : a + (position - low) * (valueAt(high) - a);
  });
}

export const monthOf = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' })
    .format(at)
    .slice(0, 7);

/** The months of `periods` read from the summary: closed at `now`, summarised, not marked since. */
async function summarisedMonths(db: Executor, periods: repo.ReportPeriod[], now: Date) {
  const closed = periods.filter((p) => p.to.getTime() <= now.getTime()).map((p) => p.month);
  if (closed.length === 0) return new Set<string>();
  const rows = await db
    .select({ month: supportReportMonths.month })
    .from(supportReportMonths)
    .where(
      and(
        inArray(supportReportMonths.month, closed),
        notExists(
          db
            .select({ one: sql`1` })
            .from(supportReportDirty)
            .where(eq(supportReportDirty.month, supportReportMonths.month)),
        ),
      ),
    );
  return new Set(rows.map((r) => r.month));
}

const n = (v: unknown) => Number(v ?? 0);
const hours = (seconds: number | null) => (seconds === null ? null : seconds / 3600);

/** A (département, kind) cell being merged from several months. */
interface EquityCell {
  departement_code: string | null;
  kind: string;
  counts: [number, number, number, number, number];
  satisfactionSum: number;
  satisfactionAnswers: number;
  response: Histogram;
  resolution: Histogram;
}

function addTo(histogram: Histogram, bucket: number, count: number) {
  histogram.set(bucket, (histogram.get(bucket) ?? 0) + count);
}

function addHistogram(histogram: Histogram, stored: Record<string, number> | null) {
  for (const [bucket, count] of Object.entries(stored ?? {})) addTo(histogram, Number(bucket), count);
}

/**
 * The same answer as repo.yearReport (see the precision above), closed months from the summary.
 * `now` decides which months are closed.
 */
export async function summarisedYearReport(db: Executor, periods: repo.ReportPeriod[], now: Date) {
  const first = periods[0];
  const last = periods.at(-1);
  if (!first || !last) return { months: [], equity: [] };
  const stored = await summarisedMonths(db, periods, now);
  if (stored.size === 0) return repo.yearReport(db, periods);
  const live = periods.filter((p) => !stored.has(p.month));
  if (live.length > 0) await repo.raiseWorkMem(db);
  const storedMonths = [...stored];

  const storedServiceRows = rowsOf<repo.MonthServiceRow>(
    await db.execute(sql`
      SELECT f.month, f.service_id, c.name AS service_name, f.opened, f.responded, f.responded_in_time,
        f.resolved, f.resolved_in_time, f.response_median, f.response_p90, f.resolution_median,
        f.resolution_p90, f.satisfaction_average, f.satisfaction_answers, f.satisfaction_sum
      FROM support_report_figures f
      LEFT JOIN catalogue_services c ON c.id = f.service_id
      WHERE f.part = 'service' AND f.month IN (${sql.join(
        storedMonths.map((m) => sql`${m}`),
        sql`, `,
      )})`),
  );
  const months = [...storedServiceRows, ...(await repo.monthServiceFigures(db, live))].sort(
    repo.byMonthAndService,
  );

  const storedEquity = await db
    .select()
    .from(supportReportFigures)
    .where(and(eq(supportReportFigures.part, 'equity'), inArray(supportReportFigures.month, storedMonths)));
  if (periods.length === 1) {
    // One closed month: its exact figures as stored.
    const equity = storedEquity
      .map(
        (f): repo.EquityRow => ({
          departement_code: f.departementCode,
          kind: f.memberKind ?? '',
          opened: f.opened,
          responded: f.responded,
          responded_in_time: f.respondedInTime,
          resolved: f.resolved,
          resolved_in_time: f.resolvedInTime,
          response_median: f.responseMedian,
          response_p90: f.responseP90,
          resolution_median: f.resolutionMedian,
          resolution_p90: f.resolutionP90,
          satisfaction_average: f.satisfactionAverage,
          satisfaction_answers: f.satisfactionAnswers,
          satisfaction_sum: f.satisfactionSum,
        }),
      )
      .sort(repo.byDepartementAndKind);
    return { months, equity };
  }

  // Several months: counts and sums add up; percentiles from the merged histograms.
  const cells = new Map<string, EquityCell>();
  const cellOf = (departement_code: string | null, kind: string) => {
    const key = `${departement_code ?? ''}|${kind}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        departement_code,
        kind,
        counts: [0, 0, 0, 0, 0],
        satisfactionSum: 0,
        satisfactionAnswers: 0,
        response: new Map(),
        resolution: new Map(),
      };
      cells.set(key, cell);
    }
    return cell;
  };
  const addCounts = (cell: EquityCell, r: Omit<repo.SlaFiguresRow, 'satisfaction_sum'> & { sum: number }) => {
    cell.counts[0] += n(r.opened);
    cell.counts[1] += n(r.responded);
    cell.counts[2] += n(r.responded_in_time);
    cell.counts[3] += n(r.resolved);
    cell.counts[4] += n(r.resolved_in_time);
    cell.satisfactionSum += n(r.sum);
    cell.satisfactionAnswers += n(r.satisfaction_answers);
  };
  for (const f of storedEquity) {
    const cell = cellOf(f.departementCode, f.memberKind ?? '');
    addCounts(cell, {
      opened: f.opened,
      responded: f.responded,
      responded_in_time: f.respondedInTime,
      resolved: f.resolved,
      resolved_in_time: f.resolvedInTime,
      response_median: null,
      response_p90: null,
      resolution_median: null,
      resolution_p90: null,
      satisfaction_average: null,
      satisfaction_answers: f.satisfactionAnswers,
      sum: f.satisfactionSum,
    });
    addHistogram(cell.response, f.responseHistogram);
    addHistogram(cell.resolution, f.resolutionHistogram);
  }
  for (const p of live) {
    for (const r of await repo.equityFigures(db, p.from, p.to)) {
      addCounts(cellOf(r.departement_code, r.kind), { ...r, sum: r.satisfaction_sum });
    }
    const histograms = await repo.equityHistograms(db, p.from, p.to, BUCKET_GROWTH);
    for (const h of histograms.response) addTo(cellOf(h.departement_code, h.kind).response, h.bucket, h.n);
    for (const h of histograms.resolution)
      addTo(cellOf(h.departement_code, h.kind).resolution, h.bucket, h.n);
  }
  const equity = [...cells.values()]
    .filter((c) => c.counts[0] > 0)
    .map((c): repo.EquityRow => {
      const [responseMedian, responseP90] = histogramPercentiles(c.response, [0.5, 0.9]);
      const [resolutionMedian, resolutionP90] = histogramPercentiles(c.resolution, [0.5, 0.9]);
      return {
        departement_code: c.departement_code,
        kind: c.kind,
        opened: c.counts[0],
        responded: c.counts[1],
        responded_in_time: c.counts[2],
        resolved: c.counts[3],
        resolved_in_time: c.counts[4],
        response_median: hours(responseMedian ?? null),
        response_p90: hours(responseP90 ?? null),
        resolution_median: hours(resolutionMedian ?? null),
        resolution_p90: hours(resolutionP90 ?? null),
        satisfaction_average: c.satisfactionAnswers > 0 ? c.satisfactionSum / c.satisfactionAnswers : null,
        satisfaction_answers: c.satisfactionAnswers,
        satisfaction_sum: c.satisfactionSum,
      };
    })
    .sort(repo.byDepartementAndKind);
  return { months, equity };
}

// The summary's refresh (the nightly job, or a bench standing in for it) ----------------------------

/** The nightly refresh of the closed months' summary (support.jobs.ts), after the auto-close at 02:15. */
export const REPORT_SUMMARY_JOB = 'support.report-summary';
export const REPORT_SUMMARY_CRON = '45 2 * * *';

/**
 * The singleton key of the first refresh, queued by the first report asked for before any summary
 * exists (requestFirstSummary): one such job pending or running at a time, whatever the processes.
 */
export const FIRST_SUMMARY_KEY = `${REPORT_SUMMARY_JOB}@first`;

/**
 * Until the nightly job first ran, every month of a report is computed live (seconds at a million
 * tickets, after an upgrade or on a new platform). The first report asking for a closed month while
 * no month is summarised queues the refresh at once, in the request's transaction, with a singleton
 * key: the reports after it read the summary instead of waiting for 02:45. Costs one index probe per
 * report. (With no ticket before the current month the job finds nothing to do, and a later report
 * queues it again: a single min() read.)
 */
export async function requestFirstSummary(db: Executor, periods: repo.ReportPeriod[], now: Date) {
  if (!periods.some((p) => p.to.getTime() <= now.getTime())) return;
  const [any] = await db.select({ month: supportReportMonths.month }).from(supportReportMonths).limit(1);
  if (any) return;
  await enqueue(db, REPORT_SUMMARY_JOB, {}, { singletonKey: FIRST_SUMMARY_KEY });
}

/** A month's bounds, Paris time, as the service computes them. */
export const periodOf = (month: string): repo.ReportPeriod => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return {
    month,
    from: new Date(new TZDate(year, m - 1, 1, 'Europe/Paris').getTime()),
    to: new Date(new TZDate(year, m, 1, 'Europe/Paris').getTime()),
  };
};

/**
 * First step, in a transaction of its own that commits before the figures are computed: records
 * every closed month since the first ticket that has no summary yet, marked dirty, so that from then
 * on the triggers mark a change to its tickets. Returns the months to compute: those, and the marked
 * ones.
 */
export async function monthsToSummarise(db: Executor, now: Date): Promise<string[]> {
  const [first] = rowsOf<{ at: string | Date | null }>(
    await db.execute(sql`SELECT min(created_at) AS at FROM support_tickets`),
  );
  const current = monthOf(now);
  const months: string[] = [];
  if (first?.at) {
    let month = monthOf(new Date(first.at));
    while (month < current) {
      months.push(month);
      const [y, m] = month.split('-').map(Number) as [number, number];
      month = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    }
  }
  if (months.length > 0) {
    const added = await db
      .insert(supportReportMonths)
      .values(months.map((month) => ({ month, refreshedAt: now })))
      .onConflictDoNothing()
      .returning({ month: supportReportMonths.month });
    if (added.length > 0) await db.insert(supportReportDirty).values(added.map((a) => ({ month: a.month })));
  }
  const dirty = await db.selectDistinct({ month: supportReportDirty.month }).from(supportReportDirty);
  return dirty.map((d) => d.month).sort();
}

/**
 * Second step, one transaction per month: the marks seen first, then the month's figures computed
 * (statements that see every change committed before them) and replaced, then those marks removed.
 * A change committed meanwhile leaves a mark this step did not see: the month stays live. The month's
 * row is locked first, so that two refreshes of a month never both insert its figures.
 */
export async function summariseMonth(db: Executor, month: string, now: Date): Promise<void> {
  // Two refreshes of one month (the first one a report queued, the nightly one) take turns: the
  // second replaces the first's figures instead of adding to them.
  await db.execute(sql`SELECT 1 FROM support_report_months WHERE month = ${month} FOR UPDATE`);
  const marks = await db
    .select({ id: supportReportDirty.id })
    .from(supportReportDirty)
    .where(eq(supportReportDirty.month, month));
  const period = periodOf(month);
  await repo.raiseWorkMem(db);
  const services = await repo.monthServiceFigures(db, [period]);
  const equity = await repo.equityFigures(db, period.from, period.to);
  const histograms = await repo.equityHistograms(db, period.from, period.to, BUCKET_GROWTH);
  const histogramOf = (rows: typeof histograms.response, r: repo.EquityRow) => {
    const out: Record<string, number> = {};
    for (const h of rows) {
      if (h.departement_code === r.departement_code && h.kind === r.kind) out[String(h.bucket)] = h.n;
    }
    return out;
  };
  const figures = (r: repo.SlaFiguresRow) => ({
    opened: n(r.opened),
    responded: n(r.responded),
    respondedInTime: n(r.responded_in_time),
    resolved: n(r.resolved),
    resolvedInTime: n(r.resolved_in_time),
    responseMedian: r.response_median === null ? null : Number(r.response_median),
    responseP90: r.response_p90 === null ? null : Number(r.response_p90),
    resolutionMedian: r.resolution_median === null ? null : Number(r.resolution_median),
    resolutionP90: r.resolution_p90 === null ? null : Number(r.resolution_p90),
    satisfactionAverage: r.satisfaction_average === null ? null : Number(r.satisfaction_average),
    satisfactionSum: n(r.satisfaction_sum),
    satisfactionAnswers: n(r.satisfaction_answers),
  });
  await db.delete(supportReportFigures).where(eq(supportReportFigures.month, month));
  const rows = [
    ...services.map((r) => ({ month, part: 'service' as const, serviceId: r.service_id, ...figures(r) })),
    ...equity.map((r) => ({
      month,
      part: 'equity' as const,
      departementCode: r.departement_code,
      memberKind: r.kind,
      ...figures(r),
      responseHistogram: histogramOf(histograms.response, r),
      resolutionHistogram: histogramOf(histograms.resolution, r),
    })),
  ];
  if (rows.length > 0) await db.insert(supportReportFigures).values(rows);
  await db
    .insert(supportReportMonths)
    .values({ month, refreshedAt: now })
    .onConflictDoUpdate({ target: supportReportMonths.month, set: { refreshedAt: now } });
  if (marks.length > 0) {
    await db.delete(supportReportDirty).where(
      inArray(
        supportReportDirty.id,
        marks.map((m) => m.id),
      ),
    );
  }
}
