/**
 * DPO dashboard at scale: 50,000 members × 50 processings (2.5 M rows) on PostgreSQL must answer in
 * ≤ 500 ms p95 (issue 4, section 8).
 *
 * `npx tsx bench/rgpd-dashboard.ts --url postgres://… [--members 50000] [--per-member 50] [--runs 40] [--keep]`
 * creates a fresh database under that server (or reuses `--reuse postgres://…/db`), fills it, then
 * times the dashboard (first page, each filter and sort) through the real service inside a tenant
 * transaction as the DPO would. Exported for other harnesses: `generateRgpdData`, `measureDashboard`.
 *
 * Data are written by SQL itself (generate_series, set-based INSERT … SELECT in batches of members),
 * which costs about what COPY does; everything is deterministic (derived from ids and row numbers).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { DashboardQuery } from '../src/contracts/rgpd-cases.js';
import { dashboard, refreshReviewCounts } from '../src/server/modules/rgpd/rgpd.dashboard.service.js';
import { parisToday } from '../src/server/modules/rgpd/rgpd.deadlines.js';
import { type Database, type Db, openDatabase, rowsOf, toCount } from '../src/server/platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../src/server/platform/db/tenancy.js';

export interface RgpdGenerateReport {
  members: number;
  processings: number;
  rightsRequests: number;
  breaches: number;
  ms: number;
}

/**
 * Tops the database up to `members` member organisations (synthetic CCAS, syndicats… when the
 * registry has fewer), then gives each `perMember` processings, a few rights requests and breaches,
 * and a référent RGPD to nine members in ten.
 */
export async function generateRgpdData(
  db: Db,
  options: { members: number; perMember: number; now?: Date; log?: (m: string) => void },
): Promise<RgpdGenerateReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const existing = toCount(
    rowsOf<{ n: unknown }>(
      await db.execute(sql`SELECT count(*) AS n FROM organisations WHERE kind <> 'operator'`),
    )[0]?.n,
  );
  const missing = Math.max(0, options.members - existing);
  if (missing > 0) {
    log(`creating ${missing} synthetic members`);
    await db.execute(sql`
      WITH deps AS (SELECT array_agg(code ORDER BY code) AS codes FROM departements)
      INSERT INTO organisations (kind, name, search_name, siren, departement_code, status, population)
      SELECT
        (ARRAY['ccas','syndicat_intercommunal','medico_social','autre','spl','syndicat_mixte'])[1 + g % 6],
        'Structure de banc ' || g,
        'structure de banc ' || g,
        '99' || lpad(g::text, 7, '0'),
        CASE WHEN cardinality(deps.codes) > 0 THEN deps.codes[1 + g % cardinality(deps.codes)] END,
        (ARRAY['member','member','member','member','member','member','member','accepted','withdrawal_requested','prospect'])[1 + g % 10],
        1000 + g % 5000
      FROM generate_series(1, ${missing}::int) AS g, deps
      ON CONFLICT DO NOTHING`);
  }
  const ids = rowsOf<{ id: string }>(
    await db.execute(
      sql`SELECT id FROM organisations WHERE kind <> 'operator' ORDER BY id LIMIT ${options.members}`,
    ),
  ).map((r) => r.id);

  const batch = 2_000;
  let processings = 0;
  for (let i = 0; i < ids.length; i += batch) {
    const chunk = JSON.stringify(ids.slice(i, i + batch));
    // Reviews spread over two years around today (about a sixth due); one processing in eight meets
    // two DPIA criteria, with every DPIA status represented; completion from 35 to 100.
    await db.execute(sql`
      INSERT INTO rgpd_processings (member_id, name, purposes, legal_basis, status, last_review_on,
        next_review_on, dpia_criteria, dpia_status, completion, data_categories)
      SELECT m.id, 'Traitement ' || g, 'Finalité du traitement ' || g,
        (ARRAY['public_task','legal_obligation','contract','consent'])[1 + g % 4],
        (ARRAY['draft','to_review','validated','validated'])[1 + (g + h) % 4],
        ${today}::date - (365 + (h + g * 7) % 365),
        ${today}::date + ((h + g * 13) % 730 - 120),
        CASE WHEN (h + g) % 8 = 0 THEN ARRAY['large_scale','sensitive_data'] ELSE '{}'::text[] END,
        (ARRAY['not_started','in_progress','done','not_required'])[1 + (h + g) % 4],
        35 + (h * 7 + g * 31) % 66,
        ARRAY['identité', 'coordonnées']
      FROM (
        SELECT id::uuid AS id, abs(hashtext(id)) % 100000 AS h
        FROM json_array_elements_text(${chunk}::json) AS id
      ) m CROSS JOIN generate_series(1, ${options.perMember}::int) AS g`);
    processings += Math.min(batch, ids.length - i) * options.perMember;
    if ((i / batch) % 5 === 0) log(`processings: ${processings}`);
  }

  // Two rights requests per member, a fifth still open (some overdue); one breach per ten members.
  await db.execute(sql`
    INSERT INTO rgpd_rights_requests (member_id, type, requester_name, received_on, due_on, status,
      answer, answered_on)
    SELECT o.id, (ARRAY['access','erasure','rectification','objection'])[1 + (r.h + g) % 4], 'Demandeur ' || g,
      ${today}::date - ((r.h + g * 17) % 90),
      (${today}::date - ((r.h + g * 17) % 90) + interval '1 month')::date,
      CASE WHEN (r.h + g) % 5 = 0 THEN 'in_progress' ELSE 'answered' END,
      CASE WHEN (r.h + g) % 5 = 0 THEN NULL ELSE 'Réponse apportée.' END,
      CASE WHEN (r.h + g) % 5 = 0 THEN NULL ELSE ${today}::date - ((r.h + g * 17) % 90) + 10 END
    FROM organisations o
    CROSS JOIN LATERAL (SELECT abs(hashtext(o.id::text)) % 100000 AS h) r
    CROSS JOIN generate_series(1, 2) AS g
    WHERE o.kind <> 'operator'`);
  await db.execute(sql`
    INSERT INTO rgpd_breaches (member_id, aware_at, nature, risk_level, cnil_notification_required,
      notification_reason, notification_deadline, notified_at)
    SELECT o.id, ${now}::timestamptz - make_interval(hours => (r.h % 2000)),
      ARRAY['confidentiality'], 'low', true, NULL,
      ${now}::timestamptz - make_interval(hours => (r.h % 2000)) + interval '72 hours',
      CASE WHEN r.h % 3 = 0 THEN NULL ELSE ${now}::timestamptz - make_interval(hours => (r.h % 2000) - 24) END
    FROM organisations o CROSS JOIN LATERAL (SELECT abs(hashtext(o.id::text)) % 100000 AS h) r
    WHERE o.kind <> 'operator' AND r.h % 10 = 0`);
  await db.execute(sql`
    INSERT INTO member_contacts (member_id, role, first_name, last_name, email)
    SELECT o.id, 'referent_rgpd', 'Référent', 'RGPD', 'rgpd-' || left(o.id::text, 8) || '@bench.example'
    FROM organisations o
    WHERE o.kind <> 'operator' AND abs(hashtext(o.id::text)) % 10 <> 0
      AND NOT EXISTS (SELECT 1 FROM member_contacts c WHERE c.member_id = o.id AND c.role = 'referent_rgpd')`);
  await db.execute(sql`ANALYZE`);
  const counts = rowsOf<{ r: unknown; b: unknown }>(
    await db.execute(
      sql`SELECT (SELECT count(*) FROM rgpd_rights_requests) AS r, (SELECT count(*) FROM rgpd_breaches) AS b`,
    ),
  )[0];
  return {
    members: ids.length,
    processings,
    rightsRequests: toCount(counts.r),
    breaches: toCount(counts.b),
    ms: Math.round(performance.now() - started),
  };
}

