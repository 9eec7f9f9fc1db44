import { and, asc, count, desc, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { BreachNotificationStatus, RightsRequestStatus } from '../../../../contracts/rgpd-cases.js';
import { organisations } from '../../../kernel/identity.schema.js';
import { now } from '../../../platform/clock.js';
import { type Executor, toCount } from '../../../platform/db/client.js';
import {
  afterCursor,
  cursorInstant,
  decodeCursor,
  decodeInstantCursor,
} from '../../../platform/http/pagination.js';
import { OPEN_REQUEST_STATUSES } from '../rgpd.deadlines.js';
import { rgpdBreaches, rgpdDpoRequests, rgpdRightsRequests } from '../rgpd.schema.js';

export type RightsRequestRow = typeof rgpdRightsRequests.$inferSelect;
export type RightsRequestInsert = typeof rgpdRightsRequests.$inferInsert;
export type BreachRow = typeof rgpdBreaches.$inferSelect;
export type BreachInsert = typeof rgpdBreaches.$inferInsert;

// Rights requests ------------------------------------------------------------------------------

export async function listRightsRequests(
  db: Executor,
  memberId: string,
  filters: { status?: RightsRequestStatus; open?: boolean; limit: number; cursor?: string },
): Promise<{ rows: (RightsRequestRow & { cursorKey: string })[]; total: number }> {
  const where: (SQL | undefined)[] = [eq(rgpdRightsRequests.memberId, memberId)];
  if (filters.status) where.push(eq(rgpdRightsRequests.status, filters.status));
  if (filters.open === true) where.push(inArray(rgpdRightsRequests.status, [...OPEN_REQUEST_STATUSES]));
  if (filters.open === false) {
    where.push(sql`${rgpdRightsRequests.status} NOT IN ('received', 'in_progress')`);
  }
  const cursor = decodeCursor(filters.cursor);
  const [{ n }] = await db
    .select({ n: count() })
    .from(rgpdRightsRequests)
    .where(and(...where));
  const rows = await db
    .select({ request: rgpdRightsRequests, cursorKey: sql<string>`${rgpdRightsRequests.receivedOn}::text` })
    .from(rgpdRightsRequests)
    .where(and(...where, afterCursor(rgpdRightsRequests.receivedOn, rgpdRightsRequests.id, cursor, true)))
    .orderBy(desc(rgpdRightsRequests.receivedOn), desc(rgpdRightsRequests.id))
    .limit(filters.limit + 1);
  return { rows: rows.map((r) => ({ ...r.request, cursorKey: r.cursorKey })), total: toCount(n) };
}

export async function findRightsRequest(
  db: Executor,
  memberId: string,
  id: string,
  forUpdate = false,
): Promise<RightsRequestRow | undefined> {
  const query = db
    .select()
    .from(rgpdRightsRequests)
    .where(and(eq(rgpdRightsRequests.memberId, memberId), eq(rgpdRightsRequests.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

export async function insertRightsRequest(
  db: Executor,
  values: RightsRequestInsert,
): Promise<RightsRequestRow> {
  const [row] = await db.insert(rgpdRightsRequests).values(values).returning();
  return row;
}

export async function updateRightsRequest(
  db: Executor,
  memberId: string,
  id: string,
  values: Partial<RightsRequestInsert>,
): Promise<RightsRequestRow> {
  const [row] = await db
    .update(rgpdRightsRequests)
    .set({ ...values, updatedAt: now() })
    .where(and(eq(rgpdRightsRequests.memberId, memberId), eq(rgpdRightsRequests.id, id)))
    .returning();
  return row;
}

// Breaches -------------------------------------------------------------------------------------

/** SQL twin of `breachClock`: which breaches are in a notification status at `now`. */
export function breachNotificationStatusWhere(status: BreachNotificationStatus, at: Date): SQL {
  const b = rgpdBreaches;
  switch (status) {
    case 'not_required':
      return sql`${b.notifiedAt} IS NULL AND NOT ${b.cnilNotificationRequired}`;
    case 'pending':
      return sql`${b.notifiedAt} IS NULL AND ${b.cnilNotificationRequired} AND ${b.notificationDeadline} >= ${at}`;
    case 'overdue':
      return sql`${b.notifiedAt} IS NULL AND ${b.cnilNotificationRequired} AND ${b.notificationDeadline} < ${at}`;
    case 'notified':
      return sql`${b.notifiedAt} <= ${b.notificationDeadline}`;
    case 'notified_late':
      return sql`${b.notifiedAt} > ${b.notificationDeadline}`;
  }
}

export async function listBreaches(
  db: Executor,
  memberId: string,
  filters: { notificationStatus?: BreachNotificationStatus; limit: number; cursor?: string },
  at: Date,
): Promise<{ rows: (BreachRow & { cursorKey: string })[]; total: number }> {
  const where: (SQL | undefined)[] = [eq(rgpdBreaches.memberId, memberId)];
  if (filters.notificationStatus) where.push(breachNotificationStatusWhere(filters.notificationStatus, at));
  const cursor = decodeCursor(filters.cursor);
  const [{ n }] = await db
    .select({ n: count() })
    .from(rgpdBreaches)
    .where(and(...where));
  const rows = await db
    .select({ breach: rgpdBreaches, cursorKey: cursorInstant(rgpdBreaches.awareAt) })
    .from(rgpdBreaches)
    .where(and(...where, afterCursor(rgpdBreaches.awareAt, rgpdBreaches.id, cursor, true)))
    .orderBy(desc(rgpdBreaches.awareAt), desc(rgpdBreaches.id))
    .limit(filters.limit + 1);
  return { rows: rows.map((r) => ({ ...r.breach, cursorKey: r.cursorKey })), total: toCount(n) };
}

export async function findBreach(
  db: Executor,
  memberId: string,
  id: string,
  forUpdate = false,
): Promise<BreachRow | undefined> {
  const query = db
    .select()
    .from(rgpdBreaches)
    .where(and(eq(rgpdBreaches.memberId, memberId), eq(rgpdBreaches.id, id)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

export async function insertBreach(db: Executor, values: BreachInsert): Promise<BreachRow> {
  const [row] = await db.insert(rgpdBreaches).values(values).returning();
  return row;
}

export async function updateBreach(
  db: Executor,
  memberId: string,
  id: string,
  values: Partial<BreachInsert>,
): Promise<BreachRow> {
  const [row] = await db
    .update(rgpdBreaches)
    .set({ ...values, updatedAt: now() })
    .where(and(eq(rgpdBreaches.memberId, memberId), eq(rgpdBreaches.id, id)))
    .returning();
  return row;
}

// Requests to the DPO and breaches to qualify: the DPO team's to-do list ------------------------

export type DpoRequestRow = typeof rgpdDpoRequests.$inferSelect;

export async function insertDpoRequest(
  db: Executor,
  values: typeof rgpdDpoRequests.$inferInsert,
): Promise<DpoRequestRow> {
  const [row] = await db.insert(rgpdDpoRequests).values(values).returning();
  return row;
}

/**
 * Requests to the DPO with their member's name: every member's (the DPO team) or one member's; open
 * ones oldest first (a to-do list), closed ones newest first.
 */
export async function listDpoRequests(
  db: Executor,
  filters: { memberId?: string; status: 'open' | 'closed'; limit: number; cursor?: string },
) {
  const r = rgpdDpoRequests;
  const open = filters.status === 'open';
  const where = and(
    filters.memberId ? eq(r.memberId, filters.memberId) : undefined,
    open ? isNull(r.closedAt) : isNotNull(r.closedAt),
  );
  const cursor = decodeInstantCursor(filters.cursor);
  const [{ n }] = await db.select({ n: count() }).from(r).where(where);
  const rows = await db
    .select({ request: r, memberName: organisations.name, cursorKey: cursorInstant(r.createdAt) })
    .from(r)
    .innerJoin(organisations, eq(organisations.id, r.memberId))
    .where(and(where, afterCursor(r.createdAt, r.id, cursor, !open)))
    .orderBy(...(open ? [asc(r.createdAt), asc(r.id)] : [desc(r.createdAt), desc(r.id)]))
    .limit(filters.limit + 1);
  return { rows, total: toCount(n) };
}

/** Closes an open request (null when there is none by that id, or it is closed already). */
export async function closeDpoRequest(db: Executor, id: string, userId: string | null) {
  const [row] = await db
    .update(rgpdDpoRequests)
    .set({ closedAt: now(), closedByUserId: userId })
    .where(and(eq(rgpdDpoRequests.id, id), isNull(rgpdDpoRequests.closedAt)))
    .returning();
  return row ?? null;
}

export async function findDpoRequest(db: Executor, id: string) {
  const [row] = await db.select().from(rgpdDpoRequests).where(eq(rgpdDpoRequests.id, id));
  return row ?? null;
}

/** Breaches reported by members' users that nobody has qualified yet, oldest first. */
export async function breachesToQualify(db: Executor, limit: number, cursor?: string) {
  const b = rgpdBreaches;
  const after = decodeInstantCursor(cursor);
  const [{ n }] = await db.select({ n: count() }).from(b).where(isNull(b.qualifiedAt));
  const rows = await db
    .select({ breach: b, memberName: organisations.name, cursorKey: cursorInstant(b.createdAt) })
    .from(b)
    .innerJoin(organisations, eq(organisations.id, b.memberId))
    .where(and(isNull(b.qualifiedAt), afterCursor(b.createdAt, b.id, after)))
    .orderBy(asc(b.createdAt), asc(b.id))
    .limit(limit + 1);
  return { rows, total: toCount(n) };
}
