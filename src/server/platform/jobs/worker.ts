import crypto from 'node:crypto';
import os from 'node:os';
import { CronExpressionParser } from 'cron-parser';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
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
  /** Jobs claimed and run together. */
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
/** One `runDue` stops after this many batches, so a job that keeps re-queueing itself cannot hold it. */
const MAX_BATCHES = 100;

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
 * main.ts starts polling. Tests call `runDue()` instead.
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
  private timer: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

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

  /** Polls every `pollMs` until `stop()`. */
  start(): void {
    if (this.pollMs <= 0 || this.timer || this.stopping) return;
    const tick = async () => {
      try {
        await this.runDue();
      } catch (err) {
        // The database is unreachable or being closed: try again at the next tick.
        this.log.error({ err }, 'job runner: poll failed');
      }
      if (!this.stopping) {
        this.timer = setTimeout(tick, this.pollMs);
        this.timer.unref();
      }
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
  }

  /** Stops polling and waits for the jobs being run to finish (none is abandoned half-way). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    })();
    return this.stopping;
  }

  /**
   * Enqueues the due scheduled runs (unless `schedules: false`), then runs every due job, batch after
   * batch, until none is left. Safe to call from several processes (or runners) at once.
   */
  runDue(options: { schedules?: boolean } = {}): Promise<RunReport> {
    const work = this.drain(options.schedules ?? true);
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  private async drain(withSchedules: boolean): Promise<RunReport> {
    const report: RunReport = { done: 0, failed: 0, scheduled: 0 };
    if (this.stopping || this.handlers.size === 0) return report;
    if (withSchedules) report.scheduled = await this.enqueueDueSchedules();
    await this.purge();
    for (let batch = 0; batch < MAX_BATCHES && !this.stopping; batch++) {
      const claimed = await this.claim();
      if (claimed.length === 0) break;
      const outcomes = await Promise.all(claimed.map((job) => this.execute(job)));
      for (const ok of outcomes) ok ? report.done++ : report.failed++;
    }
    return report;
  }

  private knownNames(): SQL {
    return inArray(jobs.name, this.names);
  }

  /**
   * Claims up to `concurrency` due jobs in one statement: due pending ones, and running ones whose
   * lease expired (their process died). Rows another runner is claiming are skipped, not waited for.
   *
   * Each kind is read by its own branch, an ordered range of its partial index (`jobs_due_idx` on
   * `run_at`, `jobs_lease_idx` on `locked_until`) stopped at the limit, and the two are merged: a
   * single `WHERE` with an `OR` of both conditions cannot follow either index in order, so it read and
   * sorted every due row (tens of milliseconds per claim with 10,000 queued, docs/PERFORMANCE.md).
   * Due jobs are taken oldest `run_at` first; jobs sharing a `run_at` (a batch queued together) in
   * the index's order. A row a branch locked but the merge left out is released when the statement
   * ends.
   */
  private async claim(): Promise<ClaimedJob[]> {
    const at = now();
    const limit = this.concurrency;
    return rowsOf<ClaimedJob>(
      await this.db.execute(sql`
        WITH due AS (
          SELECT id, run_at FROM jobs
          WHERE state = 'pending' AND run_at <= ${at} AND ${this.knownNames()}
          ORDER BY run_at
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED),
        expired AS (
          SELECT id, run_at FROM jobs
          WHERE state = 'running' AND locked_until < ${at} AND ${this.knownNames()}
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

  /** Runs one claimed job and records its outcome; true when it succeeded. */
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
    await this.db
      .update(jobs)
      .set({ state: 'done', finishedAt: now(), lockedBy: null, lockedUntil: null, lastError: null })
      .where(mine);
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
