import crypto from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { WebhookEventType } from '../../../contracts/webhooks.js';
import { now } from '../clock.js';
import { type Executor, rowsOf } from '../db/client.js';
import { noteEnqueued } from '../jobs/queue.js';

/** Something that happened to a member, for the software that listens (webhooks, issue 16). */
export interface PlatformEvent {
  type: WebhookEventType;
  /** The member the event is about: its endpoints and the operator's all-members ones receive it. */
  memberId: string;
  /** The event's body: ids, codes, statuses and public facts; never secrets. */
  data: Record<string, unknown>;
}

/**
 * Records events and queues their deliveries in the caller's transaction: they exist if and only if
 * the change they describe commits (no event for a rolled-back change, none lost for a committed
 * one). One statement (migration 0050's `socle_emit_webhook_events`, SECURITY DEFINER: the caller's
 * tenant need not see the endpoints) whatever the number of events, so a bulk change emits in bulk.
 * Returns how many deliveries were queued.
 */
export async function emitEvents(db: Executor, events: readonly PlatformEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const at = now().toISOString();
  const rows = events.map((e) => ({
    id: crypto.randomUUID(),
    type: e.type,
    member_id: e.memberId,
    data: e.data,
    occurred_at: at,
  }));
  const [row] = rowsOf<{ queued: number }>(
    await db.execute(sql`SELECT socle_emit_webhook_events(${JSON.stringify(rows)}::jsonb) AS queued`),
  );
  const queued = Number(row?.queued ?? 0);
  if (queued > 0) noteEnqueued();
  return queued;
}

/** emitEvents for one event. */
export const emitEvent = (db: Executor, event: PlatformEvent): Promise<number> => emitEvents(db, [event]);

/**
 * emitEvents for events of one type whose members and bodies a query gives (`rows`: a SELECT of
 * `member_id` and `data` jsonb, read under the caller's RLS): built and recorded in one statement,
 * without bringing them to the process (an advisory's thousands of affected members). Same
 * guarantees as emitEvents. Returns how many deliveries were queued.
 */
export async function emitEventsFrom(db: Executor, type: WebhookEventType, rows: SQL): Promise<number> {
  const [row] = rowsOf<{ queued: number }>(
    await db.execute(sql`SELECT ${eventsFromCall(type, rows)} AS queued`),
  );
  const queued = Number(row?.queued ?? 0);
  if (queued > 0) noteEnqueued();
  return queued;
}

/**
 * The expression emitEventsFrom evaluates (the number of deliveries queued), for a statement of the
 * caller's: `rows` may read a data-modifying CTE of that statement (the events of the rows it
 * changed, none when it changed none). The caller calls `noteEnqueued()` when it queued some.
 */
export function eventsFromCall(type: WebhookEventType, rows: SQL): SQL {
  const at = now().toISOString();
  return sql`socle_emit_webhook_events(coalesce((
      SELECT jsonb_agg(jsonb_build_object('id', gen_random_uuid(), 'type', ${type}::text,
        'member_id', e.member_id, 'data', e.data, 'occurred_at', ${at}::timestamptz))
      FROM (${rows}) AS e), '[]'::jsonb))`;
}
