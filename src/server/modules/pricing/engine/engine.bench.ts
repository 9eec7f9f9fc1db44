/**
 * Engine benchmark: 1,000,000 shares (50,000 members × 20 services).
 * Run: npx tsx src/server/modules/pricing/engine/engine.bench.ts
 * Target (issue #3 §7): ≤ 1 s for 1,000,000 shares. Each scenario runs REPEAT times and reports the
 * best wall time and the CPU time of that run, so a busy machine distorts the figures less.
 */
import { allocate, allocateColumns } from './allocate.js';
import type { Rule, Subscriber } from './types.js';

const MEMBERS = 50_000;
const SERVICES = 20;
const REPEAT = Number(process.env.REPEAT ?? 5);

/** Deterministic PRNG so runs compare. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = mulberry32(42);
// Mostly small communes (log-uniform 50..5,000), 1 % of towns and cities (5,000..300,000):
// about 70 million inhabitants in all.
const members: Subscriber[] = Array.from({ length: MEMBERS }, (_, i) => ({
  memberId: `2${String(i).padStart(8, '0')}`,
  population: random() < 0.99 ? Math.round(50 * 100 ** random()) : Math.round(5_000 * 60 ** random()),
  units: 1 + Math.floor(random() * 200),
  months: random() < 0.9 ? 12 : 1 + Math.floor(random() * 12),
}));

const rules: Rule[] = [
  { kind: 'equal' },
  { kind: 'population' },
  { kind: 'population', floorCents: 1_000, ceilingCents: 1_000_000 },
  { kind: 'fixedVariable', fixedPercent: 30 },
  {
    kind: 'strata',
    strata: [
      { upTo: 500, weight: 1 },
      { upTo: 2_000, weight: 1.5 },
      { upTo: 10_000, weight: 3 },
      { upTo: null, weight: 6 },
    ],
  },
  { kind: 'units' },
  {
    kind: 'strata',
    strata: [
      { upTo: 1_000, fixedCents: 30_000 },
      { upTo: null, fixedCents: 90_000 },
    ],
  },
  { kind: 'membershipFee', centsPerInhabitant: 45, minimumCents: 15_000 },
];

// From 12 k€ to 10 M€ a service.
const pools = [1_234_567, 25_000_000, 98_765_432, 1_000_000_001];

function shuffle<T>(list: T[]): T[] {
  const copy = list.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function time(
  label: string,
  services: Array<{ rule: Rule; list: Subscriber[]; pool: number }>,
  columnar = false,
) {
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = 0;
  let shares = 0;
  for (let r = 0; r < REPEAT; r++) {
    shares = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const s of services) {
      shares += columnar
        ? allocateColumns(s.pool, s.rule, s.list).shares.memberIds.length
        : allocate(s.pool, s.rule, s.list).shares.length;
    }
    const ms = performance.now() - start;
    if (ms < best) {
      best = ms;
      const used = process.cpuUsage(cpu);
      bestCpu = (used.user + used.system) / 1000;
    }
  }
  console.log(
    `${label.padEnd(46)} ${String(shares).padStart(9)} shares in ${best.toFixed(0).padStart(5)} ms (cpu ${bestCpu.toFixed(0)} ms)`,
  );
  return best;
}

const mixed = Array.from({ length: SERVICES }, (_, i) => ({
  rule: rules[i % rules.length],
  list: members,
  // floors of 10 € for 50,000 members need at least 500 k€
  pool: Math.max(pools[i % pools.length], rules[i % rules.length].kind === 'population' ? 98_765_432 : 0),
}));
const shuffledMembers = shuffle(members);
const mixedShuffled = mixed.map((s) => ({ ...s, list: shuffledMembers }));

time('warm-up', mixed);
const sorted = time('mixed rules, sorted input, Share objects', mixed);
const unsorted = time('mixed rules, shuffled input, Share objects', mixedShuffled);
time('mixed rules, sorted input, columns', mixed, true);
time('mixed rules, shuffled input, columns', mixedShuffled, true);
for (const rule of rules) {
  const name =
    rule.kind === 'strata' ? `strata (${'fixedCents' in rule.strata[0] ? 'fixed' : 'weights'})` : rule.kind;
  const suffix = rule.kind === 'population' && rule.floorCents ? ' + floor/ceiling' : '';
  time(
    `only ${name}${suffix}`,
    Array.from({ length: SERVICES }, (_, i) => ({
      rule,
      list: members,
      pool: Math.max(pools[i % pools.length], 98_765_432),
    })),
  );
}
const worst = Math.max(sorted, unsorted);
console.log(
  worst <= 1000 ? `OK: ≤ 1 s (${worst.toFixed(0)} ms)` : `ABOVE TARGET: ${worst.toFixed(0)} ms > 1 s`,
);
