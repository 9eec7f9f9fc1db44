import { SERVICE_STATUS_LABELS, type ServiceStatus } from '../../../contracts/catalogue.js';
import {
  MEMBER_KIND_LABELS,
  MEMBERSHIP_STATUS_LABELS,
  type MembershipStatus,
  type OrganisationKind,
} from '../../../contracts/members.js';
import { SUBSCRIPTION_STATUS_LABELS, type SubscriptionStatus } from '../../../contracts/subscriptions.js';

/*
 * Pure rules of the subscription lifecycle: who may hold which service, in French a member can act on.
 * Only adhérents (status `member`) may subscribe. Prospects and structures on their way in
 * (requested, accepted) browse the catalogue and see these same reasons, but cannot request yet.
 */

export interface MemberFacts {
  name: string;
  kind: OrganisationKind;
  status: MembershipStatus;
}

export interface ServiceFacts {
  id: string;
  name: string;
  status: ServiceStatus;
  eligibleKinds: readonly OrganisationKind[];
}

/** One of the member's subscriptions, reduced to what the rules read. */
export interface HeldSubscription {
  serviceId: string;
  status: SubscriptionStatus;
  startDate: string | null;
}

export interface PrerequisiteFacts {
  id: string;
  name: string;
}

const kindLabel = (kind: OrganisationKind) => MEMBER_KIND_LABELS[kind] ?? kind;

export function memberReason(member: MemberFacts): string | null {
  if (member.status === 'member') return null;
  const label = MEMBERSHIP_STATUS_LABELS[member.status] ?? member.status;
  return `Seules les structures adhérentes peuvent souscrire un service : « ${member.name} » est au statut « ${label} ». L'adhésion doit d'abord être effective.`;
}

export function serviceReason(service: ServiceFacts): string | null {
  switch (service.status) {
    case 'open':
      return null;
    case 'proposed':
      return `Le service « ${service.name} » n'est pas encore ouvert aux souscriptions.`;
    case 'closed':
      return `Le service « ${service.name} » est fermé aux nouvelles souscriptions.`;
    default:
      return `Le service « ${service.name} » a été retiré du catalogue (${SERVICE_STATUS_LABELS.retired.toLowerCase()}).`;
  }
}

export function kindReason(member: MemberFacts, service: ServiceFacts): string | null {
  if (service.eligibleKinds.includes(member.kind)) return null;
  const allowed = service.eligibleKinds.map(kindLabel).join(', ');
  return `Le service « ${service.name} » n'est pas proposé aux structures de type « ${kindLabel(member.kind)} » (réservé aux types : ${allowed || 'aucun'}).`;
}

/**
 * Why `member` may not request `service` now (empty when it may). A prerequisite counts when the
 * member holds it or has requested it: both can then be decided together by the operator.
 */
export function requestRefusals(
  member: MemberFacts,
  service: ServiceFacts,
  prerequisites: PrerequisiteFacts[],
  held: HeldSubscription[],
): string[] {
  const reasons = [memberReason(member), serviceReason(service), kindReason(member, service)].filter(
    (r): r is string => r !== null,
  );
  const existing = held.find((h) => h.serviceId === service.id);
  if (existing) {
    reasons.push(
      `Votre structure a déjà une souscription au service « ${service.name} » (statut : ${SUBSCRIPTION_STATUS_LABELS[existing.status]}).`,
    );
  }
  for (const prerequisite of prerequisites) {
    const holding = held.find((h) => h.serviceId === prerequisite.id);
    if (!holding) {
      reasons.push(
        `Le service « ${service.name} » nécessite une souscription au service « ${prerequisite.name} » : demandez-la d'abord.`,
      );
    } else if (holding.status === 'termination_requested') {
      reasons.push(
        `Le service « ${service.name} » nécessite le service « ${prerequisite.name} », dont la résiliation est demandée.`,
      );
    }
  }
  return reasons;
}

/**
 * Why the operator may not start `service` for `member` on `startDate`: every prerequisite must
 * already be accepted, and started by that date.
 */
export function startRefusals(
  member: MemberFacts,
  service: ServiceFacts,
  prerequisites: PrerequisiteFacts[],
  held: HeldSubscription[],
  startDate: string,
): string[] {
  const reasons: string[] = [];
  const status = memberReason(member);
  if (status) reasons.push(status);
  for (const prerequisite of prerequisites) {
    const holding = held.find(
      (h) =>
        h.serviceId === prerequisite.id && (h.status === 'active' || h.status === 'termination_requested'),
    );
    if (!holding) {
      reasons.push(
        `« ${service.name} » nécessite « ${prerequisite.name} » : la souscription de « ${member.name} » à « ${prerequisite.name} » doit d'abord être acceptée.`,
      );
    } else if (holding.startDate && holding.startDate > startDate) {
      reasons.push(
        `« ${service.name} » nécessite « ${prerequisite.name} », qui ne démarre que le ${frenchDate(holding.startDate)} pour « ${member.name} » : choisissez une date de début à partir de cette date.`,
      );
    }
  }
  return reasons;
}

/** Why the operator's bulk subscription skips `member` (the service itself is checked once, before). */
export function bulkRefusals(
  member: MemberFacts,
  service: ServiceFacts,
  prerequisites: PrerequisiteFacts[],
  held: HeldSubscription[],
  startDate: string,
): string[] {
  const reasons: string[] = [];
  const kind = kindReason(member, service);
  if (kind) reasons.push(kind);
  const existing = held.find((h) => h.serviceId === service.id);
  if (existing) {
    reasons.push(`Déjà souscrit (statut : ${SUBSCRIPTION_STATUS_LABELS[existing.status]}).`);
  }
  return [...reasons, ...startRefusals(member, service, prerequisites, held, startDate)];
}

/** Why the member may not terminate `service` now: services that need it must be terminated first. */
export function terminationRefusals(
  service: { name: string },
  dependents: { name: string; status: SubscriptionStatus }[],
): string[] {
  return dependents
    .filter((d) => d.status === 'requested' || d.status === 'active')
    .map(
      (d) =>
        `Le service « ${d.name} » dépend de « ${service.name} » : résiliez d'abord « ${d.name} » (ou en même temps, avant celui-ci).`,
    );
}

/** 2026-06-30 → 30/06/2026, as French people read dates. */
export function frenchDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
