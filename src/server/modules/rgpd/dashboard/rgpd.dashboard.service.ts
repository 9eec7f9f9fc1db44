import type {
  Dashboard,
  DashboardMember,
  DashboardQuery,
  DashboardSort,
} from '../../../../contracts/rgpd-cases.js';
import { now, today } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { toCount } from '../../../platform/db/client.js';
import { invalid } from '../../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../../platform/http/pagination.js';
import { formatParisInstant } from '../rgpd.deadlines.js';
import * as repo from './rgpd.dashboard.repository.js';

/**
 * The DPO team's view across all members (section 5), read from rgpd_member_summaries (see the
 * repository) at the clock's instant.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SORT_VALUE: Record<ReturnType<typeof repo.sortKeyType>, RegExp> = {
  text: /^[\s\S]*$/,
  integer: /^-?\d{1,18}$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
};

/** A cursor made by this sort, or 400: a forged one must not reach the database as a bad cast. */
function sortCursor(sort: DashboardSort, encoded: string | undefined): repo.DashboardCursor | null {
  const cursor = decodeCursor(encoded);
  if (!cursor) return null;
  if (!UUID.test(cursor.id) || !SORT_VALUE[repo.sortKeyType(sort)].test(String(cursor.sortValue))) {
    throw invalid('Le paramètre cursor est invalide : repartez de la première page.', [
      { path: 'query.cursor', message: 'curseur invalide' },
    ]);
  }
  return cursor;
}

function presentMember(row: repo.MemberRow): DashboardMember {
  return {
    memberId: row.id,
    name: row.name,
    kind: row.kind,
    departementCode: row.departement_code,
    processings: toCount(row.processings),
    completion: row.completion === null ? null : Number(row.completion),
    reviewDue: toCount(row.review_due),
    dpiaToDo: toCount(row.dpia_to_do),
    openRequests: toCount(row.open_requests),
    overdueRequests: toCount(row.overdue_requests),
    nextDueOn: row.next_due_on,
    breachesInWindow: toCount(row.breaches_in_window),
    hasReferent: row.has_referent,
  };
}

/**
 * Moves every member summary's date-bound counts (reviews due, overdue requests) to `day`: the daily
 * job's first step, after which the dashboard's live part is empty; then folds the day's rows of
 * rgpd_dashboard_counts into one per bucket. Returns how many summaries moved.
 */
export async function refreshReviewCounts(db: Executor, day: string): Promise<number> {
  const moved = await repo.refreshReviewCounts(db, day);
  await repo.compactDashboardCounts(db);
  return moved;
}

export async function dashboard(db: Executor, query: DashboardQuery): Promise<Dashboard> {
  const at = now();
  const asOf = today(at);
  const cursor = sortCursor(query.sort, query.cursor);
  const { totals, ...row } = await repo.overview(db, query, cursor, asOf, at);
  const rows = row.page;
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last.sort_key, last.id) : null;
  const processings = toCount(totals.processings);
  const members = toCount(totals.members);

  return {
    asOf,
    totals: {
      members,
      membersWithRegistry: toCount(totals.with_registry),
      processings,
      completion: processings > 0 ? Math.round(toCount(totals.completion_sum) / processings) : null,
      reviewDue: toCount(totals.review_due) + row.reviewDelta,
      dpiaToDo: toCount(totals.dpia_to_do),
      openRequests: toCount(totals.open_requests),
      overdueRequests: toCount(totals.overdue_requests) + row.overdueDelta,
      breachesInWindow: row.breaches,
      membersWithoutReferent: toCount(totals.without_referent),
    },
    openRequests: row.openList.map((r) => ({
      id: r.id,
      memberId: r.member_id,
      memberName: r.member_name,
      type: r.type,
      receivedOn: r.received_on,
      dueOn: r.due_on,
      overdue: r.due_on < asOf,
    })),
    breachesInWindow: row.breachList.map((b) => {
      const deadline = new Date(b.notification_deadline);
      return {
        id: b.id,
        memberId: b.member_id,
        memberName: b.member_name,
        awareAt: new Date(b.aware_at).toISOString(),
        notificationDeadline: deadline.toISOString(),
        notificationDeadlineLabel: formatParisInstant(deadline),
        remainingSeconds: Math.max(0, Math.floor((deadline.getTime() - at.getTime()) / 1000)),
        toQualify: b.to_qualify,
      };
    }),
    membersWithoutReferent: row.noReferentList.map((o) => ({ memberId: o.id, name: o.name, kind: o.kind })),
    members: { items: page.map(presentMember), total: members, nextCursor },
  };
}

/** Every member row of the filtered, sorted summary, for the CSV/XLSX export, and the day it holds for. */
export async function dashboardRows(
  db: Executor,
  filters: Omit<DashboardQuery, 'limit' | 'cursor'>,
): Promise<{ asOf: string; rows: DashboardMember[] }> {
  const at = now();
  const asOf = today(at);
  const rows = await repo.memberRows(db, filters, asOf, at);
  return { asOf, rows: rows.map(presentMember) };
}
