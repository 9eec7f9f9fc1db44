import { type SQL, sql } from 'drizzle-orm';
import type { MemberKind } from '../../../../contracts/members.js';
import type { DashboardQuery, DashboardSort, RightsRequestType } from '../../../../contracts/rgpd-cases.js';
import { searchTerms } from '../../../../contracts/search.js';
import { type Executor, rowsOf } from '../../../platform/db/client.js';
import type { CursorValue } from '../../../platform/http/pagination.js';
import { summaryActive } from '../rgpd.schema.js';

/** Organisations the DPO team follows: members, and those accepted or leaving. */
export const DASHBOARD_MEMBER_STATUSES = ['accepted', 'member', 'withdrawal_requested'] as const;
const LIST_SIZE = 20;

/**
 * Everything the dashboard reads comes from rgpd_member_summaries (one row per member, kept by
 * triggers: migrations 0015, 0018, 0023), whose `followed` flag stands for the statuses above.
 * Each sort key is a NOT NULL column with a partial index on (key, member_id) WHERE followed, so a
 * page is an index range scan from the keyset cursor + LIMIT; `member_id` breaks ties in the key's
 * direction. Two keys move with the clock and are read through `adjusted` below.
 */
interface SortSpec {
  key: string;
  type: 'text' | 'integer' | 'date';
  descending: boolean;
  /**
   * The key is a stored value plus a live adjustment for a few members: reviews that fell due since
   * the summaries were last moved to a day (none once the daily job has run), breaches inside their
   * 72 h window (a handful at any time, 0 stored).
   */
  adjusted?: 'reviews' | 'breaches';
}

const SORTS: Record<DashboardSort, SortSpec> = {
  name: { key: 's.search_name', type: 'text', descending: false },
  '-name': { key: 's.search_name', type: 'text', descending: true },
  completion: { key: 's.completion_key', type: 'integer', descending: false },
  '-completion': { key: 's.completion_key', type: 'integer', descending: true },
  '-reviewDue': { key: 's.review_due', type: 'integer', descending: true, adjusted: 'reviews' },
  '-dpiaToDo': { key: 's.dpia_to_do', type: 'integer', descending: true },
  '-openRequests': { key: 's.open_requests', type: 'integer', descending: true },
  nextDueOn: { key: 's.next_due_key', type: 'date', descending: false },
  '-breachesInWindow': { key: '0', type: 'integer', descending: true, adjusted: 'breaches' },
};

type Filters = Pick<DashboardQuery, 'departement' | 'kind' | 'q'>;

/** Followed members within the filters, on the summary alias `a`. */
function scope(filters: Filters, a: string): SQL {
  return sql`${sql.raw(a)}.followed${scopeFilters(filters, a)}`;
}

/** The filters alone, each as ` AND …` (empty without filters), on the summary alias `a`. */
function scopeFilters(filters: Filters, a: string): SQL {
  const s = sql.raw(a);
  const parts: SQL[] = [];
  if (filters.departement) parts.push(sql` AND ${s}.departement_code = ${filters.departement}`);
  if (filters.kind) parts.push(sql` AND ${s}.kind = ${filters.kind}`);
  for (const term of filters.q ? searchTerms(filters.q) : []) {
    parts.push(sql` AND ${s}.search_name LIKE ${`%${term}%`}`);
  }
  return sql.join(parts);
}

const OPEN_REQUEST = sql.raw("r.status IN ('received', 'in_progress')");
const REQUEST_DUE = sql.raw('COALESCE(r.extended_until, r.due_on)');

/**
 * Common table expressions of the live differences (the overview's `d`/`w` statement, the adjusted
 * sorts' page, the export).
 *
 * `d`: for members in scope whose counts were last moved to another day than `today`
 * (review_due_on), the difference between that day's counts and today's — processings whose next
 * review falls between the two days, open requests due between them. `lo < hi` gates both scans:
 * once the daily job has run every summary is on today and neither starts. Otherwise processings
 * are read through the review-date index over that range only (a day's worth of rows per day
 * late); open requests are all read, because under RLS the range cannot use the COALESCE expression
 * index (COALESCE is not leakproof) — a few thousand rows at most, and only until the job has run.
 *
 * `w`: breaches owed a notification whose 72 h window is still open, per member (a handful).
 */
