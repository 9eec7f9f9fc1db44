import { and, desc, eq, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import type { ExposureState, Severity } from '../../../contracts/cyber.js';
import { searchTerms } from '../../../contracts/search.js';
import { organisations } from '../../kernel/identity.schema.js';
import type { Executor } from '../../platform/db/client.js';
import { rowsOf, toCount } from '../../platform/db/client.js';
import {
  afterCursor,
  cursorInstant,
  decodeInstantCursor,
  decodeTextCursor,
  encodeCursor,
  pageOf,
} from '../../platform/http/pagination.js';
import {
  cyberAdvisories,
  cyberAssets,
  cyberExposures,
  cyberRemediations,
  cyberSettings,
} from './cyber.schema.js';

/** An advisory without its CSAF document (kept for the record; several megabytes for some vendors). */
export type AdvisoryRow = Omit<typeof cyberAdvisories.$inferSelect, 'document'>;
const { document: _document, ...advisoryColumns } = getTableColumns(cyberAdvisories);
export type NewAdvisory = typeof cyberAdvisories.$inferInsert;

export async function readSettings(db: Executor) {
  const [row] = await db.select().from(cyberSettings).where(eq(cyberSettings.id, 1));
  return row?.remediationDays ?? null;
}

export async function writeSettings(db: Executor, remediationDays: Record<Severity, number>) {
  await db
    .insert(cyberSettings)
    .values({ id: 1, remediationDays })
    .onConflictDoUpdate({ target: cyberSettings.id, set: { remediationDays, updatedAt: sql`now()` } });
}

export async function referenceExists(db: Executor, reference: string): Promise<boolean> {
  const [row] = await db
    .select({ id: cyberAdvisories.id })
    .from(cyberAdvisories)
    .where(eq(cyberAdvisories.reference, reference))
    .limit(1);
  return row !== undefined;
}

export async function insertAdvisory(db: Executor, values: NewAdvisory): Promise<string> {
  const [row] = await db.insert(cyberAdvisories).values(values).returning({ id: cyberAdvisories.id });
  if (!row) throw new Error('advisory not inserted');
  return row.id;
}

export async function findAdvisory(db: Executor, id: string): Promise<AdvisoryRow | undefined> {
  const [row] = await db
    .select(advisoryColumns)
    .from(cyberAdvisories)
    .where(eq(cyberAdvisories.id, id))
    .limit(1);
  return row;
}

export interface CandidateAsset {
  id: string;
  memberId: string;
  vendorKey: string | null;
  productKey: string | null;
  version: string | null;
}

/** Inventory lines whose product key is one of `keys`: the matching's candidates (an index scan). */
export async function candidateAssets(db: Executor, keys: string[]): Promise<CandidateAsset[]> {
  if (keys.length === 0) return [];
  return db
    .select({
      id: cyberAssets.id,
      memberId: cyberAssets.memberId,
      vendorKey: cyberAssets.vendorKey,
      productKey: cyberAssets.productKey,
      version: cyberAssets.version,
    })
    .from(cyberAssets)
    .where(inArray(cyberAssets.productKey, keys));
}

/** A PostgreSQL array literal of text values, each quoted (only `"` and `\` need escaping inside). */
const textArray = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/**
 * One remediation per affected asset, all of one advisory and due date: one `INSERT … SELECT FROM
 * unnest(…)` per 10,000 assets, columns sent as array literals (a matching at 2 M inventory lines
 * writes thousands: far cheaper than as many bound parameters).
 */
export async function insertRemediations(
  db: Executor,
  advisoryId: string,
  dueOn: string,
  rows: { memberId: string; assetId: string; matchedOn: string }[],
) {
  for (let i = 0; i < rows.length; i += 10_000) {
    const chunk = rows.slice(i, i + 10_000);
    const members = `{${chunk.map((r) => r.memberId).join(',')}}`;
    const assets = `{${chunk.map((r) => r.assetId).join(',')}}`;
    const matchedOn = textArray(chunk.map((r) => r.matchedOn));
    await db.execute(sql`
      INSERT INTO cyber_remediations (member_id, advisory_id, asset_id, matched_on, due_on)
      SELECT x.member_id, ${advisoryId}::uuid, x.asset_id, x.matched_on, ${dueOn}::date
      FROM unnest(${members}::uuid[], ${assets}::uuid[], ${matchedOn}::text[]) AS x(member_id, asset_id, matched_on)`);
  }
}

/**
 * One exposure per affected member, each with a copy of the member's sort name (the exposure page's
 * index): one `INSERT … SELECT` joined to organisations per 5,000 members, the member ids and asset
 * counts sent as two array literals (UUIDs and integers need no quoting).
 */
export async function insertExposures(
  db: Executor,
  advisoryId: string,
  dueOn: string,
  rows: { memberId: string; assets: number }[],
) {
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    const members = `{${chunk.map((r) => r.memberId).join(',')}}`;
    const assets = `{${chunk.map((r) => r.assets).join(',')}}`;
    await db.execute(sql`
      INSERT INTO cyber_exposures (advisory_id, member_id, assets, due_on, search_name)
      SELECT ${advisoryId}::uuid, x.member_id, x.assets, ${dueOn}::date, o.search_name
      FROM unnest(${members}::uuid[], ${assets}::int[]) AS x(member_id, assets)
      JOIN organisations o ON o.id = x.member_id`);
  }
}

