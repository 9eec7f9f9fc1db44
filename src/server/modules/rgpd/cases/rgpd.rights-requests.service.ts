import {
  ANSWERED_STATUSES,
  type RightsRequest,
  type RightsRequestInput,
  type RightsRequestPatch,
  type RightsRequestStatus,
} from '../../../../contracts/rgpd-cases.js';
import { type AuditSource, recordAudit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/context.js';
import { now, today } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { type FieldError, notFound, unprocessable } from '../../../platform/errors.js';
import { encodeCursor, pageOf } from '../../../platform/http/pagination.js';
import { requireMember } from '../processings/rgpd.processings.service.js';
import {
  addCalendarMonths,
  daysUntilDue,
  extendRightsRequest,
  extensionMonthsOf,
  formatFrenchDate,
  isOpenRequest,
  isRequestOverdue,
  MAX_EXTENSION_MONTHS,
  rightsRequestDueOn,
} from '../rgpd.deadlines.js';
import * as repo from './rgpd.cases.repository.js';
import { assertMayWrite, failIfAny } from './rgpd.cases.service.js';

/** Requests to exercise GDPR rights (Art. 15 to 22), answered within one month (Art. 12.3). */

export function presentRightsRequest(row: repo.RightsRequestRow, at: Date): RightsRequest {
  const open = isOpenRequest(row.status);
  return {
    id: row.id,
    memberId: row.memberId,
    type: row.type,
    requesterName: row.requesterName,
    identityChecked: row.identityChecked,
    receivedOn: row.receivedOn,
    dueOn: row.dueOn,
    extendedUntil: row.extendedUntil,
    extensionReason: row.extensionReason,
    status: row.status,
    answer: row.answer,
    answeredOn: row.answeredOn,
    daysLeft: open ? daysUntilDue(row, at) : null,
    overdue: isRequestOverdue(row, at),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The rules a request must satisfy as a whole, whichever fields the caller sent. */
function checkRightsRequest(
  state: {
    receivedOn: string;
    status: RightsRequestStatus;
    answer: string | null;
    answeredOn: string | null;
  },
  today: string,
): void {
  const errors: FieldError[] = [];
  if (state.receivedOn > today) {
    errors.push({
      path: 'body.receivedOn',
      message: `La date de réception ne peut pas être postérieure à aujourd'hui (${formatFrenchDate(today)}).`,
    });
  }
  const closing = ANSWERED_STATUSES.includes(state.status);
  if (closing && !state.answer) {
    errors.push({
      path: 'body.answer',
      message:
        state.status === 'refused'
          ? 'Motivez le refus : la réponse doit indiquer les raisons et les voies de recours.'
          : 'Saisissez la réponse apportée au demandeur.',
    });
  }
  if (closing && !state.answeredOn) {
    errors.push({ path: 'body.answeredOn', message: 'Indiquez la date de la réponse.' });
  }
  if (state.answeredOn && isOpenRequest(state.status)) {
    errors.push({
      path: 'body.status',
      message: 'Une réponse datée suppose le statut « Répondue » ou « Refusée ».',
    });
  }
  if (state.answeredOn && state.answeredOn < state.receivedOn) {
    errors.push({
      path: 'body.answeredOn',
      message: 'La réponse ne peut pas précéder la réception de la demande.',
    });
  }
  if (state.answeredOn && state.answeredOn > today) {
    errors.push({
      path: 'body.answeredOn',
      message: "La date de réponse ne peut pas être postérieure à aujourd'hui.",
    });
  }
  failIfAny(errors);
}

export async function listRightsRequests(
  db: Executor,
  memberId: string,
  query: { status?: RightsRequestStatus; open?: boolean; limit: number; cursor?: string },
) {
  await requireMember(db, memberId);
  const { rows, total } = await repo.listRightsRequests(db, memberId, query);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.cursorKey, r.id));
  const at = now();
  return { items: page.items.map((r) => presentRightsRequest(r, at)), total, nextCursor: page.nextCursor };
}

export async function getRightsRequest(db: Executor, memberId: string, id: string) {
  const row = await repo.findRightsRequest(db, memberId, id);
  if (!row) throw notFound("Cette demande d'exercice de droits n'existe pas.");
  return presentRightsRequest(row, now());
}

export async function createRightsRequest(
  db: Executor,
  memberId: string,
  input: RightsRequestInput,
  actor: Actor,
  source: AuditSource,
): Promise<RightsRequest> {
  await assertMayWrite(db, actor, memberId);
  await requireMember(db, memberId);
  const state = {
    receivedOn: input.receivedOn,
    status: input.status,
    answer: input.answer ?? null,
    answeredOn: input.answeredOn ?? null,
  };
  const at = now();
  checkRightsRequest(state, today(at));
  const row = await repo.insertRightsRequest(db, {
    memberId,
    type: input.type,
    requesterName: input.requesterName,
    identityChecked: input.identityChecked,
    ...state,
    dueOn: rightsRequestDueOn(input.receivedOn),
  });
  await recordAudit(db, {
    ...source,
    action: 'rgpd.rights_request.create',
    memberId,
    targetType: 'rgpd_rights_request',
    targetId: row.id,
    details: { type: row.type },
  });
  return presentRightsRequest(row, at);
}

export async function updateRightsRequest(
  db: Executor,
  memberId: string,
  id: string,
  patch: RightsRequestPatch,
  actor: Actor,
  source: AuditSource,
): Promise<RightsRequest> {
  await assertMayWrite(db, actor, memberId);
  const current = await repo.findRightsRequest(db, memberId, id, true);
  if (!current) throw notFound("Cette demande d'exercice de droits n'existe pas.");
  const next = {
    receivedOn: patch.receivedOn ?? current.receivedOn,
    status: patch.status ?? current.status,
    answer: patch.answer !== undefined ? patch.answer || null : current.answer,
    answeredOn: patch.answeredOn !== undefined ? patch.answeredOn : current.answeredOn,
  };
  const at = now();
  checkRightsRequest(next, today(at));
  const values: Partial<repo.RightsRequestInsert> = { ...next };
  if (patch.type) values.type = patch.type;
  if (patch.requesterName) values.requesterName = patch.requesterName;
  if (patch.identityChecked !== undefined) values.identityChecked = patch.identityChecked;
  if (next.receivedOn !== current.receivedOn) {
    // A corrected reception date moves the deadline, and an extension with it (same length).
    const dueOn = rightsRequestDueOn(next.receivedOn);
    values.dueOn = dueOn;
    if (current.extendedUntil) {
      values.extendedUntil = addCalendarMonths(
        dueOn,
        extensionMonthsOf(current.dueOn, current.extendedUntil),
      );
    }
  }
  const row = await repo.updateRightsRequest(db, memberId, id, values);
  await recordAudit(db, {
    ...source,
    action: 'rgpd.rights_request.update',
    memberId,
    targetType: 'rgpd_rights_request',
    targetId: id,
    details: { fields: Object.keys(patch), status: row.status },
  });
  return presentRightsRequest(row, at);
}

export async function extendRightsRequestDeadline(
  db: Executor,
  memberId: string,
  id: string,
  input: { months: number; reason: string },
  actor: Actor,
  source: AuditSource,
): Promise<RightsRequest> {
  await assertMayWrite(db, actor, memberId);
  const current = await repo.findRightsRequest(db, memberId, id, true);
  if (!current) throw notFound("Cette demande d'exercice de droits n'existe pas.");
  if (!isOpenRequest(current.status)) {
    throw unprocessable('Seule une demande en cours peut être prolongée.', [
      { path: 'status', message: 'demande déjà close' },
    ]);
  }
  const at = now();
  const result = extendRightsRequest(current, input.months, today(at));
  if (!result.ok) {
    if (result.reason === 'past_due') {
      throw unprocessable(
        `Le délai ne peut plus être prolongé : la personne devait être informée de la prolongation avant le ${formatFrenchDate(current.dueOn)} (art. 12.3 RGPD).`,
        [{ path: 'body.months', message: 'échéance initiale dépassée' }],
      );
    }
    const left = MAX_EXTENSION_MONTHS - result.alreadyMonths;
    throw unprocessable(
      left > 0
        ? `La prolongation est limitée à ${MAX_EXTENSION_MONTHS} mois au total : il reste ${left} mois possible.`
        : `La prolongation maximale de ${MAX_EXTENSION_MONTHS} mois est déjà atteinte.`,
      [{ path: 'body.months', message: `au plus ${left} mois` }],
    );
  }
  const reason = current.extensionReason ? `${current.extensionReason}\n${input.reason}` : input.reason;
  const row = await repo.updateRightsRequest(db, memberId, id, {
    extendedUntil: result.extendedUntil,
    extensionReason: reason,
  });
  await recordAudit(db, {
    ...source,
    action: 'rgpd.rights_request.extend',
    memberId,
    targetType: 'rgpd_rights_request',
    targetId: id,
    details: { months: input.months, extendedUntil: result.extendedUntil },
  });
  return presentRightsRequest(row, at);
}
