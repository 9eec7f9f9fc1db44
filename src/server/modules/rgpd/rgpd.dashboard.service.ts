import { type SQL, sql } from 'drizzle-orm';
import type {
  Dashboard,
  DashboardMember,
  DashboardQuery,
  DashboardSort,
} from '../../../contracts/rgpd-cases.js';
import type { Executor } from '../../platform/db/client.js';
import { rowsOf, toCount } from '../../platform/db/client.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { formatParisInstant, parisToday } from './rgpd.deadlines.js';

/** Organisations the DPO team follows: members, and those accepted or leaving. */
export const DASHBOARD_MEMBER_STATUSES = ['accepted', 'member', 'withdrawal_requested'] as const;
const LIST_SIZE = 20;

/**
 * Sort keys over the per-member summary. Every key is NOT NULL (nulls coalesced) so that keyset
 * pagination on (key, id) is exact; `id` breaks ties in the key's direction.
 */
const SORTS: Record<DashboardSort, { key: string; type: 'text' | 'integer' | 'date'; descending: boolean }> =
  {
    name: { key: 'search_name', type: 'text', descending: false },
    '-name': { key: 'search_name', type: 'text', descending: true },
    completion: { key: 'completion_key', type: 'integer', descending: false },
    '-completion': { key: 'completion_key', type: 'integer', descending: true },
    '-reviewDue': { key: 'review_due', type: 'integer', descending: true },
    '-dpiaToDo': { key: 'dpia_todo', type: 'integer', descending: true },
    '-openRequests': { key: 'open_requests', type: 'integer', descending: true },
    nextDueOn: { key: 'next_due_key', type: 'date', descending: false },
    '-breachesInWindow': { key: 'breaches_in_window', type: 'integer', descending: true },
  };

const OPEN_REQUEST = sql.raw("status IN ('received', 'in_progress')");
const BREACH_OWED = sql.raw('notified_at IS NULL AND cnil_notification_required');

function scopeWhere(filters: { departement?: string; kind?: string }, alias = 'o'): SQL {
  const o = sql.raw(alias);
  const parts: SQL[] = [
    sql`${o}.kind <> 'operator'`,
    sql`${o}.status IN ('accepted', 'member', 'withdrawal_requested')`,
  ];
  if (filters.departement) parts.push(sql`${o}.departement_code = ${filters.departement}`);
  if (filters.kind) parts.push(sql`${o}.kind = ${filters.kind}`);
  return sql.join(parts, sql` AND `);
}

interface SummaryRow {
  id: string;
  name: string;
  kind: string;
  departement_code: string | null;
  search_name: string;
  processings: unknown;
  completion: unknown;
  review_due: unknown;
  dpia_todo: unknown;
  open_requests: unknown;
  overdue_requests: unknown;
  next_due_on: string | null;
  breaches_in_window: unknown;
  has_referent: boolean;
  sort_key: unknown;
  t_members: unknown;
  t_with_registry: unknown;
  t_processings: unknown;
  t_completion_sum: unknown;
  t_review_due: unknown;
  t_dpia_todo: unknown;
  t_open_requests: unknown;
  t_overdue_requests: unknown;
  t_breaches: unknown;
  t_without_referent: unknown;
}

/**
 * One query: the per-member summary (registry totals from rgpd_member_summaries, kept by triggers;
 * reviews due, open requests and owed breaches aggregated with GROUP BY member_id over their index), the totals as window aggregates over the whole filtered set, then the
 * requested page. Filters apply before aggregation, the cursor after the totals.
 */
