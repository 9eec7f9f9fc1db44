import type { Job, JobSchedule } from '../../../contracts/jobs.js';
import { type AuditSource, recordAudit } from '../audit/audit.js';
import { now } from '../clock.js';
import type { Tx } from '../db/client.js';
import { conflict, notFound, uniqueOr } from '../errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../http/pagination.js';
import {
  countJobs,
  findJob,
  type JobFilter,
  listJobs,
  listSchedules,
  reviveDeadJob,
} from './jobs.repository.js';

type JobRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

const toJob = (r: JobRow): Job => ({
  id: r.id,
  name: r.name,
  state: r.state,
  attempts: r.attempts,
  maxAttempts: r.maxAttempts,
  runAt: r.runAt.toISOString(),
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
  finishedAt: iso(r.finishedAt),
});

/** The operator page: jobs newest first, optionally of one state or name. */
export async function jobsPage(tx: Tx, filter: JobFilter, page: { limit: number; cursor?: string }) {
  const rows = await listJobs(tx, filter, page.limit, decodeCursor(page.cursor));
  const { items, nextCursor } = pageOf(rows, page.limit, (r) => encodeCursor(r.cursorAt, r.id));
  return {
    items: items.map(({ cursorAt: _, ...r }) => toJob(r)),
    total: await countJobs(tx, filter),
    nextCursor,
  };
}

export async function schedules(tx: Tx): Promise<{ items: JobSchedule[] }> {
  const rows = await listSchedules(tx);
  return {
    items: rows.map((r) => ({
      name: r.name,
      cron: r.cron,
      nextRunAt: r.nextRunAt.toISOString(),
      lastRunAt: iso(r.lastRunAt),
    })),
  };
}

/**
 * Gives a dead job a new full set of attempts, due now (its last error stays until it runs). Refused
 * when the job is not dead, or when another job with its singleton key is already waiting.
 */
export async function retryJob(tx: Tx, id: string, source: AuditSource): Promise<Job> {
  const revived = await uniqueOr(
    () => reviveDeadJob(tx, id, now()),
    () => conflict('Un travail identique est déjà en attente : inutile de relancer celui-ci.'),
  );
  if (!revived) {
    const job = await findJob(tx, id);
    if (!job) throw notFound("Ce travail n'existe pas.");
    throw conflict('Seul un travail abandonné peut être relancé.');
  }
  await recordAudit(tx, {
    action: 'jobs.retried',
    ...source,
    targetType: 'job',
    targetId: id,
    details: { name: revived.name },
  });
  return toJob(revived);
}
