import { de } from '../../../contracts/french.js';
import {
  type DirectSubscription,
  SUBSCRIPTION_STATUS_LABELS,
  type SubscriptionRequest,
  type SubscriptionStatus,
  terminationEndDate,
} from '../../../contracts/subscriptions.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, invalid, notFound, uniqueOr, unprocessable } from '../../platform/errors.js';
import { emitEvent } from '../../platform/events/events.js';
import { findService, prerequisitesOf, requireService } from '../catalogue/catalogue.service.js';
import { requireMember } from '../members/members.service.js';
import * as repo from './subscriptions.repository.js';
import { frenchDate, requestRefusals, startRefusals, terminationRefusals } from './subscriptions.rules.js';
import { getSubscription, SUBSCRIPTION_NOT_FOUND } from './subscriptions.service.js';

/*
 * A subscription's life: the member requests, the operator accepts or refuses, the member gives
 * notice, the operator confirms the termination; per-unit services declare their units meanwhile.
 * Every step is a dated, attributed event and an audit entry, in the caller's transaction.
 */

async function transition(
  db: Executor,
  memberId: string,
  subscriptionId: string,
  expected: SubscriptionStatus[],
  action: string,
) {
  const row = await repo.lockSubscription(db, memberId, subscriptionId);
  if (!row) throw notFound(SUBSCRIPTION_NOT_FOUND);
  if (!expected.includes(row.status)) {
    const label = SUBSCRIPTION_STATUS_LABELS[row.status];
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
  await emitEvent(db, {
    type: 'subscription.changed',
    memberId: row.memberId,
    data: { subscriptionId: row.id, serviceId: row.serviceId, from, to, effectiveOn },
  });
}

function checkUnits(unitLabel: string | null, units: number | undefined) {
  if (unitLabel && units === undefined) {
    throw invalid(`Ce service est facturé au nombre ${de(unitLabel)} : indiquez-le.`, [
      { path: 'body.units', message: `nombre ${de(unitLabel)} obligatoire` },
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
  const service = await findService(db, input.serviceId);
  if (!service) {
    throw invalid("Ce service n'existe pas dans le catalogue.", [
      { path: 'body.serviceId', message: 'service introuvable' },
    ]);
  }
  const prerequisites = await prerequisitesOf(db, service.id);
  const holdings = await repo.liveSubscriptionsOf(db, memberId);
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
  const [row] = await uniqueOr(
    () =>
      repo.insertSubscriptions(db, [
        { memberId, serviceId: service.id, status: 'requested', requestedOn: on, units: input.units ?? null },
      ]),
    () => conflict(`« ${member.name} » a déjà une souscription au service « ${service.name} ».`),
  );
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
  const prerequisites = await prerequisitesOf(db, service.id);
  const holdings = await repo.liveSubscriptionsOf(db, memberId);
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

/**
 * The operator subscribes one member from its page: the request and its acceptance, in one
 * transaction, with the same rules as each step (eligibility, prerequisites, start date). Either both
 * events are recorded or neither.
 */
export async function subscribeDirectly(
  db: Executor,
  memberId: string,
  input: DirectSubscription,
  source: AuditSource,
) {
  const requested = await requestSubscription(
    db,
    memberId,
    { serviceId: input.serviceId, units: input.units },
    source,
  );
  return acceptSubscription(
    db,
    memberId,
    requested.id,
    { startDate: input.startDate, note: input.note ?? "Souscription enregistrée par l'opérateur." },
    source,
  );
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
  const reasons = terminationRefusals(service, dependents);
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
  const endDate = input.endDate ?? row.endDate;
  // requestTermination always sets it; a row written otherwise must say when it ends.
  if (!endDate) {
    throw invalid('Indiquez la date de fin de la souscription.', [
      { path: 'body.endDate', message: 'date de fin obligatoire' },
    ]);
  }
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
    await record(
      db,
      row,
      row.status,
      row.status,
      today(),
      `Nombre de ${service.unitLabel} déclaré : ${row.units ?? 'non renseigné'} → ${input.units}.`,
      'subscription.units_changed',
      source,
      { units: input.units },
    );
  }
  return getSubscription(db, memberId, subscriptionId);
}
