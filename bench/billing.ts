/**
 * Billing benchmark (issue #3 §7). `benchBilling(database)` runs on a database that already holds the
 * member registry (bench/generate.ts): it adds 40 priced services and up to 40 subscriptions per
 * member, then times the engine on 1,000,000 shares, a full billing preview and the issue of every
 * invoice. Targets (PostgreSQL): engine ≤ 1 s, preview ≤ 10 s, issue ≤ 60 s.
 *
 * Standalone, on synthetic members: `npx tsx bench/billing.ts [--members 50000]` (PostgreSQL when
 * DATABASE_URL is set — a fresh database is created and dropped —, in-memory PGlite otherwise).
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { runBilling } from '../src/server/modules/billing/billing.run.js';
import { allocateColumns, type Rule, type Subscriber } from '../src/server/modules/pricing/engine/index.js';
import { computeYearModel } from '../src/server/modules/pricing/pricing.model.js';
import { type Database, openDatabase, rowsOf, toCount } from '../src/server/platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../src/server/platform/db/tenancy.js';
import { runsAlone } from './alone.js';

export const BILLING_TARGETS = { engineMs: 1_000, previewMs: 10_000, issueMs: 60_000 };

export interface BillingBenchReport {
  year: number;
  members: number;
  services: number;
  subscriptions: number;
  setupMs: number;
  engine: { shares: number; ms: number };
  /** `phases`: milliseconds per step (model = reading the inputs and running the engine). */
  preview: { invoices: number; lines: number; ms: number; phases: Record<string, number> };
  issue: {
    invoices: number;
    ms: number;
    firstNumber: string | null;
    lastNumber: string | null;
    phases: Record<string, number>;
  };
  /** Issuing again: must create nothing (idempotence at scale). */
  reissue: { invoices: number; alreadyInvoiced: number; ms: number };
  /** A complementary call right after: every member's invoice covers its share, so nothing either. */
  complementary: { invoices: number; upToDate: number; ms: number };
  passes: { engine: boolean; preview: boolean; issue: boolean };
}

const DOMAINS = [
  'dematerialisation',
  'logiciels_metiers',
  'rgpd',
  'cybersecurite',
  'hebergement',
  'accompagnement_formation',
];

const RULES: Rule[] = [
  { kind: 'equal' },
  { kind: 'population' },
  { kind: 'population', floorCents: 1_000, ceilingCents: 5_000_000 },
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
  { kind: 'units', unitLabel: 'agents' },
  {
    kind: 'strata',
    strata: [
      { upTo: 1_000, fixedCents: 30_000 },
      { upTo: null, fixedCents: 90_000 },
    ],
  },
];

const now = () => performance.now();
const round = (ms: number) => Math.round(ms);

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

/** The pure engine on 50,000 members × 20 services (best of `repeat`). */
export function benchEngine(repeat = 3): { shares: number; ms: number } {
  const random = mulberry32(42);
  const members: Subscriber[] = Array.from({ length: 50_000 }, (_, i) => ({
    memberId: `2${String(i).padStart(8, '0')}`,
    population: random() < 0.99 ? Math.round(50 * 100 ** random()) : Math.round(5_000 * 60 ** random()),
    units: 1 + Math.floor(random() * 200),
    months: random() < 0.9 ? 12 : 1 + Math.floor(random() * 12),
  }));
  let best = Number.POSITIVE_INFINITY;
  let shares = 0;
  for (let r = 0; r < repeat; r++) {
    shares = 0;
    const started = now();
    for (let s = 0; s < 20; s++) {
      shares += allocateColumns(1_000_000_000 + s, RULES[s % RULES.length], members).shares.memberIds.length;
    }
    best = Math.min(best, now() - started);
  }
  return { shares, ms: round(best) };
}

