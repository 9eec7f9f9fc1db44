import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { MembershipStatus, OrganisationKind } from '../../../contracts/members.js';
import type { FeeProration } from '../../../contracts/pricing.js';
import { organisations } from '../../kernel/identity.schema.js';
import { departements } from '../../kernel/territory.schema.js';
import { type Executor, rowsOf } from '../../platform/db/client.js';
import { catalogueAlonePrices, catalogueServices } from '../catalogue/catalogue.schema.js';
import { membershipEvents } from '../members/members.schema.js';
import type { Rule } from './engine/index.js';
import { costPools, membershipFeeRules, pricingAdoptions, pricingState } from './pricing.schema.js';

/**
 * organisations.population holds the official population for communes and EPCI (kept there by
 * triggers from the territory tables) and the entered one for other kinds: the registry's rule.
 */
export const populationExpr = sql<number | null>`${organisations.population}`;

/** Subscription statuses during which the service was delivered (and is due) for its months. */
export const BILLABLE_SUBSCRIPTION_STATUSES = ['active', 'termination_requested', 'terminated'] as const;
/** Membership statuses that owe the year's membership fee. */
export const FEE_MEMBERSHIP_STATUSES = ['member', 'withdrawal_requested'] as const;

export async function pricingVersion(db: Executor): Promise<number> {
  const [row] = await db
    .select({ version: pricingState.version })
    .from(pricingState)
    .where(eq(pricingState.id, 1));
  return Number(row?.version ?? 0);
}

export interface PoolRow {
  serviceId: string;
  serviceCode: string;
  serviceName: string;
  domain: string;
  unitLabel: string | null;
  year: number;
  licencesCents: number;
  hostingCents: number;
  staffCents: number;
  otherCents: number;
  rule: Rule;
  updatedAt: Date;
}

export async function poolsOfYear(db: Executor, year: number): Promise<PoolRow[]> {
  return db
    .select({
      serviceId: costPools.serviceId,
      serviceCode: catalogueServices.code,
      serviceName: catalogueServices.name,
      domain: catalogueServices.domain,
      unitLabel: catalogueServices.unitLabel,
      year: costPools.year,
      licencesCents: costPools.licencesCents,
      hostingCents: costPools.hostingCents,
      staffCents: costPools.staffCents,
      otherCents: costPools.otherCents,
      rule: costPools.rule,
      updatedAt: costPools.updatedAt,
    })
    .from(costPools)
    .innerJoin(catalogueServices, eq(catalogueServices.id, costPools.serviceId))
    .where(eq(costPools.year, year))
    .orderBy(asc(catalogueServices.name), asc(costPools.serviceId));
}

export async function alonePricesOf(
  db: Executor,
  serviceIds: string[],
): Promise<Map<string, { upTo: number | null; aloneCents: number }[]>> {
  const result = new Map<string, { upTo: number | null; aloneCents: number }[]>();
  if (serviceIds.length === 0) return result;
  const rows = await db
    .select({
      serviceId: catalogueAlonePrices.serviceId,
      upTo: catalogueAlonePrices.upToPopulation,
      aloneCents: catalogueAlonePrices.aloneCents,
    })
    .from(catalogueAlonePrices)
    .where(inArray(catalogueAlonePrices.serviceId, serviceIds))
    .orderBy(sql`${catalogueAlonePrices.serviceId}, ${catalogueAlonePrices.upToPopulation} ASC NULLS LAST`);
  for (const row of rows) {
    const list = result.get(row.serviceId) ?? [];
    list.push({ upTo: row.upTo, aloneCents: row.aloneCents });
    result.set(row.serviceId, list);
  }
  return result;
}

export async function feeRuleOf(db: Executor, year: number) {
  const [row] = await db.select().from(membershipFeeRules).where(eq(membershipFeeRules.year, year));
  return row ? { ...row, centsPerInhabitant: Number(row.centsPerInhabitant) } : null;
}

/**
 * The day each member became a member (`membership_events` to 'member') on or after 1 January of
 * `year`: the last such day, for the fee's proration. Members who joined before the year are absent.
 */
export async function membershipStartsFrom(db: Executor, year: number): Promise<Map<string, string>> {
  const rows = await db
    .select({ memberId: membershipEvents.memberId, on: sql<string>`max(${membershipEvents.effectiveOn})` })
    .from(membershipEvents)
    .where(and(eq(membershipEvents.toStatus, 'member'), gte(membershipEvents.effectiveOn, `${year}-01-01`)))
    .groupBy(membershipEvents.memberId);
  return new Map(rows.map((r) => [r.memberId, String(r.on)]));
}

export interface MemberRow {
  id: string;
  name: string;
  kind: OrganisationKind;
  status: MembershipStatus;
  departementCode: string | null;
  population: number;
}

/** Every member organisation (not the operator), sorted by id, with its population for pricing. */
export function pricingMembers(db: Executor): Promise<MemberRow[]> {
  return db
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      status: organisations.status,
      departementCode: organisations.departementCode,
      population: sql<number>`COALESCE(${populationExpr}, 0)`.mapWith(Number),
    })
    .from(organisations)
    .where(sql`${organisations.kind} <> 'operator'`)
    .orderBy(asc(organisations.id));
}

/** One subscription of the year; units are -1 when the member declared none. */
export type SubscriptionVisitor = (
  memberId: string,
  serviceId: string,
  units: number,
  months: number,
) => void;

