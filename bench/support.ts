/**
 * Support desk benchmark (issue #14 §6), run by `npm run bench -- --support` on the generated database,
 * or alone on a fresh in-memory PGlite: `npx tsx bench/support.ts --tickets 200000`.
 * - `--tickets` tickets (default 200,000) over the last year, across the members (the generated ones,
 *   or 1,000 made here), built by the demo's generator (seed/demo-support.ts: due dates in business
 *   time, about one in eight late, some waiting for the member) and written in batches.
 * - The operator's queue, signed in as a support agent, caches off (NODE_ENV=test): the default view
 *   (active tickets by next deadline), filtered by priority, late only, newest first, and the second
 *   page by its cursor; `--requests` each (default 50). Target p95 ≤ 100 ms (at 1,000,000 tickets).
 * - The year's report (per month and service, per département and kind): `--live-reports` runs before
 *   the closed months are summarised (default 1: every month live), then the nightly summary job
 *   (support.report-summary, timed), then `--reports` runs (default 5). Target ≤ 2 s (at 1,000,000
 *   tickets).
 * The app runs in this process (`buildApp`) and is called with `inject`.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { withLuhnDigit } from '../src/contracts/identifiers.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { refreshReportSummary } from '../src/server/modules/support/support.jobs.js';
import { supportMessages, supportTickets } from '../src/server/modules/support/support.schema.js';
import { createSession } from '../src/server/platform/auth/session.js';
import { type Database, rowsOf } from '../src/server/platform/db/client.js';
import { Mailer, MemoryTransport } from '../src/server/platform/mail/mailer.js';
import { MemoryStorage } from '../src/server/platform/storage/storage.js';
import { insertRows } from '../src/server/seed/bulk.js';
import { generateTickets, supportAgents, ticketMembers } from '../src/server/seed/demo-support.js';
import { Random } from '../src/server/seed/random.js';
import { onFreshDatabase, runsAlone } from './alone.js';

export const SUPPORT_TARGETS = { queueP95Ms: 100, reportMs: 2_000 };

interface Options {
  tickets: number;
  requests: number;
  reports: number;
  /** Reports measured before the summary exists (every month live), for comparison. */
  liveReports: number;
  log: (line: string) => void;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** The operator, a support agent, and members when the database has none. */
