/**
 * Largest-remainder (Hamilton) rounding of exact shares to integer cents.
 *
 * Each member's exact share is `total × w_i / W` (or `num_i / den`). Every member first gets the whole
 * cents of its exact share; the cents left over (fewer than the number of members with a non-zero
 * remainder) go one each to the largest remainders, ties broken by position, and positions are in
 * ascending memberId order, so the result does not depend on input order.
 *
 * Arithmetic is exact: plain integers while every product stays below 2^52, BigInt beyond.
 */

const SAFE = 2 ** 52;

/** Member ids for the tie-break; `sorted` when they are already in ascending order (no sort needed). */
export interface Ties {
  ids: readonly string[];
  sorted: boolean;
}

export interface Rounded {
  /** Whole cents of the exact share. */
  base: Float64Array;
  /** 1 for the members receiving a leftover cent. */
  up: Uint8Array;
}

/** Exact floor division of non-negative safe integers (a float quotient can be off by one). */
export function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  const r = a - q * b;
  if (r < 0) q -= 1;
  else if (r >= b) q += 1;
  return q;
}

/** `num / den` rounded half up, for non-negative safe integers. */
export function roundHalfUp(num: number, den: number): number {
  return floorDiv(2 * num + den, 2 * den);
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/**
 * Shares `total` cents in proportion to integer `weights` summing to `totalWeight` (> 0).
 * With total = Q × W + R, member i's exact share is Q × w_i + R × w_i / W, and R × w_i < W × max(w):
 * plain integers suffice whenever W × max(w) < 2^52, whatever the pool. `forceBigInt` exists for tests
 * proving both paths agree.
 */
export function shareByWeights(
  total: number,
  weights: ArrayLike<number>,
  totalWeight: number,
  ties: Ties | null = null,
  forceBigInt = false,
): Rounded {
  const n = weights.length;
  let maxWeight = 0;
  for (let i = 0; i < n; i++) if (weights[i] > maxWeight) maxWeight = weights[i];
  if (!forceBigInt && totalWeight * maxWeight >= SAFE) {
    // Months often make every weight a multiple of 12: dividing by the common factor may be enough.
    let g = 0;
    for (let i = 0; i < n && g !== 1; i++) g = gcdNumber(g, weights[i]);
    if (g > 1 && (totalWeight / g) * (maxWeight / g) < SAFE) {
      const reduced = new Float64Array(n);
      for (let i = 0; i < n; i++) reduced[i] = weights[i] / g;
      return shareByWeights(total, reduced, totalWeight / g, ties);
    }
  }
  const base = new Float64Array(n);
  const remainder = new Float64Array(n);
  let given = 0;
  if (!forceBigInt && totalWeight * maxWeight < SAFE) {
    const whole = floorDiv(total, totalWeight);
    const rest = total - whole * totalWeight;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      const num = rest * w;
      let q = Math.floor(num / totalWeight);
      let r = num - q * totalWeight;
      if (r < 0) {
        q -= 1;
        r += totalWeight;
      } else if (r >= totalWeight) {
        q += 1;
        r -= totalWeight;
      }
      base[i] = whole * w + q;
      remainder[i] = r;
      given += base[i];
    }
    return { base, up: pickLargest(total - given, remainder, null, ties) };
  }
  const bigTotal = BigInt(total);
  const den = BigInt(totalWeight);
  const exact: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const num = bigTotal * BigInt(weights[i]);
    const q = num / den;
    const r = num - q * den;
    base[i] = Number(q);
    remainder[i] = Number(r);
    exact[i] = r;
    given += base[i];
  }
  return { base, up: pickLargest(total - given, remainder, exact, ties) };
}

function gcdNumber(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Shares `total` cents where member i's exact share is `nums[i] / den` and Σ nums = total × den. */
export function shareByNumerators(
  total: number,
  nums: readonly bigint[],
  den: bigint,
  ties: Ties | null = null,
): Rounded {
  const n = nums.length;
  const base = new Float64Array(n);
  const remainder = new Float64Array(n);
  const exact: bigint[] = new Array(n);
  let given = 0;
  for (let i = 0; i < n; i++) {
    const q = nums[i] / den;
    const r = nums[i] - q * den;
    base[i] = Number(q);
    remainder[i] = Number(r);
    exact[i] = r;
    given += base[i];
  }
  return { base, up: pickLargest(total - given, remainder, exact, ties) };
}

/**
 * Marks the `k` largest remainders, equal remainders by ascending id (by position without `ties`).
 * `remainder` holds exact values, or, when `exact` is given, their Number approximations:
 * BigInt→Number conversion is monotone, so only the members whose approximation equals the threshold
 * need an exact comparison.
 */
export function pickLargest(
  k: number,
  remainder: Float64Array,
  exact: readonly bigint[] | null,
  ties: Ties | null = null,
): Uint8Array {
  const n = remainder.length;
  const up = new Uint8Array(n);
  if (k <= 0) return up;
  const sorted = remainder.slice().sort();
  const threshold = sorted[n - k];
  let need = k;
  for (let i = 0; i < n; i++) {
    if (remainder[i] > threshold) {
      up[i] = 1;
      need -= 1;
    }
  }
  let group: number[] = [];
  for (let i = 0; i < n; i++) if (remainder[i] === threshold) group.push(i);
  if (exact === null && ties && !ties.sorted && need > 0) {
    // Equal remainders: the `need` lowest ids win; a selection is enough, no sort.
    const ids = ties.ids;
    const last = kthSmallest(
      group.map((i) => ids[i]),
      need - 1,
    );
    for (const i of group) if (ids[i] <= last) up[i] = 1;
    return up;
  }
  if (ties && !ties.sorted) group = byId(group, ties.ids);
  if (exact !== null) {
    // stable sort: equal exact remainders keep the id order
    group.sort((a, b) => (exact[a] > exact[b] ? -1 : exact[a] < exact[b] ? 1 : 0));
  }
  for (let j = 0; j < need; j++) up[group[j]] = 1;
  return up;
}

/** The k-th smallest (0-based) of distinct keys, by quickselect; reorders `keys`. */
function kthSmallest(keys: string[], k: number): string {
  let low = 0;
  let high = keys.length - 1;
  while (low < high) {
    const pivot = keys[(low + high) >> 1];
    let i = low;
    let j = high;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) {
        const t = keys[i];
        keys[i] = keys[j];
        keys[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return keys[k];
  }
  return keys[k];
}

/** Indices ordered by ascending id; the native string sort (UTF-16 code units, like `<`) is the fastest. */
function byId(indices: number[], ids: readonly string[]): number[] {
  if (indices.length < 64) return indices.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const position = new Map<string, number>();
  const keys: string[] = new Array(indices.length);
  for (let j = 0; j < indices.length; j++) {
    keys[j] = ids[indices[j]];
    position.set(keys[j], indices[j]);
  }
  keys.sort();
  const sorted: number[] = new Array(keys.length);
  for (let j = 0; j < keys.length; j++) {
    const index = position.get(keys[j]);
    if (index === undefined) throw new Error('byId: an id lost while sorting');
    sorted[j] = index;
  }
  return sorted;
}
