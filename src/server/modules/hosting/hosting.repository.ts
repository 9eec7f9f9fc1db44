import { and, asc, count, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client.js';
import { rowsOf } from '../../platform/db/client.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { rgpdProcessors } from '../rgpd/rgpd.schema.js';
import {
  hostingBackups,
  hostingChecks,
  hostingContinuityDocuments,
  hostingContinuityPlans,
  hostingIncidentServices,
  hostingIncidents,
  hostingIncidentUpdates,
  hostingInstances,
  hostingLicenceUsage,
  hostingMaintenanceServices,
  hostingMaintenances,
  hostingMonitors,
  hostingRestoreTests,
  hostingSeatRequests,
} from './hosting.schema.js';

export type InstanceRow = typeof hostingInstances.$inferSelect & {
  serviceName: string;
  processorName: string | null;
  processorTransfers: boolean | null;
};
export type RestoreTestRow = typeof hostingRestoreTests.$inferSelect;
export type BackupRow = typeof hostingBackups.$inferSelect;
export type ContinuityDocumentRow = typeof hostingContinuityDocuments.$inferSelect;
export type IncidentRow = typeof hostingIncidents.$inferSelect;
export type UpdateRow = typeof hostingIncidentUpdates.$inferSelect;
export type MaintenanceRow = typeof hostingMaintenances.$inferSelect;
export type MonitorRow = typeof hostingMonitors.$inferSelect;

// Instances ---------------------------------------------------------------------------------------

/** A live subscription of the member (read under the caller's tenant). */
export async function liveSubscription(
  db: Executor,
  memberId: string,
  subscriptionId: string,
): Promise<{ serviceId: string } | undefined> {
  const [row] = rowsOf<{ service_id: string }>(
    await db.execute(sql`SELECT service_id FROM subscriptions
      WHERE id = ${subscriptionId} AND member_id = ${memberId}
        AND status IN ('active', 'termination_requested')`),
  );
  return row ? { serviceId: row.service_id } : undefined;
}

export async function processorExists(db: Executor, processorId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: rgpdProcessors.id })
    .from(rgpdProcessors)
    .where(eq(rgpdProcessors.id, processorId));
  return Boolean(row);
}

export async function insertInstance(db: Executor, values: typeof hostingInstances.$inferInsert) {
  const [row] = await db.insert(hostingInstances).values(values).returning({ id: hostingInstances.id });
  if (!row) throw new Error('instance not inserted');
  return row.id;
}

export async function updateInstanceRow(
  db: Executor,
  memberId: string,
  instanceId: string,
  values: Partial<typeof hostingInstances.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(hostingInstances)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(hostingInstances.memberId, memberId), eq(hostingInstances.id, instanceId)))
    .returning({ id: hostingInstances.id });
  return rows.length > 0;
}

export async function instancesOf(
  db: Executor,
  memberId: string,
  instanceId?: string,
): Promise<InstanceRow[]> {
  const rows = await db
    .select({
      instance: hostingInstances,
      serviceName: catalogueServices.name,
      processorName: rgpdProcessors.name,
      processorTransfers: rgpdProcessors.transfersOutsideEu,
    })
    .from(hostingInstances)
    .innerJoin(catalogueServices, eq(catalogueServices.id, hostingInstances.serviceId))
    .leftJoin(rgpdProcessors, eq(rgpdProcessors.id, hostingInstances.processorId))
    .where(
      and(
        eq(hostingInstances.memberId, memberId),
        instanceId ? eq(hostingInstances.id, instanceId) : undefined,
      ),
    )
    .orderBy(asc(catalogueServices.name), asc(hostingInstances.name));
  return rows.map((r) => ({
    ...r.instance,
    serviceName: r.serviceName,
    processorName: r.processorName,
    processorTransfers: r.processorTransfers,
  }));
}

/**
 * Records a backup run of the member's instance; a success moves the instance's last success forward
 * (never back: a run recorded late does not hide a later one). False when the instance is not the member's.
 */
export async function insertBackup(
  db: Executor,
  values: typeof hostingBackups.$inferInsert & { succeeded: boolean },
): Promise<boolean> {
  const [instance] = await db
    .update(hostingInstances)
    .set(
      values.succeeded
        ? {
            lastBackupAt: sql`GREATEST(${hostingInstances.lastBackupAt}, ${values.at.toISOString()}::timestamptz)`,
            updatedAt: sql`now()`,
          }
        : { updatedAt: sql`now()` },
    )
    .where(and(eq(hostingInstances.memberId, values.memberId), eq(hostingInstances.id, values.instanceId)))
    .returning({ id: hostingInstances.id });
  if (!instance) return false;
  await db.insert(hostingBackups).values(values);
  return true;
}

