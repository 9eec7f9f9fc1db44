import type { BoundDecisionKind } from '../../../contracts/governance.js';
import type { AuditSource } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import type { Executor } from '../../platform/db/client.js';
import { invalid, unprocessable } from '../../platform/errors.js';
import type { ObjectStorage } from '../../platform/storage/storage.js';
import { changeMembershipStatus } from '../members/members.lifecycle.service.js';
import { findMember } from '../members/members.service.js';
import { adoptPricingYear, pricingAdoption } from '../pricing/pricing.service.js';
import { type AdoptingSession, adoptMinutes, checkMinutesAdoptable } from './governance.minutes.service.js';

/**
 * Decisions an agenda item is bound to: platform decisions of the operator's comité syndical, and
 * the adoption of an earlier session's procès-verbal (any assembly). They are checked
 * when the item is put on the agenda and again when it is adopted, and carried out in the vote's
 * transaction, once (governance.votes.service locks the item and writes `decision_executed_at`; a
 * trigger of migration 0034 forbids changing it afterwards). Never on rejection. Other modules are
 * reached through their services only.
 */

export type BoundDecision =
  | { kind: 'accept_membership'; memberId: string }
  | { kind: 'member_withdrawal'; memberId: string }
  | { kind: 'adopt_pricing'; year: number }
  | { kind: 'adopt_minutes'; sessionId: string };

export function decisionOf(item: {
  decisionKind: BoundDecisionKind | null;
  decisionMemberId: string | null;
  decisionYear: number | null;
  decisionSessionId: string | null;
}): BoundDecision | null {
  if (item.decisionKind === 'adopt_minutes' && item.decisionSessionId) {
    return { kind: 'adopt_minutes', sessionId: item.decisionSessionId };
  }
  if (item.decisionKind === 'adopt_pricing' && item.decisionYear !== null) {
    return { kind: 'adopt_pricing', year: item.decisionYear };
  }
  if (
    (item.decisionKind === 'accept_membership' || item.decisionKind === 'member_withdrawal') &&
    item.decisionMemberId
  ) {
    return { kind: item.decisionKind, memberId: item.decisionMemberId };
  }
  return null;
}

/**
 * Throws a French error (on `path`) when the decision could not be carried out now by an item of
 * the `adopting` session.
 */
export async function checkDecisionPossible(
  db: Executor,
  decision: BoundDecision,
  path: string,
  adopting: AdoptingSession,
) {
  if (decision.kind === 'adopt_minutes') {
    await checkMinutesAdoptable(db, decision.sessionId, adopting, path);
    return;
  }
  if (decision.kind === 'adopt_pricing') {
    if (await pricingAdoption(db, decision.year)) {
      throw unprocessable(`Les tarifs ${decision.year} sont déjà adoptés.`, [
        { path, message: 'tarifs déjà adoptés' },
      ]);
    }
    return;
  }
  const member = await findMember(db, decision.memberId);
  if (!member || member.kind === 'operator') {
    throw invalid("La structure visée par la décision n'existe pas.", [
      { path, message: 'structure inconnue' },
    ]);
  }
  const expected = decision.kind === 'accept_membership' ? 'requested' : 'withdrawal_requested';
  if (member.status !== expected) {
    throw unprocessable(
      decision.kind === 'accept_membership'
        ? `${member.name} n'a pas de demande d'adhésion en attente.`
        : `${member.name} n'a pas demandé son retrait.`,
      [
        {
          path,
          message:
            decision.kind === 'accept_membership'
              ? "pas de demande d'adhésion en attente"
              : 'pas de retrait demandé',
        },
      ],
    );
  }
}

/**
 * Carries the decision out for an adopted item: the membership accepted by the comité syndical (then
 * adherent), the withdrawal recorded, the year's tariffs adopted, or the earlier session's
 * procès-verbal adopted (frozen); the deliberation's number is the decision's reference.
 */
export async function executeDecision(
  db: Executor,
  deps: { storage: ObjectStorage; actor: Actor },
  decision: BoundDecision,
  context: {
    decidedOn: string;
    actId: string | null;
    deliberationNumber: string;
    adopting: AdoptingSession & { sessionId: string };
    itemId: string;
    votedAt: Date;
  },
  source: AuditSource,
) {
  if (decision.kind === 'adopt_minutes') {
    await adoptMinutes(
      db,
      deps,
      decision.sessionId,
      {
        adopting: context.adopting,
        itemId: context.itemId,
        votedAt: context.votedAt,
        deliberationNumber: context.deliberationNumber,
      },
      source,
    );
    return;
  }
  await checkDecisionPossible(db, decision, 'decision', context.adopting);
  const reference = `Délibération ${context.deliberationNumber}`;
  if (decision.kind === 'adopt_pricing') {
    await adoptPricingYear(
      db,
      decision.year,
      { adoptedOn: context.decidedOn, actId: context.actId, deliberationNumber: context.deliberationNumber },
      source,
    );
    return;
  }
  if (decision.kind === 'accept_membership') {
    await changeMembershipStatus(
      db,
      decision.memberId,
      { to: 'accepted', effectiveOn: context.decidedOn, decisionReference: reference },
      'operator',
      source,
    );
    await changeMembershipStatus(
      db,
      decision.memberId,
      { to: 'member', effectiveOn: context.decidedOn },
      'operator',
      source,
    );
    return;
  }
  await changeMembershipStatus(
    db,
    decision.memberId,
    { to: 'withdrawn', effectiveOn: context.decidedOn, decisionReference: reference },
    'operator',
    source,
  );
}
