import { sql } from 'drizzle-orm';
import {
  type CyberDashboard,
  type CyberMemberRow,
  MATURITY_LEVEL_LABELS,
  MATURITY_LEVELS,
  type MaturityLevel,
} from '../../../contracts/cyber.js';
import type { MemberKind } from '../../../contracts/members.js';
import { searchTerms } from '../../../contracts/search.js';
import { today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { rowsOf, toCount } from '../../platform/db/client.js';
import { decodeTextCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { unremediatedAdvisories } from './cyber.advisories.service.js';
import { openIncidentsByClock } from './cyber.incidents.service.js';

/** The cyber team's dashboard and its list of members by maturity and exposure. */

const MEMBER_STATUSES = sql`('member', 'withdrawal_requested')`;
const maturityCase = (score: ReturnType<typeof sql>) => sql`CASE WHEN ${score} IS NULL THEN 'none'
  WHEN ${score} < 25 THEN 'initial' WHEN ${score} < 50 THEN 'basic' WHEN ${score} < 75 THEN 'managed'
  ELSE 'advanced' END`;

export async function dashboard(db: Executor): Promise<CyberDashboard> {
  const [openIncidents, unremediated, maturityRows] = await Promise.all([
    openIncidentsByClock(db),
    unremediatedAdvisories(db),
    db.execute(sql`
      WITH latest AS (
        SELECT DISTINCT ON (member_id) member_id, overall_score FROM cyber_diagnostics
        ORDER BY member_id, created_at DESC
      )
      SELECT ${maturityCase(sql`l.overall_score`)} AS level, count(*)::int AS n
      FROM organisations o LEFT JOIN latest l ON l.member_id = o.id
      WHERE o.kind <> 'operator' AND o.status IN ${MEMBER_STATUSES}
      GROUP BY 1`),
  ]);
  const counts = new Map(
    rowsOf<{ level: string; n: number }>(maturityRows).map((r) => [r.level, toCount(r.n)]),
  );
  return {
    openIncidents,
    maturity: [
      ...MATURITY_LEVELS.map((level) => ({
        level,
        label: MATURITY_LEVEL_LABELS[level],
        members: counts.get(level) ?? 0,
      })),
      { level: 'none' as const, label: 'Sans diagnostic', members: counts.get('none') ?? 0 },
    ],
    unremediatedAdvisories: unremediated,
  };
}

export async function memberRows(
  db: Executor,
  query: { maturity?: MaturityLevel | 'none'; q?: string; limit: number; cursor?: string },
) {
  const at = today();
  const cursor = decodeTextCursor(query.cursor);
  const terms = searchTerms(query.q ?? '');
  const nameFilter = terms.length
    ? sql.join(
        terms.map((t) => sql`AND o.search_name LIKE ${`%${t}%`}`),
        sql` `,
      )
    : sql``;
  const maturityFilter = query.maturity
    ? sql`AND ${maturityCase(sql`l.overall_score`)} = ${query.maturity}`
    : sql``;
  const base = sql`
    FROM organisations o
    LEFT JOIN LATERAL (SELECT overall_score, created_at FROM cyber_diagnostics d WHERE d.member_id = o.id
      ORDER BY created_at DESC LIMIT 1) l ON true
    LEFT JOIN cyber_profiles p ON p.member_id = o.id
    WHERE o.kind <> 'operator' AND o.status IN ${MEMBER_STATUSES} ${nameFilter} ${maturityFilter}`;
  const after = cursor ? sql`AND (o.search_name, o.id) > (${cursor.sortValue}, ${cursor.id}::uuid)` : sql``;
  const rows = rowsOf<{
    id: string;
    name: string;
    search_name: string;
    kind: MemberKind;
    nis2: boolean | null;
    score: number | null;
    diagnosed_at: Date | string | null;
    open_advisories: number;
    overdue_advisories: number;
    open_incidents: number;
    assets: number;
  }>(
    await db.execute(sql`
      SELECT o.id, o.name, o.search_name, o.kind, p.nis2_in_scope AS nis2, l.overall_score AS score,
        l.created_at AS diagnosed_at,
        (SELECT count(*)::int FROM cyber_exposures e WHERE e.member_id = o.id AND e.remediated_assets < e.assets)
          AS open_advisories,
        (SELECT count(*)::int FROM cyber_exposures e WHERE e.member_id = o.id AND e.remediated_assets < e.assets
          AND e.due_on < ${at}::date) AS overdue_advisories,
        (SELECT count(*)::int FROM cyber_incidents i WHERE i.member_id = o.id AND i.status <> 'closed') AS open_incidents,
        (SELECT count(*)::int FROM cyber_assets a WHERE a.member_id = o.id) AS assets
      ${base} ${after}
      ORDER BY o.search_name, o.id LIMIT ${query.limit + 1}`),
  );
  const [total] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n ${base}`));
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.search_name, r.id));
  const items: CyberMemberRow[] = page.items.map((r) => {
    const score = r.score === null ? null : toCount(r.score);
    const maturity: MaturityLevel | null =
      score === null
        ? null
        : score < 25
          ? 'initial'
          : score < 50
            ? 'basic'
            : score < 75
              ? 'managed'
              : 'advanced';
    return {
      memberId: r.id,
      memberName: r.name,
      kind: r.kind,
      nis2InScope: r.nis2 ?? false,
      lastDiagnosticAt: r.diagnosed_at ? new Date(r.diagnosed_at).toISOString() : null,
      overallScore: score,
      maturity,
      openAdvisories: toCount(r.open_advisories),
      overdueAdvisories: toCount(r.overdue_advisories),
      openIncidents: toCount(r.open_incidents),
      assets: toCount(r.assets),
    };
  });
  return { items, total: toCount(total?.n), nextCursor: page.nextCursor };
}
