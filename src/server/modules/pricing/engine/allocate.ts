/**
 * The cost-sharing engine: `allocate(poolCents, rule, subscribers)` shares a service's yearly cost pool
 * among its subscribers, in integer cents, exactly:
 * - shares sum exactly to the pool and are ≥ 0 (and within floor/ceiling when the rule has them);
 * - exact intermediate values (integers, BigInt), largest-remainder rounding, ties by memberId;
 * - input order never matters: each member gets the same share whatever the order of the subscribers
 *   (shares come out in input order; pass them sorted by memberId to skip the tie-break sort);
 * - prorata by month: a subscriber active m months weighs weight × m / 12.
 * Invalid input or infeasible bounds throw an `AllocationError` with a French message.
 */
import { shareWithBounds } from './bounds.js';
import {
  floorDiv,
  gcd,
  pickLargest,
  type Rounded,
  roundHalfUp,
  shareByNumerators,
  shareByWeights,
  type Ties,
} from './rounding.js';
import {
  type Allocation,
  AllocationError,
  type ColumnarAllocation,
  type Rule,
  type Share,
  type Stratum,
  type Subscriber,
  type SubscriberColumns,
} from './types.js';

const MAX_QUANTITY = 1e9;

/** Parses a non-negative decimal with at most `maxDecimals` decimals into digits (exact, no float maths). */
export function decimalDigits(
  value: number,
  maxDecimals: number,
  path: string,
): { int: number; decimals: number } {
  const text = String(value);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!Number.isFinite(value) || value < 0 || !match || (match[2] ?? '').length > maxDecimals) {
    throw new AllocationError(
      'invalid_rule',
      `La valeur ${text} doit être un nombre positif ou nul avec au plus ${maxDecimals} décimales.`,
      path,
    );
  }
  const decimals = (match[2] ?? '').length;
  return { int: Number(match[1] + (match[2] ?? '')), decimals };
}

/** Scales decimals to integers sharing one power of ten. */
function scaleAll(values: number[], maxDecimals: number, paths: string[]): { ints: number[]; scale: number } {
  const parsed = values.map((v, i) => decimalDigits(v, maxDecimals, paths[i]));
  const decimals = Math.max(0, ...parsed.map((p) => p.decimals));
  return { ints: parsed.map((p) => p.int * 10 ** (decimals - p.decimals)), scale: 10 ** decimals };
}

function cents(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new AllocationError(
      'invalid_rule',
      'Le montant doit être un nombre entier de centimes positif ou nul.',
      path,
    );
  }
  return value;
}

/** Validates the strata: ascending `upTo`, the last one unbounded, all weighted or all fixed-price. */
export function checkStrata(strata: readonly Stratum[], path = 'rule.strata'): 'weight' | 'fixed' {
  if (!Array.isArray(strata) || strata.length === 0) {
    throw new AllocationError('invalid_rule', 'Définissez au moins une tranche de population.', path);
  }
  const fixed = strata[0].fixedCents !== undefined;
  strata.forEach((s, i) => {
    const last = i === strata.length - 1;
    if (last ? s.upTo !== null : !Number.isSafeInteger(s.upTo) || (s.upTo as number) < 0) {
      throw new AllocationError(
        'invalid_rule',
        last
          ? 'La dernière tranche doit être sans limite supérieure (« et plus »).'
          : `Le seuil de la tranche ${i + 1} doit être un nombre entier d'habitants.`,
        `${path}[${i}].upTo`,
      );
    }
    if (i > 0 && !last && (s.upTo as number) <= (strata[i - 1].upTo as number)) {
      throw new AllocationError(
        'invalid_rule',
        `Les seuils des tranches doivent être croissants (tranche ${i + 1}).`,
        `${path}[${i}].upTo`,
      );
    }
    if ((s.fixedCents !== undefined) !== fixed || (s.weight !== undefined) === fixed) {
      throw new AllocationError(
        'invalid_rule',
        'Chaque tranche doit avoir soit un poids, soit un prix fixe, de la même façon pour toutes les tranches.',
        `${path}[${i}]`,
      );
    }
    if (fixed) cents(s.fixedCents, `${path}[${i}].fixedCents`);
  });
  return fixed ? 'fixed' : 'weight';
}

