/**
 * `npx tsx bench/tenant-round-trips.ts --url postgres://…/socle_bench_… [--iterations 3000]`
 *
 * The tenant transaction's cost alone, as the runner sends it: `BEGIN; SELECT set_config…` (signed
 * settings), one small RLS-checked read (a member by primary key), `COMMIT` — on one connection, waiting
 * for each answer (pg's ordinary mode) against pipelined (settings and the read written together),
 * alternated in rounds so both see the same load. Prints wall time, Node CPU and the backend's CPU
 * per transaction.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, rowsOf } from '../src/server/platform/db/client.js';
import { settingsKey, tenantSettingsStatement } from '../src/server/platform/db/tenancy.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    iterations: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
  },
});
if (!args.url) throw new Error('--url postgres://…');
const iterations = Number(args.iterations);

const database = await openDatabase({ url: args.url, poolSize: 1 });
const key = await settingsKey(database.db);
const [operator] = rowsOf<{ id: string }>(
  await database.db.execute(
    'SELECT u.id FROM users u JOIN organisation_users ou ON ou.user_id = u.id LIMIT 1',
  ),
);
const [member] = rowsOf<{ id: string }>(
  await database.db.execute("SELECT id FROM organisations WHERE kind = 'commune' LIMIT 1"),
);
await database.close();

function backendCpu(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
}

async function measure(pipeline: boolean) {
  const client = new pg.Client({ connectionString: args.url, pipeline } as pg.ClientConfig);
  await client.connect();
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  const read = {
    name: 'rt_read',
    text: 'SELECT id, name FROM organisations WHERE id = $1',
    values: [member.id],
  };
  const context = { userId: operator.id, memberId: null, operatorRole: 'admin' as const };
  const once = async () => {
    const settings = client.query(`BEGIN; ${tenantSettingsStatement(context, key)}`);
    if (!pipeline) await settings;
    const rows = await client.query(read);
    await settings;
    await client.query('COMMIT');
    if (rows.rowCount !== 1) throw new Error('no row');
  };
  for (let i = 0; i < 200; i++) await once();
  const node = process.cpuUsage();
  const db = backendCpu(pid);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await once();
  const wall = performance.now() - started;
  const nodeUs = process.cpuUsage(node);
  const dbUs = backendCpu(pid) - db;
  await client.end();
  return {
    wallUs: Math.round((wall * 1000) / iterations),
    nodeUs: Math.round((nodeUs.user + nodeUs.system) / iterations),
    dbUs: Math.round(dbUs / iterations),
  };
}

const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load ${load()}; ${iterations} transactions per run`);
console.log('mode | wall µs/tx | node µs/tx | backend µs/tx');
for (let round = 0; round < Number(args.rounds); round++) {
  for (const pipeline of [false, true]) {
    const r = await measure(pipeline);
    console.log(`${pipeline ? 'pipelined' : 'waiting  '} | ${r.wallUs} | ${r.nodeUs} | ${r.dbUs}`);
  }
}
console.log(`load ${load()}`);
