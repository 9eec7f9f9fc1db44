import type { MembershipEvent, TransitionInput } from '../../../contracts/members.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { forbidden, invalid, unprocessable } from '../../platform/errors.js';
import { emitEvent } from '../../platform/events/events.js';
import { findDocument } from './members.documents.repository.js';
import * as repo from './members.lifecycle.repository.js';
import { updateOrganisation } from './members.repository.js';
import { requireMember } from './members.service.js';
import { checkTransition } from './membership.lifecycle.js';

/**
 * The membership lifecycle: a step (request, acceptance, membership, withdrawal, refusal) checked
 * against the transition rules (membership.lifecycle.ts) and who decides it, then dated, attributed
 * and audited; and the history of those steps.
 */

export async function changeMembershipStatus(
  db: Executor,
  memberId: string,
  input: TransitionInput,
  decider: 'operator' | 'member',
  source: AuditSource,
) {
  const member = await requireMember(db, memberId, true);
  const from = member.status;
  const check = checkTransition(from, input.to, input);
  if (!check.ok) {
    if (check.reason === 'illegal') throw unprocessable(check.message);
    throw invalid(check.message, check.errors);
  }
  if (decider === 'member' && !check.byMember) {
    throw forbidden(
      "Cette étape est une décision de l'opérateur (comité syndical) : seul un administrateur de l'opérateur peut l'enregistrer.",
    );
  }
  if (input.documentId) {
    const document = await findDocument(db, memberId, input.documentId);
    if (!document) {
      throw invalid(
        "Le document indiqué n'existe pas pour cette structure : déposez d'abord la délibération.",
        [{ path: 'body.documentId', message: 'document introuvable pour cette structure' }],
      );
    }
    if (
      (input.to === 'requested' || input.to === 'withdrawal_requested') &&
      document.kind !== 'deliberation'
    ) {
      throw invalid('Le document joint doit être une délibération.', [
        { path: 'body.documentId', message: "le document n'est pas une délibération" },
      ]);
    }
  }
  const event = await repo.insertMembershipEvent(db, {
    memberId,
    fromStatus: from,
    toStatus: input.to,
    effectiveOn: input.effectiveOn,
    decisionReference: input.decisionReference ?? null,
    documentId: input.documentId ?? null,
    note: input.note ?? null,
    actorUserId: source.actorUserId,
  });
  await updateOrganisation(db, memberId, { status: input.to, statusChangedAt: now() });
  await recordAudit(db, {
    action: 'member.status_changed',
    ...source,
    memberId,
    targetType: 'membership_event',
    targetId: event.id,
    details: { from, to: input.to },
  });
  await emitEvent(db, {
    type: 'member.updated',
    memberId,
    data: { fields: ['status'], from, to: input.to, effectiveOn: input.effectiveOn },
  });
  const history = await repo.listMembershipEvents(db, memberId);
  const recorded = history.find((e) => e.id === event.id);
  if (!recorded) throw new Error(`membership event ${event.id} not found right after its insert`);
  return presentEvent(recorded);
}

function presentEvent(e: Awaited<ReturnType<typeof repo.listMembershipEvents>>[number]): MembershipEvent {
  return {
    id: e.id,
    memberId: e.memberId,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    effectiveOn: e.effectiveOn,
    decisionReference: e.decisionReference,
    document: e.documentId && e.documentTitle ? { id: e.documentId, title: e.documentTitle } : null,
    note: e.note,
    actor: e.actorId && e.actorName ? { id: e.actorId, displayName: e.actorName } : null,
    createdAt: e.createdAt.toISOString(),
  };
}

export async function membershipHistory(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const rows = await repo.listMembershipEvents(db, memberId);
  return { items: rows.map(presentEvent), total: rows.length, nextCursor: null };
}
