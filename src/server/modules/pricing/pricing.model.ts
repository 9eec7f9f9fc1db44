/**
 * The year's cost-sharing, computed once from the database and shared by every pricing and billing
 * use case: every service's allocation (columns, in member-id order) and the membership fee.
 */

import { frenchDate, plural } from '../../../contracts/french.js';
import type { FeeProration } from '../../../contracts/pricing.js';
import type { ChangeFeed } from '../../platform/changes.js';
import type { Database, Executor } from '../../platform/db/client.js';
import { type TenantContext, withTenant } from '../../platform/db/tenancy.js';
import { unprocessable } from '../../platform/errors.js';
import {
  AllocationError,
  type AlonePrice,
  allocateColumns,
  type ColumnarAllocation,
  type MembershipFeeRule,
  type Rule,
  type Share,
  type Subscriber,
  type SubscriberColumns,
  stratumOf,
} from './engine/index.js';
import { roundHalfUp } from './engine/rounding.js';
import {
  alonePricesOf,
  FEE_MEMBERSHIP_STATUSES,
  feeRuleOf,
  type MemberRow,
  membershipStartsFrom,
  type PoolRow,
  poolsOfYear,
  pricingMembers,
  pricingVersion,
  subscriptionsOfYear,
  unpricedSubscriptionsOfYear,
} from './pricing.repository.js';

export interface PricedService {
  pool: PoolRow;
  poolCents: number;
  alone: AlonePrice[] | null;
  /** null when nobody subscribes this year. */
  allocation: ColumnarAllocation | null;
  /** Set when the engine refused the rule for these subscribers (e.g. floors above the pool). */
  error: AllocationError | null;
  /** Member index (YearModel.members) → position in the allocation, or -1. */
  positions: Int32Array;
}

export interface YearModel {
  year: number;
  version: number;
  members: MemberRow[];
  memberIndex: Map<string, number>;
  services: PricedService[];
  fee: {
    rule: MembershipFeeRule;
    proration: FeeProration;
    allocation: ColumnarAllocation | null;
    positions: Int32Array;
    /** Members who joined during the year and pay part of it, by member id (none without proration). */
    prorata: Map<string, FeeProrata>;
  } | null;
  /** Per member: subscriptions of the year to services that have no cost pool yet. */
  unpriced: Map<string, { serviceId: string; serviceName: string }[]>;
}

/** The part of the year a member joining on `joinedOn` pays: `count` of `of` months or days. */
export interface FeeProrata {
  joinedOn: string;
  unit: 'month' | 'day';
  count: number;
  of: number;
}

const DAY_MS = 86_400_000;
const utcDay = (iso: string) =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));

/**
 * The fee's prorata for a member joining on `joinedOn` (a date of `year` or later): null for the whole
 * year (no proration), `count: 0` when it joins after the year. By month the month of joining counts;
 * by day the day of joining does.
 */
export function feeProrata(proration: FeeProration, year: number, joinedOn: string): FeeProrata | null {
  if (proration === 'none') return null;
  const end = `${year}-12-31`;
  const days = (utcDay(end) - utcDay(`${year}-01-01`)) / DAY_MS + 1;
  if (proration === 'month') {
    const count = joinedOn > end ? 0 : 13 - Number(joinedOn.slice(5, 7));
    return count === 12 ? null : { joinedOn, unit: 'month', count, of: 12 };
  }
  const count = joinedOn > end ? 0 : (utcDay(end) - utcDay(joinedOn)) / DAY_MS + 1;
  return count === days ? null : { joinedOn, unit: 'day', count, of: days };
}

/** « Adhésion le 4 décembre 2026 : prorata de 28 jours sur 365. » (PDF-safe: no narrow space). */
export function describeFeeProrata(part: FeeProrata): string {
  const unit = part.unit === 'day' ? ['jour', 'jours'] : ['mois', 'mois'];
  return `Adhésion le ${frenchDate(part.joinedOn)} : prorata de ${part.count} ${plural(part.count, unit[0], unit[1])} sur ${part.of}.`;
}

export const poolTotal = (p: Pick<PoolRow, 'licencesCents' | 'hostingCents' | 'staffCents' | 'otherCents'>) =>
  p.licencesCents + p.hostingCents + p.staffCents + p.otherCents;

function allocateOrError(poolCents: number, rule: Rule, subscribers: Subscriber[] | SubscriberColumns) {
  const count = Array.isArray(subscribers) ? subscribers.length : subscribers.memberIds.length;
  if (count === 0) return { allocation: null, error: null };
  try {
    return { allocation: allocateColumns(poolCents, rule, subscribers), error: null };
  } catch (error) {
    if (error instanceof AllocationError) return { allocation: null, error };
    throw error;
  }
}

function positionsOf(allocation: ColumnarAllocation | null, memberIndex: Map<string, number>, size: number) {
  const positions = new Int32Array(size).fill(-1);
  if (!allocation) return positions;
  const ids = allocation.shares.memberIds;
  for (let i = 0; i < ids.length; i++) {
    const m = memberIndex.get(ids[i]);
    if (m !== undefined) positions[m] = i;
  }
  return positions;
}

