import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../../contracts/defined.js';
import { allocate, allocateColumns, fixedBasisPoints, stratumOf } from './allocate.js';
import {
  anyRule,
  fixedStrata,
  fullYear,
  membershipFee,
  pool,
  populationBounds,
  proportionalRule,
  shuffled,
  subscribers,
  weightedStrata,
} from './arbitraries.js';
import { exactShare } from './explain.js';
import { roundHalfUp, shareByWeights } from './rounding.js';
import { type Allocation, AllocationError, type Rule, type Subscriber } from './types.js';

const RUNS = { numRuns: 300 };

const months = (s: Subscriber) => s.months ?? 12;

/** The error the specification requires for this input, or null when it must succeed. */
function expectedError(poolCents: number, rule: Rule, list: Subscriber[]): string | null {
  const weightedPop = list.reduce((sum, s) => sum + s.population * months(s), 0);
  switch (rule.kind) {
    case 'equal':
      return null;
    case 'units':
      return poolCents > 0 && list.every((s) => (s.units ?? 0) === 0) ? 'zero_weight' : null;
    case 'fixedVariable':
      return poolCents > 0 && weightedPop === 0 && fixedBasisPoints(rule.fixedPercent) < 10_000
        ? 'zero_weight'
        : null;
    case 'strata':
      if (rule.strata[0].fixedCents !== undefined) return null;
      return poolCents > 0 &&
        list.every((s) => rule.strata[stratumOf(rule.strata, s.population)].weight === 0)
        ? 'zero_weight'
        : null;
    case 'membershipFee':
      return null;
    case 'population': {
      const lo = list.map((s) => roundHalfUp((rule.floorCents ?? 0) * months(s), 12));
      const sumLo = lo.reduce((a, b) => a + b, 0);
      if (sumLo > poolCents) return 'floor_exceeds_pool';
      const ceiling = rule.ceilingCents;
      if (ceiling !== undefined) {
        const reach = list.reduce(
          (sum, s, i) => sum + (s.population > 0 ? roundHalfUp(ceiling * months(s), 12) : lo[i]),
          0,
        );
        if (reach < poolCents) return 'ceiling_below_pool';
      }
      return weightedPop === 0 && poolCents !== sumLo ? 'zero_weight' : null;
    }
  }
}

/** Allocates, checking that it fails exactly when the specification says it must. */
function run(poolCents: number, rule: Rule, list: Subscriber[]): Allocation | null {
  const expected = expectedError(poolCents, rule, list);
  if (expected) {
    expect(() => allocate(poolCents, rule, list)).toThrow(AllocationError);
    try {
      allocate(poolCents, rule, list);
    } catch (error) {
      expect((error as AllocationError).code).toBe(expected);
    }
    return null;
  }
  return allocate(poolCents, rule, list);
}

const byId = (a: Allocation) => new Map(a.shares.map((s) => [s.memberId, s.shareCents]));
const sum = (a: Allocation) => a.shares.reduce((total, s) => total + s.shareCents, 0);
const lessOrEqual = (a: { num: bigint; den: bigint }, b: { num: bigint; den: bigint }) =>
  a.num * b.den <= b.num * a.den;

