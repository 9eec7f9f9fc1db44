/**
 * Hosting benchmark (issue #15 §7), alone: `npx tsx bench/hosting.ts --monitors 2000 --duration 10`,
 * or within `npm run bench -- --hosting` on the bench's database.
 *
 * The app runs in the bench's process (`buildApp`, every in-process cache off as in tests; the job
 * runner not polling: the bench drives it), listening on a free port, driven by autocannon (in the same
 * process: its client's CPU is counted in the per-request figures). The monitors' target is a small
 * HTTP server in a child process (an external host in reality: its CPU is not the platform's).
 * - the public status page's API (`GET /api/v1/status`, anonymous, 8 hosted services and 90 days of
 *   incidents) against `/ready`: target ≥ 40 % of /ready's throughput;
 * - `--monitors` HTTP monitors at 60 s against a local server: one minute's checks (the tick claiming
 *   them, the check jobs probing and writing) are run while autocannon drives a signed-in API read,
 *   `GET /api/v1/members/:id/service-states`; target: the API keeps ≥ 80 % of its throughput without
 *   the monitors. The monitors fall due at instants spread over the minute (as monitors created at
 *   different times do), or all at once with `--burst` (the worst case). The API's throughput is given
 *   over the whole measure (`--busy-duration`: 60 s, or `--duration` with `--burst`, from the tick) and
 *   over the checks' own interval alone (from the tick to the last check written: the strict figure).
 * CPU per request or check: the bench process's `process.cpuUsage()` (app, autocannon's client and the
 * job runner; PostgreSQL's own CPU is not counted).
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { withLuhnDigit } from '../src/contracts/identifiers.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { queueDueChecks } from '../src/server/modules/hosting/hosting.monitors.service.js';
import { createSession } from '../src/server/platform/auth/session.js';
import { type Database, rowsOf } from '../src/server/platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../src/server/platform/db/tenancy.js';
import { Mailer, MemoryTransport } from '../src/server/platform/mail/mailer.js';
import { MemoryStorage } from '../src/server/platform/storage/storage.js';
import { onFreshDatabase, runsAlone } from './alone.js';

export const HOSTING_TARGETS = { statusRatioToReady: 0.4, apiRatioWithMonitors: 0.8 };

interface Options {
  /** Keep anonymous status answers in memory (PUBLIC_CACHE_SECONDS=300) instead of every cache off. */
  publicCache?: boolean;
  monitors: number;
  durationSec: number;
  /** Length of the API measure during the monitors' checks (default: 60 s, or durationSec with burst). */
  busyDurationSec?: number;
  /** Every monitor due at once rather than spread over the minute. */
  burst?: boolean;
  connections: number;
  log: (line: string) => void;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function drive(
  url: string,
  durationSec: number,
  connections: number,
  headers: Record<string, string> = {},
  onResponse?: () => void,
) {
  const cpu = process.cpuUsage();
  const tracker = autocannon({ url, duration: durationSec, connections, headers });
  if (onResponse) tracker.on('response', onResponse);
  const result = await tracker;
  const used = cpuMs(cpu);
  return {
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    /** CPU of the bench process per request (app and autocannon's client), ms. */
    cpuMsPerReq: Math.round((used / Math.max(1, result.requests.total)) * 1000) / 1000,
  };
}

