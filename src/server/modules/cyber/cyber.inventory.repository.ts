import { and, asc, count, eq, type SQL, sql } from 'drizzle-orm';
import type { AssetKind, InventoryListQuery } from '../../../contracts/cyber.js';
import { searchTerms } from '../../../contracts/search.js';
import type { Executor } from '../../platform/db/client.js';
import { rowsOf, toCount } from '../../platform/db/client.js';
import { afterCursor, decodeTextCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { cyberAssets, cyberServiceSoftware } from './cyber.schema.js';

export type AssetRow = typeof cyberAssets.$inferSelect & {
  serviceId: string | null;
  serviceName: string | null;
};
export type NewAsset = typeof cyberAssets.$inferInsert;

const assetColumns = {
  id: cyberAssets.id,
  memberId: cyberAssets.memberId,
  kind: cyberAssets.kind,
  name: cyberAssets.name,
  quantity: cyberAssets.quantity,
  vendor: cyberAssets.vendor,
  product: cyberAssets.product,
  version: cyberAssets.version,
  cpe: cyberAssets.cpe,
  runner: cyberAssets.runner,
  exposure: cyberAssets.exposure,
  notes: cyberAssets.notes,
  source: cyberAssets.source,
  serviceSoftwareId: cyberAssets.serviceSoftwareId,
  vendorKey: cyberAssets.vendorKey,
  productKey: cyberAssets.productKey,
  searchKey: cyberAssets.searchKey,
  createdAt: cyberAssets.createdAt,
  updatedAt: cyberAssets.updatedAt,
  serviceId: cyberServiceSoftware.serviceId,
  serviceName: catalogueServices.name,
};

function selectAssets(db: Executor) {
  return db
    .select(assetColumns)
    .from(cyberAssets)
    .leftJoin(cyberServiceSoftware, eq(cyberServiceSoftware.id, cyberAssets.serviceSoftwareId))
    .leftJoin(catalogueServices, eq(catalogueServices.id, cyberServiceSoftware.serviceId));
}

/** Sort key of a page: kind, then name (lower-case), then id. */
const sortKey = sql<string>`${cyberAssets.kind} || '|' || lower(${cyberAssets.name})`;

export async function listAssets(db: Executor, memberId: string, query: InventoryListQuery) {
  const filters: (SQL | undefined)[] = [eq(cyberAssets.memberId, memberId)];
  if (query.kind) filters.push(eq(cyberAssets.kind, query.kind));
  if (query.source) filters.push(eq(cyberAssets.source, query.source));
  for (const term of searchTerms(query.q ?? '')) {
    filters.push(sql`${cyberAssets.searchKey} LIKE ${`%${term}%`}`);
  }
  const where = and(...filters);
  const cursor = decodeTextCursor(query.cursor);
  const rows = await selectAssets(db)
    .where(and(where, afterCursor(sortKey, cyberAssets.id, cursor)))
    .orderBy(asc(sortKey), asc(cyberAssets.id))
    .limit(query.limit + 1);
  const [{ n }] = await db.select({ n: count() }).from(cyberAssets).where(where);
  const page = pageOf(rows, query.limit, (row) =>
    encodeCursor(`${row.kind}|${row.name.toLowerCase()}`, row.id),
  );
  return { ...page, total: toCount(n) };
}

export async function inventorySummary(db: Executor, memberId: string) {
  const rows = await db
    .select({
      kind: cyberAssets.kind,
      count: sql<number>`sum(${cyberAssets.quantity})::int`,
      exposed: sql<number>`count(*) FILTER (WHERE ${cyberAssets.exposure} = 'internet')::int`,
    })
    .from(cyberAssets)
    .where(eq(cyberAssets.memberId, memberId))
    .groupBy(cyberAssets.kind);
  return {
    byKind: rows.map((r) => ({ kind: r.kind as AssetKind, count: toCount(r.count) })),
    internetExposed: rows.reduce((s, r) => s + toCount(r.exposed), 0),
  };
}

export async function allAssets(db: Executor, memberId: string): Promise<AssetRow[]> {
  return selectAssets(db)
    .where(eq(cyberAssets.memberId, memberId))
    .orderBy(asc(sortKey), asc(cyberAssets.id));
}

export async function findAsset(db: Executor, memberId: string, id: string): Promise<AssetRow | undefined> {
  const [row] = await selectAssets(db)
    .where(and(eq(cyberAssets.memberId, memberId), eq(cyberAssets.id, id)))
    .limit(1);
  return row;
}

export async function insertAssets(db: Executor, rows: NewAsset[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const ids: string[] = [];
  // Batches keep each statement under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 1_000) {
    const inserted = await db
      .insert(cyberAssets)
      .values(rows.slice(i, i + 1_000))
      .returning({ id: cyberAssets.id });
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

export async function updateAsset(db: Executor, memberId: string, id: string, values: Partial<NewAsset>) {
  await db
    .update(cyberAssets)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(cyberAssets.memberId, memberId), eq(cyberAssets.id, id)));
}

export async function deleteAsset(db: Executor, memberId: string, id: string) {
  await db.delete(cyberAssets).where(and(eq(cyberAssets.memberId, memberId), eq(cyberAssets.id, id)));
}

/** Removes the member's own lines (never the catalogue's); returns how many. */
export async function deleteMemberLines(db: Executor, memberId: string): Promise<number> {
  const rows = await db
    .delete(cyberAssets)
    .where(and(eq(cyberAssets.memberId, memberId), eq(cyberAssets.source, 'member')))
    .returning({ id: cyberAssets.id });
  return rows.length;
}

/**
 * Brings the software of the catalogue services a member holds (an active subscription, notice
 * given or not) into its inventory, updates changed versions and removes what it no longer holds.
 * `memberId` null does it for every member at once (before matching an advisory). Set-based: it
 * reads the subscriptions table in SQL (one statement for all members) rather than member by member.
 */
export async function syncCatalogueAssets(db: Executor, memberId: string | null): Promise<void> {
  const forMember = memberId ? sql`AND s.member_id = ${memberId}` : sql``;
  const forAsset = memberId ? sql`AND a.member_id = ${memberId}` : sql``;
  // The DELETE below waits for a matching in progress (the shared side of its advisory lock, taken by
  // a trigger on cyber_assets: cyber.advisories.repository lockMatching). Taken here first, before the
  // upsert locks any line: else an inventory read holding its catalogue lines and waiting for the lock
  // would deadlock with the matching's own sync waiting for those lines. (Within the matching's
  // transaction, which holds the exclusive side, this returns at once.)
  await db.execute(sql`SELECT pg_advisory_xact_lock_shared(hashtext('socle.cyber_matching'))`);
  await db.execute(sql`
    INSERT INTO cyber_assets (member_id, kind, name, quantity, vendor, product, version, cpe, runner, exposure,
      source, service_software_id, vendor_key, product_key, search_key)
    SELECT s.member_id, 'software', ss.name, 1, ss.vendor, ss.product, ss.version, ss.cpe, 'operator', ss.exposure,
      'catalogue', ss.id, ss.vendor_key, ss.product_key, ss.search_key
    FROM subscriptions s JOIN cyber_service_software ss ON ss.service_id = s.service_id
    WHERE s.status IN ('active', 'termination_requested') ${forMember}
    ON CONFLICT (member_id, service_software_id) WHERE service_software_id IS NOT NULL DO UPDATE SET
      name = EXCLUDED.name, vendor = EXCLUDED.vendor, product = EXCLUDED.product, version = EXCLUDED.version,
      cpe = EXCLUDED.cpe, exposure = EXCLUDED.exposure, vendor_key = EXCLUDED.vendor_key,
      product_key = EXCLUDED.product_key, search_key = EXCLUDED.search_key, updated_at = now()
    WHERE (cyber_assets.name, cyber_assets.vendor, cyber_assets.product, cyber_assets.version, cyber_assets.cpe,
      cyber_assets.exposure) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.vendor, EXCLUDED.product, EXCLUDED.version,
      EXCLUDED.cpe, EXCLUDED.exposure)`);
  await db.execute(sql`
    DELETE FROM cyber_assets a
    WHERE a.source = 'catalogue' AND a.service_software_id IS NOT NULL ${forAsset} AND NOT EXISTS (
      SELECT 1 FROM subscriptions s JOIN cyber_service_software ss ON ss.service_id = s.service_id
      WHERE ss.id = a.service_software_id AND s.member_id = a.member_id
        AND s.status IN ('active', 'termination_requested'))`);
}

// The software catalogue services bring -------------------------------------------------------

export async function serviceSoftware(db: Executor) {
  return db
    .select()
    .from(cyberServiceSoftware)
    .orderBy(asc(cyberServiceSoftware.serviceId), asc(cyberServiceSoftware.name));
}

export async function replaceServiceSoftware(
  db: Executor,
  serviceId: string,
  rows: (typeof cyberServiceSoftware.$inferInsert)[],
) {
  const existing = await db
    .select({
      id: cyberServiceSoftware.id,
      product: cyberServiceSoftware.product,
      vendor: cyberServiceSoftware.vendor,
    })
    .from(cyberServiceSoftware)
    .where(eq(cyberServiceSoftware.serviceId, serviceId));
  // A product kept from one declaration to the next keeps its id: subscribers' lines (and their
  // remediations) follow the new version instead of being replaced.
  const keep = new Map(existing.map((e) => [`${e.vendor}|${e.product}`, e.id]));
  const kept = new Set<string>();
  for (const row of rows) {
    const id = keep.get(`${row.vendor}|${row.product}`);
    if (id && !kept.has(id)) {
      kept.add(id);
      await db.update(cyberServiceSoftware).set(row).where(eq(cyberServiceSoftware.id, id));
    } else {
      await db.insert(cyberServiceSoftware).values(row);
    }
  }
  for (const e of existing) {
    if (!kept.has(e.id)) await db.delete(cyberServiceSoftware).where(eq(cyberServiceSoftware.id, e.id));
  }
}

/** Active subscribers per service (for the operator's page). */
export async function subscriberCounts(db: Executor): Promise<Map<string, number>> {
  const rows = rowsOf<{ service_id: string; n: number }>(
    await db.execute(sql`SELECT service_id, count(*)::int AS n FROM subscriptions
      WHERE status IN ('active', 'termination_requested') GROUP BY service_id`),
  );
  return new Map(rows.map((r) => [r.service_id, toCount(r.n)]));
}