/** A member's state for an advisory, in SQL (the same rule as exposureStateOf). */
const stateExpr = (today: string) => sql<ExposureState>`CASE
  WHEN ${cyberExposures.remediatedAssets} >= ${cyberExposures.assets} THEN 'remediated'
  WHEN ${cyberExposures.dueOn} < ${today}::date THEN 'overdue'
  ELSE 'to_do' END`;

const stateFilter = (state: ExposureState | undefined, today: string): SQL | undefined =>
  state ? sql`${stateExpr(today)} = ${state}` : undefined;

/** Counts per advisory: members affected, remediated, overdue. */
const countsOf = (today: string) => ({
  affected: sql<number>`count(${cyberExposures.memberId})::int`,
  remediated: sql<number>`count(*) FILTER (WHERE ${cyberExposures.remediatedAssets} >= ${cyberExposures.assets})::int`,
  overdue: sql<number>`count(*) FILTER (WHERE ${cyberExposures.remediatedAssets} < ${cyberExposures.assets}
    AND ${cyberExposures.dueOn} < ${today}::date)::int`,
});

export async function listAdvisories(
  db: Executor,
  query: { severity?: Severity; q?: string; limit: number; cursor?: string },
  today: string,
) {
  const filters: (SQL | undefined)[] = [];
  if (query.severity) filters.push(eq(cyberAdvisories.severity, query.severity));
  for (const term of searchTerms(query.q ?? '')) {
    filters.push(
      sql`(lower(${cyberAdvisories.title}) LIKE ${`%${term}%`} OR lower(${cyberAdvisories.reference}) LIKE ${`%${term}%`}
        OR lower(array_to_string(${cyberAdvisories.cves}, ' ')) LIKE ${`%${term}%`})`,
    );
  }
  const where = and(...filters);
  const cursor = decodeInstantCursor(query.cursor);
  const rows = await db
    .select({
      advisory: advisoryColumns,
      stamp: cursorInstant(cyberAdvisories.importedAt),
      ...countsOf(today),
    })
    .from(cyberAdvisories)
    .leftJoin(cyberExposures, eq(cyberExposures.advisoryId, cyberAdvisories.id))
    .where(
      and(where, afterCursor(cursorInstant(cyberAdvisories.importedAt), cyberAdvisories.id, cursor, true)),
    )
    .groupBy(cyberAdvisories.id)
    .orderBy(desc(cyberAdvisories.importedAt), desc(cyberAdvisories.id))
    .limit(query.limit + 1);
  const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(cyberAdvisories).where(where);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.stamp, r.advisory.id));
  return { ...page, total: toCount(total?.n) };
}

export async function advisoryCounts(db: Executor, advisoryId: string, today: string) {
  const [row] = await db
    .select(countsOf(today))
    .from(cyberExposures)
    .where(eq(cyberExposures.advisoryId, advisoryId));
  return {
    affected: toCount(row?.affected),
    remediated: toCount(row?.remediated),
    overdue: toCount(row?.overdue),
  };
}