/** A server answering « ok » on a free loopback port, in a child process (the monitored hosts). */
async function startTarget(): Promise<{ port: number; stop: () => void }> {
  const script = `const s = require('node:http').createServer((q, r) => { r.writeHead(200, { 'content-type': 'text/plain' }); r.end('ok'); });
    s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return { port, stop: () => child.kill() };
}

export async function benchHosting(database: Database, options: Options) {
  const db = database.db;
  const { log } = options;
  // A local server the monitors probe, in its own process.
  const target = await startTarget();
  const targetPort = target.port;

  let [operator] = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM organisations WHERE kind = 'operator'`),
  );
  if (!operator) {
    [operator] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO organisations (kind, name, search_name, siren)
        VALUES ('operator', 'Opérateur du banc', 'operateur du banc', ${withLuhnDigit('25000000')}) RETURNING id`),
    );
  }
  const tag = Math.random().toString(36).slice(2, 8);
  const [member] = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO organisations (kind, name, search_name, siren)
      VALUES ('syndicat_intercommunal', ${`Syndicat du banc ${tag}`}, ${`syndicat du banc ${tag}`}, ${withLuhnDigit(`2185${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`)})
      RETURNING id`),
  );
  const [admin] = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO users (email, display_name, password_hash)
      VALUES (${`admin-${tag}@banc.example`}, 'Admin du banc', 'x') RETURNING id`),
  );
  await db.execute(
    sql`INSERT INTO organisation_users (member_id, user_id, role, scopes) VALUES (${member.id}, ${admin.id}, 'admin', '{}')`,
  );
  const services = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO catalogue_services (code, domain, name, eligible_kinds, status)
      SELECT 'BANC-' || ${tag} || '-' || g, 'hebergement', 'Service hébergé ' || g, '{commune}', 'open'
      FROM generate_series(1, 8) g RETURNING id`),
  );
  for (const s of services) {
    await db.execute(sql`INSERT INTO subscriptions (member_id, service_id, status, requested_on, start_date)
      VALUES (${member.id}, ${s.id}, 'active', '2026-01-01', '2026-01-01')`);
  }
  // 90 days of history: 30 resolved incidents with three updates each.
  for (let i = 0; i < 30; i++) {
    const started = new Date(Date.now() - (i * 3 + 1) * 86_400_000);
    const [incident] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO hosting_incidents (title, state, phase, started_at, resolved_at)
        VALUES (${`Incident ${i}`}, 'major_outage', 'resolved', ${started}, ${new Date(started.getTime() + 3_600_000)}) RETURNING id`),
    );
    await db.execute(
      sql`INSERT INTO hosting_incident_services (incident_id, service_id) VALUES (${incident.id}, ${services[i % services.length]?.id})`,
    );
    await db.execute(sql`INSERT INTO hosting_incident_updates (incident_id, phase, state, message, at)
      SELECT ${incident.id}, p, 'major_outage', 'Étape ' || p, ${started}::timestamptz + (n || ' minutes')::interval
      FROM (VALUES ('investigating', 0), ('identified', 20), ('resolved', 60)) v(p, n)`);
  }
  await db.execute(sql`INSERT INTO hosting_monitors (service_id, kind, target, interval_seconds, failures_before_incident, next_check_at)
    SELECT (${sql.raw(`ARRAY[${services.map((s) => `'${s.id}'::uuid`).join(',')}]`)})[1 + g % ${services.length}],
      'http', ${`http://127.0.0.1:${targetPort}/sante`} || '?m=' || g, 60, 3, now() + interval '1 day'
    FROM generate_series(1, ${options.monitors}) g`);

  const config = loadConfig({
    NODE_ENV: 'test',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    JOBS_POLL_MS: '0',
    PUBLIC_CACHE_SECONDS: options.publicCache ? '300' : '0',
  });
  const app = await buildApp({
    config,
    database,
    mailer: new Mailer(new MemoryTransport()),
    storage: new MemoryStorage(),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const report: Record<string, unknown> & {
    checks?: Record<string, number>;
    api?: { ratio: number; duringChecks: { reqPerSec: number; ratio: number } } & Record<string, unknown>;
  } = { monitors: options.monitors };
  try {
    const { token } = await createSession(db, admin.id, member.id, 4);
    const cookie = `socle_session=${token}`;
    const { durationSec: d, connections: c } = options;

    const ready = await drive(`${base}/ready`, d, c);
    const status = await drive(`${base}/api/v1/status`, d, c);
    report.ready = ready;
    report.status = { ...status, ratio: Math.round((status.reqPerSec / ready.reqPerSec) * 100) / 100 };
    log(`hosting: /ready ${JSON.stringify(ready)}`);
    log(
      `hosting: status page ${JSON.stringify(report.status)} (target ≥ ${HOSTING_TARGETS.statusRatioToReady})`,
    );

    const apiUrl = `${base}/api/v1/members/${member.id}/service-states`;
    const quiet = await drive(apiUrl, d, c, { cookie });
    log(`hosting: member service states, no monitors ${JSON.stringify(quiet)}`);

    // One minute's checks of every monitor, run (as the runner would, 4 jobs at a time) while the API is driven.
    // All due at once (`--burst`: the worst case, a minute's checks in one go), or spread over the
    // minute as monitors created at different times are (the look queues each check for its instant).
    await db.execute(
      options.burst
        ? sql`UPDATE hosting_monitors SET next_check_at = now()`
        : sql`UPDATE hosting_monitors SET next_check_at = now() + random() * interval '59 seconds'`,
    );
    const busyDuration = options.busyDurationSec ?? (options.burst ? d : 60);
    const answered: number[] = [];
    const started = performance.now();
    let checksMs = 0;
    let checksCpuMs = 0;
    const checks = (async () => {
      const cpu = process.cpuUsage();
      const queued = await withTenant(db, SYSTEM_OPERATOR, (tx) => queueDueChecks(tx));
      // The jobs as they fall due (a runner polls every second), until every check is written.
      for (;;) {
        await app.jobs.runDue({ schedules: false });
        const [{ left }] = rowsOf<{ left: number }>(
          await db.execute(sql`SELECT count(*)::int AS left FROM jobs
            WHERE name = 'hosting.monitor.check' AND state IN ('pending', 'running')`),
        );
        if (left === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      checksMs = performance.now() - started;
      checksCpuMs = cpuMs(cpu);
      return queued;
    })();
    const busy = await drive(apiUrl, busyDuration, c, { cookie }, () =>
      answered.push(performance.now() - started),
    );
    const queued = await checks;
    const [{ n }] = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM hosting_checks`),
    );
    // The strict figure: the API's answers within the checks' own interval (tick to last check written).
    const window = Math.min(checksMs, busyDuration * 1000);
    const inWindow = answered.filter((t) => t <= window).length;
    const during = Math.round(inWindow / (window / 1000));
    // CPU of the process while the checks ran, less the API answers' share at the quiet rate: per check.
    const cpuPerCheck = (checksCpuMs - inWindow * quiet.cpuMsPerReq) / Math.max(1, n);
    report.checks = {
      queued,
      written: n,
      ms: Math.round(checksMs),
      cpuMs: Math.round(checksCpuMs),
      cpuMsPerCheck: Math.round(cpuPerCheck * 1000) / 1000,
    };
    report.api = {
      quiet,
      busy,
      ratio: Math.round((busy.reqPerSec / quiet.reqPerSec) * 100) / 100,
      duringChecks: { reqPerSec: during, ratio: Math.round((during / quiet.reqPerSec) * 100) / 100 },
    };
    log(
      `hosting: one minute of ${queued} monitors: ${n} checks written in ${Math.round(checksMs)} ms (process CPU ${Math.round(checksCpuMs)} ms, ≈ ${report.checks.cpuMsPerCheck} ms per check beside the API)`,
    );
    log(
      `hosting: member service states during the measure ${JSON.stringify(busy)}, ratio ${String(report.api.ratio)}; within the checks' ${Math.round(window)} ms: ${during} req/s, ratio ${String(report.api.duringChecks.ratio)} (target ≥ ${HOSTING_TARGETS.apiRatioWithMonitors})`,
    );
    log(
      `hosting: load average ${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    return report;
  } finally {
    await app.close();
    target.stop();
  }
}

// Alone: a fresh in-memory PGlite, migrated, at the size asked for.
if (runsAlone(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      monitors: { type: 'string', default: '2000' },
      duration: { type: 'string', default: '10' },
      'busy-duration': { type: 'string' },
      burst: { type: 'boolean', default: false },
      connections: { type: 'string', default: '10' },
      'public-cache': { type: 'boolean', default: false },
    },
  });
  await onFreshDatabase((database) =>
    benchHosting(database, {
      monitors: Number(values.monitors),
      publicCache: values['public-cache'],
      durationSec: Number(values.duration),
      busyDurationSec: values['busy-duration'] ? Number(values['busy-duration']) : undefined,
      burst: values.burst,
      connections: Number(values.connections),
      log: (line) => console.log(line),
    }),
  );
}