async function cast(database: Database) {
  const db = database.db;
  let [operator] = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM organisations WHERE kind = 'operator'`),
  );
  if (!operator) {
    [operator] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO organisations (kind, name, search_name, siren)
        VALUES ('operator', 'Opérateur du banc', 'operateur du banc', ${withLuhnDigit('25000000')}) RETURNING id`),
    );
  }
  const [agent] = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO users (email, display_name, password_hash)
      VALUES (${`assistance-${Date.now()}@banc.example`}, 'Agent du banc', 'x') RETURNING id`),
  );
  await db.execute(sql`INSERT INTO organisation_users (member_id, user_id, role, scopes)
    VALUES (${operator?.id}, ${agent?.id}, 'agent', '{support}')`);
  const members = rowsOf<{ n: unknown }>(
    await db.execute(sql`SELECT count(*) AS n FROM organisations WHERE kind <> 'operator'`),
  );
  if (Number(members[0]?.n ?? 0) === 0) {
    await db.execute(sql`INSERT INTO organisations (kind, name, search_name, siren, status)
      SELECT CASE WHEN g % 2 = 0 THEN 'syndicat_mixte' ELSE 'syndicat_intercommunal' END, 'Syndicat ' || g, 'syndicat ' || g, lpad(g::text, 9, '0'), 'member'
      FROM generate_series(1, 1000) g`);
  }
  return { operatorId: String(operator?.id), agentId: String(agent?.id) };
}

export async function benchSupport(database: Database, options: Options) {
  const db = database.db;
  const { operatorId, agentId } = await cast(database);
  const members = await ticketMembers(db);
  const agents = await supportAgents(db);
  const now = new Date();
  const rng = new Random(1414);
  const started = performance.now();
  const batch = 20_000;
  for (let done = 0; done < options.tickets; done += batch) {
    const { tickets, messages } = generateTickets(
      rng,
      members,
      agents,
      now,
      Math.min(batch, options.tickets - done),
    );
    await insertRows(db, supportTickets, tickets, 5000);
    await insertRows(db, supportMessages, messages, 5000);
  }
  // VACUUM as autovacuum would after the bulk insert: the report reads index-only (all-visible pages).
  await db.execute(sql`VACUUM (ANALYZE) support_tickets`);
  const [stats] = rowsOf<{ n: unknown; active: unknown }>(
    await db.execute(sql`SELECT count(*) AS n,
      count(*) FILTER (WHERE status IN ('open', 'in_progress', 'waiting_member')) AS active FROM support_tickets`),
  );
  options.log(
    `support: ${Number(stats?.n)} tickets (${Number(stats?.active)} active) over ${members.length} members, generated in ${Math.round(performance.now() - started)} ms`,
  );

  const config = loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'false', LOG_LEVEL: 'silent', JOBS_POLL_MS: '0' });
  const app = await buildApp({
    config,
    database,
    mailer: new Mailer(new MemoryTransport()),
    storage: new MemoryStorage(),
  });
  try {
    const { token } = await createSession(db, agentId, operatorId, 4);
    const cookie = `socle_session=${token}`;
    const get = async (url: string) => {
      const t0 = performance.now();
      const response = await app.inject({ method: 'GET', url, headers: { cookie } });
      const ms = performance.now() - t0;
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
      return { ms, body: response.json() };
    };
    const first = await get('/api/v1/support/tickets');
    const results: Record<string, { p50: number; p95: number }> = {};
    const views: Record<string, string> = {
      'file (échéance)': '/api/v1/support/tickets',
      'priorité haute': '/api/v1/support/tickets?priority=high',
      'en retard': '/api/v1/support/tickets?breached=true',
      'plus récents (tous statuts clos)': '/api/v1/support/tickets?status=closed&sort=recent',
      'page 2': `/api/v1/support/tickets?cursor=${encodeURIComponent(String(first.body.nextCursor ?? ''))}`,
    };
    for (const [name, url] of Object.entries(views)) {
      if (url.endsWith('cursor=')) continue;
      await get(url);
      const times: number[] = [];
      for (let i = 0; i < options.requests; i++) times.push((await get(url)).ms);
      results[name] = { p50: Math.round(percentile(times, 50)), p95: Math.round(percentile(times, 95)) };
      options.log(`support: queue ${name}: p50 ${results[name]?.p50} ms, p95 ${results[name]?.p95} ms`);
    }
    const year = Number(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric' }).format(now),
    );
    const reportUrl = `/api/v1/support/reports?year=${year}`;
    // Before the nightly summary (or with every month marked changed): every month live.
    const liveTimes: number[] = [];
    for (let i = 0; i < options.liveReports; i++) liveTimes.push((await get(reportUrl)).ms);
    if (liveTimes.length > 0) {
      options.log(
        `support: yearly report ${year}, every month live (no summary): median ${Math.round(percentile(liveTimes, 50))} ms, max ${Math.round(Math.max(...liveTimes))} ms`,
      );
    }
    // The nightly job (support.report-summary): every closed month since the first ticket.
    const summaryStarted = performance.now();
    const summarised = await refreshReportSummary(db);
    const summaryMs = Math.round(performance.now() - summaryStarted);
    options.log(`support: report summary (nightly job): ${summarised} closed months in ${summaryMs} ms`);
    const reportTimes: number[] = [];
    for (let i = 0; i < options.reports; i++) {
      reportTimes.push((await get(reportUrl)).ms);
    }
    const report = {
      median: Math.round(percentile(reportTimes, 50)),
      max: Math.round(Math.max(...reportTimes)),
      summaryMs,
    };
    options.log(
      `support: yearly report ${year} (closed months summarised, the current one live): median ${report.median} ms, max ${report.max} ms`,
    );
    return { tickets: Number(stats?.n), queue: results, report };
  } finally {
    await app.close();
  }
}

// Alone: a fresh in-memory PGlite, migrated, at the size asked for.
if (runsAlone(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string', default: '200000' },
      requests: { type: 'string', default: '50' },
      reports: { type: 'string', default: '5' },
      'live-reports': { type: 'string', default: '1' },
    },
  });
  await onFreshDatabase((database) =>
    benchSupport(database, {
      tickets: Number(values.tickets),
      requests: Number(values.requests),
      reports: Number(values.reports),
      liveReports: Number(values['live-reports']),
      log: (line) => console.log(line),
    }),
  );
}