/** Advisories (critical, then high) with members not yet remediated, for the dashboard. */
export async function unremediatedAdvisories(db: Executor, today: string, limit: number) {
  return db
    .select({ advisory: advisoryColumns, ...countsOf(today) })
    .from(cyberAdvisories)
    .innerJoin(cyberExposures, eq(cyberExposures.advisoryId, cyberAdvisories.id))
    .where(inArray(cyberAdvisories.severity, ['critical', 'high']))
    .groupBy(cyberAdvisories.id)
    .having(sql`count(*) FILTER (WHERE ${cyberExposures.remediatedAssets} < ${cyberExposures.assets}) > 0`)
    .orderBy(
      sql`CASE ${cyberAdvisories.severity} WHEN 'critical' THEN 0 ELSE 1 END`,
      desc(cyberAdvisories.importedAt),
    )
    .limit(limit);
}

export async function exposurePage(
  db: Executor,
  advisoryId: string,
  query: { state?: ExposureState; limit: number; cursor?: string },
  today: string,
) {
  const where = and(eq(cyberExposures.advisoryId, advisoryId), stateFilter(query.state, today));
  const cursor = decodeTextCursor(query.cursor);
  // Sorted on the copied sort name: one range of cyber_exposures_advisory_name_idx from the cursor
  // (a row comparison, so an index condition) + LIMIT, without a join, so that even a plan from stale
  // statistics (an advisory just imported) sorts index rows only; then the page's names, by id.
  const after = cursor
    ? sql`(${cyberExposures.searchName}, ${cyberExposures.memberId}) > (${cursor.sortValue}, ${cursor.id}::uuid)`
    : undefined;
  const exposures = await db
    .select({
      memberId: cyberExposures.memberId,
      searchName: cyberExposures.searchName,
      assets: cyberExposures.assets,
      remediatedAssets: cyberExposures.remediatedAssets,
      dueOn: cyberExposures.dueOn,
      notifiedAt: cyberExposures.notifiedAt,
      state: stateExpr(today),
    })
    .from(cyberExposures)
    .where(and(where, after))
    .orderBy(cyberExposures.searchName, cyberExposures.memberId)
    .limit(query.limit + 1);
  const ids = exposures.map((e) => e.memberId);
  const organisationRows =
    ids.length === 0
      ? []
      : await db
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(inArray(organisations.id, ids));
  const names = new Map(organisationRows.map((o) => [o.id, o.name] as const));
  const rows = exposures.map((e) => ({ ...e, memberName: names.get(e.memberId) ?? '' }));
  // No count here: the service derives the total from advisoryCounts, which it reads anyway.
  return pageOf(rows, query.limit, (r) => encodeCursor(r.searchName, r.memberId));
}

export async function memberAdvisories(
  db: Executor,
  memberId: string,
  query: { state?: ExposureState; limit: number; cursor?: string },
  today: string,
) {
  const where = and(eq(cyberExposures.memberId, memberId), stateFilter(query.state, today));
  const cursor = decodeInstantCursor(query.cursor);
  const rows = await db
    .select({
      advisory: advisoryColumns,
      stamp: cursorInstant(cyberAdvisories.importedAt),
      assets: cyberExposures.assets,
      remediatedAssets: cyberExposures.remediatedAssets,
      dueOn: cyberExposures.dueOn,
      state: stateExpr(today),
    })
    .from(cyberExposures)
    .innerJoin(cyberAdvisories, eq(cyberAdvisories.id, cyberExposures.advisoryId))
    .where(
      and(where, afterCursor(cursorInstant(cyberAdvisories.importedAt), cyberAdvisories.id, cursor, true)),
    )
    .orderBy(desc(cyberAdvisories.importedAt), desc(cyberAdvisories.id))
    .limit(query.limit + 1);
  const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(cyberExposures).where(where);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.stamp, r.advisory.id));
  return { ...page, total: toCount(total?.n) };
}

export async function findExposure(db: Executor, advisoryId: string, memberId: string, today: string) {
  const [row] = await db
    .select({
      assets: cyberExposures.assets,
      remediatedAssets: cyberExposures.remediatedAssets,
      dueOn: cyberExposures.dueOn,
      notifiedAt: cyberExposures.notifiedAt,
      state: stateExpr(today),
    })
    .from(cyberExposures)
    .where(and(eq(cyberExposures.advisoryId, advisoryId), eq(cyberExposures.memberId, memberId)));
  return row;
}