function summaryQuery(
  query: DashboardQuery,
  today: string,
  now: Date,
  limit: number | null,
  staleReviews: boolean,
): SQL {
  const sort = SORTS[query.sort];
  const cursor = decodeCursor(query.cursor);
  const key = sql.raw(sort.key);
  const op = sql.raw(sort.descending ? '<' : '>');
  const dir = sql.raw(sort.descending ? 'DESC' : 'ASC');
  const cast = sql.raw(sort.type);
  const after = cursor
    ? sql`WHERE (${key}, id) ${op} (${cursor.sortValue}::${cast}, ${cursor.id}::uuid)`
    : sql``;
  const scoped = query.departement || query.kind;
  // The scope is repeated rather than shared as a CTE: a CTE read several times is materialised,
  // and the planner then guesses its row counts, which blew the estimates (and JIT time) up.
  const inScope = (column: string) =>
    scoped
      ? sql`AND ${sql.raw(column)} IN (SELECT o.id FROM organisations o WHERE ${scopeWhere(query)})`
      : sql``;
  return sql`
    WITH p AS (
      SELECT member_id, processings AS n, completion_sum, dpia_to_do AS dpia_todo,
        CASE WHEN review_due_on = ${today}::date THEN review_due END AS review_due
      FROM rgpd_member_summaries WHERE processings > 0 ${inScope('member_id')}
    ),
    v AS (
      ${
        staleReviews
          ? sql`SELECT member_id, count(*) AS review_due FROM rgpd_processings
      WHERE next_review_on <= ${today}::date ${inScope('member_id')}
        AND member_id IN (SELECT member_id FROM rgpd_member_summaries
          WHERE review_due_on IS DISTINCT FROM ${today}::date)
      GROUP BY member_id`
          : sql`SELECT NULL::uuid AS member_id, 0::bigint AS review_due WHERE false`
      }
    ),
    r AS (
      SELECT member_id, count(*) AS open_requests,
        count(*) FILTER (WHERE COALESCE(extended_until, due_on) < ${today}::date) AS overdue_requests,
        min(COALESCE(extended_until, due_on)) AS next_due_on
      FROM rgpd_rights_requests WHERE ${OPEN_REQUEST} ${inScope('member_id')}
      GROUP BY member_id
    ),
    b AS (
      SELECT member_id, count(*) AS breaches_in_window FROM rgpd_breaches
      WHERE ${BREACH_OWED} AND notification_deadline >= ${now} ${inScope('member_id')}
      GROUP BY member_id
    ),
    c AS (
      SELECT DISTINCT member_id FROM member_contacts WHERE role = 'referent_rgpd' ${inScope('member_id')}
    ),
    s AS (
      SELECT m.id, m.name, m.kind, m.departement_code, m.search_name,
        COALESCE(p.n, 0) AS processings,
        CASE WHEN p.n > 0 THEN round(p.completion_sum::numeric / p.n)::int END AS completion,
        COALESCE(CASE WHEN p.n > 0 THEN round(p.completion_sum::numeric / p.n)::int END, -1) AS completion_key,
        COALESCE(p.completion_sum, 0) AS completion_sum,
        COALESCE(p.review_due, v.review_due, 0) AS review_due,
        COALESCE(p.dpia_todo, 0) AS dpia_todo,
        COALESCE(r.open_requests, 0) AS open_requests,
        COALESCE(r.overdue_requests, 0) AS overdue_requests,
        r.next_due_on::text AS next_due_on,
        COALESCE(r.next_due_on, DATE '9999-12-31') AS next_due_key,
        COALESCE(b.breaches_in_window, 0) AS breaches_in_window,
        c.member_id IS NOT NULL AS has_referent
      FROM organisations m
      LEFT JOIN p ON p.member_id = m.id
      LEFT JOIN v ON v.member_id = m.id
      LEFT JOIN r ON r.member_id = m.id
      LEFT JOIN b ON b.member_id = m.id
      LEFT JOIN c ON c.member_id = m.id
      WHERE ${scopeWhere(query, 'm')}
    ),
    t AS (
      SELECT s.*,
        count(*) OVER () AS t_members,
        count(*) FILTER (WHERE processings > 0) OVER () AS t_with_registry,
        sum(processings) OVER () AS t_processings,
        sum(completion_sum) OVER () AS t_completion_sum,
        sum(review_due) OVER () AS t_review_due,
        sum(dpia_todo) OVER () AS t_dpia_todo,
        sum(open_requests) OVER () AS t_open_requests,
        sum(overdue_requests) OVER () AS t_overdue_requests,
        sum(breaches_in_window) OVER () AS t_breaches,
        count(*) FILTER (WHERE NOT has_referent) OVER () AS t_without_referent
      FROM s
    )
    SELECT t.*, ${key}::text AS sort_key FROM t ${after}
    ORDER BY ${key} ${dir}, id ${dir}
    ${limit === null ? sql`` : sql`LIMIT ${limit}`}`;
}

