import type { FastifyBaseLogger } from 'fastify';
import { now } from '../clock.js';
import type { Db, Executor } from '../db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../db/tenancy.js';
import type { ObjectStorage } from './storage.js';

/**
 * A module that keeps files in object storage, under keys starting with `prefix`, and rows pointing to
 * them. `referencedKeys` answers every key its rows point to (read as the operator, in one
 * transaction). A file under the prefix that no row points to is an orphan: the file of an upload
 * whose transaction rolled back after the file was written, of a process killed in between.
 */
export interface StoredFileOwner {
  name: string;
  prefix: string;
  referencedKeys(tx: Executor): Promise<Iterable<string>>;
}

const owners = new Map<string, StoredFileOwner>();

/** Declares a module's stored files (idempotent by name); `buildApp` calls each module's declaration. */
export function registerStoredFileOwner(owner: StoredFileOwner): void {
  owners.set(owner.name, owner);
}

export function storedFileOwners(): StoredFileOwner[] {
  return [...owners.values()];
}

/** Files younger than this survive the sweep: an upload in progress has written its file, not its row. */
export const SWEEP_MIN_AGE_MS = 3600_000;

export interface SweepReport {
  temporary: number;
  orphans: number;
}

/**
 * Removes, among files older than an hour: temporary files of interrupted writes (`*.tmp`), and files
 * under a registered owner's prefix that none of its rows point to. Files under no owner's prefix
 * are left alone (a module that forgot to register loses nothing). main.ts runs it at start-up.
 */
export async function sweepStorage(
  db: Db,
  storage: ObjectStorage,
  options: { log?: FastifyBaseLogger; minAgeMs?: number } = {},
): Promise<SweepReport> {
  const cutoff = now().getTime() - (options.minAgeMs ?? SWEEP_MIN_AGE_MS);
  const old = (await storage.list()).filter((object) => object.modifiedAt.getTime() < cutoff);
  const report: SweepReport = { temporary: 0, orphans: 0 };
  for (const object of old) {
    if (!object.key.endsWith('.tmp')) continue;
    await storage.delete(object.key);
    report.temporary++;
  }
  for (const owner of owners.values()) {
    const candidates = old.filter((o) => o.key.startsWith(owner.prefix) && !o.key.endsWith('.tmp'));
    if (candidates.length === 0) continue;
    const referenced = new Set(
      await withTenant(db, SYSTEM_OPERATOR, async (tx) => [...(await owner.referencedKeys(tx))]),
    );
    for (const object of candidates) {
      if (referenced.has(object.key)) continue;
      await storage.delete(object.key);
      report.orphans++;
    }
  }
  if (report.temporary + report.orphans > 0) {
    options.log?.info(report, 'storage sweep: temporary and orphan files removed');
  }
  return report;
}
