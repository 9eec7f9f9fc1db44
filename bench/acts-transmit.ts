/**
 * The acts transmission alone (bench/acts.ts `benchTransmission`), on a PostgreSQL database kept by
 * `npm run bench -- --acts --keep` (it needs the members; the published acts do not matter): no server
 * is built or started, so a change to the job path is measured in a few minutes. Each run adds
 * `--count` new ready acts to the database and transmits them.
 *
 *   npx tsx bench/acts-transmit.ts --url postgres://…/socle_bench_… [--count 10000] [--members 100]
 *     [--concurrency 16] [--pool 12] [--timeout 480]
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/server/platform/db/client.js';
import { benchTransmission } from './acts.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    count: { type: 'string', default: '10000' },
    members: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '16' },
    pool: { type: 'string', default: '12' },
    timeout: { type: 'string', default: '480' },
  },
});
if (!args.url) throw new Error('--url postgres://… (a database kept by npm run bench -- --acts --keep)');

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const log = (message: string) =>
  console.log(`[acts-transmit ${new Date().toISOString().slice(11, 19)}] ${message}`);

/** utime + stime of a process, in milliseconds (0 when it is gone). */
function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ = 100
  } catch {
    return 0;
  }
}

/** CPU of each PostgreSQL backend connected to `name` (their process title names it), by pid. */
function databaseCpu(name: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.includes(` ${name} `))
        byPid.set(Number(entry), cpuMsOf(Number(entry)));
    } catch {}
  }
  return byPid;
}

const databaseName = new URL(args.url).pathname.slice(1);
const database = await openDatabase({ url: args.url, poolSize: Number(args.pool) });
let startCpu = process.cpuUsage();
let startDbCpu = new Map<number, number>();
try {
  log(`load average before: ${load()}`);
  const report = await benchTransmission(database, {
    count: Number(args.count),
    members: Number(args.members),
    concurrency: Number(args.concurrency),
    timeoutMs: Number(args.timeout) * 1000,
    log,
    onStarted: () => {
      log(`load average at the start: ${load()}`);
      startCpu = process.cpuUsage();
      startDbCpu = databaseCpu(databaseName);
    },
  });
  // The pool's backends are still connected: the CPU they spent since the start (new ones count whole).
  const spent = process.cpuUsage(startCpu);
  const nodeCpuMs = Math.round((spent.user + spent.system) / 1000);
  let dbCpuMs = 0;
  for (const [pid, cpu] of databaseCpu(databaseName)) dbCpuMs += cpu - (startDbCpu.get(pid) ?? 0);
  log(`load average after: ${load()}`);
  console.log(
    JSON.stringify({
      ...report,
      concurrency: Number(args.concurrency),
      pool: Number(args.pool),
      nodeCpuMs,
      dbCpuMs,
      cpuMsPerAct: { node: +(nodeCpuMs / report.acts).toFixed(2), db: +(dbCpuMs / report.acts).toFixed(2) },
    }),
  );
} finally {
  await database.close();
}
