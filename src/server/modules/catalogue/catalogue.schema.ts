import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { SERVICE_DOMAINS, SERVICE_STATUSES, type ServiceHistoryEntry } from '../../../contracts/catalogue.js';
import { MEMBER_KINDS } from '../../../contracts/members.js';
import { inList, users } from '../../kernel/identity.schema.js';

/** Reference data, public: the services the operator offers. */
export const catalogueServices = pgTable(
  'catalogue_services',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Chorus Pro service code, e.g. DEMAT-ACTES. */
    code: text('code').notNull(),
    domain: text('domain', { enum: SERVICE_DOMAINS }).notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    included: text('included').notNull().default(''),
    /** Member kinds allowed to subscribe (organisation kinds). */
    eligibleKinds: text('eligible_kinds', { enum: MEMBER_KINDS })
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: text('status', { enum: SERVICE_STATUSES }).notNull().default('proposed'),
    noticeMonths: integer('notice_months').notNull().default(3),
    /** For per-unit services: 'agents', 'licences', 'boîtes aux lettres'. */
    unitLabel: text('unit_label'),
    /** The availability promised, in basis points of the month (9950 = 99.5 %), read by hosting. */
    slaTargetBasisPoints: integer('sla_target_basis_points').notNull().default(9950),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('catalogue_services_code_key').on(t.code),
    index('catalogue_services_domain_idx').on(t.domain, t.name),
    check('catalogue_services_domain_check', inList('domain', SERVICE_DOMAINS)),
    check('catalogue_services_status_check', inList('status', SERVICE_STATUSES)),
    check(
      'catalogue_services_sla_check',
      sql`sla_target_basis_points >= 0 AND sla_target_basis_points <= 10000`,
    ),
    check('catalogue_services_notice_check', sql`notice_months >= 0 AND notice_months <= 36`),
  ],
);

export const catalogueServicePrerequisites = pgTable(
  'catalogue_service_prerequisites',
  {
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    requiresServiceId: uuid('requires_service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'restrict' }),
  },
  (t) => [
    primaryKey({ columns: [t.serviceId, t.requiresServiceId] }),
    index('catalogue_service_prerequisites_requires_idx').on(t.requiresServiceId),
    check('catalogue_service_prerequisites_not_self', sql`service_id <> requires_service_id`),
  ],
);

/**
 * The "alone" market price per population stratum: a structure of up to `up_to_population`
 * inhabitants would pay `alone_cents` a year buying the service on its own. NULL = no upper bound.
 */
export const catalogueAlonePrices = pgTable(
  'catalogue_alone_prices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    upToPopulation: integer('up_to_population'),
    aloneCents: integer('alone_cents').notNull(),
  },
  (t) => [
    uniqueIndex('catalogue_alone_prices_stratum_key').on(
      t.serviceId,
      sql`coalesce(up_to_population, 2147483647)`,
    ),
    check('catalogue_alone_prices_cents_check', sql`alone_cents >= 0`),
    check('catalogue_alone_prices_population_check', sql`up_to_population IS NULL OR up_to_population > 0`),
  ],
);

/** Before/after of every operator edit of a service, its prerequisites or its alone prices. */
export const catalogueServiceHistory = pgTable(
  'catalogue_service_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => catalogueServices.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    changes: jsonb('changes').$type<ServiceHistoryEntry['changes']>().notNull().default({}),
  },
  (t) => [index('catalogue_service_history_service_idx').on(t.serviceId, t.at)],
);