/** Reads every input of `year` and runs the engine for every service and the membership fee. */
export async function computeYearModel(db: Executor, year: number): Promise<YearModel> {
  const version = await pricingVersion(db);
  const pools = await poolsOfYear(db, year);
  const members = await pricingMembers(db);
  const feeRule = await feeRuleOf(db, year);
  const unpriced = new Map<string, { serviceId: string; serviceName: string }[]>();
  for (const row of await unpricedSubscriptionsOfYear(db, year)) {
    const list = unpriced.get(row.member_id) ?? [];
    list.push({ serviceId: row.service_id, serviceName: row.name });
    unpriced.set(row.member_id, list);
  }
  const aloneByService = await alonePricesOf(
    db,
    pools.map((p) => p.serviceId),
  );
  const memberIndex = new Map<string, number>();
  for (let i = 0; i < members.length; i++) memberIndex.set(members[i].id, i);

  // Each priced service's subscribers as columns, in member-id order (the engine's tie-break order),
  // without one object per subscription: counted first, then written into arrays of the exact size,
  // which the engine keeps in the allocation.
  const serviceIndex = new Map<string, number>();
  for (let i = 0; i < pools.length; i++) serviceIndex.set(pools[i].serviceId, i);
  const subscriptions = await subscriptionsOfYear(db, year);
  const counts = new Int32Array(pools.length);
  subscriptions.forEach((memberId, serviceId, _units, months) => {
    const s = serviceIndex.get(serviceId);
    if (s !== undefined && months >= 1 && memberIndex.has(memberId)) counts[s]++;
  });
  const columns = pools.map((_, s) => ({
    memberIds: new Array<string>(counts[s]),
    population: new Float64Array(counts[s]),
    units: new Float64Array(counts[s]),
    months: new Float64Array(counts[s]),
  }));
  const filled = new Int32Array(pools.length);
  subscriptions.forEach((memberId, serviceId, units, months) => {
    const s = serviceIndex.get(serviceId);
    const m = memberIndex.get(memberId);
    if (s === undefined || m === undefined || months < 1) return;
    const c = columns[s];
    const i = filled[s]++;
    c.memberIds[i] = members[m].id;
    c.population[i] = members[m].population;
    // A subscription without declared units counts 0 of them.
    c.units[i] = Math.max(0, units);
    c.months[i] = Math.min(12, months);
  });

  const services: PricedService[] = pools.map((pool, i) => {
    const poolCents = poolTotal(pool);
    const { allocation, error } = allocateOrError(poolCents, pool.rule, columns[i]);
    const alone = aloneByService.get(pool.serviceId) ?? null;
    return {
      pool,
      poolCents,
      alone: alone?.length ? alone : null,
      allocation,
      error,
      positions: positionsOf(allocation, memberIndex, members.length),
    };
  });

  let fee: YearModel['fee'] = null;
  if (feeRule) {
    const rule: MembershipFeeRule = {
      kind: 'membershipFee',
      centsPerInhabitant: feeRule.centsPerInhabitant,
      minimumCents: feeRule.minimumCents,
    };
    const proration = feeRule.proration;
    const starts = proration === 'none' ? new Map<string, string>() : await membershipStartsFrom(db, year);
    const prorata = new Map<string, FeeProrata>();
    const payers: Subscriber[] = [];
    for (const m of members) {
      if (!FEE_MEMBERSHIP_STATUSES.some((status) => status === m.status)) continue;
      const joinedOn = starts.get(m.id);
      const part = joinedOn ? feeProrata(proration, year, joinedOn) : null;
      if (part?.count === 0) continue; // joins after the year: owes nothing for it
      if (part) prorata.set(m.id, part);
      // By month the engine prorates (and explains it); by day, the shares are prorated below.
      payers.push(
        part?.unit === 'month'
          ? { memberId: m.id, population: m.population, months: part.count }
          : { memberId: m.id, population: m.population },
      );
    }
    const { allocation, error } = allocateOrError(0, rule, payers);
    if (error) throw unprocessable(`Cotisation d'adhésion ${year} : ${error.message}`);
    if (allocation && proration === 'day') {
      const c = allocation.shares;
      for (let i = 0; i < c.memberIds.length; i++) {
        const part = prorata.get(c.memberIds[i]);
        if (part) c.shareCents[i] = roundHalfUp(c.shareCents[i] * part.count, part.of);
      }
      // A tariff's pool is the sum of its prices.
      allocation.poolCents = c.shareCents.reduce((sum, cents) => sum + cents, 0);
    }
    fee = {
      rule,
      proration,
      allocation,
      positions: positionsOf(allocation, memberIndex, members.length),
      prorata,
    };
  }
  return { year, version, members, memberIndex, services, fee, unpriced };
}

/** The "alone" price of a subscriber of this population for `months` months, or null when unknown. */
export function aloneCentsFor(alone: AlonePrice[] | null, population: number, months: number): number | null {
  if (!alone) return null;
  return roundHalfUp(alone[stratumOf(alone, population)].aloneCents * months, 12);
}

