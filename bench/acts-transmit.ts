/**
 * The acts transmission alone (bench/acts.ts `benchTransmission`), on a PostgreSQL database kept by
 * `npm run bench -- --acts --keep` (it needs the members; the published acts do not matter): no server
 * is built or started, so a change to the job path is measured in a few minutes. Each run adds
 * `--count` new ready acts to the database and transmits them.
 *
 *   npx tsx bench/acts-transmit.ts --url postgres://…/socle_bench_… [--count 10000] [--members 100]
 *     [--concurrency 16] [--pool 12] [--timeout 480] [--fake child|inprocess]
 *
 * `--pglite` instead of `--url`: a fresh PGlite database in a temporary folder (migrated, Pays de la
 * Loire's communes imported, `--members` × 5 members generated), dropped at the end. PGlite runs in this
 * process, so `nodeCpuMs` is then the database's CPU too (`dbCpuMs` is 0).
 *
 * `--fake child` (the default) runs the fake S²LOW in a process of its own (bench/s2low-fake.ts), as the
 * real one is: `nodeCpuMs` is then the platform's CPU alone (job runner, S²LOW client, drivers), and
 * the fake's is printed apart (`fakeCpuMs`). `--fake inprocess` runs it in this process, as before
 * (its CPU then counts in `nodeCpuMs`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { importTerritory } from '../src/server/modules/territory/territory.import.js';
import { openDatabase, rowsOf } from '../src/server/platform/db/client.js';
import { benchTransmission } from './acts.js';
import { generateMembers } from './generate.js';
import { cpuOf, databaseCpu, databaseCpuSpent } from './process-cpu.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    count: { type: 'string', default: '10000' },
    members: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '16' },
    pool: { type: 'string', default: '12' },
    timeout: { type: 'string', default: '480' },
    fake: { type: 'string', default: 'child' },
    pglite: { type: 'boolean', default: false },
  },
});
if (!args.url && !args.pglite) {
  throw new Error('--url postgres://… (a database kept by npm run bench -- --acts --keep), or --pglite');
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const log = (message: string) =>
  console.log(`[acts-transmit ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** utime + stime of a process, in milliseconds (0 when it is gone). */
/** The fake S²LOW in a child process (tsx, as this script): its URL once it listens. */
async function startFakeChild() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./s2low-fake.ts', import.meta.url).pathname],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the fake S²LOW exited (${code})`)));
  });
  return { url, pid: child.pid ?? 0, stop: () => child.stdin.end() };
}

/** Transactions committed in the database so far (each single statement outside a transaction is one). */
async function commits(db: typeof database.db): Promise<number> {
  const [row] = rowsOf<{ n: string }>(
    await db.execute(
      sql`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`,
    ),
  );
  return Number(row?.n ?? 0);
}

async function openPglite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'socle-acts-transmit-'));
  const opened = await openDatabase({ dataDir: dir });
  await opened.migrate();
  await importTerritory(opened.db, { regions: ['52'] });
  await generateMembers(opened.db, { members: Number(args.members) * 5 });
  log(`PGlite in ${dir}: migrated, members generated`);
  return { opened, drop: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const databaseName = args.url ? new URL(args.url).pathname.slice(1) : '';
const pglite = args.pglite ? await openPglite() : null;
const fake = args.fake === 'child' ? await startFakeChild() : null;
let startFakeCpu = 0;
const database = pglite?.opened ?? (await openDatabase({ url: args.url, poolSize: Number(args.pool) }));
let startCpu = process.cpuUsage();
let startDbCpu: Map<number, number> | null = null;
let startCommits = 0;
try {
  log(`load average before: ${load()}`);
  const report = await benchTransmission(database, {
    count: Number(args.count),
    members: Number(args.members),
    concurrency: Number(args.concurrency),
    timeoutMs: Number(args.timeout) * 1000,
    log,
    fakeUrl: fake?.url,
    onStarted: async () => {
      startCommits = await commits(database.db);
      log(`load average at the start: ${load()}`);
      startCpu = process.cpuUsage();
      startFakeCpu = fake ? cpuOf(fake.pid) : 0;
      startDbCpu = databaseCpu(databaseName);
    },
  });
  // The pool's backends are still connected: the CPU they spent since the start (new ones count whole).
  const spent = process.cpuUsage(startCpu);
  const nodeCpuMs = Math.round((spent.user + spent.system) / 1000);
  const fakeCpuMs = fake ? Math.round((cpuOf(fake.pid) - startFakeCpu) / 1000) : null;
  // The statistics collector reports with a delay of up to a second.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const committed = (await commits(database.db)) - startCommits;
  const dbCpuMs = Math.round((databaseCpuSpent(startDbCpu, databaseCpu(databaseName)) ?? 0) / 1000);
  log(`load average after: ${load()}`);
  console.log(
    JSON.stringify({
      ...report,
      concurrency: Number(args.concurrency),
      pool: Number(args.pool),
      fake: args.fake,
      nodeCpuMs,
      dbCpuMs,
      fakeCpuMs,
      commitsPerAct: +(committed / report.acts).toFixed(2),
      cpuMsPerAct: { node: +(nodeCpuMs / report.acts).toFixed(2), db: +(dbCpuMs / report.acts).toFixed(2) },
    }),
  );
} finally {
  await database.close();
  pglite?.drop();
  fake?.stop();
}
