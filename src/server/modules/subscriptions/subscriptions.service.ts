import { and, asc, inArray, type SQL } from 'drizzle-orm';
import type { ServiceDomain } from '../../../contracts/catalogue.js';
import { MEMBER_KIND_LABELS, type MemberKind } from '../../../contracts/members.js';
import {
  type BulkReport,
  type BulkReportItem,
  type BulkSubscriptionInput,
  SUBSCRIPTION_STATUS_LABELS,
  type Subscriber,
  type SubscriberQuery,
  type Subscription,
  type SubscriptionDetail,
  type SubscriptionQueueQuery,
  type SubscriptionRequest,
  type SubscriptionStatus,
  terminationEndDate,
} from '../../../contracts/subscriptions.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, invalid, isUniqueViolation, notFound, unprocessable } from '../../platform/errors.js';
import * as catalogueRepo from '../catalogue/catalogue.repository.js';
import { requireService } from '../catalogue/catalogue.service.js';
import { filterConditions, findMember, isMember } from '../members/members.repository.js';
import { organisations } from '../members/members.schema.js';
import * as repo from './subscriptions.repository.js';
import {
  bulkRefusals,
  frenchDate,
  type HeldSubscription,
  requestRefusals,
  serviceReason,
  startRefusals,
  terminationRefusals,
} from './subscriptions.rules.js';

export const SUBSCRIPTION_NOT_FOUND = "Cette souscription n'existe pas pour cette structure.";
const MEMBER_NOT_FOUND = "Cette structure adhérente n'existe pas.";

async function requireMember(db: Executor, memberId: string) {
  const member = await findMember(db, memberId);
  if (!member) throw notFound(MEMBER_NOT_FOUND);
  return member;
}

