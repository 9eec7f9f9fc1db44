/**
 * Webhooks benchmark (issue #16 §7), run by `npm run bench -- --webhooks` on the generated database, or
 * alone on a fresh in-memory PGlite: `npx tsx bench/webhooks.ts --deliveries 2000`.
 * - One bulk change: the operator subscribes `--deliveries` members to a service (subscriptions' bulk
 *   route, one request per 5,000 members, its limit), which emits one `subscription.changed` event per member, each queued
 *   for the operator's all-members webhook, in the request's transaction.
 * - The deliveries are made by the real job (`webhooks.deliver`: signed per Standard Webhooks, POSTed to
 *   a local receiver answering 204), through the app's runner (4 at a time), timed from the request to
 *   the last delivery marked delivered. Target of the issue: 10,000 in ≤ 60 s.
 * - Meanwhile, the API's throughput: a signed-in read (the operator's webhook list) driven by
 *   `--readers` concurrent callers, each pausing about `--read-interval` ms between two calls, first
 *   alone for `--baseline` seconds, then while the deliveries run. Target: ≥ 80 % of the baseline.
 * The app runs in this process (`buildApp`, caches off as in tests) and is called with `inject`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { withLuhnDigit } from '../src/contracts/identifiers.js';
import { createSession } from '../src/server/platform/auth/session.js';
import { type Database, rowsOf } from '../src/server/platform/db/client.js';
import { onFreshDatabase, runsAlone } from './alone.js';
import { inProcessApp } from './uncached-app.js';

export const WEBHOOK_TARGETS = { perTenThousandMs: 60_000, throughputRatio: 0.8 };

interface Options {
  deliveries: number;
  readers: number;
  baselineSeconds: number;
  /** Mean pause of a reader between two calls (ms). */
  readIntervalMs: number;
  log: (line: string) => void;
}

