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

/** A distinct (product, vendor, version) of the inventory: what the matching compares in JS. */
export interface InventoryVersion {
  productKey: string;
  vendorKey: string | null;
  version: string | null;
}

/**
 * The distinct (product key, vendor key, version) triples among the inventory lines whose product
 * key is one of `keys`: one range of the covering cyber_assets_product_idx per key (index only). A
 * product run by thousands of members comes in a few hundred versions: the versions are compared
 * once per triple, not once per line.
 */
export async function inventoryVersions(db: Executor, keys: string[]): Promise<InventoryVersion[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectDistinct({
      productKey: cyberAssets.productKey,
      vendorKey: cyberAssets.vendorKey,
      version: cyberAssets.version,
    })
    .from(cyberAssets)
    .where(inArray(cyberAssets.productKey, keys));
  return rows.filter((r): r is InventoryVersion => r.productKey !== null);
}

/**
 * Takes the matching's advisory lock (exclusive, to the transaction's end): deletions of inventory
 * lines take its shared side first (trigger of migration cyber_matching_set_based_rls), so none can
 * slip between the matching's read of the inventory and its commit, and two matchings run one after
 * the other. What lets cyber_remediations do without foreign keys (see cyber.schema.ts). To be
 * taken before anything else in the transaction writes cyber_assets (a shared lock held first would
 * have to be upgraded).
 */
