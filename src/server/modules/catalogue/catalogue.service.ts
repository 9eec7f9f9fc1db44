import type {
  AlonePrice,
  ServiceDetail,
  ServiceHistoryEntry,
  ServiceInput,
  ServiceListQuery,
  ServicePatch,
  ServiceSummary,
} from '../../../contracts/catalogue.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import * as repo from './catalogue.repository.js';

export const SERVICE_NOT_FOUND = "Ce service n'existe pas dans le catalogue.";

export function presentSummary(row: repo.ServiceRow): ServiceSummary {
  return {
    id: row.id,
    code: row.code,
    domain: row.domain,
    name: row.name,
    description: row.description,
    eligibleKinds: row.eligibleKinds,
    status: row.status,
    noticeMonths: row.noticeMonths,
    unitLabel: row.unitLabel,
  };
}

export async function requireService(db: Executor, serviceId: string, forUpdate = false) {
  const service = await repo.findService(db, serviceId, forUpdate);
  if (!service) throw notFound(SERVICE_NOT_FOUND);
  return service;
}

/** The service, or null (for callers that report a missing service their own way). */
export function findService(db: Executor, serviceId: string) {
  return repo.findService(db, serviceId);
}

/** The services `serviceId` requires (id, code, name), by name. */
export function prerequisitesOf(db: Executor, serviceId: string) {
  return repo.relatedServices(db, serviceId, 'requires');
}

export async function listServices(db: Executor, query: ServiceListQuery) {
  const page = await repo.listServices(db, query);
  return { items: page.items.map(presentSummary), total: page.total, nextCursor: page.nextCursor };
}

/**
 * The service with its prerequisites and reference prices. `forCurrentMember` is left null: whether a
 * member may request the service is the subscriptions module's answer (see the catalogue route).
 */
export async function getService(db: Executor, serviceId: string): Promise<ServiceDetail> {
  const row = await requireService(db, serviceId);
  return {
    ...presentSummary(row),
    included: row.included,
    prerequisites: await repo.relatedServices(db, serviceId, 'requires'),
    requiredBy: await repo.relatedServices(db, serviceId, 'requiredBy'),
    alonePrices: await repo.alonePrices(db, serviceId),
    forCurrentMember: null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

// Editing ----------------------------------------------------------------------------------------

type Snapshot = Omit<ServiceInput, 'prerequisiteIds'> & { prerequisites: string[] };

async function snapshotOf(db: Executor, row: repo.ServiceRow): Promise<Snapshot> {
  return {
    code: row.code,
    domain: row.domain,
    name: row.name,
    description: row.description,
    included: row.included,
    eligibleKinds: row.eligibleKinds,
    status: row.status,
    noticeMonths: row.noticeMonths,
    unitLabel: row.unitLabel,
    prerequisites: (await repo.relatedServices(db, row.id, 'requires')).map((s) => s.code).sort(),
    alonePrices: await repo.alonePrices(db, row.id),
  };
}

function diff(before: Partial<Snapshot>, after: Partial<Snapshot>) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of Object.keys(after) as (keyof Snapshot)[]) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
      changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
    }
  }
  return changes;
}

const sortStrata = (strata: AlonePrice[]) =>
  [...strata].sort(
    (a, b) => (a.upToPopulation ?? Number.POSITIVE_INFINITY) - (b.upToPopulation ?? Number.POSITIVE_INFINITY),
  );

async function ensureCodeFree(db: Executor, code: string, exceptId?: string) {
  const existing = await repo.findServiceByCode(db, code);
  if (existing && existing.id !== exceptId) {
    throw conflict(`Le code « ${code} » est déjà utilisé par le service « ${existing.name} ».`, [
      { path: 'body.code', message: 'code déjà utilisé' },
    ]);
  }
}

/**
 * Checks the prerequisites exist and that giving `serviceId` these prerequisites makes no cycle
 * (A requires B requires A), naming the loop. Returns their codes.
 */