export async function backupsOf(
  db: Executor,
  memberId: string,
  instanceId: string,
  limit: number,
): Promise<BackupRow[]> {
  return db
    .select()
    .from(hostingBackups)
    .where(and(eq(hostingBackups.memberId, memberId), eq(hostingBackups.instanceId, instanceId)))
    .orderBy(desc(hostingBackups.at), desc(hostingBackups.createdAt))
    .limit(limit);
}

export async function insertRestoreTest(db: Executor, values: typeof hostingRestoreTests.$inferInsert) {
  await db.insert(hostingRestoreTests).values(values);
}

export async function restoreTestsOf(
  db: Executor,
  memberId: string,
  instanceIds: readonly string[],
): Promise<RestoreTestRow[]> {
  if (instanceIds.length === 0) return [];
  return db
    .select()
    .from(hostingRestoreTests)
    .where(
      and(
        eq(hostingRestoreTests.memberId, memberId),
        inArray(hostingRestoreTests.instanceId, [...instanceIds]),
      ),
    )
    .orderBy(desc(hostingRestoreTests.testedAt));
}

// Incidents and maintenance -----------------------------------------------------------------------

export async function existingServices(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: catalogueServices.id, name: catalogueServices.name })
    .from(catalogueServices)
    .where(inArray(catalogueServices.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function insertIncident(
  db: Executor,
  values: typeof hostingIncidents.$inferInsert,
  serviceIds: readonly string[],
): Promise<string> {
  const [row] = await db.insert(hostingIncidents).values(values).returning({ id: hostingIncidents.id });
  if (!row) throw new Error('incident not inserted');
  await db
    .insert(hostingIncidentServices)
    .values(serviceIds.map((serviceId) => ({ incidentId: row.id, serviceId })));
  return row.id;
}

export async function insertUpdate(db: Executor, values: typeof hostingIncidentUpdates.$inferInsert) {
  const [row] = await db
    .insert(hostingIncidentUpdates)
    .values(values)
    .returning({ id: hostingIncidentUpdates.id });
  if (!row) throw new Error('update not inserted');
  return row.id;
}

export async function findIncident(
  db: Executor,
  id: string,
  forUpdate = false,
): Promise<IncidentRow | undefined> {
  const query = db.select().from(hostingIncidents).where(eq(hostingIncidents.id, id));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

export async function updateIncident(
  db: Executor,
  id: string,
  values: Partial<typeof hostingIncidents.$inferInsert>,
) {
  await db.update(hostingIncidents).set(values).where(eq(hostingIncidents.id, id));
}

/** Incidents open, or resolved since `since`, or started within [from, to) when given. */
export async function incidentsSince(db: Executor, since: Date, to?: Date): Promise<IncidentRow[]> {
  return db
    .select()
    .from(hostingIncidents)
    .where(
      and(
        or(isNull(hostingIncidents.resolvedAt), gte(hostingIncidents.resolvedAt, since)),
        to ? lte(hostingIncidents.startedAt, to) : undefined,
      ),
    )
    .orderBy(desc(hostingIncidents.startedAt));
}

export async function incidentServices(db: Executor, incidentIds: readonly string[]) {
  if (incidentIds.length === 0) return [];
  return db
    .select({
      incidentId: hostingIncidentServices.incidentId,
      serviceId: hostingIncidentServices.serviceId,
      name: catalogueServices.name,
    })
    .from(hostingIncidentServices)
    .innerJoin(catalogueServices, eq(catalogueServices.id, hostingIncidentServices.serviceId))
    .where(inArray(hostingIncidentServices.incidentId, [...incidentIds]))
    .orderBy(asc(catalogueServices.name));
}

export async function updatesOf(db: Executor, incidentIds: readonly string[]): Promise<UpdateRow[]> {
  if (incidentIds.length === 0) return [];
  return db
    .select()
    .from(hostingIncidentUpdates)
    .where(inArray(hostingIncidentUpdates.incidentId, [...incidentIds]))
    .orderBy(asc(hostingIncidentUpdates.at), asc(hostingIncidentUpdates.id));
}

export async function insertMaintenance(
  db: Executor,
  values: typeof hostingMaintenances.$inferInsert,
  serviceIds: readonly string[],
): Promise<string> {
  const [row] = await db.insert(hostingMaintenances).values(values).returning({ id: hostingMaintenances.id });
  if (!row) throw new Error('maintenance not inserted');
  await db
    .insert(hostingMaintenanceServices)
    .values(serviceIds.map((serviceId) => ({ maintenanceId: row.id, serviceId })));
  return row.id;
}

/** Maintenance ending after `since` and starting before `to` when given. */
export async function maintenancesBetween(db: Executor, since: Date, to?: Date): Promise<MaintenanceRow[]> {
  return db
    .select()
    .from(hostingMaintenances)
    .where(
      and(gte(hostingMaintenances.endsAt, since), to ? lte(hostingMaintenances.startsAt, to) : undefined),
    )
    .orderBy(asc(hostingMaintenances.startsAt));
}

export async function maintenanceServices(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      maintenanceId: hostingMaintenanceServices.maintenanceId,
      serviceId: hostingMaintenanceServices.serviceId,
      name: catalogueServices.name,
    })
    .from(hostingMaintenanceServices)
    .innerJoin(catalogueServices, eq(catalogueServices.id, hostingMaintenanceServices.serviceId))
    .where(inArray(hostingMaintenanceServices.maintenanceId, [...ids]))
    .orderBy(asc(catalogueServices.name));
}

/** The services of the status page: hosted (instance or monitor) or named by an incident or maintenance. */
export async function statusServices(db: Executor, since: Date): Promise<{ id: string; name: string }[]> {
  return rowsOf<{ id: string; name: string }>(
    await db.execute(sql`SELECT id, name FROM catalogue_services
      WHERE id = ANY(socle_hosted_services())
         OR id IN (SELECT s.service_id FROM hosting_incident_services s
                   JOIN hosting_incidents i ON i.id = s.incident_id
                   WHERE i.resolved_at IS NULL OR i.resolved_at >= ${since})
         OR id IN (SELECT s.service_id FROM hosting_maintenance_services s
                   JOIN hosting_maintenances m ON m.id = s.maintenance_id WHERE m.ends_at >= ${since})
      ORDER BY name, id`),
  );
}

/**
 * The public status page as JSON text (contracts `statusSchema`), written by one statement: the
 * function socle_public_status (migration hosting_status_light, which says what it lists), so that
 * its plan is kept per session. Served by the partial indexes on open and resolved incidents,
 * `(incident_id, at)` of the updates and `ends_at` of maintenance.
 */
export async function publicStatusJson(
  db: Executor,
  at: Date,
  days: number,
  recentDays: number,
): Promise<string> {
  const rows = rowsOf<{ body: string }>(
    await db.execute(
      sql`SELECT socle_public_status(${at.toISOString()}::timestamptz, ${days}::int, ${recentDays}::int) AS body`,
    ),
  );
  const body = rows[0]?.body;
  if (body === undefined) throw new Error('status statement answered no row');
  return body;
}

/**
 * The stored status answer (hosting_status_answer_rls migration), when it holds at `at`: built at or
 * before it and valid after it. One row read by its key; undefined once time alone has moved the answer
 * on (a maintenance began, the day changed) and the rebuild job has not run yet.
 */
export async function storedStatusAnswer(
  db: Executor,
  at: Date,
): Promise<{ body: string; etag: string } | undefined> {
  const rows = rowsOf<{ body: string; etag: string }>(
    await db.execute(sql`SELECT body, etag FROM hosting_status_answer
      WHERE id AND built_at <= ${at.toISOString()}::timestamptz AND valid_until > ${at.toISOString()}::timestamptz`),
  );
  return rows[0];
}

/** Rebuilds the stored status answer as of `at` (the job's work; writes rebuild it by their triggers). */
export async function rebuildStatusAnswer(db: Executor, at: Date): Promise<void> {
  await db.execute(sql`SELECT socle_status_answer_refresh(${at.toISOString()}::timestamptz)`);
}

/** The services a member subscribes to now. */
export async function memberServices(
  db: Executor,
  memberId: string,
): Promise<{ id: string; name: string }[]> {
  return rowsOf<{ id: string; name: string }>(
    await db.execute(sql`SELECT DISTINCT c.id, c.name FROM subscriptions s
      JOIN catalogue_services c ON c.id = s.service_id
      WHERE s.member_id = ${memberId} AND s.status IN ('active', 'termination_requested')
      ORDER BY c.name, c.id`),
  );
}

/** The members subscribing to any of the services now (each once). */
export async function subscribedMembers(db: Executor, serviceIds: readonly string[]): Promise<string[]> {
  if (serviceIds.length === 0) return [];
  const rows = rowsOf<{ member_id: string }>(
    await db.execute(sql`SELECT DISTINCT s.member_id FROM subscriptions s
      WHERE s.service_id IN (${sql.join(
        serviceIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) AND s.status IN ('active', 'termination_requested')
      ORDER BY 1`),
  );
  return rows.map((r) => r.member_id);
}

/** The addresses to tell about the services: admins and agents of their subscribers. */
export async function subscriberRecipients(db: Executor, serviceIds: readonly string[]): Promise<string[]> {
  if (serviceIds.length === 0) return [];
  const rows = rowsOf<{ email: string }>(
    await db.execute(sql`SELECT DISTINCT lower(u.email) AS email FROM subscriptions s
      JOIN organisation_users ou ON ou.member_id = s.member_id
      JOIN users u ON u.id = ou.user_id
      WHERE s.service_id IN (${sql.join(
        serviceIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )}) AND s.status IN ('active', 'termination_requested')
        AND ou.role <> 'reader' AND u.is_active
      ORDER BY 1`),
  );
  return rows.map((r) => r.email);
}

export async function lockUpdate(db: Executor, id: string): Promise<UpdateRow | undefined> {
  const [row] = await db
    .select()
    .from(hostingIncidentUpdates)
    .where(eq(hostingIncidentUpdates.id, id))
    .for('update');
  return row;
}

export async function markUpdateNotified(db: Executor, id: string, at: Date) {
  await db.update(hostingIncidentUpdates).set({ notifiedAt: at }).where(eq(hostingIncidentUpdates.id, id));
}

export async function lockMaintenance(db: Executor, id: string): Promise<MaintenanceRow | undefined> {
  const [row] = await db
    .select()
    .from(hostingMaintenances)
    .where(eq(hostingMaintenances.id, id))
    .for('update');
  return row;
}

export async function markMaintenanceNotified(db: Executor, id: string, at: Date) {
  await db.update(hostingMaintenances).set({ notifiedAt: at }).where(eq(hostingMaintenances.id, id));
}

export async function serviceSla(db: Executor, serviceId: string): Promise<number | undefined> {
  const [row] = await db
    .select({ bp: catalogueServices.slaTargetBasisPoints })
    .from(catalogueServices)
    .where(eq(catalogueServices.id, serviceId));
  return row?.bp;
}

/** Incidents naming the service that overlap [from, to). */
export async function serviceIncidentsBetween(db: Executor, serviceId: string, from: Date, to: Date) {
  return db
    .select({ incident: hostingIncidents })
    .from(hostingIncidents)
    .innerJoin(hostingIncidentServices, eq(hostingIncidentServices.incidentId, hostingIncidents.id))
    .where(
      and(
        eq(hostingIncidentServices.serviceId, serviceId),
        lte(hostingIncidents.startedAt, to),
        or(isNull(hostingIncidents.resolvedAt), gte(hostingIncidents.resolvedAt, from)),
      ),
    )
    .then((rows) => rows.map((r) => r.incident));
}

export async function serviceMaintenancesBetween(db: Executor, serviceId: string, from: Date, to: Date) {
  return db
    .select({ startsAt: hostingMaintenances.startsAt, endsAt: hostingMaintenances.endsAt })
    .from(hostingMaintenances)
    .innerJoin(
      hostingMaintenanceServices,
      eq(hostingMaintenanceServices.maintenanceId, hostingMaintenances.id),
    )
    .where(
      and(
        eq(hostingMaintenanceServices.serviceId, serviceId),
        lte(hostingMaintenances.startsAt, to),
        gte(hostingMaintenances.endsAt, from),
      ),
    );
}

// Monitors ----------------------------------------------------------------------------------------

export async function insertMonitor(db: Executor, values: typeof hostingMonitors.$inferInsert) {
  const [row] = await db.insert(hostingMonitors).values(values).returning({ id: hostingMonitors.id });
  if (!row) throw new Error('monitor not inserted');
  return row.id;
}

export async function listMonitors(db: Executor) {
  return db
    .select({ monitor: hostingMonitors, serviceName: catalogueServices.name })
    .from(hostingMonitors)
    .innerJoin(catalogueServices, eq(catalogueServices.id, hostingMonitors.serviceId))
    .orderBy(asc(catalogueServices.name), asc(hostingMonitors.target));
}

export async function findMonitor(
  db: Executor,
  id: string,
  forUpdate = false,
): Promise<MonitorRow | undefined> {
  const query = db.select().from(hostingMonitors).where(eq(hostingMonitors.id, id));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row;
}

export async function findMonitors(db: Executor, ids: readonly string[]): Promise<MonitorRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(hostingMonitors)
    .where(inArray(hostingMonitors.id, [...ids]));
}

