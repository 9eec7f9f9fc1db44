/**
 * Cybersecurity benchmark (issue #13 §7), run by `npm run bench -- --cyber` on a database that
 * already holds the member registry (bench/generate.ts):
 * - `generateCyber`: `perMember` software lines for every member (50,000 × 40 = 2 M rows by default),
 *   written with one `INSERT … SELECT … FROM generate_series` per chunk from a vocabulary of 2,000
 *   products (vendor, product, version, matching keys as the app computes them); indexes rebuilt after.
 * - `benchCyberMatching`: one advisory with 20 product ranges (vers, generic and semver) imported
 *   through the real service — the distinct (product, vendor, version) triples of the products' lines
 *   read by the product index and compared in JavaScript once each, then remediations and exposures
 *   written by one INSERT … SELECT, the notification job queued (it emits the webhook events).
 *   Target ≤ 2 s. Then the exposure page (first page of 50, and the `to_do` filter) read 200 times
 *   in-process as the cyber team: p95 target ≤ 100 ms. bench/run.ts also drives it over HTTP. Both
 *   report the CPU they used (PostgreSQL backends from /proc, and this process) beside the load
 *   average: on a shared machine, elapsed times measure the neighbours as much as the code.
 */
import fs from 'node:fs';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { DEFAULT_REMEDIATION_DAYS } from '../src/contracts/cyber.js';
import { createManualAdvisory, exposure } from '../src/server/modules/cyber/cyber.advisories.service.js';
import { matchKey } from '../src/server/modules/cyber/matching/cpe.js';
import { type Database, type Executor, rowsOf, toCount } from '../src/server/platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../src/server/platform/db/tenancy.js';

export const CYBER_TARGETS = { matchMs: 2_000, exposureP95Ms: 100 };

const PRODUCTS = 2_000;
const VENDORS = 150;

export interface CyberGenerateReport {
  members: number;
  rows: number;
  ms: number;
}

/** Product `p` (0…PRODUCTS-1): vendor `Editeur <p % VENDORS>`, product `Produit <p>`, as the app keys them. */
const vendorOf = (p: number) => `Editeur ${p % VENDORS}`;
const productOf = (p: number) => `Produit ${p}`;

export async function generateCyber(
  database: Database,
  options: { perMember: number; log?: (m: string) => void },
): Promise<CyberGenerateReport> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const db = database.db;
  await db.execute(sql`DROP TABLE IF EXISTS bench_cyber_members`);
  await db.execute(sql`
    CREATE UNLOGGED TABLE bench_cyber_members AS
    SELECT (row_number() OVER (ORDER BY id)) - 1 AS rn, id FROM organisations WHERE kind <> 'operator'`);
  const [{ n }] = rowsOf<{ n: number }>(
    await db.execute(sql`SELECT count(*)::int AS n FROM bench_cyber_members`),
  );
  const members = toCount(n);
  // The app's keys: lower-case letters and digits (checked below on a sample).
  if (matchKey(vendorOf(7)) !== 'editeur7' || matchKey(productOf(42)) !== 'produit42') {
    throw new Error('bench keys differ from the app’s');
  }
  await db.execute(sql`DROP INDEX IF EXISTS cyber_assets_product_idx`);
  await db.execute(sql`DROP INDEX IF EXISTS cyber_assets_member_idx`);
  const chunk = 5_000;
  for (let from = 0; from < members; from += chunk) {
    const to = Math.min(members, from + chunk) - 1;
    // Member m, item i: product (m * 37 + i * 53) % PRODUCTS; version major.minor.patch from the same.
    await db.execute(sql`
      INSERT INTO cyber_assets (member_id, kind, name, vendor, product, version, runner, exposure, source,
        vendor_key, product_key, search_key)
      SELECT m.id, 'software', 'Logiciel ' || i, 'Editeur ' || (p % ${VENDORS}), 'Produit ' || p,
        (1 + (m.rn + i) % 4) || '.' || ((m.rn * 7 + i) % 10) || '.' || ((m.rn + i * 3) % 20),
        'member', 'internal', 'member', 'editeur' || (p % ${VENDORS}), 'produit' || p,
        'logiciel ' || i || ' editeur ' || (p % ${VENDORS}) || ' produit ' || p
      FROM bench_cyber_members m
      CROSS JOIN generate_series(0, ${options.perMember - 1}) AS i
      CROSS JOIN LATERAL (SELECT ((m.rn * 37 + i * 53) % ${PRODUCTS})::int AS p) AS x
      WHERE m.rn BETWEEN ${from} AND ${to}`);
    if (from % 50_000 === 0) log(`cyber: ${to + 1} / ${members} members`);
  }
  // As the schema declares them (cyber.schema.ts).
  await db.execute(sql`CREATE INDEX cyber_assets_product_idx ON cyber_assets
    (product_key, vendor_key, version, member_id, id) WHERE product_key IS NOT NULL`);
  await db.execute(sql`CREATE INDEX cyber_assets_member_idx ON cyber_assets (member_id, kind, name, id)`);
  // VACUUM as well: a settled inventory has its visibility map set (autovacuum does it after a bulk
  // insert), which lets the matching read its candidates from the covering index alone.
  await db.execute(sql`VACUUM (ANALYZE) cyber_assets`);
  await db.execute(sql`DROP TABLE bench_cyber_members`);
  const [{ rows }] = rowsOf<{ rows: number }>(
    await db.execute(sql`SELECT count(*)::int AS rows FROM cyber_assets`),
  );
  return { members, rows: toCount(rows), ms: Math.round(performance.now() - started) };
}