export async function benchWebhooks(database: Database, options: Options) {
  const db = database.db;
  const tag = crypto.randomBytes(3).toString('hex');
  let [operator] = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM organisations WHERE kind = 'operator'`),
  );
  if (!operator) {
    [operator] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO organisations (kind, name, search_name, siren)
        VALUES ('operator', 'Opérateur du banc', 'operateur du banc', ${withLuhnDigit('25000000')}) RETURNING id`),
    );
  }
  const [admin] = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO users (email, display_name, password_hash)
      VALUES (${`webhooks-${tag}@banc.example`}, 'Admin du banc', 'x') RETURNING id`),
  );
  await db.execute(sql`INSERT INTO organisation_users (member_id, user_id, role, scopes)
    VALUES (${operator.id}, ${admin.id}, 'admin', '{}')`);
  // The members the bulk change reaches: a kind of their own, so the bulk route selects only them.
  const base = 30_000_000 + crypto.randomInt(0, 60_000_000);
  const sirens = Array.from({ length: options.deliveries }, (_, i) => withLuhnDigit(String(base + i)));
  const members = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO organisations (kind, name, search_name, siren, status)
    SELECT 'autre', 'Établissement du banc ' || s, 'etablissement du banc ' || s, s, 'member'
    FROM unnest(${sql.raw(`ARRAY[${sirens.map((s) => `'${s}'`).join(',')}]`)}::text[]) s RETURNING id`),
  ).map((m) => m.id);
  const [service] = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO catalogue_services (code, domain, name, status, eligible_kinds)
      VALUES (${`BANC-${tag}`}, 'hebergement', ${`Service du banc ${tag}`}, 'open', '{autre}') RETURNING id`),
  );

  const received = { count: 0 };
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.count++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/socle`;

  const app = await inProcessApp(database, {
    NODE_ENV: 'test',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    JOBS_POLL_MS: '0',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  });
  try {
    const { token } = await createSession(db, admin.id, operator.id, 4);
    const cookie = `socle_session=${token}`;
    const me = (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json();
    const headers = { cookie, 'x-csrf-token': me.csrfToken as string };
    const hook = await app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers,
      payload: { url: receiverUrl, events: ['subscription.changed'] },
    });
    if (hook.statusCode !== 201) throw new Error(`webhook: ${hook.statusCode} ${hook.body}`);

    // The API's throughput: `readers` callers reading the webhook list in a loop while `running()`.
    const read = async (running: () => boolean) => {
      let done = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: options.readers }, async () => {
          while (running()) {
            const response = await app.inject({
              method: 'GET',
              url: '/api/v1/webhooks',
              headers: { cookie },
            });
            if (response.statusCode !== 200) throw new Error(`read: ${response.statusCode}`);
            done++;
            // A pause between two calls, as a client's page or script has: in-process `inject` has no
            // network gap, and PGlite's one session would otherwise go to the readers again and again
            // (the jobs waiting indefinitely, as bench/governance.ts found for its pollers).
            await new Promise((resolve) =>
              setTimeout(resolve, options.readIntervalMs * (0.5 + Math.random())),
            );
          }
        }),
      );
      return done / ((performance.now() - started) / 1000);
    };
    const baselineEnd = performance.now() + options.baselineSeconds * 1000;
    const baselineRps = await read(() => performance.now() < baselineEnd);

    const started = performance.now();
    // The bulk route takes at most 5,000 members per request: one request per 5,000.
    for (let i = 0; i < members.length; i += 5000) {
      const bulk = await app.inject({
        method: 'POST',
        url: `/api/v1/catalogue/services/${service.id}/bulk-subscriptions`,
        headers,
        payload: { memberIds: members.slice(i, i + 5000), startDate: new Date().toISOString().slice(0, 10) },
      });
      if (bulk.statusCode !== 200) throw new Error(`bulk: ${bulk.statusCode} ${bulk.body.slice(0, 300)}`);
    }
    const requestMs = Math.round(performance.now() - started);
    const [queued] = rowsOf<{ n: number }>(
      await db.execute(
        sql`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = ${hook.json().id}`,
      ),
    );
    let draining = true;
    const during = read(() => draining);
    for (;;) {
      await app.jobs.runDue({ schedules: false });
      const [left] = rowsOf<{ n: number }>(
        await db.execute(sql`SELECT count(*)::int AS n FROM webhook_deliveries
          WHERE endpoint_id = ${hook.json().id} AND status = 'pending'`),
      );
      if (Number(left?.n ?? 0) === 0) break;
    }
    const deliveredMs = Math.round(performance.now() - started);
    draining = false;
    const duringRps = await during;
    const [failed] = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM webhook_deliveries
        WHERE endpoint_id = ${hook.json().id} AND status <> 'succeeded'`),
    );
    const perSecond = Math.round((Number(queued?.n) / deliveredMs) * 1000);
    const report = {
      deliveries: Number(queued?.n),
      received: received.count,
      notDelivered: Number(failed?.n),
      bulkRequestMs: requestMs,
      deliveredMs,
      perSecond,
      projectedTenThousandMs: Math.round((10_000 / perSecond) * 1000),
      tenThousandOk: (10_000 / perSecond) * 1000 <= WEBHOOK_TARGETS.perTenThousandMs,
      readers: options.readers,
      baselineRps: Math.round(baselineRps),
      duringRps: Math.round(duringRps),
      throughputRatio: Math.round((duringRps / baselineRps) * 100) / 100,
      throughputOk: duringRps / baselineRps >= WEBHOOK_TARGETS.throughputRatio,
    };
    options.log(`webhooks: ${JSON.stringify(report)}`);
    return report;
  } finally {
    await app.close();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

// Alone: a fresh in-memory PGlite, migrated, at the size asked for.
if (runsAlone(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      deliveries: { type: 'string', default: '2000' },
      readers: { type: 'string', default: '4' },
      baseline: { type: 'string', default: '3' },
      'read-interval': { type: 'string', default: '50' },
    },
  });
  await onFreshDatabase((database) =>
    benchWebhooks(database, {
      deliveries: Number(values.deliveries),
      readers: Number(values.readers),
      baselineSeconds: Number(values.baseline),
      readIntervalMs: Number(values['read-interval']),
      log: (line) => console.log(line),
    }),
  );
}
