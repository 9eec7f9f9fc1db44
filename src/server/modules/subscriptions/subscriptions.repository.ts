import { and, asc, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { searchTerms } from '../../../contracts/search.js';
import {
  LIVE_SUBSCRIPTION_STATUSES,
  type SubscriberQuery,
  type SubscriptionQueueQuery,
} from '../../../contracts/subscriptions.js';
import { organisations, users } from '../../kernel/identity.schema.js';
import { communes, epci } from '../../kernel/territory.schema.js';
import { now } from '../../platform/clock.js';
import { type Executor, toCount } from '../../platform/db/client.js';
import {
  afterCursor,
  cursorInstant,
  decodeInstantCursor,
  decodeTextCursor,
  encodeCursor,
  pageOf,
} from '../../platform/http/pagination.js';
import { catalogueServicePrerequisites, catalogueServices } from '../catalogue/catalogue.schema.js';
import { subscriptionEvents, subscriptions } from './subscriptions.schema.js';

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type SubscriptionInsert = typeof subscriptions.$inferInsert;

const isLive = inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES]);

const subscriptionColumns = {
  id: subscriptions.id,
  memberId: subscriptions.memberId,
  memberName: organisations.name,
  serviceId: catalogueServices.id,
  serviceCode: catalogueServices.code,
  serviceName: catalogueServices.name,
  serviceDomain: catalogueServices.domain,
  serviceNoticeMonths: catalogueServices.noticeMonths,
  serviceUnitLabel: catalogueServices.unitLabel,
  status: subscriptions.status,
  requestedOn: subscriptions.requestedOn,
  startDate: subscriptions.startDate,
  endDate: subscriptions.endDate,
  units: subscriptions.units,
  refusalReason: subscriptions.refusalReason,
  createdAt: subscriptions.createdAt,
  updatedAt: subscriptions.updatedAt,
};

const joined = (db: Executor) =>
  db
    .select(subscriptionColumns)
    .from(subscriptions)
    .innerJoin(organisations, eq(organisations.id, subscriptions.memberId))
    .innerJoin(catalogueServices, eq(catalogueServices.id, subscriptions.serviceId));

export type SubscriptionView = Awaited<ReturnType<typeof listMemberSubscriptions>>[number];

export function listMemberSubscriptions(db: Executor, memberId: string) {
  return joined(db)
    .where(eq(subscriptions.memberId, memberId))
    .orderBy(asc(catalogueServices.name), desc(subscriptions.createdAt), asc(subscriptions.id));
}

export async function findSubscriptionView(db: Executor, memberId: string, subscriptionId: string) {
  const [row] = await joined(db).where(
    and(eq(subscriptions.memberId, memberId), eq(subscriptions.id, subscriptionId)),
  );
  return row ?? null;
}

/** The row, locked for a status change. */
export async function lockSubscription(db: Executor, memberId: string, subscriptionId: string) {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.memberId, memberId), eq(subscriptions.id, subscriptionId)))
    .for('update');
  return row ?? null;
}

/** The member's live subscriptions (requested, active, termination requested). */
export function liveSubscriptionsOf(db: Executor, memberId: string) {
  return db
    .select({
      id: subscriptions.id,
      serviceId: subscriptions.serviceId,
      status: subscriptions.status,
      startDate: subscriptions.startDate,
    })
    .from(subscriptions)
    .where(and(eq(subscriptions.memberId, memberId), isLive));
}

/** Live subscriptions of many members, for bulk checks. */
export function liveSubscriptionsOfMembers(db: Executor, memberIds: string[]) {
  if (memberIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      memberId: subscriptions.memberId,
      serviceId: subscriptions.serviceId,
      status: subscriptions.status,
      startDate: subscriptions.startDate,
    })
    .from(subscriptions)
    .where(and(inArray(subscriptions.memberId, memberIds), isLive));
}

/** The member's live subscriptions to services that require `serviceId`. */
export function liveDependents(db: Executor, memberId: string, serviceId: string) {
  return db
    .select({ name: catalogueServices.name, status: subscriptions.status })
    .from(subscriptions)
    .innerJoin(catalogueServices, eq(catalogueServices.id, subscriptions.serviceId))
    .innerJoin(
      catalogueServicePrerequisites,
      and(
        eq(catalogueServicePrerequisites.serviceId, subscriptions.serviceId),
        eq(catalogueServicePrerequisites.requiresServiceId, serviceId),
      ),
    )
    .where(and(eq(subscriptions.memberId, memberId), isLive));
}

export async function insertSubscriptions(db: Executor, values: SubscriptionInsert[]) {
  if (values.length === 0) return [];
  return db.insert(subscriptions).values(values).returning();
}

export async function updateSubscription(
  db: Executor,
  memberId: string,
  subscriptionId: string,
  values: Partial<SubscriptionInsert>,
) {
  const [row] = await db
    .update(subscriptions)
    .set({ ...values, updatedAt: now() })
    .where(and(eq(subscriptions.memberId, memberId), eq(subscriptions.id, subscriptionId)))
    .returning();
  return row;
}

export async function insertEvents(db: Executor, values: (typeof subscriptionEvents.$inferInsert)[]) {
  if (values.length > 0) await db.insert(subscriptionEvents).values(values);
}

