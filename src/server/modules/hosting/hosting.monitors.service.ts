import type { Monitor, MonitorInput } from '../../../contracts/hosting.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { invalidField } from '../../platform/errors.js';
import { enqueueMany } from '../../platform/jobs/queue.js';
import { type HostAllowList, type ProbeResult, parseTarget, probe } from './hosting.probe.js';
import * as repo from './hosting.repository.js';
import { addIncidentUpdate, openIncident } from './hosting.status.service.js';

/**
 * Monitors: declared by the hosting team, checked by durable jobs at their interval. A minute's
 * schedule (`hosting.monitors.tick`, one run per minute whatever the number of processes) claims the
 * due monitors with `FOR UPDATE SKIP LOCKED` and queues one check job each; a check writes one row
 * per due instant (a job run twice writes it once). N consecutive failures open an incident
 * (`major_outage`) on the monitor's service, the first success resolves it.
 */

export const MONITOR_TICK_JOB = 'hosting.monitors.tick';
export const MONITOR_CHECK_JOB = 'hosting.monitor.check';
export const CHECKS_DOWNSAMPLE_JOB = 'hosting.checks.downsample';
/** Single checks are kept this long, then folded per hour. */
export const CHECKS_KEPT_DAYS = 30;
const SYSTEM: AuditSource = { actorUserId: null, ipAddress: null };

function presentMonitor(row: repo.MonitorRow, serviceName: string): Monitor {
  return {
    id: row.id,
    serviceId: row.serviceId,
    serviceName,
    kind: row.kind,
    target: row.target,
    keyword: row.keyword,
    intervalSeconds: row.intervalSeconds,
    failuresBeforeIncident: row.failuresBeforeIncident,
    consecutiveFailures: row.consecutiveFailures,
    lastCheckAt: row.lastCheckAt?.toISOString() ?? null,
    lastOk: row.lastOk,
    lastMessage: row.lastMessage,
    lastResponseMs: row.lastResponseMs,
    openIncidentId: row.openIncidentId,
  };
}

export async function listMonitors(db: Executor): Promise<{ items: Monitor[] }> {
  const rows = await repo.listMonitors(db);
  return { items: rows.map((r) => presentMonitor(r.monitor, r.serviceName)) };
}

export async function createMonitor(
  db: Executor,
  input: MonitorInput,
  allowList: HostAllowList,
  source: AuditSource,
): Promise<{ id: string }> {
  const services = await repo.existingServices(db, [input.serviceId]);
  if (!services.has(input.serviceId)) throw invalidField('body.serviceId', 'service inconnu du catalogue');
  const target = parseTarget(input.kind, input.target);
  if (typeof target === 'string') throw invalidField('body.target', target);
  const checked = await allowList.check(target.host);
  if ('refused' in checked) throw invalidField('body.target', checked.refused);
  const id = await repo.insertMonitor(db, {
    serviceId: input.serviceId,
    kind: input.kind,
    target: input.target,
    keyword: input.kind === 'keyword' ? input.keyword : null,
    intervalSeconds: input.intervalSeconds,
    failuresBeforeIncident: input.failuresBeforeIncident,
    tlsWarningDays: input.tlsWarningDays,
    nextCheckAt: now(),
  });
  await recordAudit(db, {
    ...source,
    action: 'hosting.monitor.create',
    targetType: 'hosting_monitor',
    targetId: id,
  });
  return { id };
}

/** Checks per job at most: a minute of 2,000 monitors is a score of jobs, not 2,000 rows of the queue. */
export const CHECKS_PER_JOB = 100;
/** How far the minute's look reaches: until the next look. */
export const LOOK_AHEAD_MS = 60_000;
/** A job's checks fall due within this span; the job runs at the first of them (late ones at once). */
export const CHECK_SLOT_MS = 5_000;

/**
 * The minute's look: claims the checks falling due before the next look (each due instant once) and
 * queues them in jobs of at most CHECKS_PER_JOB checks due within CHECK_SLOT_MS of each other, each job
 * to run when its first check is due. Monitors created at different times fall due at different
 * instants of the minute, so their checks are spread over it as they fall due, instead of all running
 * at the minute's start (up to a minute late).
 */
export async function queueDueChecks(db: Executor, limit = 20_000): Promise<number> {
  const at = now();
  const due = await repo.claimDueMonitors(db, at, new Date(at.getTime() + LOOK_AHEAD_MS), limit);
  due.sort((a, b) => a.due.getTime() - b.due.getTime());
  const jobs = new Map<number, Record<string, unknown>[]>();
  let batch: { monitorId: string; due: string }[] = [];
  let batchAt = 0;
  for (const d of due) {
    const dueAt = Math.max(d.due.getTime(), at.getTime());
    if (batch.length === 0 || batch.length >= CHECKS_PER_JOB || dueAt - batchAt >= CHECK_SLOT_MS) {
      batch = [];
      batchAt = dueAt;
      jobs.set(batchAt, [...(jobs.get(batchAt) ?? []), { checks: batch }]);
    }
    batch.push({ monitorId: d.id, due: d.due.toISOString() });
  }
  for (const [runAt, payloads] of jobs) {
    await enqueueMany(db, MONITOR_CHECK_JOB, payloads, { maxAttempts: 2, runAt: new Date(runAt) });
  }
  return due.length;
}

