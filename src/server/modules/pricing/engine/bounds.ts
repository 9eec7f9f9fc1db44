/**
 * Proportional sharing with a floor and a ceiling per member.
 *
 * The result is the fixed point of "clamp the members outside their bounds, re-share the rest among the
 * others": a rate λ (cents per unit of weight) such that every member's exact share is
 * `clamp(λ × w_i, lo_i, hi_i)` and the shares sum to the pool. Clamping every violator at once can
 * oscillate when floors and ceilings both bind, so each round clamps one side only, the one with the
 * larger total violation (Bitran–Hax pegging): if the floor deficit ∇ ≥ the ceiling excess Δ, the
 * clamped sum at λ is ≥ the pool, so the final rate is ≤ λ and every floor violator stays at its floor
 * (symmetrically for ceilings). Each round clamps at least one member; in practice a few rounds suffice.
 * All comparisons are exact: integers below 2^52, BigInt beyond.
 */
import { type Rounded, shareByWeights, type Ties } from './rounding.js';
import { AllocationError } from './types.js';

const SAFE = 2 ** 52;

export interface Bounded extends Rounded {
  /** 0 free, 1 at floor, 2 at ceiling. */
  bound: Uint8Array;
  atFloor: number;
  atCeiling: number;
  freePoolCents: number;
  freeWeight: number;
}

const euros = (cents: number) =>
  new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);

/**
 * @param lo per-member floors (integers ≥ 0)
 * @param hi per-member ceilings (integers ≥ lo), or null without ceiling
 */
export function shareWithBounds(
  total: number,
  weights: ArrayLike<number>,
  totalWeight: number,
  lo: ArrayLike<number>,
  hi: ArrayLike<number> | null,
  ties: Ties | null = null,
): Bounded {
  const n = weights.length;
  let sumLo = 0;
  let reach = 0;
  for (let i = 0; i < n; i++) {
    sumLo += lo[i];
    if (hi) reach += weights[i] > 0 ? hi[i] : lo[i];
  }
  if (sumLo > total) {
    throw new AllocationError(
      'floor_exceeds_pool',
      `Les planchers cumulés (${euros(sumLo)}) dépassent le montant à répartir (${euros(total)}) : ` +
        'baissez le plancher ou augmentez le montant.',
      'rule.floorCents',
    );
  }
  if (hi && reach < total) {
    throw new AllocationError(
      'ceiling_below_pool',
      `Les plafonds cumulés (${euros(reach)}) ne couvrent pas le montant à répartir (${euros(total)}) : ` +
        'relevez le plafond ou baissez le montant.',
      'rule.ceilingCents',
    );
  }
  const bound = new Uint8Array(n);
  if (totalWeight === 0) {
    if (total !== sumLo) {
      throw new AllocationError(
        'zero_weight',
        'La population totale des abonnés est nulle : impossible de répartir au prorata de la population.',
        'subscribers',
      );
    }
    const base = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      base[i] = lo[i];
      if (lo[i] > 0) bound[i] = 1;
    }
    return { base, up: new Uint8Array(n), bound, atFloor: n, atCeiling: 0, freePoolCents: 0, freeWeight: 0 };
  }
  if (withinBounds(total, weights, totalWeight, lo, hi)) {
    return {
      ...shareByWeights(total, weights, totalWeight, ties),
      bound,
      atFloor: 0,
      atCeiling: 0,
      freePoolCents: total,
      freeWeight: totalWeight,
    };
  }
  return solve(total, weights, totalWeight, lo, hi, ties);
}

/** Whether the plain proportional shares already respect every bound (the common case). */
function withinBounds(
  total: number,
  weights: ArrayLike<number>,
  totalWeight: number,
  lo: ArrayLike<number>,
  hi: ArrayLike<number> | null,
): boolean {
  let maxBound = 0;
  for (let i = 0; i < weights.length; i++) maxBound = Math.max(maxBound, hi ? hi[i] : lo[i]);
  if (total * totalWeight < SAFE && maxBound * totalWeight < SAFE) {
    for (let i = 0; i < weights.length; i++) {
      const share = total * weights[i];
      if (share < lo[i] * totalWeight || (hi && share > hi[i] * totalWeight)) return false;
    }
    return true;
  }
  const t = BigInt(total);
  const w = BigInt(totalWeight);
  for (let i = 0; i < weights.length; i++) {
    const share = t * BigInt(weights[i]);
    if (share < BigInt(lo[i]) * w || (hi && share > BigInt(hi[i]) * w)) return false;
  }
  return true;
}