function liveParts(filters: Filters, today: string, now: Date): SQL {
  const day = sql`${today}::date`;
  return sql`
    bounds AS MATERIALIZED (
      SELECT least(min(review_due_on), ${day}) AS lo, greatest(max(review_due_on), ${day}) AS hi
      FROM rgpd_member_summaries
    ),
    d AS MATERIALIZED (
      SELECT member_id, sum(reviews) AS reviews, sum(overdue) AS overdue FROM (
        SELECT p.member_id, CASE WHEN p.next_review_on <= ${day} THEN 1 ELSE -1 END AS reviews, 0 AS overdue
        FROM rgpd_processings p
        -- One primary-key probe per processing in the range (OFFSET 0 keeps the planner, which
        -- cannot estimate the range, from hashing every summary instead).
        CROSS JOIN LATERAL (
          SELECT x.review_due_on FROM rgpd_member_summaries x
          WHERE x.member_id = p.member_id AND ${scope(filters, 'x')} OFFSET 0
        ) x
        WHERE (SELECT lo < hi FROM bounds)
          AND p.next_review_on > (SELECT lo FROM bounds) AND p.next_review_on <= (SELECT hi FROM bounds)
          AND p.next_review_on > least(x.review_due_on, ${day})
          AND p.next_review_on <= greatest(x.review_due_on, ${day})
        UNION ALL
        SELECT r.member_id, 0, CASE WHEN ${REQUEST_DUE} < ${day} THEN 1 ELSE -1 END
        FROM rgpd_rights_requests r JOIN rgpd_member_summaries x ON x.member_id = r.member_id
        WHERE (SELECT lo < hi FROM bounds) AND ${OPEN_REQUEST}
          AND ${REQUEST_DUE} >= (SELECT lo FROM bounds) AND ${REQUEST_DUE} < (SELECT hi FROM bounds)
          AND ${REQUEST_DUE} >= least(x.review_due_on, ${day})
          AND ${REQUEST_DUE} < greatest(x.review_due_on, ${day})
          AND ${scope(filters, 'x')}
      ) u
      GROUP BY member_id
    ),
    w AS MATERIALIZED (
      SELECT b.member_id, count(*) AS n FROM rgpd_breaches b
      JOIN rgpd_member_summaries x ON x.member_id = b.member_id
      WHERE b.notified_at IS NULL AND b.cnil_notification_required AND b.notification_deadline >= ${now}
        AND ${scope(filters, 'x')}
      GROUP BY b.member_id
    )`;
}

const SUMMARY_COLUMNS = sql.raw(`s.member_id, s.kind, s.departement_code, s.processings, s.completion_key,
  s.dpia_to_do, s.review_due, s.overdue_requests, s.open_requests, s.next_due_on, s.referents`);

/** The type of a sort's key: what a cursor's value must look like before it is cast to it. */
export const sortKeyType = (sort: DashboardSort): SortSpec['type'] => SORTS[sort].type;

/** A page's position: the sort key and member id of the last row of the previous page. */
export interface DashboardCursor {
  sortValue: CursorValue;
  id: string;
}

/**
 * The page CTE `page`: `limit` summaries (all with null) after the cursor, in the sort's order, with
 * their sort key. Adjusted sorts merge the few adjusted members (key computed) with an index walk
 * over everybody else (key stored), each side already in order. The cursor was checked against the
 * sort's key type (`sortKeyType`) by the service.
 */