/** Index of the stratum a population belongs to (the first whose `upTo` is ≥ it). */
export function stratumOf(strata: readonly { upTo: number | null }[], population: number): number {
  for (let i = 0; i < strata.length; i++) {
    const upTo = strata[i].upTo;
    if (upTo === null || population <= upTo) return i;
  }
  return strata.length - 1;
}

const isQuantity = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_QUANTITY;

const badQuantity = (path: string, label: string) =>
  new AllocationError('invalid_subscriber', `${label} doit être un nombre entier positif ou nul.`, path);

const isColumnar = (input: readonly Subscriber[] | SubscriberColumns): input is SubscriberColumns =>
  typeof input === 'object' &&
  input !== null &&
  !Array.isArray(input) &&
  Array.isArray((input as SubscriberColumns).memberIds);

/** Validated subscribers as columns, in input order. Units are -1 when not declared. */
interface Columns {
  ids: string[];
  /** Whether ids are strictly ascending: ties need no sort and duplicates are adjacent. */
  sorted: boolean;
  population: Float64Array;
  units: Float64Array;
  months: Float64Array;
}

function columns(subscribers: readonly Subscriber[] | SubscriberColumns, needsUnits: boolean): Columns {
  const columnar = isColumnar(subscribers);
  if (!columnar && !Array.isArray(subscribers)) {
    throw new AllocationError('invalid_subscriber', 'La liste des abonnés est invalide.', 'subscribers');
  }
  const n = columnar ? subscribers.memberIds.length : subscribers.length;
  if (
    columnar &&
    (subscribers.population.length !== n || subscribers.units.length !== n || subscribers.months.length !== n)
  ) {
    throw new AllocationError(
      'invalid_subscriber',
      'Les colonnes des abonnés sont de longueurs différentes.',
      'subscribers',
    );
  }
  // Columns already of the engine's types are validated in place and kept (not copied): the
  // allocation then shares them with the caller, who must not change them afterwards.
  const adopt =
    columnar &&
    subscribers.population instanceof Float64Array &&
    subscribers.units instanceof Float64Array &&
    subscribers.months instanceof Float64Array;
  const ids: string[] = adopt ? (subscribers.memberIds as string[]) : new Array(n);
  const population = adopt ? (subscribers.population as Float64Array) : new Float64Array(n);
  const units = adopt ? (subscribers.units as Float64Array) : new Float64Array(n);
  const months = adopt ? (subscribers.months as Float64Array) : new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    let s: Subscriber;
    if (columnar) {
      const u = subscribers.units[i];
      s = {
        memberId: subscribers.memberIds[i],
        population: subscribers.population[i],
        units: u === -1 ? undefined : u,
        months: subscribers.months[i],
      };
    } else {
      s = subscribers[i];
    }
    const id = s?.memberId;
    if (typeof id !== 'string' || id.length === 0) {
      throw new AllocationError(
        'invalid_subscriber',
        "L'identifiant du membre est obligatoire.",
        `subscribers[${i}].memberId`,
      );
    }
    const m = s.months ?? 12;
    if (!Number.isInteger(m) || m < 1 || m > 12) {
      throw new AllocationError(
        'invalid_subscriber',
        `Le nombre de mois d'abonnement de ${id} doit être un entier de 1 à 12.`,
        `subscribers[${i}].months`,
      );
    }
    if (needsUnits && s.units === undefined) {
      throw new AllocationError(
        'invalid_subscriber',
        `Le membre ${id} n'a pas déclaré son nombre d'unités.`,
        `subscribers[${i}].units`,
      );
    }
    ids[i] = id;
    if (!isQuantity(s.population))
      throw badQuantity(`subscribers[${i}].population`, `La population de ${id}`);
    if (s.units !== undefined && !isQuantity(s.units)) {
      throw badQuantity(`subscribers[${i}].units`, `Le nombre d'unités de ${id}`);
    }
    population[i] = s.population;
    units[i] = s.units === undefined ? -1 : s.units;
    months[i] = m;
    if (i > 0 && !(ids[i - 1] < id)) sorted = false;
  }
  if (!sorted) {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.size === seen.add(id).size) {
        throw new AllocationError(
          'duplicate_member',
          `Le membre ${id} figure deux fois parmi les abonnés.`,
          'subscribers',
        );
      }
    }
  }
  return { ids, sorted, population, units, months };
}

const zeroWeight = (message: string) => new AllocationError('zero_weight', message, 'subscribers');

