import type { Config } from '../../config.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import type { JobRunner } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { notifySeatRequest, SEAT_REQUEST_NOTIFY_JOB } from './hosting.licences.service.js';
import {
  CHECKS_DOWNSAMPLE_JOB,
  downsample,
  MONITOR_CHECK_JOB,
  MONITOR_TICK_JOB,
  monitorsToProbe,
  queueDueChecks,
  recordChecks,
  runProbe,
} from './hosting.monitors.service.js';
import { HostAllowList } from './hosting.probe.js';
import {
  notifySubscribers,
  rebuildStatusAnswer,
  STATUS_NOTIFY_JOB,
  STATUS_REBUILD_JOB,
} from './hosting.status.service.js';

/** Probes of one check job in flight at once. */
const PROBES_AT_ONCE = 20;

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface HostingJobDeps {
  mailer: Mailer;
  config: Pick<Config, 'MONITOR_ALLOWED_HOSTS' | 'MONITOR_ALLOW_LOOPBACK' | 'publicUrl'>;
}

/** The allow-list of monitor targets the configuration names. */
export const allowListOf = (config: HostingJobDeps['config']) =>
  new HostAllowList(config.MONITOR_ALLOWED_HOSTS, config.MONITOR_ALLOW_LOOPBACK);

/**
 * The hosting module's background work: the minute's look at due monitors (one run per minute
 * across processes), each check (probe outside any transaction, then its row and the incident moves
 * in one), the nightly folding of old checks, the subscribers' mails of status changes, and the
 * hosting team's mail of a member's request for more seats.
 */
export function registerHostingJobs(jobs: JobRunner, deps: HostingJobDeps): void {
  const allowList = allowListOf(deps.config);
  jobs.register(MONITOR_TICK_JOB, async (_payload, { db }) => {
    await withTenant(db, SYSTEM_OPERATOR, (tx) => queueDueChecks(tx));
  });
  jobs.schedule(MONITOR_TICK_JOB, '* * * * *');
  jobs.register(MONITOR_CHECK_JOB, async (payload, { db }) => {
    const checks = (Array.isArray(payload.checks) ? payload.checks : [])
      .map((c: { monitorId?: unknown; due?: unknown }) => ({
        monitorId: String(c.monitorId),
        due: new Date(String(c.due)),
      }))
      .filter((c) => !Number.isNaN(c.due.getTime()));
    // A plain read on the owner connection (no transaction: it sees what the system would).
    const monitors = await monitorsToProbe(
      db,
      checks.map((c) => c.monitorId),
    );
    const byId = new Map(monitors.map((m) => [m.id, m]));
    // Probes run together (each waits on the network), outside any transaction.
    const results = await mapLimited(checks, PROBES_AT_ONCE, async (check) => {
      const monitor = byId.get(check.monitorId);
      return monitor ? { ...check, result: await runProbe(monitor, allowList) } : null;
    });
    // The plain successes in one statement, each failure or recovery in its own transaction.
    await recordChecks(
      results.filter((r) => r !== null),
      (work) => withTenant(db, SYSTEM_OPERATOR, work),
    );
  });
  jobs.register(CHECKS_DOWNSAMPLE_JOB, async (_payload, { db, log }) => {
    const folded = await withTenant(db, SYSTEM_OPERATOR, (tx) => downsample(tx));
    log.info({ folded }, 'hosting checks downsampled');
  });
  jobs.schedule(CHECKS_DOWNSAMPLE_JOB, '30 3 * * *');
  // The stored status answer moved on by time alone: at Paris midnight (its 90 days shift by one), and
  // at the instants each rebuild queues (a maintenance starting or ending…). One statement, as the owner.
  jobs.register(STATUS_REBUILD_JOB, async (_payload, { db }) => {
    await rebuildStatusAnswer(db);
  });
  jobs.schedule(STATUS_REBUILD_JOB, '0 0 * * *');
  jobs.register(STATUS_NOTIFY_JOB, async (payload, { db }) => {
    await withTenant(db, SYSTEM_OPERATOR, (tx) =>
      notifySubscribers(
        tx,
        deps.mailer,
        {
          updateId: typeof payload.updateId === 'string' ? payload.updateId : undefined,
          incidentId: typeof payload.incidentId === 'string' ? payload.incidentId : undefined,
          maintenanceId: typeof payload.maintenanceId === 'string' ? payload.maintenanceId : undefined,
        },
        deps.config.publicUrl,
      ),
    );
  });
  // A member's request for more seats: the hosting team is mailed, once.
  jobs.register(SEAT_REQUEST_NOTIFY_JOB, async (payload, { db }) => {
    if (typeof payload.requestId !== 'string') return;
    const requestId = payload.requestId;
    await withTenant(db, SYSTEM_OPERATOR, (tx) =>
      notifySeatRequest(tx, { mailer: deps.mailer, publicUrl: deps.config.publicUrl }, requestId),
    );
  });
}
