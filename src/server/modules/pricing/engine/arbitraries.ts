/** fast-check generators, and a small helper, shared by the engine's property tests. */
import fc from 'fast-check';
import type { Rule, Subscriber } from './types.js';

export const memberId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 4 }),
  fc.uuid(),
  fc.stringMatching(/^[0-9]{9}$/),
);

export const subscriber = (maxPopulation = 2_000_000): fc.Arbitrary<Subscriber> =>
  fc.record({
    memberId,
    population: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: maxPopulation })),
    units: fc.integer({ min: 0, max: 5000 }),
    months: fc.oneof(fc.constant(12), fc.integer({ min: 1, max: 12 })),
  });

export const subscribers = (options: { minLength?: number; maxLength?: number } = {}) =>
  fc.uniqueArray(subscriber(), {
    selector: (s) => s.memberId,
    minLength: options.minLength ?? 1,
    maxLength: options.maxLength ?? 30,
  });

/** Everyone active the whole year. */
export const fullYear = (list: Subscriber[]) => list.map((s) => ({ ...s, months: 12 }));

/** Small pools exercise rounding; large ones the BigInt paths. */
export const pool = fc.oneof(
  fc.integer({ min: 0, max: 1000 }),
  fc.integer({ min: 0, max: 100_000_000 }),
  fc.integer({ min: 0, max: 50_000_000_000 }),
);

const thresholds = fc
  .uniqueArray(fc.integer({ min: 0, max: 200_000 }), { minLength: 0, maxLength: 4 })
  .map((values) => values.sort((a, b) => a - b));

export const weightedStrata: fc.Arbitrary<Rule> = thresholds.chain((upTos) =>
  fc
    .array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 20, noNaN: true })), {
      minLength: upTos.length + 1,
      maxLength: upTos.length + 1,
    })
    .map((weights) => ({
      kind: 'strata' as const,
      strata: weights.map((w, i) => ({
        upTo: i < upTos.length ? upTos[i] : null,
        // at most 4 decimals, and never all zero
        weight: i === 0 ? (Math.round(w * 100) + 100) / 100 : Math.round(w * 10_000) / 10_000,
      })),
    })),
);

export const fixedStrata: fc.Arbitrary<Rule> = thresholds.chain((upTos) =>
  fc
    .array(fc.integer({ min: 0, max: 5_000_000 }), {
      minLength: upTos.length + 1,
      maxLength: upTos.length + 1,
    })
    .map((prices) => ({
      kind: 'strata' as const,
      strata: prices.map((fixedCents, i) => ({ upTo: i < upTos.length ? upTos[i] : null, fixedCents })),
    })),
);

export const fixedVariable: fc.Arbitrary<Rule> = fc
  .integer({ min: 0, max: 10_000 })
  .map((bp) => ({ kind: 'fixedVariable' as const, fixedPercent: bp / 100 }));

const looseBounds = fc
  .record({
    floor: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: undefined }),
    span: fc.option(fc.integer({ min: 0, max: 20_000_000 }), { nil: undefined }),
  })
  .map(({ floor, span }) => ({
    kind: 'population' as const,
    ...(floor === undefined ? {} : { floorCents: floor }),
    ...(span === undefined ? {} : { ceilingCents: (floor ?? 0) + span }),
  }));

/** Both bounds, close enough to bind at once. */
const tightBounds = fc
  .record({ floor: fc.integer({ min: 0, max: 50_000 }), span: fc.integer({ min: 0, max: 500_000 }) })
  .map(({ floor, span }) => ({ kind: 'population' as const, floorCents: floor, ceilingCents: floor + span }));

export const populationBounds: fc.Arbitrary<Rule> = fc.oneof(looseBounds, tightBounds);

export const membershipFee: fc.Arbitrary<Rule> = fc
  .record({
    rate: fc.integer({ min: 0, max: 1_000_000 }),
    minimumCents: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .map(({ rate, minimumCents }) => ({
    kind: 'membershipFee' as const,
    centsPerInhabitant: rate / 10_000,
    minimumCents,
  }));

/** Rules sharing the pool proportionally (no bounds, no tariff). */
export const proportionalRule: fc.Arbitrary<Rule> = fc.oneof(
  fc.constant<Rule>({ kind: 'equal' }),
  fc.constant<Rule>({ kind: 'population' }),
  fc.constant<Rule>({ kind: 'units' }),
  weightedStrata,
  fixedVariable,
);

export const anyRule: fc.Arbitrary<Rule> = fc.oneof(
  { arbitrary: proportionalRule, weight: 4 },
  { arbitrary: populationBounds, weight: 2 },
  { arbitrary: fixedStrata, weight: 1 },
  { arbitrary: membershipFee, weight: 1 },
);

/** A permutation of the list. */
export const shuffled = <T>(list: T[]) =>
  fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length });
