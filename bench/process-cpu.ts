import fs from 'node:fs';

/**
 * CPU read from /proc (Linux): a process's utime + stime, and the PostgreSQL backends connected to a
 * database (their process title names it). The benches use it to give CPU per request or per item,
 * beside the wall-clock figures a loaded machine distorts.
 */

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a process, in microseconds (0 when it is gone or /proc is not there). */
export function cpuOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU (µs) of each PostgreSQL backend connected to `database`, by pid; null without /proc or name. */
export function databaseCpu(database: string | null): Map<number, number> | null {
  if (!database || !fs.existsSync('/proc')) return null;
  const byPid = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.includes(` ${database} `)) {
        byPid.set(Number(entry), cpuOf(Number(entry)));
      }
    } catch {}
  }
  return byPid;
}

/** CPU (µs) spent between two readings by the backends alive at the second (new ones count whole). */
export function databaseCpuSpent(before: Map<number, number> | null, after: Map<number, number> | null) {
  if (!before || !after) return null;
  let spent = 0;
  for (const [pid, cpu] of after) spent += cpu - (before.get(pid) ?? 0);
  return spent;
}