/**
 * Every subscription delivered during `year` for a service that has a pool that year, with its months
 * of the year (a month begun is due; end_date is the last day of service), in member-id order so that
 * each service's subscribers come out in the engine's tie-break order. One query whatever the size,
 * one row per member: `k:units:months` items joined by commas, where k indexes `serviceIds` — a
 * million subscriptions cost 50,000 row objects instead of a million, and `forEach` visits each one
 * (as often as needed: to count, then to fill columns) without any object being made for it.
 */
export async function subscriptionsOfYear(
  db: Executor,
  year: number,
): Promise<{ forEach(visit: SubscriptionVisitor): void }> {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const priced = await db
    .select({ serviceId: costPools.serviceId })
    .from(costPools)
    .where(eq(costPools.year, year))
    .orderBy(asc(costPools.serviceId));
  const serviceIds = priced.map((p) => p.serviceId);
  if (serviceIds.length === 0) return { forEach() {} };
  const packed = rowsOf<{ member_id: string; items: string }>(
    await db.execute(sql`
      WITH p AS (
        SELECT service_id, (row_number() OVER (ORDER BY service_id) - 1)::int AS k
        FROM cost_pools WHERE year = ${year}
      )
      SELECT s.member_id,
        string_agg(p.k || ':' || COALESCE(s.units, -1) || ':' ||
          (EXTRACT(MONTH FROM LEAST(COALESCE(s.end_date, ${last}::date), ${last}::date))
            - EXTRACT(MONTH FROM GREATEST(s.start_date, ${first}::date)) + 1)::int, ',' ORDER BY p.k) AS items
      FROM subscriptions s
      JOIN p ON p.service_id = s.service_id
      WHERE s.status IN ('active', 'termination_requested', 'terminated')
        AND s.start_date IS NOT NULL
        AND s.start_date <= ${last}::date
        AND (s.end_date IS NULL OR s.end_date >= ${first}::date)
      GROUP BY s.member_id
      ORDER BY s.member_id`),
  );
  return {
    forEach(visit) {
      for (const { member_id, items } of packed) {
        for (let start = 0; start < items.length; ) {
          const end = items.indexOf(',', start) >>> 0; // -1 (last item) becomes 2^32 - 1
          const first = items.indexOf(':', start);
          const second = items.indexOf(':', first + 1);
          visit(
            member_id,
            serviceIds[Number(items.slice(start, first))],
            Number(items.slice(first + 1, second)),
            Number(items.slice(second + 1, Math.min(end, items.length))),
          );
          start = Math.min(end, items.length) + 1;
        }
      }
    },
  };
}

/** Subscriptions running in `year` to services without a cost pool that year, for every member. */
export async function unpricedSubscriptionsOfYear(db: Executor, year: number) {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  return rowsOf<{ member_id: string; service_id: string; name: string }>(
    await db.execute(sql`
      SELECT s.member_id, s.service_id, c.name
      FROM subscriptions s
      JOIN catalogue_services c ON c.id = s.service_id
      LEFT JOIN cost_pools p ON p.service_id = s.service_id AND p.year = ${year}
      WHERE p.id IS NULL
        AND s.status IN ('active', 'termination_requested', 'terminated')
        AND s.start_date IS NOT NULL AND s.start_date <= ${last}::date
        AND (s.end_date IS NULL OR s.end_date >= ${first}::date)
      ORDER BY c.name, s.service_id`),
  );
}

export async function departementNames(db: Executor): Promise<Map<string, string>> {
  const rows = await db.select({ code: departements.code, name: departements.name }).from(departements);
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function upsertPool(
  db: Executor,
  values: {
    serviceId: string;
    year: number;
    licencesCents: number;
    hostingCents: number;
    staffCents: number;
    otherCents: number;
    rule: Rule;
    updatedBy: string | null;
  },
) {
  await db
    .insert(costPools)
    .values(values)
    .onConflictDoUpdate({
      target: [costPools.serviceId, costPools.year],
      set: {
        licencesCents: values.licencesCents,
        hostingCents: values.hostingCents,
        staffCents: values.staffCents,
        otherCents: values.otherCents,
        rule: values.rule,
        updatedBy: values.updatedBy,
        updatedAt: sql`now()`,
      },
    });
}

export async function upsertFeeRule(
  db: Executor,
  values: {
    year: number;
    centsPerInhabitant: number;
    minimumCents: number;
    proration: FeeProration;
    updatedBy: string | null;
  },
) {
  const row = { ...values, centsPerInhabitant: String(values.centsPerInhabitant) };
  await db
    .insert(membershipFeeRules)
    .values(row)
    .onConflictDoUpdate({
      target: membershipFeeRules.year,
      set: {
        centsPerInhabitant: row.centsPerInhabitant,
        minimumCents: row.minimumCents,
        proration: row.proration,
        updatedBy: row.updatedBy,
        updatedAt: sql`now()`,
      },
    });
}

// The year's tariffs adopted by the comité syndical (issue 12) -----------------------------------

export async function findAdoption(db: Executor, year: number) {
  const [row] = await db.select().from(pricingAdoptions).where(eq(pricingAdoptions.year, year));
  return row ?? null;
}

export async function insertAdoption(db: Executor, values: typeof pricingAdoptions.$inferInsert) {
  await db.insert(pricingAdoptions).values(values);
}