export async function lockMatching(db: Executor): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext('socle.cyber_matching'))`);
}

/**
 * Writes an advisory's matches in one statement: one remediation per inventory line whose (product,
 * vendor, version) is one of `matched` (labelled with the product it matched), then, from the rows
 * just written, one exposure per member with its asset count and a copy of its sort name (the
 * exposure page's index). The matched triples go as one JSON parameter; the candidate lines are read
 * once by the product index (materialised, then hash-joined to the triples: a null vendor or version
 * joins as the empty key, any other value prefixed by `=`, so that the join keys stay equalities).
 * Statement triggers keep the advisory's counters (migration cyber_matching_set_based_rls).
 * Returns the number of members affected.
 */
export async function insertMatches(
  db: Executor,
  advisoryId: string,
  dueOn: string,
  matched: (InventoryVersion & { label: string })[],
): Promise<number> {
  if (matched.length === 0) return 0;
  const keys = [...new Set(matched.map((m) => m.productKey))];
  const json = JSON.stringify(
    matched.map((m) => ({
      product_key: m.productKey,
      vendor_key: m.vendorKey,
      version: m.version,
      label: m.label,
    })),
  );
  const [row] = rowsOf<{ members: number }>(
    await db.execute(sql`
      WITH m AS (
        SELECT product_key, coalesce('=' || vendor_key, '') AS vendor_tag,
          coalesce('=' || version, '') AS version_tag, label
        FROM jsonb_to_recordset(${json}::jsonb) AS x(product_key text, vendor_key text, version text, label text)
      ), a AS MATERIALIZED (
        SELECT id, member_id, product_key, coalesce('=' || vendor_key, '') AS vendor_tag,
          coalesce('=' || version, '') AS version_tag
        FROM cyber_assets WHERE product_key IN (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )})
      ), remediations AS (
        INSERT INTO cyber_remediations (member_id, advisory_id, asset_id, matched_on, due_on)
        SELECT a.member_id, ${advisoryId}::uuid, a.id, m.label, ${dueOn}::date
        FROM a JOIN m ON m.product_key = a.product_key AND m.vendor_tag = a.vendor_tag
          AND m.version_tag = a.version_tag
        RETURNING member_id
      ), exposures AS (
        INSERT INTO cyber_exposures (advisory_id, member_id, assets, due_on, search_name)
        SELECT ${advisoryId}::uuid, r.member_id, count(*)::int, ${dueOn}::date, o.search_name
        FROM remediations r JOIN organisations o ON o.id = r.member_id
        GROUP BY r.member_id, o.search_name
        RETURNING 1
      )
      SELECT count(*)::int AS members FROM exposures`),
  );
  return toCount(row?.members);
}

/**
 * The rows of the webhook events (emitEventsFrom) of an advisory's affected members not told yet:
 * member, and the event's body with the member's asset count.
 */
export const unnotifiedMemberEvents = (advisoryId: string, body: Record<string, unknown>) =>
  sql`SELECT member_id, ${JSON.stringify(body)}::jsonb || jsonb_build_object('assets', assets) AS data
    FROM cyber_exposures WHERE advisory_id = ${advisoryId} AND notified_at IS NULL`;

/** A member's state for an advisory, in SQL (the same rule as exposureStateOf). */
const stateExpr = (today: string) => sql<ExposureState>`CASE
  WHEN ${cyberExposures.remediatedAssets} >= ${cyberExposures.assets} THEN 'remediated'
  WHEN ${cyberExposures.dueOn} < ${today}::date THEN 'overdue'
  ELSE 'to_do' END`;

/**
 * The same rule as a filter, written as plain comparisons rather than `CASE … = state`: the planner
 * estimates those (a third of the rows for `remediated_assets < assets`) where it took the CASE for
 * 0.5 % of them, and then sorted every exposure of the advisory instead of reading the exposure
 * page's index range (EXPLAIN in docs/PERFORMANCE.md).
 */
function stateFilter(state: ExposureState | undefined, today: string): SQL | undefined {
  if (state === 'remediated') return sql`${cyberExposures.remediatedAssets} >= ${cyberExposures.assets}`;
  if (state === 'overdue') {
    return sql`${cyberExposures.remediatedAssets} < ${cyberExposures.assets} AND ${cyberExposures.dueOn} < ${today}::date`;
  }
  if (state === 'to_do') {
    return sql`${cyberExposures.remediatedAssets} < ${cyberExposures.assets} AND ${cyberExposures.dueOn} >= ${today}::date`;
  }
  return undefined;
}

export async function listAdvisories(
  db: Executor,
  query: { severity?: Severity; q?: string; limit: number; cursor?: string },
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
  // The counts are the advisory's counters (kept by triggers): no join to its exposures.
  const rows = await db
    .select({ advisory: advisoryColumns, stamp: cursorInstant(cyberAdvisories.importedAt) })
    .from(cyberAdvisories)
    .where(
      and(where, afterCursor(cursorInstant(cyberAdvisories.importedAt), cyberAdvisories.id, cursor, true)),
    )
    .orderBy(desc(cyberAdvisories.importedAt), desc(cyberAdvisories.id))
    .limit(query.limit + 1);
  const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(cyberAdvisories).where(where);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.stamp, r.advisory.id));
  return { ...page, total: toCount(total?.n) };
}

/**
 * An advisory's counts (members affected, remediated, overdue) from its counters: constant time,
 * whatever the number of members affected. Every exposure of an advisory has its due date, so the
 * members not remediated are all overdue once it has passed, none before.
 */
export function countsOf(
  advisory: { affectedMembers: number; remediatedMembers: number; dueOn: string },
  today: string,
) {
  const affected = advisory.affectedMembers;
  const remediated = advisory.remediatedMembers;
  return { affected, remediated, overdue: advisory.dueOn < today ? affected - remediated : 0 };
}

/** Counts per advisory recomputed from its exposures (what the counters must equal; tests). */
export async function countExposures(db: Executor, advisoryId: string, today: string) {
  const [row] = await db
    .select({
      affected: sql<number>`count(*)::int`,
      remediated: sql<number>`count(*) FILTER (WHERE ${cyberExposures.remediatedAssets} >= ${cyberExposures.assets})::int`,
      overdue: sql<number>`count(*) FILTER (WHERE ${cyberExposures.remediatedAssets} < ${cyberExposures.assets}
        AND ${cyberExposures.dueOn} < ${today}::date)::int`,
    })
    .from(cyberExposures)
    .where(eq(cyberExposures.advisoryId, advisoryId));
  return {
    affected: toCount(row?.affected),
    remediated: toCount(row?.remediated),
    overdue: toCount(row?.overdue),
  };
}

/** Advisories (critical, then high) with members not yet remediated, for the dashboard. */
export async function unremediatedAdvisories(db: Executor, limit: number) {
  return db
    .select(advisoryColumns)
    .from(cyberAdvisories)
    .where(
      and(
        inArray(cyberAdvisories.severity, ['critical', 'high']),
        sql`${cyberAdvisories.affectedMembers} > ${cyberAdvisories.remediatedMembers}`,
      ),
    )
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
  // (a row comparison, so an index condition) + LIMIT in a subquery, so that even a plan from stale
  // statistics (an advisory just imported) sorts index rows only; the page's names are joined to the
  // limited rows only (one statement, not two: under load every round trip waits for a CPU).
  const after = cursor
    ? sql`(${cyberExposures.searchName}, ${cyberExposures.memberId}) > (${cursor.sortValue}, ${cursor.id}::uuid)`
    : undefined;
  const page = db
    .select({
      memberId: cyberExposures.memberId,
      searchName: cyberExposures.searchName,
      assets: cyberExposures.assets,
      remediatedAssets: cyberExposures.remediatedAssets,
      dueOn: cyberExposures.dueOn,
      notifiedAt: cyberExposures.notifiedAt,
      state: stateExpr(today).as('state'),
    })
    .from(cyberExposures)
    .where(and(where, after))
    .orderBy(cyberExposures.searchName, cyberExposures.memberId)
    .limit(query.limit + 1)
    .as('page');
  const rows = await db
    .select({
      memberId: page.memberId,
      searchName: page.searchName,
      assets: page.assets,
      remediatedAssets: page.remediatedAssets,
      dueOn: page.dueOn,
      notifiedAt: page.notifiedAt,
      state: page.state,
      memberName: sql<string>`coalesce(${organisations.name}, '')`,
    })
    .from(page)
    .leftJoin(organisations, eq(organisations.id, page.memberId))
    .orderBy(page.searchName, page.memberId);
  // No count here: the service derives the total from the advisory's counters (countsOf).
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
