import crypto from 'node:crypto';
import os from 'node:os';
import { CronExpressionParser } from 'cron-parser';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { now } from '../clock.js';
import { type Db, rowsOf } from '../db/client.js';
import { scrubMessage } from '../logger.js';
import { jobSchedules, jobs } from './jobs.schema.js';
import { enqueue } from './queue.js';

/** What a handler is given besides its payload. */
export interface JobContext {
  /** The owner connection: open transactions with withTenant(db, SYSTEM_OPERATOR, …). */
  db: Db;
  job: { id: string; name: string; attempt: number; maxAttempts: number };
  log: JobLog;
}

/**
 * Does the work of one job. It runs at least once per job (again after a failure or when its process
 * died before recording the outcome), so it must be idempotent. A throw is a failed attempt.
 */
export type JobHandler = (payload: Record<string, unknown>, context: JobContext) => Promise<void>;

export interface JobLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

const silent: JobLog = { info() {}, warn() {}, error() {} };

export interface RunnerOptions {
  /** Pause between two polls when the queue is empty; 0 turns polling off (`start()` does nothing). */
  pollMs?: number;
  /** Jobs run at the same time: a slot freed by a finished job is filled by the next claim. */
  concurrency?: number;
  /** How long a claim holds before another runner may take the job over; renewed while it runs. */
  leaseMs?: number;
  log?: JobLog;
}

export interface RunReport {
  /** Jobs that succeeded. */
  done: number;
  /** Attempts that failed (retried later or dead). */
  failed: number;
  /** Scheduled runs enqueued. */
  scheduled: number;
}

export const SCHEDULE_TIME_ZONE = 'Europe/Paris';
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 3_600_000;
/** Finished jobs are kept this long for the operator page, then deleted. */
const KEEP_DONE_MS = 14 * 86_400_000;
const KEEP_DEAD_MS = 90 * 86_400_000;
const PURGE_EVERY_MS = 3_600_000;
const INTERRUPTED = "Interrompu : le processus qui l'exécutait s'est arrêté pendant la dernière tentative.";
/**
 * One `runDue` claims at most this many jobs per slot (`concurrency`), so a job that keeps re-queueing
 * itself cannot hold it.
 */
const MAX_JOBS_PER_SLOT = 100;

/** Delay before retrying after failed attempt number `attempt` (1-based): 30 s, 1 min, 2 min… 1 h. */
export function retryDelayMs(attempt: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1), RETRY_MAX_MS);
}

/** The first instant strictly after `after` that `cron` names, read in Europe/Paris time. */
export function nextCronRun(cron: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { tz: SCHEDULE_TIME_ZONE, currentDate: after }).next().toDate();
}

/**
 * The message stored for a failed attempt: addresses and URL credentials masked, at most 500
 * characters. Handlers should throw messages without personal data; this is the safety net.
 */
export function safeErrorMessage(error: unknown): string {
  const masked = scrubMessage(error instanceof Error ? error.message : String(error));
  return masked.length > 500 ? `${masked.slice(0, 499)}…` : masked;
}

/** A PostgreSQL array literal of plain values (ids, job names), each quoted (`"` and `\` escaped). */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

interface ClaimedJob {
  id: string;
  name: string;
  payload: Record<string, unknown> | null;
  attempts: number;
  max_attempts: number;
}

/**
 * Runs the jobs of the `jobs` table (the same code on PGlite and PostgreSQL): a runner claims due
 * jobs with `FOR UPDATE SKIP LOCKED` and a lease (`locked_until`), so that across processes one
 * runner at a time holds a job, and a job whose process died is taken over once its lease expires.
 * A failed attempt is retried with exponential backoff; after `max_attempts` the job is `dead` and
 * shows on the operator page with its last error. Schedules (cron, Europe/Paris) enqueue one job per
 * instant whatever the number of processes.
 *
 * Modules register their handlers (`register`) and schedules (`schedule`) when the app is built;
 * main.ts starts polling. Tests call `runDue()` instead. Either way a slot freed by a finished job is
 * filled by the next claim: one slow job (an HTTP call, a long poll) does not hold the others idle.
 */
export class JobRunner {
  readonly id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly schedules = new Map<string, string>();
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly log: JobLog;
  private schedulesWritten = false;
  private lastPurge = 0;
  private polling = false;
  private stopping: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Drains waiting for a slot or a tick, and the poll loop's pause: `wake()` and `stop()` resume them. */
  private readonly wakers = new Set<(wake: boolean) => void>();

  constructor(
    private readonly db: Db,
    options: RunnerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.log = options.log ?? silent;
  }

