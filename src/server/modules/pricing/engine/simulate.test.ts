import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../../contracts/defined.js';
import { allocate } from './allocate.js';
import { fullYear, pool, proportionalRule, subscribers } from './arbitraries.js';
import {
  computeSavings,
  SIMULATED_PREFIX,
  simulateGrowth,
  simulateJoin,
  simulateRuleChange,
} from './simulate.js';
import { AllocationError, type Subscriber } from './types.js';

const members: Subscriber[] = [
  { memberId: 'a', population: 300 },
  { memberId: 'b', population: 2_500 },
  { memberId: 'c', population: 40_000 },
];

describe('simulateJoin', () => {
  it('shows each member paying less when members of a profile join an equally shared service', () => {
    const result = simulateJoin(120_000, { kind: 'equal' }, members, { population: 1000 }, 3);
    expect(result.members).toEqual([
      { memberId: 'a', beforeCents: 40_000, afterCents: 20_000, deltaCents: -20_000 },
      { memberId: 'b', beforeCents: 40_000, afterCents: 20_000, deltaCents: -20_000 },
      { memberId: 'c', beforeCents: 40_000, afterCents: 20_000, deltaCents: -20_000 },
    ]);
    expect(result.newcomerShares).toEqual([20_000, 20_000, 20_000]);
    expect(result.after.poolCents).toBe(120_000);
  });

  it('keeps the pool whole: existing members after plus newcomers equals the pool', () => {
    fc.assert(
      fc.property(
        pool,
        proportionalRule,
        subscribers({ maxLength: 10 }),
        fc.integer({ min: 0, max: 5 }),
        (poolCents, rule, list, count) => {
          let result: ReturnType<typeof simulateJoin>;
          try {
            result = simulateJoin(poolCents, rule, list, { population: 1000, units: 2 }, count);
          } catch (error) {
            expect(error).toBeInstanceOf(AllocationError);
            return;
          }
          const existing = result.members.reduce((t, m) => t + m.afterCents, 0);
          const added = result.newcomerShares.reduce((t, s) => t + s, 0);
          expect(existing + added).toBe(poolCents);
          expect(result.newcomerShares).toHaveLength(count);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses member ids that would collide with simulated newcomers', () => {
    expect(() =>
      simulateJoin(
        100,
        { kind: 'equal' },
        [{ memberId: `${SIMULATED_PREFIX}1`, population: 1 }],
        { population: 1 },
        1,
      ),
    ).toThrow(AllocationError);
  });
});

describe('simulateGrowth', () => {
  it('draws the economies of scale: the profile price never rises as more members share an equal pool', () => {
    fc.assert(
      fc.property(pool, subscribers({ maxLength: 10 }), (poolCents, list) => {
        const steps = [0, 1, 2, 5, 10, 20];
        const points = simulateGrowth(
          poolCents,
          { kind: 'equal' },
          fullYear(list),
          { population: 500 },
          steps,
        );
        expect(points.map((p) => p.added)).toEqual(steps);
        expect(points.map((p) => p.subscribers)).toEqual(steps.map((s) => s + list.length));
        expect(points[0].profileShareCents).toBeNull();
        for (let i = 2; i < points.length; i++) {
          expect(defined(points[i].profileShareCents)).toBeLessThanOrEqual(
            defined(points[i - 1].profileShareCents),
          );
        }
        for (const p of points) {
          expect(p.minShareCents).toBeLessThanOrEqual(p.averageShareCents);
          expect(p.averageShareCents).toBeLessThanOrEqual(p.maxShareCents);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('gives the average price per subscriber for each step', () => {
    const points = simulateGrowth(100_000, { kind: 'population' }, members, { population: 1_000 }, [0, 7]);
    expect(points.map((p) => [p.subscribers, p.averageShareCents])).toEqual([
      [3, 33_333],
      [10, 10_000],
    ]);
    // 100 000 × 1 000 / 49 800 ≈ 2 008.03 cents
    expect(points[1].profileShareCents).toBe(2_008);
  });
});

describe('simulateRuleChange', () => {
  it('shows each member before and after switching from equal shares to population', () => {
    const change = simulateRuleChange(85_600, { kind: 'equal' }, { kind: 'population' }, members);
    expect(change.members).toEqual([
      { memberId: 'a', beforeCents: 28_534, afterCents: 600, deltaCents: -27_934 },
      { memberId: 'b', beforeCents: 28_533, afterCents: 5_000, deltaCents: -23_533 },
      { memberId: 'c', beforeCents: 28_533, afterCents: 80_000, deltaCents: 51_467 },
    ]);
  });

  it('moves money between members without creating any for proportional rules', () => {
    fc.assert(
      fc.property(pool, proportionalRule, proportionalRule, subscribers(), (poolCents, from, to, list) => {
        let change: ReturnType<typeof simulateRuleChange>;
        try {
          change = simulateRuleChange(poolCents, from, to, list);
        } catch (error) {
          expect(error).toBeInstanceOf(AllocationError);
          return;
        }
        expect(change.members.reduce((t, m) => t + m.deltaCents, 0)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});

describe('computeSavings', () => {
  const alone = [
    { upTo: 1_000, aloneCents: 80_000 },
    { upTo: 10_000, aloneCents: 150_000 },
    { upTo: null, aloneCents: 400_000 },
  ];

  it('computes alone price minus mutualised price per member and in total', () => {
    const allocation = allocate(90_000, { kind: 'equal' }, [
      ...members.slice(0, 2),
      { ...members[2], months: 6 },
    ]);
    const savings = computeSavings(allocation, alone);
    expect(savings.members).toEqual([
      { memberId: 'a', shareCents: 36_000, aloneCents: 80_000, savingsCents: 44_000 },
      { memberId: 'b', shareCents: 36_000, aloneCents: 150_000, savingsCents: 114_000 },
      { memberId: 'c', shareCents: 18_000, aloneCents: 200_000, savingsCents: 182_000 },
    ]);
    expect(savings.totalSavingsCents).toBe(340_000);
    expect(savings.totalAloneCents - savings.totalShareCents).toBe(savings.totalSavingsCents);
  });

  it('reports a negative saving when pooling costs a member more than buying alone', () => {
    const allocation = allocate(1_000_000, { kind: 'equal' }, [members[0]]);
    expect(computeSavings(allocation, alone).members[0].savingsCents).toBe(-920_000);
  });

  it('refuses alone prices that do not cover every population', () => {
    expect(() => computeSavings(allocate(0, { kind: 'equal' }, []), [{ upTo: 10, aloneCents: 1 }])).toThrow(
      'Les prix « seul » doivent couvrir toutes les populations (dernière tranche sans limite).',
    );
  });
});
