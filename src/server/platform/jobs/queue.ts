import { type SQL, sql } from 'drizzle-orm';
import { now } from '../clock.js';
import type { Executor } from '../db/client.js';
import { isUniqueViolation } from '../errors.js';
import { jobs } from './jobs.schema.js';

export interface EnqueueOptions {
  /** Not before this instant (default: now). */
  runAt?: Date;
  /**
   * While a job with this key is pending or running, enqueueing another one with the same key does
   * nothing: re-enqueueing is idempotent.
   */
  singletonKey?: string;
  /** Attempts before the job is declared dead (default 5). */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

let calls = 0;
/**
 * How many times this process called `enqueue` (committed or not). The test app runs the queue after
 * a request only when this moved, instead of querying it after every request.
 */
export const enqueueCalls = (): number => calls;
/** For code that queues jobs in SQL of its own (platform/events): counts as an `enqueue` call. */
export const noteEnqueued = (): void => {
  calls++;
};

/**
 * Queues the job `name` in the caller's transaction: it exists if and only if that transaction
 * commits, so work asked for by a rolled-back action never runs. `payload` holds ids and codes, never
 * personal data or secrets (it is stored as it is and shown to operator admins on failure).
 * Nothing is read back: a visitor's or a member's transaction may append jobs but not read them
 * (RLS), which also rules out `ON CONFLICT` (PostgreSQL then checks the row against the read policy).
 * A job with a singleton key is inserted in a savepoint, and the unique index's refusal means "already
 * queued".
 */
export async function enqueue(
  db: Executor,
  name: string,
  payload: Record<string, unknown> = {},
  options: EnqueueOptions = {},
): Promise<void> {
  calls++;
  // Dated by the platform's clock (not the database's): the jobs page lists them in the order they
  // were queued, to the millisecond the database's clock may not tell apart.
  const at = now();
  const row = {
    name,
    payload,
    createdAt: at,
    runAt: options.runAt ?? at,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    singletonKey: options.singletonKey ?? null,
  };
  if (!row.singletonKey) {
    await db.insert(jobs).values(row);
    return;
  }
  try {
    await db.transaction(async (savepoint) => {
      await savepoint.insert(jobs).values(row);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}

/**
 * Queues many jobs of one name in one statement (no singleton keys): for work fanned out per
 * recipient, whose handler is idempotent itself.
 */
export async function enqueueMany(
  db: Executor,
  name: string,
  payloads: readonly Record<string, unknown>[],
  options: Omit<EnqueueOptions, 'singletonKey'> = {},
): Promise<void> {
  if (payloads.length === 0) return;
  calls++;
  const createdAt = now();
  const runAt = options.runAt ?? createdAt;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  await db
    .insert(jobs)
    .values(
      payloads.map((payload) => ({ name, payload, createdAt, runAt, maxAttempts, singletonKey: null })),
    );
}

/**
 * Queues many jobs of one name, each with its own singleton key, in one statement (a savepoint):
 * for a batch whose items were each checked not to have their job queued yet. When one key turns out
 * to be queued already (the unique index refuses the statement), the batch falls back to one
 * `enqueue` per job, which skips the queued ones: the outcome is the same, only slower.
 */
export async function enqueueEach(
  db: Executor,
  name: string,
  items: readonly { payload: Record<string, unknown>; singletonKey: string }[],
  options: Omit<EnqueueOptions, 'singletonKey'> = {},
): Promise<void> {
  if (items.length === 0) return;
  calls++;
  const createdAt = now();
  const runAt = options.runAt ?? createdAt;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  try {
    await db.transaction(async (savepoint) => {
      await savepoint.insert(jobs).values(
        items.map(({ payload, singletonKey }) => ({
          name,
          payload,
          createdAt,
          runAt,
          maxAttempts,
          singletonKey,
        })),
      );
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    for (const { payload, singletonKey } of items) {
      await enqueue(db, name, payload, { ...options, singletonKey });
    }
  }
}

/**
 * One job's `INSERT`, for a statement of the caller's that queues it only when `source` yields a row
 * (a data-modifying CTE's output, or `acts WHERE …`): `INSERT INTO jobs … SELECT … FROM source`. With a
 * singleton key, a job already pending or running under that key makes it insert nothing
 * (`ON CONFLICT … DO NOTHING`), as `enqueue` does. For the **owner connection only** (a job handler's
 * `db`): under RLS PostgreSQL checks an `ON CONFLICT` insert against the read policy, which tenants do
 * not pass (see `enqueue`). Lets a job record its outcome and queue its follower in one round trip.
 */
export function jobInsert(
  name: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions,
  source: SQL,
): SQL {
  calls++;
  const at = now();
  return sql`INSERT INTO jobs (name, payload, created_at, run_at, max_attempts, singleton_key)
    SELECT ${name}, ${JSON.stringify(payload)}::jsonb, ${at}, ${options.runAt ?? at},
      ${options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}, ${options.singletonKey ?? null}::text
    FROM ${source}
    ON CONFLICT (singleton_key) WHERE state IN ('pending', 'running') DO NOTHING`;
}