function pageCte(
  query: Omit<DashboardQuery, 'limit' | 'cursor'>,
  cursor: DashboardCursor | null,
  limit: number | null,
): SQL {
  const sort = SORTS[query.sort];
  const dir = sql.raw(sort.descending ? 'DESC' : 'ASC');
  const op = sql.raw(sort.descending ? '<' : '>');
  const cast = sql.raw(sort.type);
  const key = sql.raw(sort.key);
  const limitSql = limit === null ? sql`` : sql`LIMIT ${limit}`;
  const after = (k: SQL) =>
    cursor ? sql`AND (${k}, s.member_id) ${op} (${cursor.sortValue}::${cast}, ${cursor.id}::uuid)` : sql``;

  if (!sort.adjusted) {
    return sql`page AS (
      SELECT ${SUMMARY_COLUMNS}, ${key} AS sort_key FROM rgpd_member_summaries s
      WHERE ${scope(query, 's')} ${after(key)}
      ORDER BY ${key} ${dir}, s.member_id ${dir} ${limitSql}
    )`;
  }
  const adjustment =
    sort.adjusted === 'reviews'
      ? sql`SELECT member_id, reviews AS delta FROM d WHERE reviews <> 0`
      : sql`SELECT member_id, n AS delta FROM w`;
  let rest: SQL;
  if (sort.adjusted === 'breaches') {
    // Stored key 0: the others follow in member_id order (primary key), after any cursor on them.
    const afterRest = !cursor
      ? sql``
      : Number(cursor.sortValue) > 0
        ? sql``
        : sql`AND s.member_id < ${cursor.id}::uuid`;
    rest = sql`SELECT ${SUMMARY_COLUMNS}, 0::bigint AS sort_key FROM rgpd_member_summaries s
      WHERE ${scope(query, 's')} AND s.member_id NOT IN (SELECT member_id FROM adj) ${afterRest}
      ORDER BY s.member_id DESC ${limitSql}`;
  } else {
    rest = sql`SELECT ${SUMMARY_COLUMNS}, ${key}::bigint AS sort_key FROM rgpd_member_summaries s
      WHERE ${scope(query, 's')} AND s.member_id NOT IN (SELECT member_id FROM adj) ${after(key)}
      ORDER BY ${key} DESC, s.member_id DESC ${limitSql}`;
  }
  const adjustedKey = sql`(${key} + adj.delta)`;
  return sql`adj AS MATERIALIZED (${adjustment}),
    page AS (
      SELECT * FROM (
        (SELECT ${SUMMARY_COLUMNS}, ${adjustedKey}::bigint AS sort_key
          FROM adj JOIN rgpd_member_summaries s ON s.member_id = adj.member_id
          WHERE ${scope(query, 's')} ${after(adjustedKey)})
        UNION ALL
        (${rest})
      ) u
      ORDER BY sort_key DESC, member_id DESC ${limitSql}
    )`;
}

/**
 * The page's rows, with the organisation's name and the cursor value. `live`: today's counts from the
 * `d` and `w` parts of the same statement (the export); otherwise the stored counts, which the overview
 * corrects from its own `d` and `w` statements.
 */
function pageSelect(sort: DashboardSort, live = true): SQL {
  const dir = sql.raw(SORTS[sort].descending ? 'DESC' : 'ASC');
  return sql`
    SELECT page.member_id AS id, o.name, page.kind, page.departement_code, page.processings,
      CASE WHEN page.processings > 0 THEN page.completion_key END AS completion,
      page.review_due${live ? sql` + COALESCE(d.reviews, 0)` : sql``} AS review_due,
      page.dpia_to_do,
      page.open_requests,
      page.overdue_requests${live ? sql` + COALESCE(d.overdue, 0)` : sql``} AS overdue_requests,
      page.next_due_on::text AS next_due_on,
      ${live ? sql`COALESCE(w.n, 0)` : sql`0`} AS breaches_in_window,
      page.referents > 0 AS has_referent,
      page.sort_key::text AS sort_key
    FROM page
    JOIN organisations o ON o.id = page.member_id
    ${live ? sql`LEFT JOIN d ON d.member_id = page.member_id LEFT JOIN w ON w.member_id = page.member_id` : sql``}
    ORDER BY page.sort_key ${dir}, page.member_id ${dir}`;
}