export async function updateMonitor(
  db: Executor,
  id: string,
  values: Partial<typeof hostingMonitors.$inferInsert>,
) {
  await db.update(hostingMonitors).set(values).where(eq(hostingMonitors.id, id));
}

/**
 * Claims the monitors due before `until` (skipping those another process holds) and moves their next
 * check one interval on (at least one interval after `at`, less a second): each due check is handed out
 * once, whatever the number of processes.
 */
export async function claimDueMonitors(
  db: Executor,
  at: Date,
  until: Date,
  limit: number,
): Promise<{ id: string; due: Date }[]> {
  const rows = rowsOf<{ id: string; due: Date | string }>(
    await db.execute(sql`WITH due AS (
        SELECT id, next_check_at FROM hosting_monitors
        WHERE active AND next_check_at < ${until}
        ORDER BY next_check_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      UPDATE hosting_monitors m
      SET next_check_at = greatest(due.next_check_at + make_interval(secs => m.interval_seconds),
                                   ${at}::timestamptz + make_interval(secs => m.interval_seconds) - interval '1 second')
      FROM due WHERE m.id = due.id
      RETURNING m.id, due.next_check_at AS due`),
  );
  return rows.map((r) => ({ id: r.id, due: new Date(r.due) }));
}

/** Records a check; false when that due instant was already recorded (a job run twice). */
export async function insertCheck(db: Executor, values: typeof hostingChecks.$inferInsert): Promise<boolean> {
  const rows = await db
    .insert(hostingChecks)
    .values(values)
    .onConflictDoNothing()
    .returning({ at: hostingChecks.at });
  return rows.length > 0;
}