describe('allocate — invariants for every rule', () => {
  it('gives integer, non-negative shares that sum exactly to the pool (or to the derived pool of a tariff)', () => {
    fc.assert(
      fc.property(pool, anyRule, subscribers(), (poolCents, rule, list) => {
        const allocation = run(poolCents, rule, list);
        if (!allocation) return;
        for (const s of allocation.shares) {
          expect(Number.isSafeInteger(s.shareCents)).toBe(true);
          expect(s.shareCents).toBeGreaterThanOrEqual(0);
        }
        expect(sum(allocation)).toBe(allocation.poolCents);
        if (!allocation.derivedPool) expect(allocation.poolCents).toBe(poolCents);
        expect(allocation.shares).toHaveLength(list.length);
      }),
      RUNS,
    );
  });

  it('keeps every share within one cent of its exact value (floor or ceiling of the exact quotient)', () => {
    fc.assert(
      fc.property(pool, anyRule, subscribers(), (poolCents, rule, list) => {
        const allocation = run(poolCents, rule, list);
        if (!allocation) return;
        for (const s of allocation.shares) {
          const exact = exactShare(allocation, s);
          const floor = exact.num / exact.den;
          const ceil = floor + (exact.num % exact.den === 0n ? 0n : 1n);
          expect(BigInt(s.shareCents) >= floor && BigInt(s.shareCents) <= ceil).toBe(true);
          if (!allocation.derivedPool) expect(s.baseCents).toBe(Number(floor));
        }
      }),
      RUNS,
    );
  });

  it('gives each member the same share whatever the order of the subscribers', () => {
    fc.assert(
      fc.property(
        pool,
        anyRule,
        subscribers().chain((list) => fc.tuple(fc.constant(list), shuffled(list))),
        (poolCents, rule, [list, permuted]) => {
          const a = run(poolCents, rule, list);
          if (!a) return;
          const b = allocate(poolCents, rule, permuted);
          const sorted = (x: Allocation) => [...x.shares].sort((p, q) => (p.memberId < q.memberId ? -1 : 1));
          expect(sorted(b)).toEqual(sorted(a));
        },
      ),
      RUNS,
    );
  });

  it('gives the same numbers as columns as it does as share objects', () => {
    fc.assert(
      fc.property(pool, anyRule, subscribers(), (poolCents, rule, list) => {
        const allocation = run(poolCents, rule, list);
        if (!allocation) return;
        const columns = allocateColumns(poolCents, rule, list);
        expect(columns.shares.memberIds).toEqual(allocation.shares.map((s) => s.memberId));
        expect(Array.from(columns.shares.shareCents)).toEqual(allocation.shares.map((s) => s.shareCents));
        expect(columns.poolCents).toBe(allocation.poolCents);
      }),
      { numRuns: 100 },
    );
  });

  it('takes subscribers as columns (plain or typed arrays) with the same result as objects', () => {
    fc.assert(
      fc.property(pool, anyRule, subscribers(), fc.boolean(), (poolCents, rule, list, typed) => {
        const fromObjects = (() => {
          try {
            return allocateColumns(poolCents, rule, list);
          } catch (error) {
            return error as Error;
          }
        })();
        const input = {
          memberIds: list.map((s) => s.memberId),
          population: list.map((s) => s.population),
          units: list.map((s) => s.units ?? -1),
          months: list.map((s) => s.months ?? 12),
        };
        const columns = typed
          ? {
              memberIds: input.memberIds,
              population: Float64Array.from(input.population),
              units: Float64Array.from(input.units),
              months: Float64Array.from(input.months),
            }
          : input;
        if (fromObjects instanceof Error) {
          expect(() => allocateColumns(poolCents, rule, columns)).toThrow(fromObjects.message);
          return;
        }
        const fromColumns = allocateColumns(poolCents, rule, columns);
        expect(fromColumns.shares.memberIds).toEqual(fromObjects.shares.memberIds);
        expect(fromColumns.shares.shareCents).toEqual(fromObjects.shares.shareCents);
        expect(fromColumns.shares.units).toEqual(fromObjects.shares.units);
        expect(fromColumns.totals).toEqual(fromObjects.totals);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses columns of different lengths', () => {
    expect(() =>
      allocateColumns(
        1_000,
        { kind: 'equal' },
        { memberIds: ['a', 'b'], population: [1], units: [-1], months: [12] },
      ),
    ).toThrow('Les colonnes des abonnés sont de longueurs différentes.');
  });

  it('returns the shares in input order', () => {
    fc.assert(
      fc.property(pool, proportionalRule, subscribers(), (poolCents, rule, list) => {
        const allocation = run(poolCents, rule, list);
        if (!allocation) return;
        expect(allocation.shares.map((s) => s.memberId)).toEqual(list.map((s) => s.memberId));
      }),
      RUNS,
    );
  });
});

describe('allocate — largest-remainder rounding', () => {
  it('gives the leftover cents to the largest remainders, then to the lowest memberIds', () => {
    const allocation = allocate(100, { kind: 'equal' }, [
      { memberId: 'c', population: 1 },
      { memberId: 'a', population: 1 },
      { memberId: 'b', population: 1 },
    ]);
    expect(allocation.shares.map((s) => [s.memberId, s.shareCents, s.roundingCents])).toEqual([
      ['c', 33, 0],
      ['a', 34, 1],
      ['b', 33, 0],
    ]);
    // 1000 × (1, 2, 4) / 7 = 142.857, 285.714, 571.429: two cents left, to the remainders .857 and .714
    const byPopulation = allocate(1000, { kind: 'population' }, [
      { memberId: 'a', population: 1 },
      { memberId: 'b', population: 2 },
      { memberId: 'c', population: 4 },
    ]);
    expect(byPopulation.shares.map((s) => s.shareCents)).toEqual([143, 286, 571]);
  });

  it('gives the leftover cents to the lowest memberIds among many equal remainders, in any input order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uuid(), { minLength: 64, maxLength: 300 }).chain((ids) => shuffled(ids)),
        fc.integer({ min: 0, max: 1_000_000 }),
        (ids, poolCents) => {
          const allocation = allocate(
            poolCents,
            { kind: 'equal' },
            ids.map((memberId) => ({ memberId, population: 1 })),
          );
          const extra = poolCents % ids.length;
          const lowest = new Set([...ids].sort().slice(0, extra));
          for (const s of allocation.shares) {
            expect(s.roundingCents).toBe(lowest.has(s.memberId) ? 1 : 0);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('gives one extra cent to exactly as many members as there are leftover cents', () => {
    fc.assert(
      fc.property(pool, proportionalRule, subscribers(), (poolCents, rule, list) => {
        const allocation = run(poolCents, rule, list);
        if (!allocation) return;
        const base = allocation.shares.reduce((t, s) => t + s.baseCents, 0);
        const ups = allocation.shares.filter((s) => s.roundingCents === 1);
        expect(ups).toHaveLength(poolCents - base);
        // nobody left without the cent has a strictly larger remainder than someone who got it
        const remainder = (s: (typeof allocation.shares)[number]) => {
          const e = exactShare(allocation, s);
          return { num: e.num - BigInt(s.baseCents) * e.den, den: e.den };
        };
        const minUp = ups.map(remainder).reduce((m, r) => (m && lessOrEqual(m, r) ? m : r), null as never);
        if (!minUp) return;
        for (const s of allocation.shares.filter((x) => x.roundingCents === 0)) {
          expect(lessOrEqual(remainder(s), minUp)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('computes the same shares with plain integers and with BigInt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 50 }),
        (total, weights) => {
          const totalWeight = weights.reduce((a, b) => a + b, 0);
          fc.pre(totalWeight > 0);
          const plain = shareByWeights(total, weights, totalWeight);
          const big = shareByWeights(total, weights, totalWeight, null, true);
          expect(Array.from(big.base)).toEqual(Array.from(plain.base));
          expect(Array.from(big.up)).toEqual(Array.from(plain.up));
        },
      ),
      RUNS,
    );
  });
});

describe('allocate — floors and ceilings', () => {
  /** Pools that the bounds can always reach. */
  const feasible = fc
    .tuple(populationBounds, subscribers({ maxLength: 25 }), fc.integer({ min: 0, max: 1000 }))
    .map(([rule, list, t]) => {
      const r = rule as Extract<Rule, { kind: 'population' }>;
      const lo = list.reduce((s, x) => s + roundHalfUp((r.floorCents ?? 0) * months(x), 12), 0);
      const ceiling = r.ceilingCents;
      const hi =
        ceiling === undefined
          ? lo + 100_000_000
          : list.reduce(
              (s, x) => s + roundHalfUp((x.population > 0 ? ceiling : (r.floorCents ?? 0)) * months(x), 12),
              0,
            );
      return { rule: r, list, poolCents: lo + Math.floor(((hi - lo) * t) / 1000) };
    });

  it('keeps every share within the floor and ceiling, prorated by months', () => {
    fc.assert(
      fc.property(feasible, ({ rule, list, poolCents }) => {
        const allocation = run(poolCents, rule, list);
        if (!allocation) return;
        expect(sum(allocation)).toBe(poolCents);
        for (const s of allocation.shares) {
          expect(s.shareCents).toBeGreaterThanOrEqual(roundHalfUp((rule.floorCents ?? 0) * s.months, 12));
          if (rule.ceilingCents !== undefined) {
            expect(s.shareCents).toBeLessThanOrEqual(roundHalfUp(rule.ceilingCents * s.months, 12));
          }
        }
      }),
      RUNS,
    );
  });

  it('reaches the fixed point of clamp-and-re-share: one rate per inhabitant-month for every unclamped member', () => {
    fc.assert(
      fc.property(feasible, ({ rule, list, poolCents }) => {
        const allocation = run(poolCents, rule, list);
        if (!allocation?.bounds || allocation.bounds.freeWeight === 0) return;
        const { freePoolCents, freeWeight } = allocation.bounds;
        // rate λ = freePool / freeWeight; compare λ × w with a bound b as freePool × w vs b × freeWeight
        const rate = (w: number) => BigInt(freePoolCents) * BigInt(w);
        const scaled = (cents: number) => BigInt(cents) * BigInt(freeWeight);
        for (const s of allocation.shares) {
          const lo = roundHalfUp((rule.floorCents ?? 0) * s.months, 12);
          const hi = rule.ceilingCents === undefined ? null : roundHalfUp(rule.ceilingCents * s.months, 12);
          if (s.bound === 'floor') {
            expect(s.shareCents).toBe(lo);
            expect(rate(s.weight) <= scaled(lo)).toBe(true);
          } else if (s.bound === 'ceiling') {
            expect(s.shareCents).toBe(hi);
            expect(rate(s.weight) >= scaled(defined(hi))).toBe(true);
          } else {
            expect(rate(s.weight) >= scaled(lo)).toBe(true);
            if (hi !== null) expect(rate(s.weight) <= scaled(hi)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('clamps the small members to the floor and shares the rest among the others', () => {
    const allocation = allocate(100_000, { kind: 'population', floorCents: 10_000, ceilingCents: 50_000 }, [
      { memberId: 'big', population: 90_000 },
      { memberId: 'mid', population: 9_000 },
      { memberId: 'tiny1', population: 500 },
      { memberId: 'tiny2', population: 500 },
    ]);
    expect(allocation.shares.map((s) => [s.memberId, s.shareCents, s.bound])).toEqual([
      ['big', 50_000, 'ceiling'],
      ['mid', 30_000, null],
      ['tiny1', 10_000, 'floor'],
      ['tiny2', 10_000, 'floor'],
    ]);
    expect(allocation.bounds).toEqual({
      atFloor: 2,
      atCeiling: 1,
      freePoolCents: 30_000,
      freeWeight: 108_000,
    });
  });

  it('refuses, in French, floors that add up to more than the pool', () => {
    const list = [
      { memberId: 'a', population: 10 },
      { memberId: 'b', population: 20 },
    ];
    expect(() => allocate(15_000, { kind: 'population', floorCents: 10_000 }, list)).toThrow(
      /Les planchers cumulés \(200,00\s€\) dépassent le montant à répartir \(150,00\s€\)/,
    );
    try {
      allocate(15_000, { kind: 'population', floorCents: 10_000 }, list);
    } catch (error) {
      expect(error).toBeInstanceOf(AllocationError);
      expect((error as AllocationError).code).toBe('floor_exceeds_pool');
      expect((error as AllocationError).path).toBe('rule.floorCents');
    }
  });

  it('refuses, in French, ceilings that cannot cover the pool', () => {
    expect(() =>
      allocate(30_000, { kind: 'population', ceilingCents: 10_000 }, [
        { memberId: 'a', population: 10 },
        { memberId: 'b', population: 20 },
      ]),
    ).toThrow(/Les plafonds cumulés \(200,00\s€\) ne couvrent pas le montant/);
  });

  it('refuses a ceiling below the floor', () => {
    expect(() =>
      allocate(1000, { kind: 'population', floorCents: 500, ceilingCents: 400 }, [
        { memberId: 'a', population: 1 },
      ]),
    ).toThrow('Le plafond doit être supérieur ou égal au plancher.');
  });
});

describe('allocate — prorata by month', () => {
  it('treats twelve months exactly like an unspecified duration', () => {
    fc.assert(
      fc.property(pool, anyRule, subscribers(), (poolCents, rule, list) => {
        const twelve = fullYear(list);
        const unspecified = list.map(({ months: _, ...rest }) => rest);
        const a = run(poolCents, rule, twelve);
        if (!a) return;
        expect(allocate(poolCents, rule, unspecified).shares).toEqual(a.shares);
      }),
      RUNS,
    );
  });

  it('weighs a subscriber active m months exactly as m/12 of a full-year subscriber', () => {
    fc.assert(
      fc.property(pool, subscribers(), (poolCents, list) => {
        // equal with months ≡ per-unit with units = months; population with months ≡ population × months
        const equal = run(poolCents, { kind: 'equal' }, list);
        const asUnits = allocate(
          poolCents,
          { kind: 'units' },
          list.map((s) => ({ ...s, units: months(s), months: 12 })),
        );
        expect(asUnits.shares.map((s) => s.shareCents)).toEqual(
          defined(equal).shares.map((s) => s.shareCents),
        );
        const population = run(poolCents, { kind: 'population' }, list);
        if (!population) return;
        const scaled = allocate(
          poolCents,
          { kind: 'population' },
          list.map((s) => ({ ...s, population: s.population * months(s), months: 12 })),
        );
        expect(scaled.shares.map((s) => s.shareCents)).toEqual(population.shares.map((s) => s.shareCents));
      }),
      RUNS,
    );
  });

  /** The pool split into twelve monthly pools by largest remainder. */
  const monthlyPools = (poolCents: number) =>
    allocate(
      poolCents,
      { kind: 'equal' },
      Array.from({ length: 12 }, (_, k) => ({ memberId: `m${String(k).padStart(2, '0')}`, population: 0 })),
    ).shares.map((s) => s.shareCents);

  it('makes twelve monthly allocations add up exactly to the annual exact share, before rounding', () => {
    fc.assert(
      fc.property(pool, proportionalRule, subscribers(), (poolCents, rule, list) => {
        const annual = run(poolCents, rule, list);
        if (!annual) return;
        const totals = new Map<string, { num: bigint; den: bigint }>();
        for (const monthPool of monthlyPools(poolCents)) {
          const month = allocate(monthPool, rule, list);
          for (const s of month.shares) {
            const e = exactShare(month, s);
            const t = totals.get(s.memberId) ?? { num: 0n, den: 1n };
            totals.set(s.memberId, { num: t.num * e.den + e.num * t.den, den: t.den * e.den });
          }
        }
        for (const s of annual.shares) {
          const e = exactShare(annual, s);
          const t = defined(totals.get(s.memberId));
          expect(t.num * e.den).toBe(e.num * t.den);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('keeps the sum of twelve rounded monthly shares within one cent per month of the annual share', () => {
    fc.assert(
      fc.property(pool, proportionalRule, subscribers(), (poolCents, rule, list) => {
        const annual = run(poolCents, rule, list);
        if (!annual) return;
        const total = new Map<string, number>();
        let monthsSum = 0;
        for (const monthPool of monthlyPools(poolCents)) {
          const month = allocate(monthPool, rule, list);
          monthsSum += sum(month);
          for (const s of month.shares) total.set(s.memberId, (total.get(s.memberId) ?? 0) + s.shareCents);
        }
        expect(monthsSum).toBe(poolCents);
        for (const s of annual.shares) {
          expect(Math.abs(defined(total.get(s.memberId)) - s.shareCents)).toBeLessThanOrEqual(12);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('charges m/12 of a fixed stratum price rounded half up, so twelve months cost the annual price', () => {
    fc.assert(
      fc.property(fixedStrata, subscribers(), (rule, list) => {
        const annual = byId(allocate(0, rule, fullYear(list)));
        for (const s of allocate(0, rule, list).shares) {
          expect(s.shareCents).toBe(roundHalfUp(defined(annual.get(s.memberId)) * s.months, 12));
        }
      }),
      RUNS,
    );
  });

  it('charges the membership fee max(minimum, population × rate) × m/12, rounded half up once', () => {
    fc.assert(
      fc.property(membershipFee, subscribers(), (rule, list) => {
        const { centsPerInhabitant, minimumCents } = rule as Extract<Rule, { kind: 'membershipFee' }>;
        const rate = BigInt(Math.round(centsPerInhabitant * 10_000));
        for (const s of allocate(0, rule, list).shares) {
          const annual = BigInt(s.population) * rate;
          const minimum = BigInt(minimumCents) * 10_000n;
          const num = (annual > minimum ? annual : minimum) * BigInt(s.months);
          const den = 12n * 10_000n;
          expect(BigInt(s.shareCents)).toBe((2n * num + den) / (2n * den));
        }
      }),
      RUNS,
    );
  });
});

describe('allocate — adding a subscriber', () => {
  const withNewcomer = subscribers({ minLength: 2 });

  it('never raises an existing exact share under the equal and population rules', () => {
    fc.assert(
      fc.property(
        pool,
        fc.constantFrom<Rule>({ kind: 'equal' }, { kind: 'population' }),
        withNewcomer,
        (poolCents, rule, list) => {
          const before = run(poolCents, rule, list.slice(1));
          const after = run(poolCents, rule, list);
          if (!before || !after) return;
          const afterShares = new Map(after.shares.map((s) => [s.memberId, s]));
          for (const s of before.shares) {
            expect(
              lessOrEqual(exactShare(after, defined(afterShares.get(s.memberId))), exactShare(before, s)),
            ).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it('never raises an existing share under the equal rule when everyone subscribes the whole year', () => {
    fc.assert(
      fc.property(pool, withNewcomer, (poolCents, list) => {
        const year = fullYear(list);
        const before = byId(allocate(poolCents, { kind: 'equal' }, year.slice(1)));
        for (const s of allocate(poolCents, { kind: 'equal' }, year).shares) {
          if (before.has(s.memberId))
            expect(s.shareCents).toBeLessThanOrEqual(defined(before.get(s.memberId)));
        }
      }),
      RUNS,
    );
  });

  it('raises an existing rounded share by one cent at most (largest-remainder new-member paradox)', () => {
    fc.assert(
      fc.property(
        pool,
        fc.constantFrom<Rule>({ kind: 'equal' }, { kind: 'population' }),
        withNewcomer,
        (poolCents, rule, list) => {
          const before = run(poolCents, rule, list.slice(1));
          const after = run(poolCents, rule, list);
          if (!before || !after) return;
          const old = byId(before);
          for (const s of after.shares) {
            if (old.has(s.memberId))
              expect(s.shareCents).toBeLessThanOrEqual(defined(old.get(s.memberId)) + 1);
          }
        },
      ),
      RUNS,
    );
  });

  it('can, rarely, give an existing member one more cent: the documented limit of largest remainder', () => {
    // exact before: a 1.5, b 10.55, c 0.95 (pool 13) → cents to c and b; a pays 1.
    // with d: a 1.485, b 10.4445, c 0.9405, d 0.13 → cents to c and a; a pays 2.
    const members = [
      { memberId: 'a', population: 1500 },
      { memberId: 'b', population: 10_550 },
      { memberId: 'c', population: 950 },
    ];
    const before = byId(allocate(13, { kind: 'population' }, members));
    const after = byId(
      allocate(13, { kind: 'population' }, [...members, { memberId: 'd', population: 131 }]),
    );
    expect(before.get('a')).toBe(1);
    expect(after.get('a')).toBe(2);
  });
});

describe('allocate — rules', () => {
  it('shares 30 % equally and 70 % by population with a single rounding', () => {
    const allocation = allocate(100_000, { kind: 'fixedVariable', fixedPercent: 30 }, [
      { memberId: 'a', population: 1000 },
      { memberId: 'b', population: 3000 },
    ]);
    // a: 15 000 + 70 000 × 1/4 = 32 500; b: 15 000 + 52 500 = 67 500
    expect(allocation.shares.map((s) => s.shareCents)).toEqual([32_500, 67_500]);
  });

  it('shares by stratum weight, decimals included', () => {
    const allocation = allocate(
      45_000,
      {
        kind: 'strata',
        strata: [
          { upTo: 500, weight: 1 },
          { upTo: 2000, weight: 1.5 },
          { upTo: null, weight: 2.5 },
        ],
      },
      [
        { memberId: 'a', population: 500 },
        { memberId: 'b', population: 501 },
        { memberId: 'c', population: 10_000 },
      ],
    );
    expect(allocation.shares.map((s) => [s.stratum, s.shareCents])).toEqual([
      [0, 9_000],
      [1, 13_500],
      [2, 22_500],
    ]);
  });

  it('charges fixed stratum prices and derives the pool from them, ignoring the pool argument', () => {
    const allocation = allocate(
      123,
      {
        kind: 'strata',
        strata: [
          { upTo: 1000, fixedCents: 20_000 },
          { upTo: null, fixedCents: 50_000 },
        ],
      },
      [
        { memberId: 'a', population: 999 },
        { memberId: 'b', population: 5000, months: 3 },
      ],
    );
    expect(allocation.derivedPool).toBe(true);
    expect(allocation.poolCents).toBe(32_500);
    expect(allocation.shares.map((s) => s.shareCents)).toEqual([20_000, 12_500]);
  });

  it('shares per declared unit', () => {
    const allocation = allocate(10_000, { kind: 'units', unitLabel: 'agents' }, [
      { memberId: 'a', population: 1, units: 1 },
      { memberId: 'b', population: 1, units: 3 },
    ]);
    expect(allocation.shares.map((s) => s.shareCents)).toEqual([2_500, 7_500]);
  });

  it('computes the membership fee per inhabitant with a minimum', () => {
    const allocation = allocate(
      0,
      { kind: 'membershipFee', centsPerInhabitant: 12.5, minimumCents: 15_000 },
      [
        { memberId: 'small', population: 120 },
        { memberId: 'town', population: 5555 },
        { memberId: 'late', population: 50_000, months: 6 },
      ],
    );
    expect(allocation.shares.map((s) => [s.memberId, s.shareCents])).toEqual([
      ['small', 15_000],
      ['town', 69_438],
      ['late', 312_500],
    ]);
    expect(allocation.poolCents).toBe(396_938);
  });

  it('leaves the shares of a zero pool at zero', () => {
    fc.assert(
      fc.property(proportionalRule, subscribers(), (rule, list) => {
        const allocation = run(0, rule, list);
        expect(defined(allocation).shares.every((s) => s.shareCents === 0)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('places a population in the first stratum whose threshold is at least it', () => {
    fc.assert(
      fc.property(weightedStrata, fc.integer({ min: 0, max: 300_000 }), (rule, population) => {
        const strata = (rule as Extract<Rule, { kind: 'strata' }>).strata;
        const index = stratumOf(strata, population);
        const upTo = strata[index].upTo;
        expect(upTo === null || population <= upTo).toBe(true);
        if (index > 0) expect(population).toBeGreaterThan(defined(strata[index - 1].upTo));
      }),
    );
  });
});

describe('allocate — invalid input', () => {
  const one = [{ memberId: 'a', population: 10 }];
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(AllocationError);
      return [(error as AllocationError).code, (error as AllocationError).path, (error as Error).message];
    }
    throw new Error('expected an AllocationError');
  };

  it('rejects a pool that is not a non-negative integer number of cents', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 60]) {
      expect(code(() => allocate(bad, { kind: 'equal' }, one))[0]).toBe('invalid_pool');
    }
  });

  it('rejects a member listed twice', () => {
    expect(code(() => allocate(10, { kind: 'equal' }, [...one, ...one]))).toEqual([
      'duplicate_member',
      'subscribers',
      'Le membre a figure deux fois parmi les abonnés.',
    ]);
  });

  it('rejects months outside 1..12, negative populations and missing units', () => {
    expect(
      code(() => allocate(10, { kind: 'equal' }, [{ memberId: 'a', population: 1, months: 0 }])).slice(0, 2),
    ).toEqual(['invalid_subscriber', 'subscribers[0].months']);
    expect(
      code(() => allocate(10, { kind: 'equal' }, [{ memberId: 'a', population: -1 }])).slice(0, 2),
    ).toEqual(['invalid_subscriber', 'subscribers[0].population']);
    expect(code(() => allocate(10, { kind: 'units' }, one))).toEqual([
      'invalid_subscriber',
      'subscribers[0].units',
      "Le membre a n'a pas déclaré son nombre d'unités.",
    ]);
  });

  it('rejects a pool with no subscriber to carry it', () => {
    expect(code(() => allocate(10, { kind: 'equal' }, []))[0]).toBe('no_subscribers');
    expect(allocate(0, { kind: 'equal' }, []).shares).toEqual([]);
  });

  it('rejects strata that are unordered, unbounded too early, mixed, or with too many decimals', () => {
    const strata = (s: unknown) => code(() => allocate(10, { kind: 'strata', strata: s as never }, one));
    expect(strata([]).slice(0, 2)).toEqual(['invalid_rule', 'rule.strata']);
    expect(strata([{ upTo: 100, weight: 1 }])[2]).toBe(
      'La dernière tranche doit être sans limite supérieure (« et plus »).',
    );
    expect(
      strata([
        { upTo: 100, weight: 1 },
        { upTo: 50, weight: 1 },
        { upTo: null, weight: 1 },
      ])[1],
    ).toBe('rule.strata[1].upTo');
    expect(
      strata([
        { upTo: 100, weight: 1 },
        { upTo: null, fixedCents: 100 },
      ])[1],
    ).toBe('rule.strata[1]');
    expect(strata([{ upTo: null, weight: 0.12345 }])[1]).toBe('rule.strata[0].weight');
  });

  it('rejects a fixed part outside 0..100 % and an unknown rule', () => {
    expect(code(() => allocate(10, { kind: 'fixedVariable', fixedPercent: 101 }, one))[1]).toBe(
      'rule.fixedPercent',
    );
    expect(code(() => allocate(10, { kind: 'fixedVariable', fixedPercent: 33.333 }, one))[1]).toBe(
      'rule.fixedPercent',
    );
    expect(code(() => allocate(10, { kind: 'magic' } as never, one))[1]).toBe('rule.kind');
  });

  it('rejects a proportional pool when every weight is zero', () => {
    expect(code(() => allocate(10, { kind: 'population' }, [{ memberId: 'a', population: 0 }]))[0]).toBe(
      'zero_weight',
    );
  });
});
