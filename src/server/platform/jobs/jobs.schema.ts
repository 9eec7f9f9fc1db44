import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { JOB_STATES } from '../../../contracts/jobs.js';

const instant = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The durable job queue (platform/jobs/worker.ts). A row is inserted in the transaction of whoever
 * asks for the work, so the job exists exactly when that transaction commits. Payloads carry ids,
 * never personal data.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    payload: jsonb('payload').notNull().default({}),
    state: text('state', { enum: JOB_STATES }).notNull().default('pending'),
    /** Not before: the first run, then each retry. */
    runAt: instant('run_at').notNull().defaultNow(),
    /** Attempts started so far. */
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    /** At most one pending or running job per key: enqueueing it again is a no-op. */
    singletonKey: text('singleton_key'),
    /** The runner holding the lease, and until when: past it, another runner takes the job over. */
    lockedBy: text('locked_by'),
    lockedUntil: instant('locked_until'),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull().defaultNow(),
    finishedAt: instant('finished_at'),
  },
  (t) => [
    check('jobs_state_check', sql`state IN ('pending', 'running', 'done', 'dead')`),
    check('jobs_attempts_check', sql`attempts >= 0 AND max_attempts >= 1`),
    // What a runner claims: due pending jobs, and running ones whose lease expired.
    index('jobs_due_idx').on(t.runAt).where(sql`state = 'pending'`),
    index('jobs_lease_idx').on(t.lockedUntil).where(sql`state = 'running'`),
    uniqueIndex('jobs_singleton_idx').on(t.singletonKey).where(sql`state IN ('pending', 'running')`),
    // The operator page: newest first, all or one state.
    index('jobs_created_idx').on(t.createdAt, t.id),
    index('jobs_state_created_idx').on(t.state, t.createdAt, t.id),
  ],
);

/**
 * Recurring jobs: each row is claimed when due (FOR UPDATE SKIP LOCKED), its job enqueued and
 * `next_run_at` moved to the cron's next instant, so that one run happens per instant whatever the
 * number of processes. Rows are written from the schedules the code declares (JobRunner.schedule).
 */
export const jobSchedules = pgTable('job_schedules', {
  name: text('name').primaryKey(),
  /** Five-field cron, in Europe/Paris time. */
  cron: text('cron').notNull(),
  nextRunAt: instant('next_run_at').notNull(),
  lastRunAt: instant('last_run_at'),
});