/**
 * Records, in one statement, the successful checks of monitors that were not failing and have no
 * incident open (almost every check): the check row (once per due instant: a job run twice writes
 * nothing twice) and the monitor's last result, the monitors locked in id order. Returns the ids of the
 * monitors it handled; the others (deleted, failing, with an incident) go through the check's own path.
 */
export async function recordPlainSuccesses(
  db: Executor,
  checks: readonly { monitorId: string; at: Date; responseMs: number; message: string }[],
  checkedAt: Date,
): Promise<Set<string>> {
  if (checks.length === 0) return new Set();
  const input = JSON.stringify(
    checks.map((c) => ({
      monitor_id: c.monitorId,
      at: c.at.toISOString(),
      response_ms: c.responseMs,
      message: c.message,
    })),
  );
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`WITH input AS (
        SELECT * FROM jsonb_to_recordset(${input}::jsonb)
          AS t(monitor_id uuid, at timestamptz, response_ms int, message text)),
      plain AS (
        SELECT m.id FROM hosting_monitors m
        WHERE m.id IN (SELECT monitor_id FROM input)
          AND m.consecutive_failures = 0 AND m.open_incident_id IS NULL
        ORDER BY m.id FOR UPDATE),
      inserted AS (
        INSERT INTO hosting_checks (monitor_id, at, ok, response_ms, message, failures)
        SELECT i.monitor_id, i.at, true, i.response_ms, i.message, 0 FROM input i JOIN plain p ON p.id = i.monitor_id
        ON CONFLICT DO NOTHING RETURNING monitor_id),
      updated AS (
        UPDATE hosting_monitors m SET last_check_at = ${checkedAt.toISOString()}::timestamptz, last_ok = true,
          last_message = i.message, last_response_ms = i.response_ms, failing_since = NULL
        FROM input i JOIN inserted x ON x.monitor_id = i.monitor_id
        WHERE m.id = i.monitor_id
        RETURNING 1)
      SELECT id FROM plain`),
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Folds the single checks older than `before` into one row per monitor and hour, dated one
 * microsecond past the hour (checks are dated to the millisecond, so no check is): an hour folded
 * from one check is not folded again on the next night.
 */