function presentMember(row: SummaryRow): DashboardMember {
  return {
    memberId: row.id,
    name: row.name,
    kind: row.kind,
    departementCode: row.departement_code,
    processings: toCount(row.processings),
    completion: row.completion === null ? null : Number(row.completion),
    reviewDue: toCount(row.review_due),
    dpiaToDo: toCount(row.dpia_todo),
    openRequests: toCount(row.open_requests),
    overdueRequests: toCount(row.overdue_requests),
    nextDueOn: row.next_due_on,
    breachesInWindow: toCount(row.breaches_in_window),
    hasReferent: row.has_referent,
  };
}

/** Totals when the page is empty (filters matching nothing, or a cursor past the end). */
async function totalsOnly(db: Executor, query: DashboardQuery, today: string, now: Date, stale: boolean) {
  const rows = rowsOf<SummaryRow>(
    await db.execute(summaryQuery({ ...query, cursor: undefined, sort: 'name' }, today, now, 1, stale)),
  );
  return rows[0];
}

/**
 * Whether some member summaries still count reviews for another day (the daily job has not run
 * yet today): those members' reviews are then counted live from the review index.
 */
async function hasStaleReviewCounts(db: Executor, today: string): Promise<boolean> {
  const [row] = rowsOf<{ stale: boolean }>(
    await db.execute(sql`SELECT EXISTS (
      SELECT 1 FROM rgpd_member_summaries WHERE review_due_on IS DISTINCT FROM ${today}::date) AS stale`),
  );
  return !!row?.stale;
}

/**
 * Moves every member summary's review count to `today` (the daily job's first step): one pass over
 * the processings due, after which the dashboard reads 50,000 summaries and nothing else.
 */
export async function refreshReviewCounts(db: Executor, today: string): Promise<number> {
  // A join, not a correlated subquery: the latter re-aggregated the processings for every member.
  const updated = rowsOf<{ member_id: string }>(
    await db.execute(sql`
      UPDATE rgpd_member_summaries s
      SET review_due = COALESCE(v.n, 0), review_due_on = ${today}::date
      FROM rgpd_member_summaries stale
      LEFT JOIN (
        SELECT member_id, count(*) AS n FROM rgpd_processings
        WHERE next_review_on <= ${today}::date GROUP BY member_id
      ) v ON v.member_id = stale.member_id
      WHERE s.member_id = stale.member_id AND stale.review_due_on IS DISTINCT FROM ${today}::date
      RETURNING s.member_id`),
  );
  return updated.length;
}

/**
 * JIT compilation costs seconds on this query shape (many joins over 50,000 rows) and saves
 * nothing: it is turned off for the dashboard's transaction only.
 */
async function withoutJit(db: Executor): Promise<void> {
  await db.execute(sql`SELECT set_config('jit', 'off', true)`);
}