const remediationColumns = {
  remediation: cyberRemediations,
  asset: {
    id: cyberAssets.id,
    kind: cyberAssets.kind,
    name: cyberAssets.name,
    vendor: cyberAssets.vendor,
    product: cyberAssets.product,
    version: cyberAssets.version,
    cpe: cyberAssets.cpe,
    runner: cyberAssets.runner,
    exposure: cyberAssets.exposure,
  },
};
export type RemediationRow = {
  remediation: typeof cyberRemediations.$inferSelect;
  asset: {
    id: string;
    kind: (typeof cyberAssets.$inferSelect)['kind'];
    name: string;
    vendor: string | null;
    product: string | null;
    version: string | null;
    cpe: string | null;
    runner: (typeof cyberAssets.$inferSelect)['runner'];
    exposure: (typeof cyberAssets.$inferSelect)['exposure'];
  };
};

export async function remediationsOf(
  db: Executor,
  memberId: string,
  advisoryId: string,
): Promise<RemediationRow[]> {
  return db
    .select(remediationColumns)
    .from(cyberRemediations)
    .innerJoin(cyberAssets, eq(cyberAssets.id, cyberRemediations.assetId))
    .where(and(eq(cyberRemediations.memberId, memberId), eq(cyberRemediations.advisoryId, advisoryId)))
    .orderBy(cyberAssets.name, cyberRemediations.id);
}

export async function findRemediation(
  db: Executor,
  memberId: string,
  id: string,
): Promise<RemediationRow | undefined> {
  const [row] = await db
    .select(remediationColumns)
    .from(cyberRemediations)
    .innerJoin(cyberAssets, eq(cyberAssets.id, cyberRemediations.assetId))
    .where(and(eq(cyberRemediations.memberId, memberId), eq(cyberRemediations.id, id)));
  return row;
}

export async function updateRemediation(
  db: Executor,
  memberId: string,
  id: string,
  values: {
    state: (typeof cyberRemediations.$inferSelect)['state'];
    reason: string | null;
    updatedBy: string | null;
  },
) {
  await db
    .update(cyberRemediations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(cyberRemediations.memberId, memberId), eq(cyberRemediations.id, id)));
}

/** Recounts a member's remediated assets for an advisory (after a remediation changed). */
export async function refreshExposure(db: Executor, advisoryId: string, memberId: string) {
  await db.execute(sql`
    UPDATE cyber_exposures e SET
      assets = c.total,
      remediated_assets = c.done,
      remediated_at = CASE WHEN c.done >= c.total THEN COALESCE(e.remediated_at, now()) ELSE NULL END
    FROM (SELECT count(*)::int AS total, count(*) FILTER (WHERE state <> 'to_do')::int AS done
          FROM cyber_remediations WHERE advisory_id = ${advisoryId} AND member_id = ${memberId}) c
    WHERE e.advisory_id = ${advisoryId} AND e.member_id = ${memberId}`);
}

export async function unnotifiedMembers(db: Executor, advisoryId: string): Promise<string[]> {
  const rows = await db
    .select({ memberId: cyberExposures.memberId })
    .from(cyberExposures)
    .where(and(eq(cyberExposures.advisoryId, advisoryId), sql`${cyberExposures.notifiedAt} IS NULL`));
  return rows.map((r) => r.memberId);
}

export async function markNotified(db: Executor, advisoryId: string, memberId: string) {
  await db
    .update(cyberExposures)
    .set({ notifiedAt: sql`now()` })
    .where(and(eq(cyberExposures.advisoryId, advisoryId), eq(cyberExposures.memberId, memberId)));
}

/**
 * Who hears about an advisory for a member: its admins and référents sécurité (kernel tables), and
 * the security contact of its cyber profile. Lower-case addresses, each once.
 */
export async function recipientsOf(db: Executor, memberId: string): Promise<string[]> {
  const rows = rowsOf<{ email: string | null }>(
    await db.execute(sql`
      SELECT lower(u.email) AS email FROM organisation_users ou JOIN users u ON u.id = ou.user_id
      WHERE ou.member_id = ${memberId} AND ou.role IN ('admin', 'cyber') AND u.is_active
      UNION
      SELECT lower(security_contact_email) FROM cyber_profiles
      WHERE member_id = ${memberId} AND security_contact_email IS NOT NULL`),
  );
  return [...new Set(rows.map((r) => r.email).filter((e): e is string => Boolean(e)))].sort();
}