export interface CyberMatchReport {
  advisoryId: string;
  products: number;
  affectedMembers: number;
  remediations: number;
  matchMs: number;
  /** CPU the matching used: its PostgreSQL backend (null on PGlite or a remote server), this process. */
  matchCpuMs: { database: number | null; process: number };
  exposure: {
    calls: number;
    p50Ms: number;
    p95Ms: number;
    cpuMsPerCall: { database: number | null; process: number };
  };
  /** The machine's load average (1, 5, 15 min) before the matching and after the exposure pages. */
  loadAverage: { before: number[]; after: number[] };
  pass: boolean;
}

const cpuMs = (usage: NodeJS.CpuUsage) => Math.round((usage.user + usage.system) / 1000);

/**
 * CPU ticks (10 ms, from /proc) used so far by PostgreSQL backends: the executor's own (`own`), or
 * every backend of this database; null on PGlite (its work is this process's CPU) or when the
 * server is on another machine.
 */
async function backendTicks(db: Executor, own: boolean): Promise<Map<number, number> | null> {
  const pids = rowsOf<{ pid: number }>(
    await db.execute(
      own
        ? sql`SELECT pg_backend_pid() AS pid`
        : sql`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
    ),
  ).map((r) => Number(r.pid));
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      return null;
    }
  }
  return ticks;
}

/** Milliseconds of CPU between two readings (backends alive at the second; new ones count whole). */
function ticksSpent(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let spent = 0;
  for (const [pid, t] of after) spent += t - (before.get(pid) ?? 0);
  return spent * 10;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

export async function benchCyberMatching(
  database: Database,
  options: { log?: (m: string) => void } = {},
): Promise<CyberMatchReport> {
  const log = options.log ?? (() => {});
  const db = database.db;
  await db.execute(sql`INSERT INTO cyber_settings (id, remediation_days) VALUES (1, ${JSON.stringify(DEFAULT_REMEDIATION_DAYS)}::jsonb)
    ON CONFLICT (id) DO NOTHING`);
  // Twenty products spread over the vocabulary, half in generic vers, half in semver.
  const products = Array.from({ length: 20 }, (_, k) => {
    const p = (k * 97 + 11) % PRODUCTS;
    return {
      vendor: vendorOf(p),
      product: productOf(p),
      versionRange: k % 2 === 0 ? 'vers:generic/>=2.0.0|<3.5.0' : 'vers:semver/>=1.2.0|<1.8.0|>=4.0.0|<4.3.0',
    };
  });
  const reference = `BENCH-${Date.now()}`;
  const loadBefore = os.loadavg();
  const started = performance.now();
  const processCpu = process.cpuUsage();
  let databaseCpuMs: number | null = null;
  const created = await withTenant(db, SYSTEM_OPERATOR, async (tx) => {
    const before = await backendTicks(tx, true);
    const result = await createManualAdvisory(
      tx,
      { title: 'Avis de test de charge', reference, severity: 'critical', cves: [], products },
      { actorUserId: null, ipAddress: null },
    );
    databaseCpuMs = ticksSpent(before, await backendTicks(tx, true));
    return result;
  });
  const matchMs = Math.round(performance.now() - started);
  const matchProcessCpuMs = cpuMs(process.cpuUsage(processCpu));
  const [{ n }] = rowsOf<{ n: number }>(
    await db.execute(
      sql`SELECT count(*)::int AS n FROM cyber_remediations WHERE advisory_id = ${created.id}`,
    ),
  );
  log(
    `cyber: advisory with 20 ranges matched in ${matchMs} ms: ${created.affectedMembers} members, ${toCount(n)} assets`,
  );
  const operator = { userId: null, memberId: null, operatorRole: 'agent' as const };
  const times: number[] = [];
  const pageTicks = await backendTicks(db, false);
  const pageCpu = process.cpuUsage();
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await withTenant(db, operator, (tx) =>
      exposure(tx, created.id, { limit: 50, state: i % 2 === 0 ? undefined : 'to_do' }),
    );
    times.push(performance.now() - t0);
  }
  const pageDatabaseCpuMs = ticksSpent(pageTicks, await backendTicks(db, false));
  const pageProcessCpuMs = cpuMs(process.cpuUsage(pageCpu));
  const report = {
    advisoryId: created.id,
    products: products.length,
    affectedMembers: created.affectedMembers,
    remediations: toCount(n),
    matchMs,
    matchCpuMs: { database: databaseCpuMs, process: matchProcessCpuMs },
    exposure: {
      calls: times.length,
      p50Ms: Math.round(percentile(times, 50) * 10) / 10,
      p95Ms: Math.round(percentile(times, 95) * 10) / 10,
      cpuMsPerCall: {
        database:
          pageDatabaseCpuMs === null ? null : Math.round((pageDatabaseCpuMs / times.length) * 10) / 10,
        process: Math.round((pageProcessCpuMs / times.length) * 10) / 10,
      },
    },
    loadAverage: {
      before: loadBefore.map((l) => Math.round(l * 100) / 100),
      after: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    pass: false,
  };
  report.pass = matchMs <= CYBER_TARGETS.matchMs && report.exposure.p95Ms <= CYBER_TARGETS.exposureP95Ms;
  return report;
}
