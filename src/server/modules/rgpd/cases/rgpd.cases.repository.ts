import { and, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { BreachNotificationStatus, RightsRequestStatus } from '../../../../contracts/rgpd-cases.js';
import { now } from '../../../platform/clock.js';
import { type Executor, toCount } from '../../../platform/db/client.js';
import { afterCursor, cursorInstant, decodeCursor } from '../../../platform/http/pagination.js';
import { OPEN_REQUEST_STATUSES } from '../rgpd.deadlines.js';
import { rgpdBreaches, rgpdRightsRequests } from '../rgpd.schema.js';

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