function solve(
  total: number,
  weights: ArrayLike<number>,
  totalWeight: number,
  lo: ArrayLike<number>,
  hi: ArrayLike<number> | null,
  ties: Ties | null,
): Bounded {
  const n = weights.length;
  // 0 free, 1 floor, 2 ceiling
  const bound = new Uint8Array(n);
  let rest = total;
  let freeWeight = totalWeight;
  let maxWeight = 0;
  let maxBound = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i] === 0) {
      if (lo[i] > 0) bound[i] = 1;
      rest -= lo[i];
    }
    maxWeight = Math.max(maxWeight, weights[i]);
    maxBound = Math.max(maxBound, hi ? hi[i] : lo[i]);
  }
  const plain = total * maxWeight < SAFE && maxBound * totalWeight < SAFE;
  const free = (i: number) => bound[i] === 0 && weights[i] > 0;
  for (;;) {
    // λ = rest / freeWeight; compare λ·w with a bound b as rest·w against b·freeWeight.
    const deficit = new ExactSum();
    const excess = new ExactSum();
    for (let i = 0; i < n; i++) {
      if (!free(i)) continue;
      if (plain) {
        const share = rest * weights[i];
        const floor = lo[i] * freeWeight;
        if (share < floor) deficit.add(floor - share);
        else if (hi) {
          const ceiling = hi[i] * freeWeight;
          if (share > ceiling) excess.add(share - ceiling);
        }
      } else {
        const share = BigInt(rest) * BigInt(weights[i]);
        const floor = BigInt(lo[i]) * BigInt(freeWeight);
        if (share < floor) deficit.addBig(floor - share);
        else if (hi) {
          const ceiling = BigInt(hi[i]) * BigInt(freeWeight);
          if (share > ceiling) excess.addBig(share - ceiling);
        }
      }
    }
    const d = deficit.value();
    const e = excess.value();
    if (d === 0n && e === 0n) break;
    const pegFloor = d >= e;
    // An excess needs ceilings: when it outweighs the deficit, `hi` is set.
    const peg = pegFloor ? lo : hi;
    if (!peg) throw new Error('bounds solver: an excess without ceilings');
    const restBefore = rest;
    const weightBefore = freeWeight;
    for (let i = 0; i < n; i++) {
      if (!free(i)) continue;
      const violates = plain
        ? pegFloor
          ? restBefore * weights[i] < peg[i] * weightBefore
          : restBefore * weights[i] > peg[i] * weightBefore
        : pegFloor
          ? BigInt(restBefore) * BigInt(weights[i]) < BigInt(peg[i]) * BigInt(weightBefore)
          : BigInt(restBefore) * BigInt(weights[i]) > BigInt(peg[i]) * BigInt(weightBefore);
      if (violates) {
        bound[i] = pegFloor ? 1 : 2;
        rest -= peg[i];
        freeWeight -= weights[i];
      }
    }
    if (freeWeight === 0) break;
  }
  if (freeWeight === 0 && rest !== 0) throw new Error('bounds solver: no free weight left for the rest');

  const freeWeights = new Float64Array(n);
  for (let i = 0; i < n; i++) if (bound[i] === 0) freeWeights[i] = weights[i];
  const rounded =
    freeWeight > 0
      ? shareByWeights(rest, freeWeights, freeWeight, ties)
      : { base: new Float64Array(n), up: new Uint8Array(n) };
  let atFloor = 0;
  let atCeiling = 0;
  for (let i = 0; i < n; i++) {
    if (bound[i] === 1) {
      rounded.base[i] = lo[i];
      atFloor += 1;
    } else if (bound[i] === 2 && hi) {
      rounded.base[i] = hi[i];
      atCeiling += 1;
    }
  }
  return { ...rounded, bound, atFloor, atCeiling, freePoolCents: rest, freeWeight };
}

/** Sums non-negative integers exactly: in a Number while it stays below 2^52, then in a BigInt. */
class ExactSum {
  private small = 0;
  private big = 0n;
  add(x: number) {
    if (this.small + x >= SAFE) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
    this.small += x;
  }
  addBig(x: bigint) {
    this.big += x;
  }
  value(): bigint {
    return this.big + BigInt(this.small);
  }
}