export async function downsampleChecks(db: Executor, before: Date): Promise<number> {
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`WITH old AS (
        DELETE FROM hosting_checks WHERE samples = 1 AND at < ${before}
          AND at <> date_trunc('hour', at) + interval '1 microsecond'
        RETURNING monitor_id, at, ok, response_ms),
      folded AS (
        INSERT INTO hosting_checks (monitor_id, at, ok, response_ms, message, samples, failures)
        SELECT monitor_id, date_trunc('hour', at) + interval '1 microsecond', bool_and(ok),
          round(avg(response_ms))::int, NULL, count(*)::int, count(*) FILTER (WHERE NOT ok)::int
        FROM old GROUP BY monitor_id, date_trunc('hour', at)
        ON CONFLICT (monitor_id, at) DO UPDATE SET
          samples = hosting_checks.samples + excluded.samples,
          failures = hosting_checks.failures + excluded.failures,
          ok = hosting_checks.ok AND excluded.ok
        RETURNING 1)
      SELECT count(*)::int AS n FROM old`),
  );
  return Number(rows[0]?.n ?? 0);
}

// Continuity plans --------------------------------------------------------------------------------

export async function upsertContinuityPlan(db: Executor, values: typeof hostingContinuityPlans.$inferInsert) {
  const { serviceId: _, ...set } = values;
  await db
    .insert(hostingContinuityPlans)
    .values(values)
    .onConflictDoUpdate({ target: hostingContinuityPlans.serviceId, set: { ...set, updatedAt: sql`now()` } });
}