export interface DashboardMeasure {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Times the dashboard service (as the DPO team, through RLS) for each query shape. */
export async function measureDashboard(
  db: Db,
  options: { runs: number; now?: Date },
): Promise<DashboardMeasure[]> {
  const dep = rowsOf<{ code: string | null }>(
    await db.execute(sql`SELECT departement_code AS code FROM organisations WHERE departement_code IS NOT NULL
      GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`),
  )[0]?.code;
  const base: DashboardQuery = { limit: 50, sort: 'completion' };
  const shapes: { name: string; query: DashboardQuery }[] = [
    { name: 'first page, by completion', query: base },
    { name: 'sorted by open requests', query: { ...base, sort: '-openRequests' } },
    { name: 'sorted by name', query: { ...base, sort: 'name' } },
    { name: 'kind=ccas', query: { ...base, kind: 'ccas' } },
    ...(dep ? [{ name: `departement=${dep}`, query: { ...base, departement: dep } }] : []),
  ];
  const results: DashboardMeasure[] = [];
  for (const shape of shapes) {
    const times: number[] = [];
    for (let i = 0; i < options.runs + 2; i++) {
      const started = performance.now();
      await withTenant(db, { ...SYSTEM_OPERATOR, operatorRole: 'agent' }, (tx) =>
        dashboard(tx, shape.query, options.now ?? new Date()),
      );
      // The first two runs warm the caches and are not counted.
      if (i >= 2) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    results.push({
      name: shape.name,
      runs: times.length,
      p50: Math.round(percentile(times, 50)),
      p95: Math.round(percentile(times, 95)),
      max: Math.round(times[times.length - 1]),
    });
  }
  return results;
}

/**
 * CPU the PostgreSQL backend spends on one dashboard (its SQL replayed on one connection), read
 * from /proc: on a loaded machine wall time mostly measures the queue for a core, this does not.
 * Only when the server runs on this machine; null otherwise.
 */
export async function measureBackendCpuMs(url: string, runs: number): Promise<number | null> {
  const recorded: { text: string; values: unknown[] }[] = [];
  const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (
    this: pg.Client,
    ...a: unknown[]
  ) {
    const [config, values] = a as [string | { text?: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof config === 'string' ? config : config?.text;
    if (typeof text === 'string' && !/^\s*(begin|commit|rollback)/i.test(text)) {
      recorded.push({
        text,
        values: (typeof config === 'object' ? config.values : undefined) ?? values ?? [],
      });
    }
    return original.apply(this, a);
  };
  const database = await openDatabase({ url, poolSize: 1 });
  try {
    await withTenant(database.db, { ...SYSTEM_OPERATOR, operatorRole: 'agent' }, (tx) =>
      dashboard(tx, { limit: 50, sort: 'completion' }, new Date()),
    );
  } finally {
    (pg.Client.prototype as unknown as { query: unknown }).query = original;
    await database.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const statPath = `/proc/${pid}/stat`;
    if (!fs.existsSync(statPath)) return null;
    const ticks = () => {
      const fields = fs.readFileSync(statPath, 'utf8').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]);
    };
    const replay = async () => {
      await client.query('BEGIN');
      for (const q of recorded) await client.query(q.text, q.values as unknown[]);
      await client.query('ROLLBACK');
    };
    await replay();
    const before = ticks();
    for (let i = 0; i < runs; i++) await replay();
    // Linux counts CPU time in ticks of 10 ms.
    return Math.round(((ticks() - before) * 10) / runs);
  } finally {
    await client.end();
  }
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      url: { type: 'string' },
      reuse: { type: 'string' },
      members: { type: 'string', default: '50000' },
      'per-member': { type: 'string', default: '50' },
      runs: { type: 'string', default: '40' },
      keep: { type: 'boolean', default: false },
    },
  });
  const log = (m: string) => console.log(`[rgpd-dashboard ${new Date().toISOString().slice(11, 19)}] ${m}`);
  let database: Database;
  let drop = async () => {};
  let dbUrl: string | null = null;
  if (args.reuse) {
    database = await openDatabase({ url: args.reuse, poolSize: 2 });
    await database.migrate();
  } else {
    const base = args.url ?? process.env.DATABASE_URL;
    if (!base) throw new Error('--url postgres://… (or DATABASE_URL) of a PostgreSQL server');
    const name = `socle_bench_rgpd_${Date.now()}_${crypto.randomBytes(2).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    log(`database ${url.pathname.slice(1)}`);
    dbUrl = url.toString();
    database = await openDatabase({ url: url.toString(), poolSize: 2 });
    await database.migrate();
    if (!args.keep) {
      drop = async () => {
        const dropper = new pg.Client({ connectionString: base });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      };
    }
    const report = await generateRgpdData(database.db, {
      members: Number(args.members),
      perMember: Number(args['per-member']),
      log,
    });
    log(
      `generated ${report.members} members, ${report.processings} processings, ${report.rightsRequests} requests, ` +
        `${report.breaches} breaches in ${(report.ms / 1000).toFixed(1)} s`,
    );
  }
  try {
    // What the 07:00 job does first; without it the dashboard counts reviews live (slower, still exact).
    const refreshStarted = performance.now();
    const refreshed = await withTenant(database.db, SYSTEM_OPERATOR, (tx) =>
      refreshReviewCounts(tx, parisToday(new Date())),
    );
    log(
      `review counts moved to today for ${refreshed} members in ${Math.round(performance.now() - refreshStarted)} ms`,
    );
    const results = await measureDashboard(database.db, { runs: Number(args.runs) });
    for (const r of results) {
      log(`${r.name.padEnd(32)} p50 ${r.p50} ms  p95 ${r.p95} ms  max ${r.max} ms  (${r.runs} runs)`);
    }
    const cpuUrl = args.reuse ?? dbUrl;
    const cpu = cpuUrl ? await measureBackendCpuMs(cpuUrl, 10) : null;
    if (cpu !== null) log(`PostgreSQL backend CPU per dashboard (first page): ${cpu} ms`);
    // Other work on the machine skews every figure: the load is printed so that runs can be compared.
    log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${os.cpus().length} CPUs`,
    );
    log(results.every((r) => r.p95 <= 500) ? 'PASS: p95 ≤ 500 ms' : 'FAIL: p95 > 500 ms');
  } finally {
    await database.close();
    await drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