export interface MemberRow {
  id: string;
  name: string;
  kind: MemberKind;
  departement_code: string | null;
  processings: unknown;
  completion: unknown;
  review_due: unknown;
  dpia_to_do: unknown;
  open_requests: unknown;
  overdue_requests: unknown;
  next_due_on: string | null;
  breaches_in_window: unknown;
  has_referent: boolean;
  sort_key: string;
}

export interface TotalsRow {
  members: unknown;
  with_registry: unknown;
  processings: unknown;
  completion_sum: unknown;
  review_due: unknown;
  dpia_to_do: unknown;
  open_requests: unknown;
  overdue_requests: unknown;
  without_referent: unknown;
}

export interface OpenRequestRow {
  id: string;
  member_id: string;
  member_name: string;
  type: RightsRequestType;
  received_on: string;
  due_on: string;
}

export interface BreachRow {
  id: string;
  member_id: string;
  member_name: string;
  aware_at: Date | string;
  notification_deadline: Date | string;
  to_qualify: boolean;
}

export interface OverviewRow {
  /** Stored totals; the live differences are in `reviewDelta`, `overdueDelta` and `breaches`. */
  totals: TotalsRow;
  reviewDelta: number;
  overdueDelta: number;
  breaches: number;
  /** Up to `limit + 1` rows, with today's counts. */
  page: MemberRow[];
  openList: OpenRequestRow[];
  breachList: BreachRow[];
  noReferentList: { id: string; name: string; kind: MemberKind }[];
}

/** A member's live differences: reviews and overdue requests since its summary's day (`d`), breaches in their window (`w`). */
interface LiveRow {
  member_id: string;
  reviews: unknown;
  overdue: unknown;
  breaches: unknown;
}

/**
 * The totals over the followed members in scope. Without a name search they are sums over
 * rgpd_dashboard_counts, the per-(département, kind) counts kept by triggers (migration 0083): a few
 * hundred rows, whatever the number of members. A name search counts the summaries themselves: the
 * members and those without a référent through rgpd_member_summaries_scope_idx (or the name index);
 * every sum and the members with a registry over the summaries with a registry or request count above
 * 0 only (the others add 0), through rgpd_member_summaries_active_idx, which carries the counts.
 */
function totalsSelect(filters: Filters): SQL {
  if (!filters.q) {
    return sql`
      SELECT COALESCE(sum(c.members), 0) AS members, COALESCE(sum(c.with_registry), 0) AS with_registry,
        COALESCE(sum(c.processings), 0) AS processings, COALESCE(sum(c.completion_sum), 0) AS completion_sum,
        COALESCE(sum(c.review_due), 0) AS review_due, COALESCE(sum(c.dpia_to_do), 0) AS dpia_to_do,
        COALESCE(sum(c.open_requests), 0) AS open_requests,
        COALESCE(sum(c.overdue_requests), 0) AS overdue_requests,
        COALESCE(sum(c.without_referent), 0) AS without_referent
      FROM rgpd_dashboard_counts c WHERE true${scopeFilters(filters, 'c')}`;
  }
  const active = sql.raw(summaryActive('x'));
  return sql`
      SELECT m.members, a.with_registry, a.processings, a.completion_sum, a.review_due, a.dpia_to_do,
        a.open_requests, a.overdue_requests, m.without_referent
      FROM (
        SELECT count(*) AS members, count(*) FILTER (WHERE x.referents = 0) AS without_referent
        FROM rgpd_member_summaries x WHERE ${scope(filters, 'x')}
      ) m, (
        SELECT count(*) FILTER (WHERE x.processings > 0) AS with_registry,
          COALESCE(sum(x.processings), 0) AS processings,
          COALESCE(sum(x.completion_sum), 0) AS completion_sum,
          COALESCE(sum(x.review_due), 0) AS review_due,
          COALESCE(sum(x.dpia_to_do), 0) AS dpia_to_do,
          COALESCE(sum(x.open_requests), 0) AS open_requests,
          COALESCE(sum(x.overdue_requests), 0) AS overdue_requests
        FROM rgpd_member_summaries x WHERE ${active}${scopeFilters(filters, 'x')}
      ) a`;
}