export async function dashboard(db: Executor, query: DashboardQuery, now: Date): Promise<Dashboard> {
  const today = parisToday(now);
  await withoutJit(db);
  const stale = await hasStaleReviewCounts(db, today);
  const rows = rowsOf<SummaryRow>(await db.execute(summaryQuery(query, today, now, query.limit + 1, stale)));
  const first = rows[0] ?? (query.cursor ? await totalsOnly(db, query, today, now, stale) : undefined);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(String(last.sort_key), last.id) : null;
  const processings = toCount(first?.t_processings);

  const scope = scopeWhere(query);
  // Sequential on purpose: one transaction is one connection, which runs one statement at a time.
  const openRequests = await db.execute(sql`
      SELECT r.id, r.member_id, o.name AS member_name, r.type, r.received_on::text AS received_on,
        COALESCE(r.extended_until, r.due_on)::text AS due_on
      FROM rgpd_rights_requests r JOIN organisations o ON o.id = r.member_id
      WHERE r.status IN ('received', 'in_progress') AND ${scope}
      ORDER BY COALESCE(r.extended_until, r.due_on), r.id LIMIT ${LIST_SIZE}`);
  const breaches = await db.execute(sql`
      SELECT b.id, b.member_id, o.name AS member_name, b.aware_at, b.notification_deadline
      FROM rgpd_breaches b JOIN organisations o ON o.id = b.member_id
      WHERE b.notified_at IS NULL AND b.cnil_notification_required AND b.notification_deadline >= ${now}
        AND ${scope}
      ORDER BY b.notification_deadline, b.id LIMIT ${LIST_SIZE}`);
  const withoutReferent = await db.execute(sql`
      SELECT o.id, o.name, o.kind FROM organisations o
      WHERE ${scope} AND NOT EXISTS (
        SELECT 1 FROM member_contacts c WHERE c.member_id = o.id AND c.role = 'referent_rgpd')
      ORDER BY o.search_name, o.id LIMIT ${LIST_SIZE}`);

  return {
    asOf: today,
    totals: {
      members: toCount(first?.t_members),
      membersWithRegistry: toCount(first?.t_with_registry),
      processings,
      completion: processings > 0 ? Math.round(toCount(first?.t_completion_sum) / processings) : null,
      reviewDue: toCount(first?.t_review_due),
      dpiaToDo: toCount(first?.t_dpia_todo),
      openRequests: toCount(first?.t_open_requests),
      overdueRequests: toCount(first?.t_overdue_requests),
      breachesInWindow: toCount(first?.t_breaches),
      membersWithoutReferent: toCount(first?.t_without_referent),
    },
    openRequests: rowsOf<{
      id: string;
      member_id: string;
      member_name: string;
      type: string;
      received_on: string;
      due_on: string;
    }>(openRequests).map((r) => ({
      id: r.id,
      memberId: r.member_id,
      memberName: r.member_name,
      type: r.type as Dashboard['openRequests'][number]['type'],
      receivedOn: r.received_on,
      dueOn: r.due_on,
      overdue: r.due_on < today,
    })),
    breachesInWindow: rowsOf<{
      id: string;
      member_id: string;
      member_name: string;
      aware_at: string | Date;
      notification_deadline: string | Date;
    }>(breaches).map((b) => {
      const deadline = new Date(b.notification_deadline);
      return {
        id: b.id,
        memberId: b.member_id,
        memberName: b.member_name,
        awareAt: new Date(b.aware_at).toISOString(),
        notificationDeadline: deadline.toISOString(),
        notificationDeadlineLabel: formatParisInstant(deadline),
        remainingSeconds: Math.max(0, Math.floor((deadline.getTime() - now.getTime()) / 1000)),
      };
    }),
    membersWithoutReferent: rowsOf<{ id: string; name: string; kind: string }>(withoutReferent).map((o) => ({
      memberId: o.id,
      name: o.name,
      kind: o.kind,
    })),
    members: { items: page.map(presentMember), total: toCount(first?.t_members), nextCursor },
  };
}

/** Every member row of the filtered, sorted summary, for the CSV/XLSX export. */
export async function dashboardRows(
  db: Executor,
  filters: Omit<DashboardQuery, 'limit' | 'cursor'>,
  now: Date,
): Promise<DashboardMember[]> {
  await withoutJit(db);
  const today = parisToday(now);
  const stale = await hasStaleReviewCounts(db, today);
  const rows = rowsOf<SummaryRow>(
    await db.execute(summaryQuery({ ...filters, limit: 0 }, today, now, null, stale)),
  );
  return rows.map(presentMember);
}