function safeSum(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  if (!Number.isSafeInteger(sum)) {
    throw new AllocationError(
      'invalid_subscriber',
      'Les quantités déclarées sont trop grandes.',
      'subscribers',
    );
  }
  return sum;
}

/**
 * Shares `poolCents` among `subscribers` according to `rule`. For tariff rules (fixed-price strata,
 * membership fee) `poolCents` is ignored and the allocation's pool is the sum of the prices.
 */
export function allocate(poolCents: number, rule: Rule, subscribers: readonly Subscriber[]): Allocation {
  const columns = allocateColumns(poolCents, rule, subscribers);
  const { shares: _, ...rest } = columns;
  return { ...rest, shares: toShares(columns) };
}

/** One Share object per member, from a columnar allocation. */
export function toShares(allocation: ColumnarAllocation): Share[] {
  const {
    memberIds,
    shareCents,
    baseCents,
    roundingCents,
    population,
    units,
    months,
    weight,
    bound,
    stratum,
  } = allocation.shares;
  const n = memberIds.length;
  const shares: Share[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const b = bound ? bound[i] : 0;
    shares[i] = {
      memberId: memberIds[i],
      shareCents: shareCents[i],
      population: population[i],
      units: units[i] < 0 ? null : units[i],
      months: months[i],
      weight: weight[i],
      baseCents: baseCents[i],
      roundingCents: roundingCents[i] as 0 | 1,
      bound: b === 1 ? 'floor' : b === 2 ? 'ceiling' : null,
      stratum: stratum ? stratum[i] : null,
    };
  }
  return shares;
}

/**
 * The same allocation as `allocate`, as columns (typed arrays in input order) instead of one
 * object per member: for bulk consumers such as billing runs over every member and service.
 */
