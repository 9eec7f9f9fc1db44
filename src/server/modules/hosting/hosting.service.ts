import {
  BACKUPS_SHOWN,
  type Backup,
  type BackupInput,
  type ContinuityPlan,
  type ContinuityPlanInput,
  type Instance,
  type InstanceDetail,
  type InstanceInput,
  type RestoreTestInput,
  type ServiceState,
} from '../../../contracts/hosting.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, invalidField, notFound, uniqueOr } from '../../platform/errors.js';
import { presentContinuityDocument } from './hosting.continuity.service.js';
import * as repo from './hosting.repository.js';
import { restoreTestOverdue } from './hosting.rules.js';
import { currentStates } from './hosting.status.service.js';

/**
 * Instances: where each member's hosted services run and who runs them, their backups and restore
 * tests (measured RTO and RPO against the targets).
 */

/** A clock a few minutes ahead of ours (the backup tool's) is not « the future ». */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

function presentRestoreTest(row: repo.RestoreTestRow, instance: { rtoMinutes: number; rpoMinutes: number }) {
  return {
    id: row.id,
    testedAt: row.testedAt.toISOString(),
    durationMinutes: row.durationMinutes,
    dataAgeMinutes: row.dataAgeMinutes,
    succeeded: row.succeeded,
    note: row.note,
    rtoMet: row.succeeded && row.durationMinutes <= instance.rtoMinutes,
    rpoMet: row.succeeded && row.dataAgeMinutes <= instance.rpoMinutes,
  };
}

function presentInstance(
  row: repo.InstanceRow,
  tests: readonly repo.RestoreTestRow[],
  states: ReadonlyMap<string, ServiceState>,
): Instance {
  const last = tests.find((t) => t.instanceId === row.id && t.succeeded) ?? null;
  return {
    id: row.id,
    memberId: row.memberId,
    subscriptionId: row.subscriptionId,
    serviceId: row.serviceId,
    serviceName: row.serviceName,
    name: row.name,
    url: row.url,
    software: row.software,
    softwareVersion: row.softwareVersion,
    datacentre: row.datacentre,
    region: row.region,
    provider: row.provider,
    qualification: row.qualification,
    plan: row.plan,
    backupSchedule: row.backupSchedule,
    backupRetentionDays: row.backupRetentionDays,
    restoreTestEveryDays: row.restoreTestEveryDays,
    lastBackupAt: row.lastBackupAt?.toISOString() ?? null,
    rtoMinutes: row.rtoMinutes,
    rpoMinutes: row.rpoMinutes,
    processor:
      row.processorId && row.processorName !== null
        ? {
            id: row.processorId,
            name: row.processorName,
            transfersOutsideEu: row.processorTransfers ?? false,
          }
        : null,
    lastRestoreTest: last ? presentRestoreTest(last, row) : null,
    restoreTestOverdue: restoreTestOverdue(last?.testedAt ?? null, row.restoreTestEveryDays, now()),
    state: states.get(row.serviceId) ?? 'operational',
  };
}

export async function listInstances(db: Executor, memberId: string): Promise<{ items: Instance[] }> {
  const rows = await repo.instancesOf(db, memberId);
  const [tests, states] = await Promise.all([
    repo.restoreTestsOf(
      db,
      memberId,
      rows.map((r) => r.id),
    ),
    currentStates(db),
  ]);
  return { items: rows.map((row) => presentInstance(row, tests, states)) };
}

export async function getInstance(
  db: Executor,
  memberId: string,
  instanceId: string,
): Promise<InstanceDetail> {
  const [row] = await repo.instancesOf(db, memberId, instanceId);
  if (!row) throw notFound("Cette instance n'existe pas.");
  const [tests, states, backups] = await Promise.all([
    repo.restoreTestsOf(db, memberId, [row.id]),
    currentStates(db),
    repo.backupsOf(db, memberId, row.id, BACKUPS_SHOWN),
  ]);
  return {
    ...presentInstance(row, tests, states),
    restoreTests: tests.map((t) => presentRestoreTest(t, row)),
    backups: backups.map(presentBackup),
  };
}

export async function createInstance(
  db: Executor,
  memberId: string,
  input: InstanceInput,
  source: AuditSource,
): Promise<InstanceDetail> {
  const subscription = await repo.liveSubscription(db, memberId, input.subscriptionId);
  if (!subscription)
    throw invalidField('body.subscriptionId', "aucun abonnement en cours de ce membre n'a cet identifiant");
  if (input.processorId && !(await repo.processorExists(db, input.processorId))) {
    throw invalidField('body.processorId', 'sous-traitant inconnu du registre RGPD');
  }
  const id = await uniqueOr(
    () =>
      repo.insertInstance(db, {
        ...input,
        memberId,
        serviceId: subscription.serviceId,
      }),
    () =>
      conflict('Une instance de ce membre porte déjà ce nom.', [
        { path: 'body.name', message: 'nom déjà utilisé' },
      ]),
  );
  await recordAudit(db, {
    ...source,
    action: 'hosting.instance.create',
    memberId,
    targetType: 'hosting_instance',
    targetId: id,
  });
  return getInstance(db, memberId, id);
}