/** The plans of the services the member subscribes to now (RLS lets only those through for a member). */
export async function continuityPlansOf(db: Executor, memberId: string | null, serviceId?: string) {
  return db
    .select({ plan: hostingContinuityPlans, serviceName: catalogueServices.name })
    .from(hostingContinuityPlans)
    .innerJoin(catalogueServices, eq(catalogueServices.id, hostingContinuityPlans.serviceId))
    .where(
      and(
        serviceId ? eq(hostingContinuityPlans.serviceId, serviceId) : undefined,
        memberId
          ? sql`${hostingContinuityPlans.serviceId} IN (SELECT service_id FROM subscriptions
              WHERE member_id = ${memberId} AND status IN ('active', 'termination_requested'))`
          : undefined,
      ),
    )
    .orderBy(asc(catalogueServices.name));
}

/** The service's plan exists (and the caller may read it: RLS as the plan's). */
export async function continuityPlanExists(db: Executor, serviceId: string): Promise<boolean> {
  const [row] = await db
    .select({ serviceId: hostingContinuityPlans.serviceId })
    .from(hostingContinuityPlans)
    .where(eq(hostingContinuityPlans.serviceId, serviceId));
  return Boolean(row);
}

/** The documents of these services' plans, oldest first. */
export async function continuityDocumentsOf(
  db: Executor,
  serviceIds: readonly string[],
): Promise<ContinuityDocumentRow[]> {
  if (serviceIds.length === 0) return [];
  return db
    .select()
    .from(hostingContinuityDocuments)
    .where(inArray(hostingContinuityDocuments.serviceId, [...serviceIds]))
    .orderBy(asc(hostingContinuityDocuments.uploadedAt), asc(hostingContinuityDocuments.fileName));
}

export async function countContinuityDocuments(db: Executor, serviceId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(hostingContinuityDocuments)
    .where(eq(hostingContinuityDocuments.serviceId, serviceId));
  return row?.n ?? 0;
}

/**
 * A document of the service's plan; with `memberId`, only while that member subscribes to the service
 * (what the plan's readers see, said in the query as well as by RLS).
 */
export async function findContinuityDocument(
  db: Executor,
  serviceId: string,
  documentId: string,
  memberId: string | null,
): Promise<ContinuityDocumentRow | undefined> {
  const [row] = await db
    .select()
    .from(hostingContinuityDocuments)
    .where(
      and(
        eq(hostingContinuityDocuments.serviceId, serviceId),
        eq(hostingContinuityDocuments.id, documentId),
        memberId
          ? sql`${hostingContinuityDocuments.serviceId} IN (SELECT service_id FROM subscriptions
              WHERE member_id = ${memberId} AND status IN ('active', 'termination_requested'))`
          : undefined,
      ),
    );
  return row;
}

export async function insertContinuityDocument(
  db: Executor,
  values: typeof hostingContinuityDocuments.$inferInsert,
): Promise<ContinuityDocumentRow> {
  const [row] = await db.insert(hostingContinuityDocuments).values(values).returning();
  if (!row) throw new Error('continuity document not inserted');
  return row;
}

