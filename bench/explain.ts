/**
 * `npx tsx bench/explain.ts --url postgres://…/socle_bench_… [--path '/api/v1/members?q=saint'] [--cookie …]`
 *
 * Runs each benchmarked request once through the real app (fastify.inject) on a database kept by
 * `npm run bench -- --keep`, records the SQL it sends, then replays that transaction with
 * EXPLAIN (ANALYZE, BUFFERS) on every statement: the plans behind the benchmark's numbers.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    path: { type: 'string', multiple: true },
    operator: { type: 'boolean', default: false },
    /**
     * Replay each statement this many times and print the last plan: the first planning on the replay's
     * fresh connection also fills its catalog caches, which a request's pooled connection has done long
     * before. `--summary` then prints only each statement's planning and execution times.
     */
    repeat: { type: 'string', default: '1' },
    summary: { type: 'boolean', default: false },
  },
});
if (!args.url) throw new Error('--url postgres://… of a database kept by `npm run bench -- --keep`');

const recorded: { text: string; values: unknown[] }[] = [];
const originalQuery = pg.Client.prototype.query as (
  this: pg.Client,
  ...a: unknown[]
) => Promise<pg.QueryResult<Record<string, unknown>>>;
/** A query given as a config object (drizzle passes one), as far as recording it needs. */
interface QueryConfigLike {
  text?: unknown;
  values?: unknown;
}
const asQueryConfig = (config: unknown): QueryConfigLike =>
  typeof config === 'object' && config !== null ? config : {};
function recordingQuery(this: pg.Client, ...a: unknown[]) {
  const [config, values] = a;
  const text = typeof config === 'string' ? config : asQueryConfig(config).text;
  if (typeof text === 'string') {
    const params = asQueryConfig(config).values ?? values ?? [];
    recorded.push({ text, values: Array.isArray(params) ? params : [] });
  }
  return originalQuery.apply(this, a);
}
Object.assign(pg.Client.prototype, { query: recordingQuery });

// Loaded after the patch: the database client keeps the query method it finds when it is loaded
// (platform/db/client.ts wraps it to name statements), which must be the recording one.
const { BENCH_ADMIN } = await import('./generate.js');
const { openUncachedApp } = await import('./uncached-app.js');

const { app, database, communeId } = await openUncachedApp(args.url, 2);
const paths = args.path ?? [
  '/ready',
  '/api/v1/members?limit=50',
  '/api/v1/members?kind=commune&departement=85&limit=50',
  '/api/v1/members?q=saint&limit=50',
  '/api/v1/members?status=member&sort=-population&limit=50',
  `/api/v1/members/${communeId}`,
  '/api/v1/territory/communes?q=sables%20olonne',
  '/api/v1/territory/communes?q=saint',
];

let cookie: string | undefined;
if (args.operator) {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: BENCH_ADMIN });
  cookie = response.cookies.find((c) => c.name === 'socle_session')?.value;
  if (!cookie) throw new Error(`login failed: ${response.statusCode}`);
  cookie = `socle_session=${cookie}`;
}

const client = new pg.Client({ connectionString: args.url });
await client.connect();
for (const path of paths) {
  // Warm the app's caches (and PostgreSQL's) so that the recorded run is the steady-state one.
  await app.inject({ url: path, headers: cookie ? { cookie } : {} });
  recorded.length = 0;
  const started = performance.now();
  const response = await app.inject({ url: path, headers: cookie ? { cookie } : {} });
  const ms = performance.now() - started;
  console.log(
    `\n######## GET ${path} → ${response.statusCode} in ${ms.toFixed(1)} ms, ${recorded.length} statements`,
  );
  await originalQuery.call(client, 'BEGIN');
  try {
    for (const statement of recorded) {
      // The tenant runner sends `BEGIN; SELECT set_config(…)` as one string: its settings (the role
      // socle_app and the signed context) are applied in the replay's transaction, so that the plans
      // are those under Row Level Security.
      const text = statement.text.trim().replace(/^BEGIN;\s*(?=SELECT\s+set_config)/i, '');
      if (/^(BEGIN|COMMIT|ROLLBACK)/i.test(text)) continue;
      // A list past its count cap asks the planner for an estimate (pagination.ts totalFrom): that
      // EXPLAIN reads nothing and cannot be explained again.
      if (/^EXPLAIN/i.test(text)) {
        console.log(`\n-- ${text.replace(/\s+/g, ' ').slice(0, 200)} (the planner's estimate: not replayed)`);
        continue;
      }
      if (/^SELECT\s+set_config/i.test(text)) {
        await originalQuery.call(client, text, statement.values);
        continue;
      }
      console.log(`\n-- ${text.replace(/\s+/g, ' ').slice(0, args.summary ? 100 : 600)}`);
      if (statement.values.length > 0 && !args.summary)
        console.log(`-- params: ${JSON.stringify(statement.values).slice(0, 300)}`);
      let plan: pg.QueryResult<Record<string, unknown>> | undefined;
      for (let i = 0; i < Math.max(1, Number(args.repeat)); i++) {
        plan = await originalQuery.call(client, `EXPLAIN (ANALYZE, BUFFERS) ${text}`, statement.values);
      }
      for (const row of plan?.rows ?? []) {
        const line = String(row['QUERY PLAN']);
        if (!args.summary || /^(Planning|Execution) Time/.test(line)) console.log(line);
      }
    }
  } finally {
    await originalQuery.call(client, 'ROLLBACK');
  }
}
await client.end();
await app.close();
await database.close();