/**
 * Folds rgpd_dashboard_counts into one row per bucket (the daily job, after refreshReviewCounts has
 * moved every summary): the dashboard's totals then read one row per bucket again. Returns the number
 * of rows removed.
 */
export async function compactDashboardCounts(db: Executor): Promise<number> {
  const [row] = rowsOf<{ n: unknown }>(await db.execute(sql`SELECT rgpd_dashboard_counts_compact() AS n`));
  return Number(row?.n ?? 0);
}

/**
 * Moves every member summary's date-bound counts (reviews due, overdue requests) to `today`: the
 * daily job's first step, after which the dashboard's `d` part is empty. The summaries are locked
 * first and counted in a second statement, whose snapshot then includes whatever the transactions
 * we waited for committed (the triggers lock the same rows before counting against their date).
 */
export async function refreshReviewCounts(db: Executor, today: string): Promise<number> {
  await db.execute(sql`SELECT 1 FROM rgpd_member_summaries
    WHERE review_due_on IS DISTINCT FROM ${today}::date ORDER BY member_id FOR UPDATE`);
  const updated = rowsOf<{ member_id: string }>(
    await db.execute(sql`
      UPDATE rgpd_member_summaries s
      SET review_due = COALESCE(v.n, 0), overdue_requests = COALESCE(o.n, 0), review_due_on = ${today}::date
      FROM rgpd_member_summaries stale
      LEFT JOIN (
        SELECT member_id, count(*) AS n FROM rgpd_processings
        WHERE next_review_on <= ${today}::date GROUP BY member_id
      ) v ON v.member_id = stale.member_id
      LEFT JOIN (
        SELECT r.member_id, count(*) AS n FROM rgpd_rights_requests r
        WHERE ${OPEN_REQUEST} AND ${REQUEST_DUE} < ${today}::date GROUP BY r.member_id
      ) o ON o.member_id = stale.member_id
      WHERE s.member_id = stale.member_id AND stale.review_due_on IS DISTINCT FROM ${today}::date
      RETURNING s.member_id`),
  );
  return updated.length;
}

/**
 * The planner cannot know that the date ranges of `d` are empty or one day wide, and its generic
 * estimate puts a statement using it above jit_above_cost: JIT compilation would then cost tens of
 * milliseconds to save nothing. It is turned off for the dashboard's transaction only, and so are
 * sequential scans: under RLS (the policy's `operator OR member_id = …` filter) the planner chose one
 * over the 50,000 summaries for the totals' count instead of the index-only scan of
 * rgpd_member_summaries_scope_idx, and every statement here is meant to walk an index.
 */
const WITHOUT_JIT = sql`SELECT set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true)`;

/**
 * The whole dashboard at `now` (`today` its Paris date), as small statements sent together: on
 * PostgreSQL they travel in one round trip (the request connections pipeline, platform/db/client.ts),
 * and each is planned once per connection. One large statement doing all of it was planned again on
 * every request (13–18 ms of planning, its generic plan far worse; docs/PERFORMANCE.md).
 *
 * - the totals over the summaries in scope (stored counts, `totalsSelect`);
 * - the live differences per member (`d` and `w` of `liveParts`: no row for `d` once the daily job
 *   has run, a handful for `w`), which the totals and the page's rows are corrected with here;
 * - the page (the adjusted sorts compute their key with the same live parts in SQL);
 * - the three short lists, each an index walk + LIMIT.
 */