export async function deleteContinuityDocument(
  db: Executor,
  serviceId: string,
  documentId: string,
): Promise<ContinuityDocumentRow | undefined> {
  const [row] = await db
    .delete(hostingContinuityDocuments)
    .where(
      and(eq(hostingContinuityDocuments.serviceId, serviceId), eq(hostingContinuityDocuments.id, documentId)),
    )
    .returning();
  return row;
}

/** Every stored file the plans' documents point to (the start-up sweep's question). */
export async function continuityStorageKeys(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ key: hostingContinuityDocuments.storageKey })
    .from(hostingContinuityDocuments);
  return rows.map((r) => r.key);
}

// Licences ----------------------------------------------------------------------------------------

export interface LicenceRow {
  subscription_id: string;
  service_id: string;
  service_name: string;
  unit_label: string;
  units: number | null;
  seats_used: number | null;
  source: 'declared' | 'import' | null;
  updated_at: Date | string | null;
  alerted_percent: number | null;
  pending_id: string | null;
  pending_additional: number | null;
  pending_at: Date | string | null;
}

/** The member's live subscriptions to per-unit services, with the seats used it declared. */
export async function licencesOf(
  db: Executor,
  memberId: string,
  subscriptionId?: string,
): Promise<LicenceRow[]> {
  return rowsOf<LicenceRow>(
    await db.execute(sql`SELECT s.id AS subscription_id, c.id AS service_id, c.name AS service_name,
        c.unit_label, s.units, u.seats_used, u.source, u.updated_at, u.alerted_percent,
        r.id AS pending_id, r.additional AS pending_additional, r.requested_at AS pending_at
      FROM subscriptions s
      JOIN catalogue_services c ON c.id = s.service_id
      LEFT JOIN hosting_licence_usage u ON u.subscription_id = s.id AND u.member_id = s.member_id
      LEFT JOIN hosting_seat_requests r ON r.subscription_id = s.id AND r.member_id = s.member_id
        AND r.status = 'pending'
      WHERE s.member_id = ${memberId} AND s.status IN ('active', 'termination_requested')
        AND c.unit_label IS NOT NULL
        ${subscriptionId ? sql`AND s.id = ${subscriptionId}` : sql``}
      ORDER BY c.name, s.id`),
  );
}

export async function upsertLicenceUsage(db: Executor, values: typeof hostingLicenceUsage.$inferInsert) {
  const { subscriptionId: _, ...set } = values;
  await db
    .insert(hostingLicenceUsage)
    .values(values)
    .onConflictDoUpdate({
      target: hostingLicenceUsage.subscriptionId,
      set: { ...set, updatedAt: sql`now()` },
    });
}

export async function setAlertedPercent(db: Executor, subscriptionId: string, percent: number) {
  await db
    .update(hostingLicenceUsage)
    .set({ alertedPercent: percent })
    .where(eq(hostingLicenceUsage.subscriptionId, subscriptionId));
}

/**
 * The addresses of the hosting team: the operator's active admins and the people holding the
 * `hosting` scope (who may decide seat requests: hosting.policy's team). Read as the system (a
 * member's transaction does not see the operator's people).
 */
export async function hostingTeamEmails(db: Executor): Promise<string[]> {
  const rows = rowsOf<{ email: string }>(
    await db.execute(sql`SELECT DISTINCT lower(u.email) AS email
      FROM organisation_users ou JOIN users u ON u.id = ou.user_id
      JOIN organisations o ON o.id = ou.member_id AND o.kind = 'operator'
      WHERE u.is_active AND (ou.role = 'admin' OR 'hosting' = ANY(ou.scopes))
      ORDER BY 1`),
  );
  return rows.map((r) => r.email);
}

/** The addresses of the member's active admins. */
export async function memberAdminEmails(db: Executor, memberId: string): Promise<string[]> {
  const rows = rowsOf<{ email: string }>(
    await db.execute(sql`SELECT DISTINCT lower(u.email) AS email FROM organisation_users ou
      JOIN users u ON u.id = ou.user_id
      WHERE ou.member_id = ${memberId} AND ou.role = 'admin' AND u.is_active
      ORDER BY 1`),
  );
  return rows.map((r) => r.email);
}

export interface UsageUnitsRow {
  subscription_id: string;
  member_id: string;
  member_name: string;
  service_name: string;
  unit_label: string;
  units: number | null;
  seats_used: number;
}

/**
 * The live subscriptions delivered during `year` to per-unit services whose usage is known and differs
 * from their declared units, by member and service name.
 */
