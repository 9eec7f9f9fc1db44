import type { Eligibility } from '../../../contracts/catalogue.js';
import type { MemberKind, OrganisationKind } from '../../../contracts/members.js';
import {
  isLiveStatus,
  type Subscriber,
  type SubscriberQuery,
  type Subscription,
  type SubscriptionDetail,
  type SubscriptionQueueQuery,
} from '../../../contracts/subscriptions.js';
import type { Executor } from '../../platform/db/client.js';
import { notFound } from '../../platform/errors.js';
import { requireService } from '../catalogue/catalogue.service.js';
import { findMember, requireMember } from '../members/members.service.js';
import * as repo from './subscriptions.repository.js';
import { type PrerequisiteFacts, requestRefusals, type ServiceFacts } from './subscriptions.rules.js';

/*
 * Reading subscriptions, and what other modules ask of them. The lifecycle (request, decisions,
 * termination, units) is in subscriptions.lifecycle.service.ts, bulk subscriptions in
 * subscriptions.bulk.service.ts.
 */

export const SUBSCRIPTION_NOT_FOUND = "Cette souscription n'existe pas pour cette structure.";

function present(row: repo.SubscriptionView): Subscription {
  return {
    id: row.id,
    memberId: row.memberId,
    memberName: row.memberName,
    service: {
      id: row.serviceId,
      code: row.serviceCode,
      name: row.serviceName,
      domain: row.serviceDomain,
      noticeMonths: row.serviceNoticeMonths,
      unitLabel: row.serviceUnitLabel,
    },
    status: row.status,
    requestedOn: row.requestedOn,
    startDate: row.startDate,
    endDate: row.endDate,
    units: row.units,
    refusalReason: row.refusalReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

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
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      effectiveOn: e.effectiveOn,
      note: e.note,
      actor: e.actorId && e.actorName ? { id: e.actorId, displayName: e.actorName } : null,
      createdAt: e.createdAt.toISOString(),
    })),
  };
}

export async function queue(db: Executor, query: SubscriptionQueueQuery) {
  const page = await repo.listQueue(db, query);
  return { items: page.items.map(present), total: page.total, nextCursor: page.nextCursor };
}

/** Subscribers are members: the operator holds no subscription. */
function memberKind(kind: OrganisationKind): MemberKind {
  if (kind === 'operator') throw new Error('the operator holds no subscription');
  return kind;
}

function presentSubscriber(row: Awaited<ReturnType<typeof repo.exportSubscribers>>[number]): Subscriber {
  return {
    subscriptionId: row.subscriptionId,
    memberId: row.memberId,
    memberName: row.memberName,
    kind: memberKind(row.kind),
    siren: row.siren,
    departementCode: row.departementCode,
    population: row.population === null ? null : Number(row.population),
    status: row.status,
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

// For other modules ------------------------------------------------------------------------------

/**
 * Whether `memberId` may request `service` now and why not, with its live subscription to it if any
 * (the catalogue's service page). Null without a member, or for an unknown one.
 */
export async function eligibility(
  db: Executor,
  memberId: string | null,
  service: ServiceFacts & { prerequisites: PrerequisiteFacts[] },
): Promise<Eligibility | null> {
  if (!memberId) return null;
  const member = await findMember(db, memberId);
  if (!member) return null;
  const held = await repo.liveSubscriptionsOf(db, memberId);
  const reasons = requestRefusals(member, service, service.prerequisites, held);
  const existing = held.find((h) => h.serviceId === service.id);
  return {
    eligible: reasons.length === 0,
    reasons,
    subscription:
      existing && isLiveStatus(existing.status) ? { id: existing.id, status: existing.status } : null,
  };
}

/**
 * Whether the member currently holds the catalogue service with this code (an active subscription,
 * termination notice given or not): what a module selling a service checks before using it.
 */
export function holdsService(db: Executor, memberId: string, serviceCode: string): Promise<boolean> {
  return repo.holdsServiceCode(db, memberId, serviceCode);
}
