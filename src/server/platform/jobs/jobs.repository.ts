import { and, asc, count, desc, eq } from 'drizzle-orm';
import type { JobState } from '../../../contracts/jobs.js';
import { type Executor, toCount } from '../db/client.js';
import { afterCursor, type CursorValue, cursorInstant } from '../http/pagination.js';
import { jobSchedules, jobs } from './jobs.schema.js';

export interface JobFilter {
  state?: JobState;
  name?: string;
}

const columns = {
  id: jobs.id,
  name: jobs.name,
  state: jobs.state,
  attempts: jobs.attempts,
  maxAttempts: jobs.maxAttempts,
  runAt: jobs.runAt,
  lastError: jobs.lastError,
  createdAt: jobs.createdAt,
  finishedAt: jobs.finishedAt,
};

const where = (filter: JobFilter) =>
  and(
    filter.state ? eq(jobs.state, filter.state) : undefined,
    filter.name ? eq(jobs.name, filter.name) : undefined,
  );

/** Newest first, `limit + 1` rows after the cursor. */
export async function listJobs(
  db: Executor,
  filter: JobFilter,
  limit: number,
  cursor: { sortValue: CursorValue; id: string } | null,
) {
  return db
    .select({ ...columns, cursorAt: cursorInstant(jobs.createdAt) })
    .from(jobs)
    .where(and(where(filter), afterCursor(jobs.createdAt, jobs.id, cursor, true)))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit + 1);
}

export async function countJobs(db: Executor, filter: JobFilter): Promise<number> {
  const [row] = await db.select({ n: count() }).from(jobs).where(where(filter));
  return toCount(row?.n);
}

export async function findJob(db: Executor, id: string) {
  const [row] = await db.select(columns).from(jobs).where(eq(jobs.id, id));
  return row ?? null;
}

/** A dead job back to pending, due now, with a full set of attempts; null when it is not dead. */
export async function reviveDeadJob(db: Executor, id: string, at: Date) {
  const [row] = await db
    .update(jobs)
    .set({ state: 'pending', runAt: at, attempts: 0, finishedAt: null })
    .where(and(eq(jobs.id, id), eq(jobs.state, 'dead')))
    .returning(columns);
  return row ?? null;
}

export async function listSchedules(db: Executor) {
  return db.select().from(jobSchedules).orderBy(asc(jobSchedules.name));
}