/** One member's Share, rebuilt from the columns (what `explainShare` needs). */
export function shareAt(allocation: ColumnarAllocation, i: number): Share {
  const c = allocation.shares;
  const b = c.bound ? c.bound[i] : 0;
  return {
    memberId: c.memberIds[i],
    shareCents: c.shareCents[i],
    population: c.population[i],
    units: c.units[i] < 0 ? null : c.units[i],
    months: c.months[i],
    weight: c.weight[i],
    baseCents: c.baseCents[i],
    roundingCents: c.roundingCents[i] as 0 | 1,
    bound: b === 1 ? 'floor' : b === 2 ? 'ceiling' : null,
    stratum: c.stratum ? c.stratum[i] : null,
  };
}

/** Throws a 422 naming the service when the engine refused its rule. */
export function assertPriced(service: PricedService): void {
  if (service.error) {
    throw unprocessable(
      `Répartition impossible pour « ${service.pool.serviceName} » : ${service.error.message} Corrigez le montant ou la règle de ${service.pool.year}.`,
      [{ path: `services.${service.pool.serviceId}`, message: service.error.message }],
    );
  }
}

/**
 * Models cached per database and year, valid while pricing_state.version is unchanged (any write to
 * an input bumps it in the same transaction, so a reader seeing version v sees the inputs of v).
 * Concurrent readers of a stale year share one computation.
 *
 * With `changes` (the app's ChangeFeed, when `MODEL_CACHE_NOTIFIED` is on), a model is also stamped
 * with the `pricing` topic — notified by pricing_state's trigger (migration 0024) whenever the version
 * moves — and `cachedYearModel` serves it without asking the database while that stamp holds.
 */
const caches = new WeakMap<
  object,
  Map<number, { version: number; stamp: string | null; model: Promise<YearModel> }>
>();

function cacheOf(cacheKey: object) {
  let perDb = caches.get(cacheKey);
  if (!perDb) {
    perDb = new Map();
    caches.set(cacheKey, perDb);
  }
  return perDb;
}

/** The cached model of `year` when no pricing change was notified since it was checked, else null. */
export function cachedYearModel(cacheKey: object, year: number, changes: ChangeFeed | null) {
  if (!changes?.live) return null;
  const cached = cacheOf(cacheKey).get(year);
  return cached && cached.stamp === changes.stamp(['pricing']) ? cached.model : null;
}

export async function yearModel(
  cacheKey: object,
  db: Executor,
  year: number,
  changes: ChangeFeed | null = null,
): Promise<YearModel> {
  const perDb = cacheOf(cacheKey);
  // Taken before reading the version: a change committed after this moment moves the stamp.
  const stamp = changes?.live ? changes.stamp(['pricing']) : null;
  const version = await pricingVersion(db);
  const cached = perDb.get(year);
  if (cached && cached.version === version) {
    cached.stamp = stamp;
    return cached.model;
  }
  // A write committed while the inputs are read leaves a model newer than `version`: the next
  // reader sees a higher version and recomputes, so staleness never outlives a write.
  const model = computeYearModel(db, year);
  perDb.set(year, { version, stamp, model });
  model.catch(() => perDb.delete(year));
  return model;
}

/**
 * A member's share depends on every other subscriber's parameters, which Row Level Security hides
 * from the member (and from anonymous visitors). Once a route has authorised the request, the year's
 * model is read as this operator reader; what leaves the services is only what the caller may see.
 * The model belongs to no request: it is read in a transaction of its own, as a job would be.
 */
export const PRICING_READER: TenantContext = { userId: null, memberId: null, operatorRole: 'agent' };

/** The year models of one database, as the pricing routes read them. */
export interface YearModels {
  /** The model of `year`, read in the caller's transaction (an operator's: it must see every member). */
  within(db: Executor, year: number): Promise<YearModel>;
  /** Runs `work` on the model of `year`, in a transaction of the pricing reader. */
  asReader<T>(year: number, work: (model: YearModel, db: Executor) => T | Promise<T>): Promise<T>;
  /**
   * The model of `year`: from memory, without any transaction, while no pricing change was notified
   * since it was checked (`MODEL_CACHE_NOTIFIED`); otherwise read as the pricing reader.
   */
  current(year: number): Promise<YearModel>;
}

/** `changes`: the app's ChangeFeed when `MODEL_CACHE_NOTIFIED` is on, else null. */
export function yearModels(database: Database, changes: ChangeFeed | null): YearModels {
  const read = <T>(work: (db: Executor) => Promise<T>) => withTenant(database.db, PRICING_READER, work);
  return {
    within: (db, year) => yearModel(database, db, year, changes),
    asReader: (year, work) => read(async (db) => work(await yearModel(database, db, year, changes), db)),
    current: (year) =>
      cachedYearModel(database, year, changes) ?? read((db) => yearModel(database, db, year, changes)),
  };
}

/** The member at `memberId` in the model (an id taken from one of its allocations). */
export function memberOf(model: YearModel, memberId: string): MemberRow {
  const index = model.memberIndex.get(memberId);
  if (index === undefined) throw new Error(`pricing model ${model.year}: unknown member ${memberId}`);
  return model.members[index];
}
