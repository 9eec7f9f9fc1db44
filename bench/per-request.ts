/**
 * `npx tsx bench/per-request.ts --url postgres://…/socle_bench_… [--path …] [--requests 400] [--concurrency 4]`
 *
 * A path holding `{member}` names, request after request, the next of the 2,000 members bench/run.ts
 * rotates over (same sample), as its rotating endpoints do: `--path '/api/v1/public/members/{member}/acts'`.
 *
 * CPU per request of the real app (fastify.inject, every in-process cache off, signed in as the bench's
 * operator admin unless `--anonymous`) on a database kept by `npm run bench -- --keep`: the Node process
 * (`process.cpuUsage`) and the PostgreSQL backends serving the database (/proc), over `--requests`
 * requests sent `--concurrency` at a time after a warm-up. On a loaded machine req/s mean little; CPU
 * per request barely moves with the load, so two versions of the code can be compared by running this
 * script from each, alternately, on the same database.
 *
 * `--cpu-profile <dir>` also writes, per path, a V8 CPU profile of the measured requests only (not the
 * start, the sign-in or the warm-up): `<dir>/<n>-<path>.cpuprofile`, for Chrome's DevTools or a script.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join as pathJoin } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    path: { type: 'string', multiple: true },
    requests: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '4' },
    anonymous: { type: 'boolean', default: false },
    /** Print, for one pooled connection, how often each named statement was planned custom or generic. */
    prepared: { type: 'boolean', default: false },
    'cpu-profile': { type: 'string' },
  },
});
if (!args.url) throw new Error('--url postgres://… of a database kept by `npm run bench -- --keep`');
const requests = Number(args.requests);
const concurrency = Number(args.concurrency);

const { rowsOf } = await import('../src/server/platform/db/client.js');
const { BENCH_ADMIN } = await import('./generate.js');
const { openUncachedApp } = await import('./uncached-app.js');
const { databaseCpu, databaseCpuSpent } = await import('./process-cpu.js');

const databaseName = new URL(args.url).pathname.slice(1);

const { app, database, communeId } = await openUncachedApp(args.url, 10);
const paths = args.path ?? [
  '/ready',
  '/api/v1/members?limit=50',
  '/api/v1/members?q=saint&limit=50',
  `/api/v1/members/${communeId}`,
  '/api/v1/territory/communes?q=saint',
  '/api/v1/invoices?limit=50',
  '/api/v1/rgpd/dashboard',
  `/api/v1/members/${communeId}/processings?limit=50`,
];

const headers: Record<string, string> = {};
if (!args.anonymous) {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: BENCH_ADMIN });
  const cookie = response.cookies.find((c) => c.name === 'socle_session')?.value;
  if (!cookie) throw new Error(`login failed: ${response.statusCode}`);
  headers.cookie = `socle_session=${cookie}`;
}

const rotation = rowsOf<{ id: string }>(
  await database.db.execute(
    "SELECT id FROM organisations WHERE kind <> 'operator' ORDER BY md5(id::text) LIMIT 2000",
  ),
).map((r) => r.id);
let turn = 0;

async function run(path: string, count: number): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const url = path.replaceAll('{member}', rotation[turn++ % rotation.length]);
      const started = performance.now();
      const response = await app.inject({ url, headers });
      times.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`${url} → ${response.statusCode}: ${response.body}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return times.sort((a, b) => a - b);
}

const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load ${load()}; ${requests} requests per path, ${concurrency} at a time`);
console.log('path | node µs/req | db µs/req | p50 ms | p95 ms');
const profileDir = args['cpu-profile'];
const inspector = profileDir ? new Session() : null;
if (inspector && profileDir) {
  fs.mkdirSync(profileDir, { recursive: true });
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 100 });
}
for (const [index, path] of paths.entries()) {
  await run(path, Math.max(20, requests / 10));
  if (inspector) await inspector.post('Profiler.start');
  const node = process.cpuUsage();
  const db = databaseCpu(databaseName);
  const times = await run(path, requests);
  const nodeUs = process.cpuUsage(node);
  if (inspector && profileDir) {
    const { profile } = await inspector.post('Profiler.stop');
    const name = `${index}-${path.replace(/[^\w]+/g, '_').slice(0, 60)}.cpuprofile`;
    fs.writeFileSync(pathJoin(profileDir, name), JSON.stringify(profile));
  }
  const dbUs = databaseCpuSpent(db, databaseCpu(databaseName)) ?? 0;
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
  console.log(
    `${path} | ${Math.round((nodeUs.user + nodeUs.system) / requests)} | ${Math.round(dbUs / requests)} | ${pct(0.5)} | ${pct(0.95)}`,
  );
}
console.log(`load ${load()}`);
if (args.prepared) {
  const plans = rowsOf<{ generic_plans: unknown; custom_plans: unknown; statement: string }>(
    await database.db.execute(
      'SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements ORDER BY custom_plans DESC',
    ),
  );
  console.log('generic plans | custom plans | statement (one pooled connection)');
  for (const p of plans) {
    console.log(`${p.generic_plans} | ${p.custom_plans} | ${p.statement.replace(/\s+/g, ' ').slice(0, 90)}`);
  }
}
await app.close();
await database.close();
