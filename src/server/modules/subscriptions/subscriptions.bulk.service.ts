import { MEMBER_KIND_LABELS } from '../../../contracts/members.js';
import type { BulkReport, BulkReportItem, BulkSubscriptionInput } from '../../../contracts/subscriptions.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { unprocessable } from '../../platform/errors.js';
import { emitEvents } from '../../platform/events/events.js';
import { prerequisitesOf, requireService } from '../catalogue/catalogue.service.js';
import { selectMembers } from '../members/members.service.js';
import * as repo from './subscriptions.repository.js';
import { bulkRefusals, type HeldSubscription, serviceReason } from './subscriptions.rules.js';

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
  const prerequisites = await prerequisitesOf(db, serviceId);

  const candidates = await selectMembers(
    db,
    input.memberIds
      ? { ids: input.memberIds }
      : { kind: input.kind, departement: input.departement, epci: input.epciCode },
  );

  const holdings = new Map<string, HeldSubscription[]>();
  for (const h of await repo.liveSubscriptionsOfMembers(
    db,
    candidates.map((c) => c.id),
  )) {
    holdings.set(h.memberId, [...(holdings.get(h.memberId) ?? []), h]);
  }

  const items: BulkReportItem[] = [];
  const toCreate: typeof candidates = [];
  for (const member of candidates) {
    const outOfFilter =
      input.kind && member.kind !== input.kind
        ? [`Type « ${MEMBER_KIND_LABELS[member.kind] ?? member.kind} » hors du filtre demandé.`]
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

  const idOf = new Map<string, string>();
  if (!input.dryRun) {
    const on = today();
    const created = await repo.insertSubscriptions(
      db,
      toCreate.map((m) => ({
        memberId: m.id,
        serviceId,
        status: 'active',
        requestedOn: on,
        startDate: input.startDate,
      })),
    );
    await repo.insertEvents(
      db,
      created.map((row) => ({
        memberId: row.memberId,
        subscriptionId: row.id,
        fromStatus: null,
        toStatus: 'active',
        effectiveOn: input.startDate,
        note: "Souscription groupée par l'opérateur.",
        actorUserId: source.actorUserId,
      })),
    );
    await emitEvents(
      db,
      created.map((row) => ({
        type: 'subscription.changed' as const,
        memberId: row.memberId,
        data: { subscriptionId: row.id, serviceId, from: null, to: 'active', effectiveOn: input.startDate },
      })),
    );
    await recordAudit(db, {
      action: 'subscription.bulk_created',
      ...source,
      targetType: 'catalogue_service',
      targetId: serviceId,
      details: { startDate: input.startDate, created: created.length, skipped: items.length },
    });
    for (const row of created) idOf.set(row.memberId, row.id);
  }
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
