import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { SUBSCRIPTION_STATUSES } from '../../../contracts/subscriptions.js';
import { inList, organisations, users } from '../../kernel/identity.schema.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';

/** A member's subscription to a catalogue service. Member-owned (RLS). */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'restrict' }),
    status: text('status', { enum: SUBSCRIPTION_STATUSES }).notNull().default('requested'),
    requestedOn: date('requested_on').notNull(),
    startDate: date('start_date'),
    endDate: date('end_date'),
    /** Declared units for per-unit services (agents, licences…). */
    units: integer('units'),
    refusalReason: text('refusal_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('subscriptions_live_key')
      .on(t.memberId, t.serviceId)
      .where(sql`status IN ('requested', 'active', 'termination_requested')`),
    index('subscriptions_member_idx').on(t.memberId, t.createdAt),
    index('subscriptions_service_idx').on(t.serviceId, t.status),
    index('subscriptions_status_idx').on(t.status, t.createdAt, t.id),
    check('subscriptions_status_check', inList('status', SUBSCRIPTION_STATUSES)),
    check('subscriptions_units_check', sql`units IS NULL OR units >= 0`),
    check('subscriptions_dates_check', sql`end_date IS NULL OR start_date IS NULL OR end_date >= start_date`),
  ],
);

/** Dated, attributed history of each subscription. Member-owned (RLS). */
export const subscriptionEvents = pgTable(
  'subscription_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status', { enum: SUBSCRIPTION_STATUSES }),
    toStatus: text('to_status', { enum: SUBSCRIPTION_STATUSES }).notNull(),
    effectiveOn: date('effective_on').notNull(),
    note: text('note'),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('subscription_events_subscription_idx').on(t.subscriptionId, t.createdAt),
    index('subscription_events_member_idx').on(t.memberId, t.createdAt),
    check('subscription_events_to_status_check', inList('to_status', SUBSCRIPTION_STATUSES)),
  ],
);