export async function overview(
  db: Executor,
  query: Omit<DashboardQuery, 'cursor'>,
  cursor: DashboardCursor | null,
  today: string,
  now: Date,
): Promise<OverviewRow> {
  const x = scope(query, 'x');
  const adjusted = SORTS[query.sort].adjusted;
  const [, totals, live, page, openList, breachList, noReferentList] = await Promise.all([
    db.execute(WITHOUT_JIT),
    db.execute(totalsSelect(query)),
    db.execute(sql`
      WITH ${liveParts(query, today, now)}
      SELECT member_id, reviews, overdue, 0 AS breaches FROM d
      UNION ALL SELECT member_id, 0, 0, n FROM w`),
    db.execute(sql`
      WITH ${adjusted ? sql`${liveParts(query, today, now)},` : sql``}
      ${pageCte(query, cursor, query.limit + 1)}
      ${pageSelect(query.sort, false)}`),
    db.execute(sql`
      SELECT r.id, r.member_id, o.name AS member_name, r.type, r.received_on::text AS received_on,
        r.due_on::text AS due_on
      FROM (
        SELECT r.id, r.member_id, r.type, r.received_on, ${REQUEST_DUE} AS due_on
        FROM rgpd_rights_requests r JOIN rgpd_member_summaries x ON x.member_id = r.member_id
        WHERE ${OPEN_REQUEST} AND ${x}
        ORDER BY ${REQUEST_DUE}, r.id LIMIT ${LIST_SIZE}
      ) r JOIN organisations o ON o.id = r.member_id
      ORDER BY r.due_on, r.id`),
    db.execute(sql`
      SELECT b.id, b.member_id, o.name AS member_name, b.aware_at, b.notification_deadline, b.to_qualify
      FROM (
        SELECT b.id, b.member_id, b.aware_at, b.notification_deadline, b.qualified_at IS NULL AS to_qualify
        FROM rgpd_breaches b JOIN rgpd_member_summaries x ON x.member_id = b.member_id
        WHERE b.notified_at IS NULL AND b.cnil_notification_required
          AND b.notification_deadline >= ${now} AND ${x}
        ORDER BY b.notification_deadline, b.id LIMIT ${LIST_SIZE}
      ) b JOIN organisations o ON o.id = b.member_id
      ORDER BY b.notification_deadline, b.id`),
    db.execute(sql`
      SELECT x.member_id AS id, o.name, x.kind
      FROM (
        SELECT x.member_id, x.kind, x.search_name FROM rgpd_member_summaries x
        WHERE ${x} AND x.referents = 0
        ORDER BY x.search_name, x.member_id LIMIT ${LIST_SIZE}
      ) x JOIN organisations o ON o.id = x.member_id
      ORDER BY x.search_name, x.member_id`),
  ]);

  const deltas = new Map<string, { reviews: number; overdue: number; breaches: number }>();
  let reviewDelta = 0;
  let overdueDelta = 0;
  let breaches = 0;
  for (const row of rowsOf<LiveRow>(live)) {
    const delta = deltas.get(row.member_id) ?? { reviews: 0, overdue: 0, breaches: 0 };
    delta.reviews += Number(row.reviews);
    delta.overdue += Number(row.overdue);
    delta.breaches += Number(row.breaches);
    deltas.set(row.member_id, delta);
    reviewDelta += Number(row.reviews);
    overdueDelta += Number(row.overdue);
    breaches += Number(row.breaches);
  }
  const pageRows = rowsOf<MemberRow>(page).map((row) => {
    const delta = deltas.get(row.id);
    if (!delta) return row;
    return {
      ...row,
      review_due: Number(row.review_due) + delta.reviews,
      overdue_requests: Number(row.overdue_requests) + delta.overdue,
      breaches_in_window: delta.breaches,
    };
  });
  return {
    totals: rowsOf<TotalsRow>(totals)[0],
    reviewDelta,
    overdueDelta,
    breaches,
    page: pageRows,
    openList: rowsOf<OpenRequestRow>(openList),
    breachList: rowsOf<BreachRow>(breachList),
    noReferentList: rowsOf<{ id: string; name: string; kind: MemberKind }>(noReferentList),
  };
}

/** Every member row of the filtered, sorted summaries at `now` (`today` its Paris date). */
export async function memberRows(
  db: Executor,
  filters: Omit<DashboardQuery, 'limit' | 'cursor'>,
  today: string,
  now: Date,
): Promise<MemberRow[]> {
  await db.execute(WITHOUT_JIT);
  return rowsOf<MemberRow>(
    await db.execute(sql`
      WITH ${liveParts(filters, today, now)},
      ${pageCte(filters, null, null)}
      ${pageSelect(filters.sort)}`),
  );
}