function present(row: repo.SubscriptionView): Subscription {
  return {
    id: row.id,
    memberId: row.memberId,
    memberName: row.memberName,
    service: {
      id: row.serviceId,
      code: row.serviceCode,
      name: row.serviceName,
      domain: row.serviceDomain as ServiceDomain,
      noticeMonths: row.serviceNoticeMonths,
      unitLabel: row.serviceUnitLabel,
    },
    status: row.status as SubscriptionStatus,
    requestedOn: row.requestedOn,
    startDate: row.startDate,
    endDate: row.endDate,
    units: row.units,
    refusalReason: row.refusalReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const held = (rows: { serviceId: string; status: string; startDate: string | null }[]) =>
  rows as HeldSubscription[];

// Reads ------------------------------------------------------------------------------------------

export async function listForMember(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const rows = await repo.listMemberSubscriptions(db, memberId);
  return { items: rows.map(present), total: rows.length, nextCursor: null };
}

export async function getSubscription(
  db: Executor,
  memberId: string,
  subscriptionId: string,
): Promise<SubscriptionDetail> {
  const row = await repo.findSubscriptionView(db, memberId, subscriptionId);
  if (!row) throw notFound(SUBSCRIPTION_NOT_FOUND);
  const events = await repo.listEvents(db, memberId, subscriptionId);
  return {
    ...present(row),
    events: events.map((e) => ({
      id: e.id,
      fromStatus: e.fromStatus as SubscriptionStatus | null,
      toStatus: e.toStatus as SubscriptionStatus,
      effectiveOn: e.effectiveOn,
      note: e.note,
      actor: e.actorId && e.actorName ? { id: e.actorId, displayName: e.actorName } : null,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export async function queue(db: Executor, query: SubscriptionQueueQuery) {
  const cursor = catalogueRepo.decodeTextCursor(query.cursor);
  if (cursor && !ISO_INSTANT.test(cursor.sortValue)) {
    throw invalid('Le paramètre cursor est invalide : repartez de la première page.', [
      { path: 'query.cursor', message: 'curseur invalide' },
    ]);
  }
  const page = await repo.listQueue(db, query);
  return { items: page.items.map(present), total: page.total, nextCursor: page.nextCursor };
}

function presentSubscriber(row: Awaited<ReturnType<typeof repo.exportSubscribers>>[number]): Subscriber {
  return {
    subscriptionId: row.subscriptionId,
    memberId: row.memberId,
    memberName: row.memberName,
    kind: row.kind as MemberKind,
    siren: row.siren,
    departementCode: row.departementCode,
    population: row.population === null ? null : Number(row.population),
    status: row.status as SubscriptionStatus,
    requestedOn: row.requestedOn,
    startDate: row.startDate,
    endDate: row.endDate,
    units: row.units,
  };
}

export async function subscribers(db: Executor, serviceId: string, query: SubscriberQuery) {
  await requireService(db, serviceId);
  const page = await repo.listSubscribers(db, serviceId, query);
  return { items: page.items.map(presentSubscriber), total: page.total, nextCursor: page.nextCursor };
}

export const EXPORT_MAX_ROWS = 100_000;

export async function subscriberExport(db: Executor, serviceId: string, status: SubscriberQuery['status']) {
  const service = await requireService(db, serviceId);
  const rows = await repo.exportSubscribers(db, serviceId, status, EXPORT_MAX_ROWS);
  return { service, rows: rows.map((r) => ({ ...presentSubscriber(r), siret: r.siret })) };
}

// Lifecycle --------------------------------------------------------------------------------------

async function transition(
  db: Executor,
  memberId: string,
  subscriptionId: string,
  expected: SubscriptionStatus[],
  action: string,
) {
  const row = await repo.lockSubscription(db, memberId, subscriptionId);
  if (!row) throw notFound(SUBSCRIPTION_NOT_FOUND);
  if (!expected.includes(row.status as SubscriptionStatus)) {
    const label = SUBSCRIPTION_STATUS_LABELS[row.status as SubscriptionStatus];
    const allowed = expected.map((s) => `« ${SUBSCRIPTION_STATUS_LABELS[s]} »`).join(' ou ');
    throw unprocessable(`Impossible ${action} : la souscription est « ${label} » (attendu : ${allowed}).`);
  }
  return row;
}

async function record(
  db: Executor,
  row: { id: string; memberId: string; serviceId: string },
  from: SubscriptionStatus | null,
  to: SubscriptionStatus,
  effectiveOn: string,
  note: string | null,
  action: string,
  source: AuditSource,
  details: Record<string, unknown> = {},
) {
  await repo.insertEvents(db, [
    {
      memberId: row.memberId,
      subscriptionId: row.id,
      fromStatus: from,
      toStatus: to,
      effectiveOn,
      note,
      actorUserId: source.actorUserId,
    },
  ]);
  await recordAudit(db, {
    action,
    ...source,
    memberId: row.memberId,
    targetType: 'subscription',
    targetId: row.id,
    details: { serviceId: row.serviceId, from, to, ...details },
  });
}

function checkUnits(unitLabel: string | null, units: number | undefined) {
  if (unitLabel && units === undefined) {
    throw invalid(`Ce service est facturé au nombre de ${unitLabel} : indiquez-le.`, [
      { path: 'body.units', message: `nombre de ${unitLabel} obligatoire` },
    ]);
  }
  if (!unitLabel && units !== undefined) {
    throw invalid("Ce service n'est pas facturé à l'unité : ne renseignez pas de nombre d'unités.", [
      { path: 'body.units', message: 'sans objet pour ce service' },
    ]);
  }
}

export async function requestSubscription(
  db: Executor,
  memberId: string,
  input: SubscriptionRequest,
  source: AuditSource,
) {
  const member = await requireMember(db, memberId);
  const service = await catalogueRepo.findService(db, input.serviceId);
  if (!service) {
    throw invalid("Ce service n'existe pas dans le catalogue.", [
      { path: 'body.serviceId', message: 'service introuvable' },
    ]);
  }
  const prerequisites = await catalogueRepo.relatedServices(db, service.id, 'requires');
  const holdings = held(await repo.liveSubscriptionsOf(db, memberId));
  const existing = holdings.find((h) => h.serviceId === service.id);
  if (existing) {
    throw conflict(
      `« ${member.name} » a déjà une souscription au service « ${service.name} » (statut : ${SUBSCRIPTION_STATUS_LABELS[existing.status]}).`,
    );
  }
  const reasons = requestRefusals(member, service, prerequisites, holdings);
  if (reasons.length > 0) {
    throw unprocessable(
      reasons.join(' '),
      reasons.map((message) => ({ path: 'body.serviceId', message })),
    );
  }
  checkUnits(service.unitLabel, input.units);
  const on = today();
  let row: repo.SubscriptionRow;
  try {
    [row] = await repo.insertSubscriptions(db, [
      { memberId, serviceId: service.id, status: 'requested', requestedOn: on, units: input.units ?? null },
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict(`« ${member.name} » a déjà une souscription au service « ${service.name} ».`);
    }
    throw error;
  }
  await record(db, row, null, 'requested', on, null, 'subscription.requested', source);
  return getSubscription(db, memberId, row.id);
}

export async function acceptSubscription(
  db: Executor,
  memberId: string,
  subscriptionId: string,
  input: { startDate: string; note?: string },
  source: AuditSource,
) {
  const row = await transition(db, memberId, subscriptionId, ['requested'], "d'accepter");
  const member = await requireMember(db, memberId);
  const service = await requireService(db, row.serviceId);
  const prerequisites = await catalogueRepo.relatedServices(db, service.id, 'requires');
  const holdings = held(await repo.liveSubscriptionsOf(db, memberId));
  const reasons = startRefusals(member, service, prerequisites, holdings, input.startDate);
  if (reasons.length > 0) {
    throw unprocessable(
      reasons.join(' '),
      reasons.map((message) => ({ path: 'body.startDate', message })),
    );
  }
  await repo.updateSubscription(db, memberId, subscriptionId, {
    status: 'active',
    startDate: input.startDate,
  });
  await record(
    db,
    row,
    'requested',
    'active',
    input.startDate,
    input.note ?? null,
    'subscription.accepted',
    source,
  );
  return getSubscription(db, memberId, subscriptionId);
}

export async function refuseSubscription(
  db: Executor,
  memberId: string,
  subscriptionId: string,
  input: { reason: string },
  source: AuditSource,
) {
  const row = await transition(db, memberId, subscriptionId, ['requested'], 'de refuser');
  await repo.updateSubscription(db, memberId, subscriptionId, {
    status: 'refused',
    refusalReason: input.reason,
  });
  await record(db, row, 'requested', 'refused', today(), input.reason, 'subscription.refused', source);
  return getSubscription(db, memberId, subscriptionId);
}

/** The member gives notice: the end date follows from the service's notice period (terminationEndDate). */
export async function requestTermination(
  db: Executor,
  memberId: string,
  subscriptionId: string,
  input: { note?: string },
  source: AuditSource,
) {
  const row = await transition(db, memberId, subscriptionId, ['active'], 'de demander la résiliation');
  const service = await requireService(db, row.serviceId);
  const dependents = await repo.liveDependents(db, memberId, service.id);
  const reasons = terminationRefusals(
    service,
    dependents.map((d) => ({ name: d.name, status: d.status as SubscriptionStatus })),
  );
  if (reasons.length > 0) throw unprocessable(reasons.join(' '));
  const on = today();
  const endDate = terminationEndDate(on, service.noticeMonths, row.startDate);
  await repo.updateSubscription(db, memberId, subscriptionId, { status: 'termination_requested', endDate });
  const note = [`Préavis de ${service.noticeMonths} mois : fin le ${frenchDate(endDate)}.`, input.note]
    .filter(Boolean)
    .join(' ');
  await record(
    db,
    row,
    'active',
    'termination_requested',
    on,
    note,
    'subscription.termination_requested',
    source,
    {
      endDate,
    },
  );
  return getSubscription(db, memberId, subscriptionId);
}

/** The operator confirms: the subscription is terminated as of its end date (billing prorates up to it). */
export async function confirmTermination(
  db: Executor,
  memberId: string,
  subscriptionId: string,
  input: { endDate?: string; note?: string },
  source: AuditSource,
) {
  const row = await transition(
    db,
    memberId,
    subscriptionId,
    ['termination_requested'],
    'de confirmer la résiliation',
  );
  const endDate = input.endDate ?? row.endDate!;
  if (row.startDate && endDate < row.startDate) {
    throw invalid(
      `La date de fin ne peut précéder le début de la souscription (${frenchDate(row.startDate)}).`,
      [{ path: 'body.endDate', message: 'antérieure à la date de début' }],
    );
  }
  await repo.updateSubscription(db, memberId, subscriptionId, { status: 'terminated', endDate });
  await record(
    db,
    row,
    'termination_requested',
    'terminated',
    endDate,
    input.note ?? null,
    'subscription.terminated',
    source,
    {
      endDate,
    },
  );
  return getSubscription(db, memberId, subscriptionId);
}

/** Declared units (agents, licences…) of a per-unit service, while the subscription is live. */
export async function updateUnits(
  db: Executor,
  memberId: string,
  subscriptionId: string,
  input: { units: number },
  source: AuditSource,
) {
  const row = await transition(
    db,
    memberId,
    subscriptionId,
    ['requested', 'active', 'termination_requested'],
    "de modifier le nombre d'unités",
  );
  const service = await requireService(db, row.serviceId);
  checkUnits(service.unitLabel, input.units);
  if (row.units !== input.units) {
    await repo.updateSubscription(db, memberId, subscriptionId, { units: input.units });
    const status = row.status as SubscriptionStatus;
    await record(
      db,
      row,
      status,
      status,
      today(),
      `Nombre de ${service.unitLabel} déclaré : ${row.units ?? 'non renseigné'} → ${input.units}.`,
      'subscription.units_changed',
      source,
      { units: input.units },
    );
  }
  return getSubscription(db, memberId, subscriptionId);
}

// Bulk -------------------------------------------------------------------------------------------

/**
 * The operator subscribes a set of members to one service, starting on `startDate`, in one
 * transaction. Members that cannot take it (kind, status, missing prerequisite, already subscribed)
 * are reported, not fatal. Per-unit services start without units: each member declares them later.
 */
export async function bulkSubscribe(
  db: Executor,
  serviceId: string,
  input: BulkSubscriptionInput,
  source: AuditSource,
): Promise<BulkReport> {
  const service = await requireService(db, serviceId);
  const closed = serviceReason(service);
  if (closed) throw unprocessable(closed);
  const prerequisites = await catalogueRepo.relatedServices(db, serviceId, 'requires');

  const conditions: SQL[] = input.memberIds
    ? [isMember, inArray(organisations.id, input.memberIds)]
    : filterConditions({ kind: input.kind, departement: input.departement, epci: input.epciCode });
  const candidates = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      status: organisations.status,
    })
    .from(organisations)
    .where(and(...conditions))
    .orderBy(asc(organisations.searchName), asc(organisations.id));

  const holdings = new Map<string, HeldSubscription[]>();
  for (const h of await repo.liveSubscriptionsOfMembers(
    db,
    candidates.map((c) => c.id),
  )) {
    holdings.set(h.memberId, [...(holdings.get(h.memberId) ?? []), h as HeldSubscription]);
  }

  const items: BulkReportItem[] = [];
  const toCreate: typeof candidates = [];
  for (const member of candidates) {
    const outOfFilter =
      input.kind && member.kind !== input.kind
        ? [`Type « ${MEMBER_KIND_LABELS[member.kind as MemberKind] ?? member.kind} » hors du filtre demandé.`]
        : [];
    const reasons = outOfFilter.length
      ? outOfFilter
      : bulkRefusals(member, service, prerequisites, holdings.get(member.id) ?? [], input.startDate);
    if (reasons.length > 0) {
      items.push({
        memberId: member.id,
        name: member.name,
        outcome: 'skipped',
        reason: reasons.join(' '),
        subscriptionId: null,
      });
    } else {
      toCreate.push(member);
    }
  }
  const found = new Set(candidates.map((c) => c.id));
  for (const id of input.memberIds ?? []) {
    if (!found.has(id)) {
      items.push({
        memberId: id,
        name: 'Structure inconnue',
        outcome: 'skipped',
        reason: 'Aucune structure adhérente ne porte cet identifiant.',
        subscriptionId: null,
      });
    }
  }

  const on = today();
  const created = input.dryRun
    ? toCreate.map((m) => ({ id: null as string | null, memberId: m.id }))
    : await repo.insertSubscriptions(
        db,
        toCreate.map((m) => ({
          memberId: m.id,
          serviceId,
          status: 'active',
          requestedOn: on,
          startDate: input.startDate,
        })),
      );
  if (!input.dryRun) {
    await repo.insertEvents(
      db,
      created.map((row) => ({
        memberId: row.memberId,
        subscriptionId: row.id!,
        fromStatus: null,
        toStatus: 'active',
        effectiveOn: input.startDate,
        note: "Souscription groupée par l'opérateur.",
        actorUserId: source.actorUserId,
      })),
    );
    await recordAudit(db, {
      action: 'subscription.bulk_created',
      ...source,
      targetType: 'catalogue_service',
      targetId: serviceId,
      details: { startDate: input.startDate, created: created.length, skipped: items.length },
    });
  }
  const idOf = new Map(created.map((r) => [r.memberId, r.id]));
  for (const member of toCreate) {
    items.push({
      memberId: member.id,
      name: member.name,
      outcome: 'created',
      reason: null,
      subscriptionId: idOf.get(member.id) ?? null,
    });
  }
  const order = new Map(candidates.map((c, i) => [c.id, i]));
  items.sort((a, b) => (order.get(a.memberId) ?? order.size) - (order.get(b.memberId) ?? order.size));
  return {
    serviceId,
    startDate: input.startDate,
    dryRun: input.dryRun,
    created: toCreate.length,
    skipped: items.length - toCreate.length,
    items,
  };
}