async function checkPrerequisites(
  db: Executor,
  serviceId: string | null,
  requires: string[],
): Promise<string[]> {
  const found = await repo.findServices(db, requires);
  const byId = new Map(found.map((s) => [s.id, s]));
  const missing = requires.findIndex((id) => !byId.has(id));
  if (missing >= 0) {
    throw invalid("Un prérequis indiqué n'existe pas dans le catalogue.", [
      { path: `body.prerequisiteIds.${missing}`, message: 'service introuvable' },
    ]);
  }
  if (serviceId) {
    const self = requires.indexOf(serviceId);
    if (self >= 0) {
      throw invalid('Un service ne peut pas être son propre prérequis.', [
        { path: `body.prerequisiteIds.${self}`, message: 'le service lui-même' },
      ]);
    }
    const edges = new Map<string, string[]>();
    for (const e of await repo.allPrerequisiteEdges(db)) {
      if (e.serviceId === serviceId) continue;
      edges.set(e.serviceId, [...(edges.get(e.serviceId) ?? []), e.requiresServiceId]);
    }
    edges.set(serviceId, requires);
    const path = findCycle(edges, serviceId);
    if (path) {
      const all = await repo.findServices(db, [...new Set(path)]);
      const names = new Map(all.map((s) => [s.id, s.name]));
      const loop = path.map((id) => `« ${names.get(id)} »`).join(' nécessite ');
      throw cycleProblem(loop, requires.indexOf(path[1]));
    }
  }
  return found.map((s) => s.code).sort();
}

function cycleProblem(loop: string, index: number) {
  return invalid(`Prérequis circulaire refusé : ${loop}.`, [
    { path: `body.prerequisiteIds.${Math.max(index, 0)}`, message: 'crée un cycle de prérequis' },
  ]);
}

/** A path start → … → start through `edges`, or null. */
export function findCycle(edges: Map<string, string[]>, start: string): string[] | null {
  const visited = new Set<string>();
  const walk = (node: string, path: string[]): string[] | null => {
    for (const next of edges.get(node) ?? []) {
      if (next === start) return [...path, next];
      if (visited.has(next)) continue;
      visited.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return null;
  };
  return walk(start, [start]);
}

export async function createService(db: Executor, input: ServiceInput, source: AuditSource) {
  await ensureCodeFree(db, input.code);
  const prerequisiteCodes = await checkPrerequisites(db, null, input.prerequisiteIds);
  const { prerequisiteIds, alonePrices, ...fields } = input;
  const row = await repo.insertService(db, fields);
  await repo.replacePrerequisites(db, row.id, prerequisiteIds);
  await repo.replaceAlonePrices(db, row.id, alonePrices);
  const changes = diff(
    {},
    { ...fields, prerequisites: prerequisiteCodes, alonePrices: sortStrata(alonePrices) },
  );
  await repo.insertHistory(db, { serviceId: row.id, actorUserId: source.actorUserId, changes });
  await recordAudit(db, {
    action: 'catalogue.service_created',
    ...source,
    targetType: 'catalogue_service',
    targetId: row.id,
    details: { code: row.code },
  });
  return getService(db, row.id);
}

export async function updateService(
  db: Executor,
  serviceId: string,
  patch: ServicePatch,
  source: AuditSource,
) {
  const row = await requireService(db, serviceId, true);
  const before = await snapshotOf(db, row);
  if (patch.code !== undefined) await ensureCodeFree(db, patch.code, serviceId);
  const { prerequisiteIds, alonePrices, ...fields } = patch;
  const after: Partial<Snapshot> = { ...fields };
  if (prerequisiteIds !== undefined) {
    after.prerequisites = await checkPrerequisites(db, serviceId, prerequisiteIds);
    await repo.replacePrerequisites(db, serviceId, prerequisiteIds);
  }
  if (alonePrices !== undefined) {
    after.alonePrices = sortStrata(alonePrices);
    await repo.replaceAlonePrices(db, serviceId, alonePrices);
  }
  const changes = diff(before, after);
  if (Object.keys(changes).length > 0) {
    await repo.updateService(db, serviceId, fields);
    await repo.insertHistory(db, { serviceId, actorUserId: source.actorUserId, changes });
    await recordAudit(db, {
      action: 'catalogue.service_updated',
      ...source,
      targetType: 'catalogue_service',
      targetId: serviceId,
      details: { code: after.code ?? row.code, fields: Object.keys(changes) },
    });
  }
  return getService(db, serviceId);
}

export async function serviceHistory(db: Executor, serviceId: string) {
  await requireService(db, serviceId);
  const rows = await repo.listHistory(db, serviceId);
  const items: ServiceHistoryEntry[] = rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actorId && r.actorName ? { id: r.actorId, displayName: r.actorName } : null,
    changes: r.changes,
  }));
  return { items, total: items.length, nextCursor: null };
}
