import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '../../../contracts/webhooks.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';

const instant = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Signed webhooks (issue 16). An endpoint belongs to an organisation (`member_id`): a member's admin
 * registers one for that member's events; the operator's admins register one for every member's
 * (`all_members`, `member_id` = the operator organisation). The signing secret is kept as it is: it
 * signs every delivery (Standard Webhooks, HMAC-SHA256), so it cannot be hashed; it is shown once.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    allMembers: boolean('all_members').notNull().default(false),
    url: text('url').notNull(),
    description: text('description'),
    events: text('events').array().$type<WebhookEventType[]>().notNull(),
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('webhook_endpoints_member_idx').on(t.memberId, t.createdAt),
    index('webhook_endpoints_all_members_idx').on(t.allMembers).where(sql`all_members AND enabled`),
  ],
);

/** What happened, once (the body every endpoint receives): written by platform/events emitEvent. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid('id').primaryKey(),
    type: text('type', { enum: WEBHOOK_EVENT_TYPES }).notNull(),
    /** The member the event is about. */
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    occurredAt: instant('occurred_at').notNull(),
  },
  (t) => [
    check('webhook_events_type_check', inList('type', WEBHOOK_EVENT_TYPES)),
    index('webhook_events_member_idx').on(t.memberId, t.occurredAt),
  ],
);

/** One event to one endpoint: its attempts, last answer and next try (the delivery log). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    /** The endpoint's organisation (who reads the log), not the event's member. */
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    status: text('status', { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    error: text('error'),
    lastAttemptAt: instant('last_attempt_at'),
    nextAttemptAt: instant('next_attempt_at'),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('webhook_deliveries_status_check', inList('status', WEBHOOK_DELIVERY_STATUSES)),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt, t.id),
    index('webhook_deliveries_event_idx').on(t.eventId),
  ],
);