/** 40 services with alone prices and a pool each, the fee rule, and up to 40 subscriptions per member. */
async function prepareCatalogue(db: Database['db'], year: number, servicesCount: number) {
  await db.execute(sql`
    UPDATE organisations SET siret = siren || '00012' WHERE kind = 'operator' AND siret IS NULL`);
  for (let i = 1; i <= servicesCount; i++) {
    const code = `BENCH-${String(i).padStart(2, '0')}`;
    const rule = RULES[i % RULES.length];
    await db.execute(sql`
      WITH service AS (
        INSERT INTO catalogue_services (code, domain, name, eligible_kinds, status, unit_label)
        VALUES (${code}, ${DOMAINS[i % DOMAINS.length]}, ${`Service de mesure ${i}`}, '{}', 'open',
          ${rule.kind === 'units' ? 'agents' : null})
        RETURNING id
      ), prices AS (
        INSERT INTO catalogue_alone_prices (service_id, up_to_population, alone_cents)
        SELECT id, v.up_to, v.cents FROM service,
          (VALUES (1000, ${40_000 + i * 1_000}::int), (10000, ${120_000 + i * 3_000}::int), (NULL::int, ${400_000 + i * 5_000}::int)) AS v(up_to, cents)
      )
      INSERT INTO cost_pools (service_id, year, licences_cents, hosting_cents, staff_cents, other_cents, rule)
      SELECT id, ${year}::int, ${100_000_000 + i * 1_000_000}::bigint, ${40_000_000}::bigint, ${60_000_000}::bigint, ${i * 1_234}::bigint, ${JSON.stringify(rule)}::jsonb
      FROM service`);
  }
  await db.execute(sql`
    INSERT INTO membership_fee_rules (year, cents_per_inhabitant, minimum_cents) VALUES (${year}, 45, 15000)
    ON CONFLICT (year) DO NOTHING`);
  // Member i takes the first (hash(i) mod 41) services: 0 to 40, 20 on average; one in eight joins in April.
  await db.execute(sql`
    INSERT INTO subscriptions (member_id, service_id, status, requested_on, start_date, units)
    SELECT o.id, s.id, 'active', ${`${year - 1}-12-01`}::date,
      CASE WHEN abs(hashtext(o.id::text || s.code)) % 8 = 0 THEN ${`${year}-04-01`}::date ELSE ${`${year}-01-01`}::date END,
      1 + abs(hashtext(s.code || o.id::text)) % 200
    FROM organisations o
    JOIN (SELECT id, code, row_number() OVER (ORDER BY code) AS rank FROM catalogue_services WHERE code LIKE 'BENCH-%') s
      ON s.rank <= abs(hashtext(o.id::text)) % 41
    WHERE o.kind <> 'operator'`);
}

