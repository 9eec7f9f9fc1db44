import { and, asc, count, desc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { AlonePrice, ServiceHistoryEntry, ServiceListQuery } from '../../../contracts/catalogue.js';
import { searchTerms } from '../../../contracts/search.js';
import { users } from '../../kernel/identity.schema.js';
import { now } from '../../platform/clock.js';
import { type Executor, toCount } from '../../platform/db/client.js';
import { afterCursor, decodeTextCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { folded } from '../../platform/search/fold.js';
import {
  catalogueAlonePrices,
  catalogueServiceHistory,
  catalogueServicePrerequisites,
  catalogueServices,
} from './catalogue.schema.js';

export type ServiceRow = typeof catalogueServices.$inferSelect;
export type ServiceInsert = typeof catalogueServices.$inferInsert;

const sortName = folded(sql`${catalogueServices.name}`);
/**
 * Name, code and description, matched against searchKey terms. The catalogue holds tens of rows:
 * a scan is cheaper than maintaining a search column.
 */
const searchable = folded(
  sql`${catalogueServices.name} || ' ' || ${catalogueServices.code} || ' ' || ${catalogueServices.description}`,
);

function filterConditions(query: Omit<ServiceListQuery, 'limit' | 'cursor'>): SQL[] {
  const conditions: SQL[] = [];
  if (query.domain) conditions.push(eq(catalogueServices.domain, query.domain));
  conditions.push(
    query.status ? eq(catalogueServices.status, query.status) : ne(catalogueServices.status, 'retired'),
  );
  for (const term of searchTerms(query.q ?? '')) conditions.push(sql`${searchable} LIKE ${`%${term}%`}`);
  return conditions;
}

export async function listServices(db: Executor, query: ServiceListQuery) {
  const conditions = filterConditions(query);
  const cursor = decodeTextCursor(query.cursor);
  const after = afterCursor(sortName, catalogueServices.id, cursor);
  const rows = await db
    .select({ service: catalogueServices, sortName: sql<string>`${sortName}` })
    .from(catalogueServices)
    .where(and(...conditions, after))
    .orderBy(sortName, asc(catalogueServices.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.sortName, r.service.id));
  const [{ n }] = await db
    .select({ n: count() })
    .from(catalogueServices)
    .where(and(...conditions));
  return { items: page.items.map((r) => r.service), nextCursor: page.nextCursor, total: toCount(n) };
}

export async function findService(db: Executor, serviceId: string, forUpdate = false) {
  const query = db.select().from(catalogueServices).where(eq(catalogueServices.id, serviceId));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function findServiceByCode(db: Executor, code: string) {
  const [row] = await db.select().from(catalogueServices).where(eq(catalogueServices.code, code));
  return row ?? null;
}

export function findServices(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve<ServiceRow[]>([]);
  return db.select().from(catalogueServices).where(inArray(catalogueServices.id, ids));
}

export async function insertService(db: Executor, values: ServiceInsert): Promise<ServiceRow> {
  const [row] = await db.insert(catalogueServices).values(values).returning();
  return row;
}

export async function updateService(db: Executor, serviceId: string, values: Partial<ServiceInsert>) {
  const [row] = await db
    .update(catalogueServices)
    .set({ ...values, updatedAt: now() })
    .where(eq(catalogueServices.id, serviceId))
    .returning();
  return row;
}

/** Services `serviceId` requires (direction: true) or that require it (false), by name. */
export function relatedServices(db: Executor, serviceId: string, direction: 'requires' | 'requiredBy') {
  const [from, to] =
    direction === 'requires'
      ? [catalogueServicePrerequisites.serviceId, catalogueServicePrerequisites.requiresServiceId]
      : [catalogueServicePrerequisites.requiresServiceId, catalogueServicePrerequisites.serviceId];
  return db
    .select({ id: catalogueServices.id, code: catalogueServices.code, name: catalogueServices.name })
    .from(catalogueServicePrerequisites)
    .innerJoin(catalogueServices, eq(catalogueServices.id, to))
    .where(eq(from, serviceId))
    .orderBy(asc(catalogueServices.name));
}

/** Every prerequisite edge: the catalogue is small enough to walk in memory for cycle checks. */
export function allPrerequisiteEdges(db: Executor) {
  return db
    .select({
      serviceId: catalogueServicePrerequisites.serviceId,
      requiresServiceId: catalogueServicePrerequisites.requiresServiceId,
    })
    .from(catalogueServicePrerequisites);
}

export async function replacePrerequisites(db: Executor, serviceId: string, requires: string[]) {
  await db
    .delete(catalogueServicePrerequisites)
    .where(eq(catalogueServicePrerequisites.serviceId, serviceId));
  if (requires.length > 0) {
    await db
      .insert(catalogueServicePrerequisites)
      .values(requires.map((requiresServiceId) => ({ serviceId, requiresServiceId })));
  }
}

/** Strata sorted by bound, the open-ended one last. */
export async function alonePrices(db: Executor, serviceId: string): Promise<AlonePrice[]> {
  return db
    .select({
      upToPopulation: catalogueAlonePrices.upToPopulation,
      aloneCents: catalogueAlonePrices.aloneCents,
    })
    .from(catalogueAlonePrices)
    .where(eq(catalogueAlonePrices.serviceId, serviceId))
    .orderBy(sql`${catalogueAlonePrices.upToPopulation} ASC NULLS LAST`);
}

export async function replaceAlonePrices(db: Executor, serviceId: string, strata: AlonePrice[]) {
  await db.delete(catalogueAlonePrices).where(eq(catalogueAlonePrices.serviceId, serviceId));
  if (strata.length > 0) {
    await db.insert(catalogueAlonePrices).values(strata.map((s) => ({ serviceId, ...s })));
  }
}

export async function insertHistory(
  db: Executor,
  values: { serviceId: string; actorUserId: string | null; changes: ServiceHistoryEntry['changes'] },
) {
  await db.insert(catalogueServiceHistory).values(values);
}

export function listHistory(db: Executor, serviceId: string) {
  return db
    .select({
      id: catalogueServiceHistory.id,
      at: catalogueServiceHistory.at,
      changes: catalogueServiceHistory.changes,
      actorId: users.id,
      actorName: users.displayName,
    })
    .from(catalogueServiceHistory)
    .leftJoin(users, eq(users.id, catalogueServiceHistory.actorUserId))
    .where(eq(catalogueServiceHistory.serviceId, serviceId))
    .orderBy(desc(catalogueServiceHistory.at), desc(catalogueServiceHistory.id));
}
