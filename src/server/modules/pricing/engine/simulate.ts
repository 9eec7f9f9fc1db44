/**
 * Simulations (nothing is written) and savings, built on `allocate`.
 */
import { allocate, stratumOf } from './allocate.js';
import { roundHalfUp } from './rounding.js';
import { type Allocation, AllocationError, type Rule, type Subscriber } from './types.js';

/** A member profile for simulated newcomers. */
export type Profile = Omit<Subscriber, 'memberId'>;

export interface MemberDelta {
  memberId: string;
  beforeCents: number;
  afterCents: number;
  /** after − before (negative: the member pays less). */
  deltaCents: number;
}

/** Id prefix of simulated newcomers; ids sort after any UUID or SIREN. */
export const SIMULATED_PREFIX = '~simulation-';

function newcomers(profile: Profile, count: number, existing: readonly Subscriber[]): Subscriber[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new AllocationError(
      'invalid_subscriber',
      'Le nombre de nouveaux membres doit être un entier positif.',
      'count',
    );
  }
  if (existing.some((s) => s.memberId.startsWith(SIMULATED_PREFIX))) {
    throw new AllocationError(
      'invalid_subscriber',
      `Les identifiants commençant par « ${SIMULATED_PREFIX} » sont réservés à la simulation.`,
      'subscribers',
    );
  }
  return Array.from({ length: count }, (_, i) => ({
    ...profile,
    memberId: `${SIMULATED_PREFIX}${String(i + 1).padStart(6, '0')}`,
  }));
}

function deltas(before: Allocation, after: Allocation): MemberDelta[] {
  const afterById = new Map(after.shares.map((s) => [s.memberId, s.shareCents]));
  return before.shares.map((s) => {
    const afterCents = afterById.get(s.memberId) ?? 0;
    return {
      memberId: s.memberId,
      beforeCents: s.shareCents,
      afterCents,
      deltaCents: afterCents - s.shareCents,
    };
  });
}

export interface JoinSimulation {
  before: Allocation;
  after: Allocation;
  /** Existing members, before/after. */
  members: MemberDelta[];
  /** What each simulated newcomer would pay (they may differ by a rounding cent). */
  newcomerShares: number[];
}

/** "If `count` more members of this profile joined": each existing member's price before/after. */
export function simulateJoin(
  poolCents: number,
  rule: Rule,
  subscribers: readonly Subscriber[],
  profile: Profile,
  count: number,
): JoinSimulation {
  const before = allocate(poolCents, rule, subscribers);
  const extra = newcomers(profile, count, subscribers);
  const after = allocate(poolCents, rule, [...subscribers, ...extra]);
  return {
    before,
    after,
    members: deltas(before, after),
    newcomerShares: after.shares
      .filter((s) => s.memberId.startsWith(SIMULATED_PREFIX))
      .map((s) => s.shareCents),
  };
}

export interface GrowthPoint {
  /** Simulated newcomers added to the current subscribers. */
  added: number;
  subscribers: number;
  /** What a member of the profile would pay (the first simulated newcomer; null when none is added). */
  profileShareCents: number | null;
  /** Pool ÷ subscribers, rounded half up. */
  averageShareCents: number;
  minShareCents: number;
  maxShareCents: number;
}

/**
 * Economies of scale: the price per subscriber as members of `profile` join, for each count in
 * `steps` (e.g. [0, 10, 20, 50, 100]).
 */
export function simulateGrowth(
  poolCents: number,
  rule: Rule,
  subscribers: readonly Subscriber[],
  profile: Profile,
  steps: readonly number[],
): GrowthPoint[] {
  const all = newcomers(profile, Math.max(0, ...steps), subscribers);
  return steps.map((added) => {
    const allocation = allocate(poolCents, rule, [...subscribers, ...all.slice(0, added)]);
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (const s of allocation.shares) {
      min = Math.min(min, s.shareCents);
      max = Math.max(max, s.shareCents);
    }
    const n = allocation.shares.length;
    const first = added > 0 ? allocation.shares.find((s) => s.memberId === all[0].memberId) : undefined;
    return {
      added,
      subscribers: n,
      profileShareCents: first ? first.shareCents : null,
      averageShareCents: n ? roundHalfUp(allocation.poolCents, n) : 0,
      minShareCents: n ? min : 0,
      maxShareCents: max,
    };
  });
}

export interface RuleChange {
  before: Allocation;
  after: Allocation;
  members: MemberDelta[];
}

/**
 * "If this service switched to that rule": each member's price before/after. Tariff rules derive their
 * own pool, so `after.poolCents` can differ from `before.poolCents`.
 */
export function simulateRuleChange(
  poolCents: number,
  from: Rule,
  to: Rule,
  subscribers: readonly Subscriber[],
): RuleChange {
  const before = allocate(poolCents, from, subscribers);
  const after = allocate(poolCents, to, subscribers);
  return { before, after, members: deltas(before, after) };
}

/** The "alone" market price of a structure of that size, per population stratum (last upTo null). */
export interface AlonePrice {
  upTo: number | null;
  aloneCents: number;
}

export interface MemberSavings {
  memberId: string;
  shareCents: number;
  /** Alone price of the member's stratum × months / 12, rounded half up. */
  aloneCents: number;
  /** aloneCents − shareCents (negative when pooling costs this member more). */
  savingsCents: number;
}

export interface Savings {
  members: MemberSavings[];
  totalShareCents: number;
  totalAloneCents: number;
  totalSavingsCents: number;
}

/** Savings of each member compared with buying alone. */
export function computeSavings(allocation: Allocation, alone: readonly AlonePrice[]): Savings {
  if (alone.length === 0 || alone[alone.length - 1].upTo !== null) {
    throw new AllocationError(
      'invalid_rule',
      'Les prix « seul » doivent couvrir toutes les populations (dernière tranche sans limite).',
      'alone',
    );
  }
  alone.forEach((a, i) => {
    if (!Number.isSafeInteger(a.aloneCents) || a.aloneCents < 0) {
      throw new AllocationError(
        'invalid_rule',
        'Le prix « seul » doit être un nombre entier de centimes positif ou nul.',
        `alone[${i}].aloneCents`,
      );
    }
  });
  let totalShareCents = 0;
  let totalAloneCents = 0;
  const members = allocation.shares.map((s) => {
    const aloneCents = roundHalfUp(alone[stratumOf(alone, s.population)].aloneCents * s.months, 12);
    totalShareCents += s.shareCents;
    totalAloneCents += aloneCents;
    return {
      memberId: s.memberId,
      shareCents: s.shareCents,
      aloneCents,
      savingsCents: aloneCents - s.shareCents,
    };
  });
  return { members, totalShareCents, totalAloneCents, totalSavingsCents: totalAloneCents - totalShareCents };
}
