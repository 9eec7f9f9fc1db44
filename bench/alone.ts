/**
 * What every benchmark file does when run alone (`npx tsx bench/<name>.ts …`) rather than from
 * `bench/run.ts`: it opens the database (PostgreSQL at DATABASE_URL, or a fresh in-memory PGlite),
 * migrates it, runs, and closes it whatever happens.
 */
import { pathToFileURL } from 'node:url';
import { type Database, openDatabase } from '../src/server/platform/db/client.js';

/** Whether the module at `moduleUrl` is the script node was started with. */
export function runsAlone(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && moduleUrl === pathToFileURL(process.argv[1] ?? '').href;
}

export async function onFreshDatabase(work: (database: Database) => Promise<unknown>): Promise<void> {
  const database = await openDatabase(process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : {});
  try {
    await database.migrate();
    await work(database);
  } finally {
    await database.close();
  }
}