export function allocateColumns(
  poolCents: number,
  rule: Rule,
  subscribers: readonly Subscriber[] | SubscriberColumns,
): ColumnarAllocation {
  if (typeof rule !== 'object' || rule === null) {
    throw new AllocationError('invalid_rule', 'La règle de répartition est obligatoire.', 'rule');
  }
  const kind = rule.kind;
  const tariff = kind === 'membershipFee' || (kind === 'strata' && checkStrata(rule.strata) === 'fixed');
  if (!tariff && (!Number.isSafeInteger(poolCents) || poolCents < 0)) {
    throw new AllocationError(
      'invalid_pool',
      'Le montant à répartir doit être un nombre entier de centimes positif ou nul.',
      'poolCents',
    );
  }
  const list = columns(subscribers, kind === 'units');
  const n = list.ids.length;
  const ties: Ties = { ids: list.ids, sorted: list.sorted };
  if (n === 0 && !tariff && poolCents > 0) {
    throw new AllocationError(
      'no_subscribers',
      "Ce service n'a aucun abonné : le coût ne peut pas être réparti.",
    );
  }
  const months = list.months;
  const weightedPop = new Float64Array(n);
  const weightedUnits = new Float64Array(n);
  let population = 0;
  for (let i = 0; i < n; i++) {
    weightedPop[i] = list.population[i] * months[i];
    weightedUnits[i] = Math.max(0, list.units[i]) * months[i];
    population += list.population[i];
  }
  const totals = {
    subscribers: n,
    population,
    months: safeSum(months),
    weightedPopulation: safeSum(weightedPop),
    weightedUnits: kind === 'units' ? safeSum(weightedUnits) : 0,
    weight: 0,
  };

  let weights: ArrayLike<number> = new Float64Array(n);
  let rounded: Rounded;
  let bound: Uint8Array | null = null;
  let strata: Int32Array | null = null;
  let pool = poolCents;
  let weightScale: number | undefined;
  let bounds: Allocation['bounds'];

  switch (rule.kind) {
    case 'equal':
      weights = months;
      rounded = proportional(pool, months, totals.months, ties, 'Aucun abonné ne peut porter la part égale.');
      break;
    case 'units':
      weights = weightedUnits;
      rounded = proportional(
        pool,
        weightedUnits,
        totals.weightedUnits,
        ties,
        "Aucun abonné n'a déclaré d'unité : impossible de répartir par unité.",
      );
      break;
    case 'population': {
      weights = weightedPop;
      const floor = rule.floorCents === undefined ? 0 : cents(rule.floorCents, 'rule.floorCents');
      const ceiling = rule.ceilingCents === undefined ? null : cents(rule.ceilingCents, 'rule.ceilingCents');
      if (ceiling !== null && ceiling < floor) {
        throw new AllocationError(
          'invalid_rule',
          'Le plafond doit être supérieur ou égal au plancher.',
          'rule.ceilingCents',
        );
      }
      const lo = new Float64Array(n);
      const hi = ceiling === null ? null : new Float64Array(n);
      for (let i = 0; i < n; i++) {
        lo[i] = roundHalfUp(floor * months[i], 12);
        if (hi) hi[i] = roundHalfUp((ceiling as number) * months[i], 12);
      }
      const result = shareWithBounds(pool, weightedPop, totals.weightedPopulation, lo, hi, ties);
      rounded = result;
      bound = result.bound;
      if (rule.floorCents !== undefined || rule.ceilingCents !== undefined) {
        bounds = {
          atFloor: result.atFloor,
          atCeiling: result.atCeiling,
          freePoolCents: result.freePoolCents,
          freeWeight: result.freeWeight,
        };
      }
      break;
    }
    case 'fixedVariable':
      weights = weightedPop;
      rounded = fixedVariable(pool, rule.fixedPercent, months, weightedPop, totals, ties);
      break;
    case 'strata': {
      strata = new Int32Array(n);
      for (let i = 0; i < n; i++) strata[i] = stratumOf(rule.strata, list.population[i]);
      if (tariff) {
        // checkStrata made every stratum fixed-price.
        const prices = rule.strata.map((s) => s.fixedCents ?? 0);
        const base = new Float64Array(n);
        for (let i = 0; i < n; i++) base[i] = roundHalfUp(prices[strata[i]] * months[i], 12);
        rounded = { base, up: new Uint8Array(n) };
        weights = new Float64Array(n);
        break;
      }
      const scaled = scaleAll(
        rule.strata.map((s) => s.weight as number),
        4,
        rule.strata.map((_, i) => `rule.strata[${i}].weight`),
      );
      weightScale = scaled.scale;
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) w[i] = scaled.ints[strata[i]] * months[i];
      weights = w;
      rounded = proportional(
        pool,
        w,
        safeSum(w),
        ties,
        'Les tranches de tous les abonnés ont un poids nul : impossible de répartir.',
      );
      break;
    }
    case 'membershipFee': {
      const minimum = cents(rule.minimumCents, 'rule.minimumCents');
      const rate = decimalDigits(rule.centsPerInhabitant, 4, 'rule.centsPerInhabitant');
      const scale = 10 ** rate.decimals;
      const base = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const annual = Math.max(minimum * scale, list.population[i] * rate.int);
        base[i] = roundHalfUp(annual * months[i], 12 * scale);
      }
      rounded = { base, up: new Uint8Array(n) };
      break;
    }
    default:
      throw new AllocationError('invalid_rule', 'Règle de répartition inconnue.', 'rule.kind');
  }

  const { base, up } = rounded;
  const shareCents = new Float64Array(n);
  let sum = 0;
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    shareCents[i] = base[i] + up[i];
    sum += shareCents[i];
    totalWeight += weights[i];
  }
  totals.weight = totalWeight;
  if (tariff) pool = sum;
  else if (sum !== pool) throw new Error(`allocation sum ${sum} differs from pool ${pool}`);
  return {
    rule,
    poolCents: pool,
    derivedPool: tariff,
    shares: {
      memberIds: list.ids,
      shareCents,
      baseCents: base,
      roundingCents: up,
      population: list.population,
      units: list.units,
      months,
      weight: weights,
      bound,
      stratum: strata,
    },
    totals,
    ...(weightScale === undefined ? {} : { weightScale }),
    ...(bounds ? { bounds } : {}),
  };
}

function proportional(
  pool: number,
  weights: ArrayLike<number>,
  total: number,
  ties: Ties,
  zeroMessage: string,
): Rounded {
  if (total === 0) {
    if (pool === 0) return { base: new Float64Array(weights.length), up: new Uint8Array(weights.length) };
    throw zeroWeight(zeroMessage);
  }
  return shareByWeights(pool, weights, total, ties);
}

