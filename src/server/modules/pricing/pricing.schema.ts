import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { FEE_PRORATIONS } from '../../../contracts/pricing.js';
import { inList, users } from '../../kernel/identity.schema.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import type { Rule } from './engine/index.js';

/**
 * What a service costs the community in a year, itemised, and how it is shared (the engine's rule,
 * validated by contracts/pricing.ts and the engine before it is written). Public reference data.
 * Pools are bigint: a national operator's service can cost more than 21 M€ (the int4 limit in cents).
 */
export const costPools = pgTable(
  'cost_pools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'restrict' }),
    year: integer('year').notNull(),
    licencesCents: bigint('licences_cents', { mode: 'number' }).notNull().default(0),
    hostingCents: bigint('hosting_cents', { mode: 'number' }).notNull().default(0),
    staffCents: bigint('staff_cents', { mode: 'number' }).notNull().default(0),
    otherCents: bigint('other_cents', { mode: 'number' }).notNull().default(0),
    rule: jsonb('rule').$type<Rule>().notNull(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cost_pools_service_year_key').on(t.serviceId, t.year),
    index('cost_pools_year_idx').on(t.year),
    check('cost_pools_year_check', sql`year BETWEEN 2000 AND 2100`),
    check(
      'cost_pools_amounts_check',
      sql`licences_cents >= 0 AND hosting_cents >= 0 AND staff_cents >= 0 AND other_cents >= 0`,
    ),
  ],
);

/** The membership fee (cotisation d'adhésion) of a year: population × rate, with a minimum. */
export const membershipFeeRules = pgTable(
  'membership_fee_rules',
  {
    year: integer('year').primaryKey(),
    /** Cents per inhabitant, up to 4 decimals (the engine's precision). */
    centsPerInhabitant: numeric('cents_per_inhabitant', { precision: 14, scale: 4 }).notNull(),
    minimumCents: integer('minimum_cents').notNull(),
    /** Fee of a structure joining during the year: whole year, by month or by day (contracts FEE_PRORATIONS). */
    proration: text('proration', { enum: FEE_PRORATIONS }).notNull().default('none'),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [
    check('membership_fee_rules_year_check', sql`year BETWEEN 2000 AND 2100`),
    check('membership_fee_rules_amounts_check', sql`cents_per_inhabitant >= 0 AND minimum_cents >= 0`),
    check('membership_fee_rules_proration_check', inList('proration', FEE_PRORATIONS)),
  ],
);

/**
 * One row, bumped (by statement triggers) whenever an input of the cost-sharing changes: subscriptions,
 * pools, fee rules, alone prices, services, organisations, official populations. Computed allocations
 * are cached per process against it, so any process sees a change on its next read.
 */
export const pricingState = pgTable('pricing_state', {
  id: integer('id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

/**
 * A year's tariffs adopted by the comité syndical (issue 12): one row per year, written once by the
 * governance module when the item bound to it is adopted, with the deliberation that adopted them.
 * Operator-owned and public (the price list's status is transparency).
 */
export const pricingAdoptions = pgTable(
  'pricing_adoptions',
  {
    year: integer('year').primaryKey(),
    adoptedOn: date('adopted_on').notNull(),
    /** The deliberation (act) that adopted the tariffs, and its number as written on it. */
    actId: uuid('act_id'),
    deliberationNumber: text('deliberation_number'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('pricing_adoptions_year', sql`${t.year} BETWEEN 2000 AND 2200`)],
);