/** The team edits an instance: everything it declared, on a live subscription of the same member. */
export async function updateInstance(
  db: Executor,
  memberId: string,
  instanceId: string,
  input: InstanceInput,
  source: AuditSource,
): Promise<InstanceDetail> {
  const [existing] = await repo.instancesOf(db, memberId, instanceId);
  if (!existing) throw notFound("Cette instance n'existe pas.");
  const subscription = await repo.liveSubscription(db, memberId, input.subscriptionId);
  if (!subscription)
    throw invalidField('body.subscriptionId', "aucun abonnement en cours de ce membre n'a cet identifiant");
  if (input.processorId && !(await repo.processorExists(db, input.processorId))) {
    throw invalidField('body.processorId', 'sous-traitant inconnu du registre RGPD');
  }
  await uniqueOr(
    () => repo.updateInstanceRow(db, memberId, instanceId, { ...input, serviceId: subscription.serviceId }),
    () =>
      conflict('Une instance de ce membre porte déjà ce nom.', [
        { path: 'body.name', message: 'nom déjà utilisé' },
      ]),
  );
  await recordAudit(db, {
    ...source,
    action: 'hosting.instance.update',
    memberId,
    targetType: 'hosting_instance',
    targetId: instanceId,
  });
  return getInstance(db, memberId, instanceId);
}

function presentBackup(row: repo.BackupRow): Backup {
  return {
    id: row.id,
    at: row.at.toISOString(),
    succeeded: row.succeeded,
    sizeBytes: row.sizeBytes,
    durationMinutes: row.durationMinutes,
    note: row.note,
  };
}

/** Records a backup run's result; a success becomes the instance's last success when it is the latest. */
export async function recordBackup(
  db: Executor,
  memberId: string,
  instanceId: string,
  input: BackupInput,
  source: AuditSource,
): Promise<InstanceDetail> {
  const at = new Date(input.at);
  if (at.getTime() > now().getTime() + FUTURE_TOLERANCE_MS) {
    throw invalidField('body.at', 'La date de la sauvegarde ne peut pas être dans le futur');
  }
  const recorded = await repo.insertBackup(db, {
    memberId,
    instanceId,
    at,
    succeeded: input.succeeded,
    sizeBytes: input.sizeBytes,
    durationMinutes: input.durationMinutes,
    note: input.note,
    createdBy: source.actorUserId,
  });
  if (!recorded) throw notFound("Cette instance n'existe pas.");
  await recordAudit(db, {
    ...source,
    action: 'hosting.backup.record',
    memberId,
    targetType: 'hosting_instance',
    targetId: instanceId,
    details: { at: at.toISOString(), succeeded: input.succeeded },
  });
  return getInstance(db, memberId, instanceId);
}

export async function recordRestoreTest(
  db: Executor,
  memberId: string,
  instanceId: string,
  input: RestoreTestInput,
  source: AuditSource,
): Promise<InstanceDetail> {
  const [row] = await repo.instancesOf(db, memberId, instanceId);
  if (!row) throw notFound("Cette instance n'existe pas.");
  await repo.insertRestoreTest(db, {
    memberId,
    instanceId,
    testedAt: new Date(input.testedAt),
    durationMinutes: input.durationMinutes,
    dataAgeMinutes: input.dataAgeMinutes,
    succeeded: input.succeeded,
    note: input.note,
    createdBy: source.actorUserId,
  });
  await recordAudit(db, {
    ...source,
    action: 'hosting.restore-test.record',
    memberId,
    targetType: 'hosting_instance',
    targetId: instanceId,
  });
  return getInstance(db, memberId, instanceId);
}

// Continuity plans --------------------------------------------------------------------------------

function presentPlan(
  row: Awaited<ReturnType<typeof repo.continuityPlansOf>>[number],
  documents: readonly repo.ContinuityDocumentRow[],
): ContinuityPlan {
  return {
    serviceId: row.plan.serviceId,
    serviceName: row.serviceName,
    rtoMinutes: row.plan.rtoMinutes,
    rpoMinutes: row.plan.rpoMinutes,
    procedures: row.plan.procedures,
    lastExerciseOn: row.plan.lastExerciseOn,
    lastExerciseSummary: row.plan.lastExerciseSummary,
    updatedAt: row.plan.updatedAt.toISOString(),
    documents: documents.filter((d) => d.serviceId === row.plan.serviceId).map(presentContinuityDocument),
  };
}

async function presentPlans(
  db: Executor,
  rows: Awaited<ReturnType<typeof repo.continuityPlansOf>>,
): Promise<ContinuityPlan[]> {
  const documents = await repo.continuityDocumentsOf(
    db,
    rows.map((r) => r.plan.serviceId),
  );
  return rows.map((row) => presentPlan(row, documents));
}

/** The continuity plans of the services the member subscribes to. */
export async function memberContinuityPlans(
  db: Executor,
  memberId: string,
): Promise<{ items: ContinuityPlan[] }> {
  return { items: await presentPlans(db, await repo.continuityPlansOf(db, memberId)) };
}

/** A service's continuity plan, for the team. */
export async function getContinuityPlan(db: Executor, serviceId: string): Promise<ContinuityPlan> {
  const [plan] = await presentPlans(db, await repo.continuityPlansOf(db, null, serviceId));
  if (!plan) throw notFound("Ce service n'a pas encore de plan de continuité.");
  return plan;
}

export async function putContinuityPlan(
  db: Executor,
  serviceId: string,
  input: ContinuityPlanInput,
  source: AuditSource,
): Promise<ContinuityPlan> {
  const services = await repo.existingServices(db, [serviceId]);
  if (!services.has(serviceId)) throw notFound("Ce service n'existe pas.");
  await repo.upsertContinuityPlan(db, { serviceId, ...input, updatedBy: source.actorUserId });
  await recordAudit(db, {
    ...source,
    action: 'hosting.continuity-plan.put',
    targetType: 'catalogue_service',
    targetId: serviceId,
  });
  return getContinuityPlan(db, serviceId);
}