export async function usageDifferingFromUnits(db: Executor, year: number): Promise<UsageUnitsRow[]> {
  return rowsOf<UsageUnitsRow>(
    await db.execute(sql`SELECT s.id AS subscription_id, s.member_id, o.name AS member_name,
        c.name AS service_name, c.unit_label, s.units, u.seats_used
      FROM hosting_licence_usage u
      JOIN subscriptions s ON s.id = u.subscription_id AND s.member_id = u.member_id
      JOIN catalogue_services c ON c.id = s.service_id
      JOIN organisations o ON o.id = s.member_id
      WHERE s.status IN ('active', 'termination_requested') AND c.unit_label IS NOT NULL
        AND s.start_date IS NOT NULL AND s.start_date <= make_date(${year}::int, 12, 31)
        AND (s.end_date IS NULL OR s.end_date >= make_date(${year}::int, 1, 1))
        AND s.units IS DISTINCT FROM u.seats_used
      ORDER BY o.name, c.name, s.id`),
  );
}

// Requests for more seats ------------------------------------------------------------------------

export interface SeatRequestRow {
  id: string;
  member_id: string;
  member_name: string;
  subscription_id: string;
  service_name: string;
  unit_label: string;
  additional: number;
  units_before: number;
  status: 'pending' | 'approved' | 'refused';
  requested_at: Date | string;
  decided_at: Date | string | null;
  decision_note: string | null;
}

const seatRequestColumns = sql`r.id, r.member_id, o.name AS member_name, r.subscription_id,
    c.name AS service_name, coalesce(c.unit_label, 'unités') AS unit_label, r.additional, r.units_before,
    r.status, r.requested_at, r.decided_at, r.decision_note`;
const seatRequestFrom = sql`FROM hosting_seat_requests r
  JOIN organisations o ON o.id = r.member_id
  JOIN subscriptions s ON s.id = r.subscription_id
  JOIN catalogue_services c ON c.id = s.service_id`;
const seatRequestSelect = sql`SELECT ${seatRequestColumns} ${seatRequestFrom}`;

export async function insertSeatRequest(
  db: Executor,
  values: typeof hostingSeatRequests.$inferInsert,
): Promise<string | undefined> {
  const [row] = await db
    .insert(hostingSeatRequests)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: hostingSeatRequests.id });
  return row?.id;
}

export async function findSeatRequest(
  db: Executor,
  id: string,
  forUpdate = false,
): Promise<SeatRequestRow | undefined> {
  const [row] = rowsOf<SeatRequestRow>(
    await db.execute(
      sql`${seatRequestSelect} WHERE r.id = ${id}${forUpdate ? sql` FOR UPDATE OF r` : sql``}`,
    ),
  );
  return row;
}

/** The requests of every member (the team's list), oldest first, or one member's, newest first. */
export async function seatRequests(
  db: Executor,
  filter: { status?: SeatRequestRow['status']; memberId?: string },
): Promise<SeatRequestRow[]> {
  return rowsOf<SeatRequestRow>(
    await db.execute(sql`${seatRequestSelect} WHERE true
      ${filter.status ? sql`AND r.status = ${filter.status}` : sql``}
      ${filter.memberId ? sql`AND r.member_id = ${filter.memberId}` : sql``}
      ORDER BY r.requested_at ${filter.memberId ? sql`DESC` : sql`ASC`}, r.id LIMIT 500`),
  );
}

/** The request whose team mail is to be sent, locked; none when it was sent or the request decided. */
export async function seatRequestToNotify(db: Executor, id: string) {
  const [row] = rowsOf<SeatRequestRow & { requested_by_name: string | null }>(
    await db.execute(sql`SELECT ${seatRequestColumns}, u.display_name AS requested_by_name ${seatRequestFrom}
      LEFT JOIN users u ON u.id = r.requested_by
      WHERE r.id = ${id} AND r.status = 'pending' AND r.team_notified_at IS NULL
      FOR UPDATE OF r`),
  );
  return row;
}

export async function markSeatRequestNotified(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(hostingSeatRequests).set({ teamNotifiedAt: at }).where(eq(hostingSeatRequests.id, id));
}

export async function decideSeatRequest(
  db: Executor,
  id: string,
  values: {
    status: 'approved' | 'refused';
    decidedAt: Date;
    decidedBy: string | null;
    decisionNote: string | null;
  },
): Promise<void> {
  await db.update(hostingSeatRequests).set(values).where(eq(hostingSeatRequests.id, id));
}
