import { and, desc, eq, sql } from 'drizzle-orm';
import type { WebhookEventType } from '../../../contracts/webhooks.js';
import { organisations, users } from '../../kernel/identity.schema.js';
import type { Executor } from '../../platform/db/client.js';
import { afterCursor, cursorInstant, decodeInstantCursor } from '../../platform/http/pagination.js';
import { webhookDeliveries, webhookEndpoints, webhookEvents } from './webhooks.schema.js';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** The kind of an organisation (member kinds or `operator`), or null when there is none. */
export async function organisationKind(db: Executor, id: string): Promise<string | null> {
  const [row] = await db
    .select({ kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.id, id));
  return row?.kind ?? null;
}

export async function insertEndpoint(
  db: Executor,
  row: {
    memberId: string;
    allMembers: boolean;
    url: string;
    description: string | null;
    events: WebhookEventType[];
    secret: string;
    createdBy: string | null;
  },
): Promise<EndpointRow> {
  const [created] = await db.insert(webhookEndpoints).values(row).returning();
  if (!created) throw new Error('insert returned nothing');
  return created;
}

/** The organisation's endpoints, newest first (at most 100: a handful is the norm). */
export function listEndpoints(db: Executor, memberId: string): Promise<EndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.memberId, memberId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
    .limit(100);
}

export async function findEndpoint(db: Executor, memberId: string, id: string): Promise<EndpointRow | null> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.memberId, memberId), eq(webhookEndpoints.id, id)));
  return row ?? null;
}

export async function deleteEndpoint(db: Executor, memberId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.memberId, memberId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

const deliveryColumns = {
  id: webhookDeliveries.id,
  webhookId: webhookDeliveries.endpointId,
  eventId: webhookDeliveries.eventId,
  eventType: webhookEvents.type,
  memberId: webhookEvents.memberId,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  responseStatus: webhookDeliveries.responseStatus,
  error: webhookDeliveries.error,
  lastAttemptAt: webhookDeliveries.lastAttemptAt,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  createdAt: webhookDeliveries.createdAt,
  cursor: cursorInstant(webhookDeliveries.createdAt),
};

/** An endpoint's delivery log, newest first (keyset on created_at, id). */
export async function listDeliveries(
  db: Executor,
  memberId: string,
  endpointId: string,
  query: { limit: number; cursor?: string },
) {
  const cursor = decodeInstantCursor(query.cursor);
  return db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.memberId, memberId),
        eq(webhookDeliveries.endpointId, endpointId),
        afterCursor(webhookDeliveries.createdAt, webhookDeliveries.id, cursor, true),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
}

export async function countDeliveries(db: Executor, memberId: string, endpointId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::integer` })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.memberId, memberId), eq(webhookDeliveries.endpointId, endpointId)));
  return Number(row?.n ?? 0);
}

export async function findDelivery(db: Executor, memberId: string, endpointId: string, id: string) {
  const [row] = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.memberId, memberId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.id, id),
      ),
    );
  return row ?? null;
}

/** Everything a delivery attempt needs: the event, the endpoint's address, secret and state. */
export async function deliveryTarget(db: Executor, deliveryId: string) {
  const [row] = await db
    .select({
      id: webhookDeliveries.id,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      endpointId: webhookEndpoints.id,
      ownerId: webhookEndpoints.memberId,
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      enabled: webhookEndpoints.enabled,
      createdBy: webhookEndpoints.createdBy,
      eventId: webhookEvents.id,
      type: webhookEvents.type,
      memberId: webhookEvents.memberId,
      data: webhookEvents.data,
      occurredAt: webhookEvents.occurredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, deliveryId));
  return row ?? null;
}

export async function updateDelivery(
  db: Executor,
  id: string,
  values: Partial<typeof webhookDeliveries.$inferInsert>,
): Promise<void> {
  await db.update(webhookDeliveries).set(values).where(eq(webhookDeliveries.id, id));
}

/** Disables an endpoint still enabled; true when this call did it (so the owner is told once). */
export async function disableEndpoint(db: Executor, id: string, reason: string): Promise<boolean> {
  const rows = await db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.enabled, true)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

export async function userEmail(db: Executor, userId: string): Promise<string | null> {
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}