export function listEvents(db: Executor, memberId: string, subscriptionId: string) {
  return db
    .select({
      id: subscriptionEvents.id,
      fromStatus: subscriptionEvents.fromStatus,
      toStatus: subscriptionEvents.toStatus,
      effectiveOn: subscriptionEvents.effectiveOn,
      note: subscriptionEvents.note,
      actorId: users.id,
      actorName: users.displayName,
      createdAt: subscriptionEvents.createdAt,
    })
    .from(subscriptionEvents)
    .leftJoin(users, eq(users.id, subscriptionEvents.actorUserId))
    .where(
      and(eq(subscriptionEvents.memberId, memberId), eq(subscriptionEvents.subscriptionId, subscriptionId)),
    )
    .orderBy(desc(subscriptionEvents.createdAt), desc(subscriptionEvents.id));
}

// Operator views ---------------------------------------------------------------------------------

function queueConditions(query: SubscriptionQueueQuery): SQL[] {
  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(subscriptions.status, query.status));
  if (query.serviceId) conditions.push(eq(subscriptions.serviceId, query.serviceId));
  if (query.memberId) conditions.push(eq(subscriptions.memberId, query.memberId));
  const terms = query.q ? searchTerms(query.q) : [];
  if (terms.length > 0) {
    const names = sql.join(
      terms.map((t) => sql`${organisations.searchName} LIKE ${`%${t}%`}`),
      sql` AND `,
    );
    conditions.push(
      sql`${subscriptions.memberId} = ANY(ARRAY(SELECT ${organisations.id} FROM ${organisations} WHERE ${names}))`,
    );
  }
  return conditions;
}

/** Oldest first: the operator works through requests in the order they came. */
export async function listQueue(db: Executor, query: SubscriptionQueueQuery) {
  const conditions = queueConditions(query);
  const created = cursorInstant(subscriptions.createdAt);
  const cursor = decodeInstantCursor(query.cursor);
  const after = cursor
    ? sql`(${subscriptions.createdAt}, ${subscriptions.id}) > (${cursor.sortValue}::timestamptz, ${cursor.id}::uuid)`
    : undefined;
  const rows = await db
    .select({ ...subscriptionColumns, cursorAt: created })
    .from(subscriptions)
    .innerJoin(organisations, eq(organisations.id, subscriptions.memberId))
    .innerJoin(catalogueServices, eq(catalogueServices.id, subscriptions.serviceId))
    .where(and(...conditions, after))
    .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.cursorAt, r.id));
  const [{ n }] = await db
    .select({ n: count() })
    .from(subscriptions)
    .where(and(...conditions));
  return { ...page, total: toCount(n) };
}

/** Official population for communes and EPCI, entered population otherwise. */
const populationExpr = sql<number | null>`CASE ${organisations.kind}
  WHEN 'commune' THEN ${communes.population}
  WHEN 'epci' THEN ${epci.population}
  ELSE ${organisations.population} END`;

const subscriberColumns = {
  subscriptionId: subscriptions.id,
  memberId: organisations.id,
  memberName: organisations.name,
  searchName: organisations.searchName,
  kind: organisations.kind,
  siren: organisations.siren,
  siret: organisations.siret,
  departementCode: organisations.departementCode,
  population: populationExpr,
  status: subscriptions.status,
  requestedOn: subscriptions.requestedOn,
  startDate: subscriptions.startDate,
  endDate: subscriptions.endDate,
  units: subscriptions.units,
};

function subscriberConditions(serviceId: string, status: SubscriberQuery['status']): SQL[] {
  return [eq(subscriptions.serviceId, serviceId), status ? eq(subscriptions.status, status) : isLive];
}

const subscribersFrom = (db: Executor) =>
  db
    .select(subscriberColumns)
    .from(subscriptions)
    .innerJoin(organisations, eq(organisations.id, subscriptions.memberId))
    .leftJoin(communes, eq(communes.code, organisations.communeCode))
    .leftJoin(epci, eq(epci.code, organisations.epciCode));

export async function listSubscribers(db: Executor, serviceId: string, query: SubscriberQuery) {
  const conditions = subscriberConditions(serviceId, query.status);
  const cursor = decodeTextCursor(query.cursor);
  const rows = await subscribersFrom(db)
    .where(and(...conditions, afterCursor(organisations.searchName, subscriptions.id, cursor)))
    .orderBy(asc(organisations.searchName), asc(subscriptions.id))
    .limit(query.limit + 1);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.searchName, r.subscriptionId));
  const [{ n }] = await db
    .select({ n: count() })
    .from(subscriptions)
    .where(and(...conditions));
  return { ...page, total: toCount(n) };
}

export function exportSubscribers(
  db: Executor,
  serviceId: string,
  status: SubscriberQuery['status'],
  max: number,
) {
  return subscribersFrom(db)
    .where(and(...subscriberConditions(serviceId, status)))
    .orderBy(asc(organisations.searchName), asc(subscriptions.id))
    .limit(max);
}

/** Whether the member holds an active subscription (notice given or not) to the service with this code. */
export async function holdsServiceCode(db: Executor, memberId: string, code: string): Promise<boolean> {
  const [row] = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .innerJoin(catalogueServices, eq(catalogueServices.id, subscriptions.serviceId))
    .where(
      and(
        eq(subscriptions.memberId, memberId),
        eq(catalogueServices.code, code),
        inArray(subscriptions.status, ['active', 'termination_requested']),
      ),
    )
    .limit(1);
  return !!row;
}