  /** The handler of the jobs named `name` (one per name). */
  register(name: string, handler: JobHandler): this {
    if (this.handlers.has(name)) throw new Error(`job ${name} already has a handler`);
    this.handlers.set(name, handler);
    return this;
  }

  /**
   * Runs the job `name` (registered with `register`) at every instant of `cron`, a five-field cron
   * expression read in Europe/Paris time (`0 7 * * *`: every day at 07:00 in Paris, summer or winter).
   */
  schedule(name: string, cron: string): this {
    nextCronRun(cron, new Date()); // a malformed expression fails here, when the app is built
    this.schedules.set(name, cron);
    return this;
  }

  get names(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Runs jobs until `stop()`: claims as many due jobs as free slots whenever a job finishes, every
   * `pollMs` while jobs run, and after a pause of `pollMs` once the queue is empty (or at once on
   * `wake()`).
   */
  start(): void {
    if (this.pollMs <= 0 || this.polling || this.stopping) return;
    this.polling = true;
    this.track(this.poll());
  }

  /**
   * Tells the runner that jobs were queued and committed in this process: a pausing runner claims at
   * once instead of at the end of its pause. Does nothing when it is not running.
   */
  wake(): void {
    for (const wake of [...this.wakers]) wake(true);
  }

  /** Stops claiming and waits for the jobs being run to finish (none is abandoned half-way). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const wake of [...this.wakers]) wake(false);
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    })();
    return this.stopping;
  }

  /**
   * Enqueues the due scheduled runs (unless `schedules: false`), then runs every due job, claiming
   * as slots free up, until none is left. Safe to call from several processes (or runners) at once.
   */
  runDue(options: { schedules?: boolean } = {}): Promise<RunReport> {
    return this.track(this.drain(options.schedules ?? true, MAX_JOBS_PER_SLOT * this.concurrency));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  private async poll(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.drain(true, Number.POSITIVE_INFINITY);
      } catch (err) {
        // The database is unreachable or being closed: try again after the pause.
        this.log.error({ err }, 'job runner: poll failed');
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wakers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, this.pollMs);
        timer.unref();
        this.wakers.add(done);
      });
    }
  }

  /**
   * Keeps up to `concurrency` jobs running: claims as many due jobs as there are free slots (one
   * claim at a time), and claims again whenever a job has finished since the last claim, until a claim
   * made after the last job finished finds nothing and nothing runs. A job's handler commits the jobs
   * it queues before it finishes, so the claim after its end sees them. (A counter of `enqueue` calls
   * cannot tell instead: it moves when `enqueue` is called, before the caller commits, so a claim made
   * in between would miss the job and the counter would say it was seen — a job queued by the last
   * running job, such as a mail, then waited for the next poll.) Also claims every `pollMs` while jobs
   * run (jobs may have come due, or been queued by another process) and on `wake()`. Stops claiming on
   * `stop()` or after `maxJobs`, and returns once its running jobs have finished.
   */
  private async drain(withSchedules: boolean, maxJobs: number): Promise<RunReport> {
    const report: RunReport = { done: 0, failed: 0, scheduled: 0 };
    if (this.stopping || this.handlers.size === 0) return report;
    if (withSchedules) report.scheduled = await this.enqueueDueSchedules();
    await this.purge();
    const running = new Set<Promise<void>>();
    /**
     * Jobs whose handler succeeded, their `done` not yet written: the next claim writes it in the same
     * statement (one round trip per job fewer), or `recordDone` when no claim follows. Until then the
     * row stays `running` under this runner's lease, as while its handler ran: a process stopping in
     * between leaves the job to be taken over and run again, which handlers allow (at least once).
     */
    const finished: string[] = [];
    let failure = null as { error: unknown } | null;
    let claimed = 0;
    /** Whether a claim may find jobs: the last one filled what it asked for, a job finished since, a tick or a wake. */
    let more = true;
    let signalled = false;
    let lastTick = Date.now();
    let resume: (() => void) | null = null;
    const signal = (claimAgain: boolean) => {
      signalled = true;
      if (claimAgain) more = true;
      resume?.();
    };
    this.wakers.add(signal);
    try {
      while (!this.stopping && !failure) {
        if (this.pollMs > 0 && Date.now() - lastTick >= this.pollMs) {
          lastTick = Date.now();
          more = true;
          if (withSchedules) report.scheduled += await this.enqueueDueSchedules();
          await this.purge();
          if (this.stopping) break;
        }
        const free = Math.min(this.concurrency - running.size, maxJobs - claimed);
        if (free > 0 && more) {
          // Cleared before the statement: a job finishing while it runs sets it again.
          more = false;
          const jobs = await this.claim(free, finished.splice(0));
          claimed += jobs.length;
          if (jobs.length === free) more = true;
          for (const job of jobs) {
            const run: Promise<void> = this.execute(job)
              .then(
                (ok) => {
                  if (ok) {
                    report.done++;
                    finished.push(job.id);
                  } else report.failed++;
                },
                (error: unknown) => {
                  // The outcome could not be written (the database went away): stop claiming.
                  failure ??= { error };
                },
              )
              .finally(() => {
                running.delete(run);
                signal(true);
              });
            running.add(run);
          }
          continue;
        }
        if (running.size === 0) break;
        // No claim now (every slot busy, or `maxJobs` reached): outcomes are not left waiting for one.
        if (finished.length > 0) {
          await this.recordDone(finished.splice(0));
          continue;
        }
        // Wait for a job to finish, `wake()`, `stop()` or the next tick (`pollMs` after the last one).
        if (!signalled) {
          await new Promise<void>((resolve) => {
            resume = resolve;
            if (this.pollMs > 0) {
              const timer = setTimeout(resolve, Math.max(0, lastTick + this.pollMs - Date.now()));
              timer.unref();
              resume = () => {
                clearTimeout(timer);
                resolve();
              };
            }
          });
          resume = null;
        }
        signalled = false;
      }
    } finally {
      this.wakers.delete(signal);
      await Promise.all(running);
      if (finished.length > 0) {
        try {
          await this.recordDone(finished.splice(0));
        } catch (error) {
          failure ??= { error };
        }
      }
    }
    if (failure) throw failure.error;
    return report;
  }

  /** The registered names as one array parameter (one statement text whatever their number). */
  private namesLiteral(): string {
    return arrayLiteral(this.names);
  }

  /** Marks jobs whose handler succeeded as done (only those this runner still holds). */
  private async recordDone(ids: readonly string[]): Promise<void> {
    await this.db.execute(sql`
      UPDATE jobs SET state = 'done', finished_at = ${now()}, locked_by = NULL, locked_until = NULL,
        last_error = NULL
      WHERE id = ANY(${arrayLiteral(ids)}::uuid[]) AND locked_by = ${this.id} AND state = 'running'`);
  }

  /**
   * Claims up to `limit` due jobs in one statement: due pending ones, and running ones whose
   * lease expired (their process died). Rows another runner is claiming are skipped, not waited for.
   *
   * Each kind is read by its own branch, an ordered range of its partial index (`jobs_due_idx` on
   * `run_at`, `jobs_lease_idx` on `locked_until`) stopped at the limit, and the two are merged: a
   * single `WHERE` with an `OR` of both conditions cannot follow either index in order, so it read and
   * sorted every due row (tens of milliseconds per claim with 10,000 queued, docs/PERFORMANCE.md).
   * Due jobs are taken oldest `run_at` first; jobs sharing a `run_at` (a batch queued together) in
   * the index's order. A row a branch locked but the merge left out is released when the statement
   * ends.
   *
   * The same statement first marks `done` the jobs this runner finished since its last claim
   * (`finished`): a job's outcome and the claim of the slot it freed are one round trip, not two.
   * They are still `running` with this runner's lease, so the `expired` branch leaves them out.
   */
  private async claim(limit: number, finished: readonly string[]): Promise<ClaimedJob[]> {
    const at = now();
    const names = this.namesLiteral();
    const done = arrayLiteral(finished);
    return rowsOf<ClaimedJob>(
      await this.db.execute(sql`
        WITH finished AS (
          UPDATE jobs SET state = 'done', finished_at = ${at}, locked_by = NULL, locked_until = NULL,
            last_error = NULL
          WHERE id = ANY(${done}::uuid[]) AND locked_by = ${this.id} AND state = 'running'),
        due AS (
          SELECT id, run_at FROM jobs
          WHERE state = 'pending' AND run_at <= ${at} AND name = ANY(${names}::text[])
          ORDER BY run_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED),
        expired AS (
          SELECT id, run_at FROM jobs
          WHERE state = 'running' AND locked_until < ${at} AND name = ANY(${names}::text[])
            AND id <> ALL(${done}::uuid[])
          ORDER BY locked_until
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED),
        next AS (
          SELECT id FROM (SELECT id, run_at FROM due UNION ALL SELECT id, run_at FROM expired) AS candidates
          ORDER BY run_at
          LIMIT ${limit})
        UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, locked_by = ${this.id},
          locked_until = ${new Date(at.getTime() + this.leaseMs)}
        FROM next WHERE jobs.id = next.id
        RETURNING jobs.id, jobs.name, jobs.payload, jobs.attempts, jobs.max_attempts`),
    );
  }

  /** Runs one claimed job; records a failure's outcome; true when it succeeded (see drain for `done`). */
  private async execute(job: ClaimedJob): Promise<boolean> {
    const handler = this.handlers.get(job.name);
    const mine = and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.id), eq(jobs.state, 'running'));
    const renew = setInterval(
      () => {
        this.db
          .update(jobs)
          .set({ lockedUntil: new Date(now().getTime() + this.leaseMs) })
          .where(mine)
          .catch(() => {});
      },
      Math.max(1000, Math.floor(this.leaseMs / 3)),
    );
    renew.unref();
    const context: JobContext = {
      db: this.db,
      job: { id: job.id, name: job.name, attempt: job.attempts, maxAttempts: job.max_attempts },
      log: this.log,
    };
    try {
      // Taken over after its last attempt's runner vanished (a crash, perhaps caused by the job itself):
      // not run again.
      if (job.attempts > job.max_attempts) throw new Error(INTERRUPTED);
      if (!handler) throw new Error(`Aucun traitement n'est enregistré pour ${job.name}.`);
      await handler(job.payload ?? {}, context);
    } catch (error) {
      clearInterval(renew);
      const message = safeErrorMessage(error);
      const at = now();
      const dead = job.attempts >= job.max_attempts;
      const attempts = Math.min(job.attempts, job.max_attempts);
      await this.db
        .update(jobs)
        .set(
          dead
            ? {
                state: 'dead',
                attempts,
                finishedAt: at,
                lockedBy: null,
                lockedUntil: null,
                lastError: message,
              }
            : {
                state: 'pending',
                runAt: new Date(at.getTime() + retryDelayMs(job.attempts)),
                lockedBy: null,
                lockedUntil: null,
                lastError: message,
              },
        )
        .where(mine);
      const fields = { jobId: job.id, job: job.name, attempt: job.attempts, error: message };
      if (dead) this.log.error(fields, 'job dead after its last attempt');
      else this.log.warn(fields, 'job attempt failed, will retry');
      return false;
    }
    clearInterval(renew);
    // Its `done` is written by the runner's next claim (or recordDone): see drain.
    return true;
  }

  /** Writes the declared schedules once per runner; a changed cron moves its next run. */
  private async writeSchedules(at: Date): Promise<void> {
    if (this.schedulesWritten) return;
    const rows = [...this.schedules].map(([name, cron]) => ({
      name,
      cron,
      nextRunAt: nextCronRun(cron, at),
    }));
    await this.db
      .insert(jobSchedules)
      .values(rows)
      .onConflictDoUpdate({
        target: jobSchedules.name,
        set: { cron: sql`excluded.cron`, nextRunAt: sql`excluded.next_run_at` },
        setWhere: sql`${jobSchedules.cron} <> excluded.cron`,
      });
    this.schedulesWritten = true;
  }

  /**
   * Claims the due schedules this runner knows (another runner holding one is skipped), enqueues one
   * job per schedule keyed `name@instant`, and moves each to its next instant after now: a process
   * that was down for three days runs a daily schedule once, not three times.
   */
  private async enqueueDueSchedules(): Promise<number> {
    if (this.schedules.size === 0) return 0;
    const at = now();
    await this.writeSchedules(at);
    return this.db.transaction(async (tx) => {
      const due = rowsOf<{ name: string; cron: string; next_run_at: Date | string }>(
        await tx.execute(sql`
          SELECT name, cron, next_run_at FROM job_schedules
          WHERE next_run_at <= ${at} AND ${inArray(jobSchedules.name, [...this.schedules.keys()])}
          FOR UPDATE SKIP LOCKED`),
      );
      for (const schedule of due) {
        const instant = new Date(schedule.next_run_at);
        await enqueue(
          tx,
          schedule.name,
          { scheduledAt: instant.toISOString() },
          { runAt: instant, singletonKey: `${schedule.name}@${instant.toISOString()}` },
        );
        await tx
          .update(jobSchedules)
          .set({ nextRunAt: nextCronRun(schedule.cron, at), lastRunAt: instant })
          .where(eq(jobSchedules.name, schedule.name));
      }
      return due.length;
    });
  }

  /** Deletes old finished jobs, at most once an hour per runner. */
  private async purge(): Promise<void> {
    const at = now();
    if (Math.abs(at.getTime() - this.lastPurge) < PURGE_EVERY_MS) return;
    this.lastPurge = at.getTime();
    await this.db.execute(sql`
      DELETE FROM jobs
      WHERE (state = 'done' AND finished_at < ${new Date(at.getTime() - KEEP_DONE_MS)})
         OR (state = 'dead' AND finished_at < ${new Date(at.getTime() - KEEP_DEAD_MS)})`);
  }
}