export async function benchBilling(
  database: Database,
  options: { services?: number; year?: number; log?: (message: string) => void } = {},
): Promise<BillingBenchReport> {
  const log = options.log ?? ((m: string) => console.log(`[bench billing] ${m}`));
  const year = options.year ?? new Date().getFullYear();
  const servicesCount = options.services ?? 40;
  const db = database.db;

  const engine = benchEngine();
  log(
    `engine: ${engine.shares.toLocaleString('en')} shares in ${engine.ms} ms (target ≤ ${BILLING_TARGETS.engineMs} ms)`,
  );

  let started = now();
  await prepareCatalogue(db, year, servicesCount);
  const [{ members, subscriptions }] = rowsOf<{ members: unknown; subscriptions: unknown }>(
    await db.execute(sql`SELECT
      (SELECT count(*) FROM organisations WHERE kind <> 'operator') AS members,
      (SELECT count(*) FROM subscriptions) AS subscriptions`),
  );
  const setupMs = round(now() - started);
  log(
    `setup: ${servicesCount} services, ${toCount(subscriptions).toLocaleString('en')} subscriptions for ${toCount(members).toLocaleString('en')} members in ${setupMs} ms`,
  );
  if (database.kind === 'postgres') await db.execute(sql`ANALYZE`);

  const billing = (
    mode: 'preview' | 'issue',
    phases: Record<string, number> = {},
    call: 'annual' | 'complementary' = 'annual',
  ) =>
    withTenant(db, SYSTEM_OPERATOR, async (tx) => {
      const started = now();
      const model = await computeYearModel(tx, year);
      phases.model = round(now() - started);
      return runBilling(tx, model, { year, mode, call, previewLimit: 200, actorUserId: null, phases });
    });

  started = now();
  const previewPhases: Record<string, number> = {};
  const preview = await billing('preview', previewPhases);
  const previewMs = round(now() - started);
  const lines = preview.services.reduce((sum, s) => sum + s.lines, 0);
  log(
    `preview: ${preview.invoiceCount.toLocaleString('en')} invoices, ${lines.toLocaleString('en')} lines in ${previewMs} ms (target ≤ ${BILLING_TARGETS.previewMs} ms) ${JSON.stringify(previewPhases)}`,
  );

  started = now();
  const issuePhases: Record<string, number> = {};
  const issued = await billing('issue', issuePhases);
  const issueMs = round(now() - started);
  issuePhases['finish+commit'] = issueMs - Object.values(issuePhases).reduce((a, b) => a + b, 0);
  log(
    `issue: ${issued.invoiceCount.toLocaleString('en')} invoices (${issued.firstNumber} … ${issued.lastNumber}) in ${issueMs} ms (target ≤ ${BILLING_TARGETS.issueMs} ms) ${JSON.stringify(issuePhases)}`,
  );

  started = now();
  const again = await billing('issue');
  const reissueMs = round(now() - started);
  log(
    `issue again: ${again.invoiceCount} new invoices, ${again.alreadyInvoiced.toLocaleString('en')} already invoiced, in ${reissueMs} ms`,
  );
  if (again.invoiceCount !== 0) throw new Error('issuing twice created invoices');

  started = now();
  const complementPhases: Record<string, number> = {};
  const complement = await billing('issue', complementPhases, 'complementary');
  const complementMs = round(now() - started);
  log(
    `complementary call: ${complement.invoiceCount} new invoices, ${complement.alreadyInvoiced.toLocaleString('en')} members up to date, in ${complementMs} ms ${JSON.stringify(complementPhases)}`,
  );
  if (complement.invoiceCount !== 0)
    throw new Error('a complementary call right after the annual one billed something');

  return {
    year,
    members: toCount(members),
    services: servicesCount,
    subscriptions: toCount(subscriptions),
    setupMs,
    engine,
    preview: { invoices: preview.invoiceCount, lines, ms: previewMs, phases: previewPhases },
    issue: {
      invoices: issued.invoiceCount,
      ms: issueMs,
      firstNumber: issued.firstNumber,
      lastNumber: issued.lastNumber,
      phases: issuePhases,
    },
    reissue: { invoices: again.invoiceCount, alreadyInvoiced: again.alreadyInvoiced, ms: reissueMs },
    complementary: {
      invoices: complement.invoiceCount,
      upToDate: complement.alreadyInvoiced,
      ms: complementMs,
    },
    passes: {
      engine: engine.ms <= BILLING_TARGETS.engineMs,
      preview: previewMs <= BILLING_TARGETS.previewMs,
      issue: issueMs <= BILLING_TARGETS.issueMs,
    },
  };
}

/** Synthetic members (no territory needed): an operator and `count` structures with populations. */
async function syntheticMembers(db: Database['db'], count: number) {
  await db.execute(sql`
    INSERT INTO organisations (kind, name, search_name, siren, siret, status, population, departement_code)
    VALUES ('operator', 'Opérateur de mesure', 'operateur de mesure', '250000001', '25000000100012', 'member', NULL, NULL)`);
  await db.execute(sql`
    INSERT INTO organisations (kind, name, search_name, siren, status, population)
    SELECT 'syndicat_intercommunal', 'Structure ' || i, 'structure ' || i, lpad((100000000 + i)::text, 9, '0'),
      CASE WHEN i % 20 = 0 THEN 'withdrawn' ELSE 'member' END,
      (CASE WHEN i % 100 = 0 THEN 5000 + (i::bigint * 7919) % 300000 ELSE 50 + (i::bigint * 104729) % 5000 END)::int
    FROM generate_series(1, ${count}) AS i`);
}

async function main() {
  const { values } = parseArgs({ options: { members: { type: 'string', default: '50000' } } });
  const count = Number(values.members);
  const base = process.env.DATABASE_URL;
  let database: Database;
  let drop = async () => {};
  if (base) {
    const name = `socle_bench_billing_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    database = await openDatabase({ url: url.toString(), poolSize: 4 });
    drop = async () => {
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    };
  } else {
    database = await openDatabase({});
  }
  try {
    await database.migrate();
    await syntheticMembers(database.db, count);
    const report = await benchBilling(database);
    console.log(JSON.stringify({ database: database.kind, ...report }, null, 2));
  } finally {
    await database.close();
    await drop();
  }
}

if (runsAlone(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