/** What the probes need, read before they run (outside any transaction). */
export async function monitorsToProbe(db: Executor, monitorIds: readonly string[]) {
  const rows = await repo.findMonitors(db, monitorIds);
  return rows.filter((r) => r.active);
}

export async function runProbe(monitor: repo.MonitorRow, allowList: HostAllowList): Promise<ProbeResult> {
  return probe(
    {
      kind: monitor.kind,
      target: monitor.target,
      keyword: monitor.keyword,
      tlsWarningDays: monitor.tlsWarningDays,
    },
    allowList,
    now(),
  );
}

export interface CheckDone {
  monitorId: string;
  due: Date;
  result: ProbeResult;
}

/**
 * Records a job's checks: the successes of monitors that were not failing (almost all) in one
 * statement, in one transaction (`withTransaction`); each of the others (a failure, a recovery: an
 * incident may open or close) in a transaction of its own through `recordCheck`. Returns how many
 * checks took each path.
 */
export async function recordChecks(
  checks: readonly CheckDone[],
  inTransaction: <T>(work: (db: Executor) => Promise<T>) => Promise<T>,
): Promise<{ batched: number; single: number }> {
  const successes = checks.filter((c) => c.result.ok);
  const handled =
    successes.length === 0
      ? new Set<string>()
      : await inTransaction((db) =>
          repo.recordPlainSuccesses(
            db,
            successes.map((c) => ({
              monitorId: c.monitorId,
              at: c.due,
              responseMs: c.result.responseMs,
              message: c.result.message,
            })),
            now(),
          ),
        );
  let single = 0;
  for (const check of checks) {
    if (check.result.ok && handled.has(check.monitorId)) continue;
    single++;
    await inTransaction((db) => recordCheck(db, check.monitorId, check.due, check.result));
  }
  return { batched: checks.length - single, single };
}

/**
 * Records a check's result and moves the monitor's incident: opened after N failures in a row (from
 * the first failure), resolved by the first success. Returns false for a due instant already recorded.
 */
export async function recordCheck(
  db: Executor,
  monitorId: string,
  due: Date,
  result: ProbeResult,
): Promise<boolean> {
  const monitor = await repo.findMonitor(db, monitorId, true);
  if (!monitor) return false;
  const inserted = await repo.insertCheck(db, {
    monitorId,
    at: due,
    ok: result.ok,
    responseMs: result.responseMs,
    message: result.message,
    failures: result.ok ? 0 : 1,
  });
  if (!inserted) return false;
  const at = now();
  const last = {
    lastCheckAt: at,
    lastOk: result.ok,
    lastMessage: result.message,
    lastResponseMs: result.responseMs,
  };
  if (result.ok) {
    if (monitor.openIncidentId) {
      const incident = await repo.findIncident(db, monitor.openIncidentId);
      if (incident && !incident.resolvedAt) {
        await addIncidentUpdate(
          db,
          incident.id,
          { phase: 'resolved', message: `Le service répond de nouveau (${result.message}).` },
          SYSTEM,
        );
      }
    }
    await repo.updateMonitor(db, monitorId, {
      ...last,
      consecutiveFailures: 0,
      failingSince: null,
      openIncidentId: null,
    });
    return true;
  }
  const failures = monitor.consecutiveFailures + 1;
  const failingSince = monitor.failingSince ?? due;
  let openIncidentId = monitor.openIncidentId;
  if (failures >= monitor.failuresBeforeIncident && !openIncidentId) {
    const services = await repo.existingServices(db, [monitor.serviceId]);
    const name = services.get(monitor.serviceId) ?? 'service';
    const opened = await openIncident(
      db,
      {
        serviceIds: [monitor.serviceId],
        title: `Panne détectée : ${name}`,
        state: 'major_outage',
        message: `La surveillance automatique a constaté ${failures} échecs consécutifs (${result.message}).`,
        monitorId,
        startedAt: failingSince,
      },
      SYSTEM,
    );
    openIncidentId = opened.id;
  }
  await repo.updateMonitor(db, monitorId, {
    ...last,
    consecutiveFailures: failures,
    failingSince,
    openIncidentId,
  });
  return true;
}

export async function downsample(db: Executor): Promise<number> {
  return repo.downsampleChecks(db, new Date(now().getTime() - CHECKS_KEPT_DAYS * 86_400_000));
}