/** Parses fixedPercent (0..100, 2 decimals) into basis points. */
export function fixedBasisPoints(fixedPercent: number): number {
  const parsed = decimalDigits(fixedPercent, 2, 'rule.fixedPercent');
  const bp = parsed.int * 10 ** (2 - parsed.decimals);
  if (bp > 10_000) {
    throw new AllocationError(
      'invalid_rule',
      'La part fixe doit être comprise entre 0 et 100 %.',
      'rule.fixedPercent',
    );
  }
  return bp;
}

/**
 * Exact share_i = pool × (F/B × m_i / M + (B−F)/B × pm_i / PM), with F the fixed part in basis points
 * (B = 10 000), M = Σ months and PM = Σ population × months; one rounding over the combined value.
 */
function fixedVariable(
  pool: number,
  fixedPercent: number,
  months: Float64Array,
  weightedPop: Float64Array,
  totals: { months: number; weightedPopulation: number },
  ties: Ties,
): Rounded {
  const f = fixedBasisPoints(fixedPercent);
  const n = months.length;
  if (n === 0) return { base: new Float64Array(0), up: new Uint8Array(0) };
  if (f === 10_000) return shareByWeights(pool, months, totals.months, ties);
  if (totals.weightedPopulation === 0) {
    if (pool === 0) return { base: new Float64Array(n), up: new Uint8Array(n) };
    throw zeroWeight('La population totale des abonnés est nulle : impossible de calculer la part variable.');
  }
  if (f === 0) return shareByWeights(pool, weightedPop, totals.weightedPopulation, ties);
  const g = Number(gcd(BigInt(f), 10_000n));
  const fast = fixedVariableIntegers(pool, f / g, 10_000 / g, months, weightedPop, totals, ties);
  if (fast) return fast;
  const B = 10_000n;
  const F = BigInt(f);
  const M = BigInt(totals.months);
  const PM = BigInt(totals.weightedPopulation);
  const P = BigInt(pool);
  const fixedByMonths: bigint[] = [];
  for (let m = 0; m <= 12; m++) fixedByMonths.push(P * F * PM * BigInt(m));
  const variableFactor = P * (B - F) * M;
  const nums: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) nums[i] = fixedByMonths[months[i]] + variableFactor * BigInt(weightedPop[i]);
  return shareByNumerators(pool, nums, B * M * PM, ties);
}

const SAFE = 2 ** 52;

/**
 * The same computation in plain integers when every intermediate stays below 2^52 (the common case):
 * the fixed part pool·F·m / (B·M) and the variable part pool·(B−F)·pm / (B·PM) are each split into whole
 * cents and a remainder; the two remainders are added over the common denominator B·M·PM.
 */
function fixedVariableIntegers(
  pool: number,
  f: number,
  b: number,
  months: Float64Array,
  weightedPop: Float64Array,
  totals: { months: number; weightedPopulation: number },
  ties: Ties,
): Rounded | null {
  const n = months.length;
  const fixedNum = pool * f;
  const variableNum = pool * (b - f);
  const fixedDen = b * totals.months;
  const variableDen = b * totals.weightedPopulation;
  const den = fixedDen * totals.weightedPopulation;
  let maxPm = 0;
  for (let i = 0; i < n; i++) if (weightedPop[i] > maxPm) maxPm = weightedPop[i];
  if (
    fixedNum >= SAFE ||
    variableNum >= SAFE ||
    fixedDen * 12 >= SAFE ||
    variableDen * maxPm >= SAFE ||
    2 * den >= SAFE
  ) {
    return null;
  }
  const fixedWhole = floorDiv(fixedNum, fixedDen);
  const fixedRest = fixedNum - fixedWhole * fixedDen;
  const variableWhole = floorDiv(variableNum, variableDen);
  const variableRest = variableNum - variableWhole * variableDen;
  const base = new Float64Array(n);
  const remainder = new Float64Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const m = months[i];
    const pm = weightedPop[i];
    const a = floorDiv(fixedRest * m, fixedDen);
    const ra = fixedRest * m - a * fixedDen;
    const v = floorDiv(variableRest * pm, variableDen);
    const rv = variableRest * pm - v * variableDen;
    let whole = fixedWhole * m + a + variableWhole * pm + v;
    let r = ra * totals.weightedPopulation + rv * totals.months;
    if (r >= den) {
      whole += 1;
      r -= den;
    }
    base[i] = whole;
    remainder[i] = r;
    given += whole;
  }
  return { base, up: pickLargest(pool - given, remainder, null, ties) };
}
