/**
 * Types of the cost-sharing engine. The engine is pure: no database, no clock, no I/O.
 * Every amount is an integer number of euro cents; intermediate values are exact (integers or BigInt
 * fractions), never floating-point money.
 */

/** A member taking part in one allocation (one service, one year). */
export interface Subscriber {
  memberId: string;
  /** Official population (non-negative integer). */
  population: number;
  /** Units declared by the member (agents, licences, mailboxes…); required by the `units` rule. */
  units?: number;
  /**
   * Months of the year the subscription is active, 1..12 (default 12). A subscriber active m months
   * weighs `weight × m / 12`: the pool is shared among subscriber-months, so the whole pool is always
   * recovered. Tariff rules (fixed-price strata, membership fee) charge `price × m / 12`.
   */
  months?: number;
}

/**
 * The same subscribers as columns, index i of every array being one subscriber: what a caller holding
 * a million subscriptions passes instead of a million objects. When population, units and months are
 * Float64Arrays the allocation keeps these arrays (and memberIds) instead of copying them.
 */
export interface SubscriberColumns {
  memberIds: readonly string[];
  population: ArrayLike<number>;
  /** Units declared, or -1 when the member declared none. */
  units: ArrayLike<number>;
  /** Months of the year the subscription is active, 1..12. */
  months: ArrayLike<number>;
}

/**
 * One population stratum. A population belongs to the first stratum whose `upTo` is ≥ it; the last
 * stratum must have `upTo: null` (no upper bound). A strata rule uses either weights on every stratum
 * or fixed prices on every stratum, never a mix.
 */
export interface Stratum {
  upTo: number | null;
  /** Relative weight (≥ 0, at most 4 decimals): the pool is shared in proportion to it. */
  weight?: number;
  /** Fixed annual price of the stratum in cents: a tariff, the pool is derived (see `StrataRule`). */
  fixedCents?: number;
}

export interface EqualRule {
  kind: 'equal';
}

/**
 * Weighted strata share the pool in proportion to the stratum weight × months.
 * Fixed-price strata are a tariff: each member pays `fixedCents × months / 12` rounded half up to the
 * cent, independently of the others; the `poolCents` argument is ignored and the allocation's
 * `poolCents` is the derived sum of the prices (`derivedPool: true`).
 */
export interface StrataRule {
  kind: 'strata';
  strata: Stratum[];
}

/**
 * Proportional to population × months. Optional floor and ceiling per member (annual amounts,
 * prorated by months and rounded half up to the cent). Members whose proportional share falls outside
 * are clamped and the rest is re-shared among the others, until consistent (see `bounds.ts`).
 */
export interface PopulationRule {
  kind: 'population';
  floorCents?: number;
  ceilingCents?: number;
}

/** `fixedPercent` % of the pool shared equally (by months), the rest by population × months. */
export interface FixedVariableRule {
  kind: 'fixedVariable';
  /** 0..100, at most 2 decimals. */
  fixedPercent: number;
}

/** Per unit declared by the member (units × months). */
export interface UnitsRule {
  kind: 'units';
  /** Plural French label used in explanations ("agents", "licences", "boîtes aux lettres"). */
  unitLabel?: string;
}

/**
 * The membership fee (cotisation d'adhésion): a tariff of `centsPerInhabitant` × population with a
 * minimum per member, prorated by months: `max(minimumCents, population × centsPerInhabitant) × m / 12`
 * rounded half up to the cent. The pool is derived (sum of the fees). A fee defined instead as a pool
 * shared by population with a minimum is the `population` rule with `floorCents`.
 */
export interface MembershipFeeRule {
  kind: 'membershipFee';
  /** Cents per inhabitant, ≥ 0, at most 4 decimals (0.5 € = 50). */
  centsPerInhabitant: number;
  minimumCents: number;
}

export type Rule =
  | EqualRule
  | StrataRule
  | PopulationRule
  | FixedVariableRule
  | UnitsRule
  | MembershipFeeRule;
export type RuleKind = Rule['kind'];

/** One member's share, with the data needed to explain it. */
export interface Share {
  memberId: string;
  shareCents: number;
  population: number;
  units: number | null;
  months: number;
  /**
   * The member's weight in the proportional computation: months (equal), stratum weight × 10^d × months
   * (weighted strata), population × months (population, and the variable part of fixedVariable),
   * units × months (units). 0 for tariff rules.
   */
  weight: number;
  /** Whole cents of the exact share (before the largest-remainder cent). Equal to shareCents for tariffs. */
  baseCents: number;
  /** 1 when the largest-remainder rounding gave this member the extra cent. */
  roundingCents: 0 | 1;
  /** Set when the member pays the floor or the ceiling of the population rule. */
  bound: 'floor' | 'ceiling' | null;
  /** Index of the member's stratum (strata rule), else null. */
  stratum: number | null;
}

export interface Allocation {
  rule: Rule;
  /** The amount shared: the requested pool, or the derived sum of prices for tariff rules. */
  poolCents: number;
  /** True for tariff rules (fixed-price strata, membership fee), whose pool is the sum of the prices. */
  derivedPool: boolean;
  /** Shares in input order; each member's share does not depend on that order. */
  shares: Share[];
  totals: {
    subscribers: number;
    population: number;
    /** Σ months (subscriber-months): the denominator of the equal rule and of the fixed part. */
    months: number;
    /** Σ population × months. */
    weightedPopulation: number;
    /** Σ units × months (units rule), else 0. */
    weightedUnits: number;
    /** Σ weight over all shares. */
    weight: number;
  };
  /** Weighted strata: the power of ten the stratum weights were scaled by to become integers. */
  weightScale?: number;
  /** Population rule with floor/ceiling: what happened to the pool once the bounds were applied. */
  bounds?: {
    atFloor: number;
    atCeiling: number;
    /** Cents left for the members paying neither floor nor ceiling. */
    freePoolCents: number;
    /** Σ weight of those members. */
    freeWeight: number;
  };
}

/**
 * An allocation as columns: index i of every array is the same member, in input order.
 * Same numbers as `Allocation.shares`, without one object per member.
 */
export interface ColumnarAllocation extends Omit<Allocation, 'shares'> {
  shares: {
    memberIds: string[];
    shareCents: Float64Array;
    baseCents: Float64Array;
    /** 1 for the members given a largest-remainder cent. */
    roundingCents: Uint8Array;
    population: Float64Array;
    /** -1 when the member declared no units. */
    units: Float64Array;
    months: Float64Array;
    weight: ArrayLike<number>;
    /** 0 free, 1 floor, 2 ceiling; null when the rule has no bounds. */
    bound: Uint8Array | null;
    /** Stratum index per member (strata rule), else null. */
    stratum: Int32Array | null;
  };
}

export type AllocationErrorCode =
  | 'invalid_pool'
  | 'invalid_rule'
  | 'invalid_subscriber'
  | 'duplicate_member'
  | 'no_subscribers'
  | 'zero_weight'
  | 'floor_exceeds_pool'
  | 'ceiling_below_pool';

/**
 * A typed error with a French message a person can act on; `path` names the offending input
 * (`rule.floorCents`, `subscribers[3].months`). Services map it to a 422 problem.
 */
export class AllocationError extends Error {
  override readonly name = 'AllocationError';
  constructor(
    readonly code: AllocationErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
