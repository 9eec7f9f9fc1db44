import {
  ANSWERED_STATUSES,
  type Breach,
  type BreachInput,
  type BreachNotificationStatus,
  type BreachPatch,
  type BreachRiskLevel,
  type RightsRequest,
  type RightsRequestInput,
  type RightsRequestPatch,
  type RightsRequestStatus,
} from '../../../../contracts/rgpd-cases.js';
import { type AuditSource, recordAudit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/context.js';
import { now, today } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { type FieldError, forbidden, invalid, notFound, unprocessable } from '../../../platform/errors.js';
import { encodeCursor, pageOf } from '../../../platform/http/pagination.js';
import { isRgpdEditor } from '../processings/rgpd.designation.service.js';
import { requireMember } from '../processings/rgpd.processings.service.js';
import {
  addCalendarMonths,
  breachClock,
  breachNotificationDeadline,
  daysUntilDue,
  extendRightsRequest,
  extensionMonthsOf,
  formatFrenchDate,
  formatParisInstant,
  isOpenRequest,
  isRequestOverdue,
  MAX_EXTENSION_MONTHS,
  rightsRequestDueOn,
} from '../rgpd.deadlines.js';
import { CASES_EDITORS_ONLY, rgpdCasesPolicy } from './rgpd.cases.policy.js';
import * as repo from './rgpd.cases.repository.js';

/** Instants written by people may run a little ahead of the server clock. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Writes: the DPO team and the member admin by role; the member's other users only when named RGPD
 * editors (rgpd_editors, read in the request's transaction). The route let through only those who
 * could be (`cases:writeIfEditor`).
 */
async function assertMayWrite(db: Executor, actor: Actor, memberId: string): Promise<void> {
  if (rgpdCasesPolicy(actor, 'cases:write', memberId)) return;
  if (
    rgpdCasesPolicy(actor, 'cases:writeIfEditor', memberId) &&
    (await isRgpdEditor(db, memberId, actor.userId))
  )
    return;
  throw forbidden(CASES_EDITORS_ONLY);
}

function failIfAny(errors: FieldError[]): void {
  if (errors.length === 0) return;
  throw invalid(errors.map((e) => e.message).join(' '), errors);
}

// Rights requests ------------------------------------------------------------------------------

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

// Breaches -------------------------------------------------------------------------------------

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentBreach(row: repo.BreachRow, at: Date): Breach {
  const clock = breachClock(
    {
      notificationDeadline: row.notificationDeadline,
      notifiedAt: row.notifiedAt,
      notificationRequired: row.cnilNotificationRequired,
    },
    at,
  );
  const notificationStatus: Breach['notificationStatus'] = row.notifiedAt
    ? clock.notifiedLate
      ? 'notified_late'
      : 'notified'
    : !row.cnilNotificationRequired
      ? 'not_required'
      : clock.overdue
        ? 'overdue'
        : 'pending';
  return {
    id: row.id,
    memberId: row.memberId,
    awareAt: row.awareAt.toISOString(),
    occurredAt: iso(row.occurredAt),
    nature: row.nature,
    dataDescription: row.dataDescription,
    peopleCount: row.peopleCount,
    recordsCount: row.recordsCount,
    consequences: row.consequences,
    measures: row.measures,
    riskLevel: row.riskLevel,
    cnilNotificationRequired: row.cnilNotificationRequired,
    notificationReason: row.notificationReason,
    notificationDeadline: row.notificationDeadline.toISOString(),
    notificationDeadlineLabel: formatParisInstant(row.notificationDeadline),
    notifiedAt: iso(row.notifiedAt),
    cnilReference: row.cnilReference,
    lateReasons: row.lateReasons,
    peopleInformedAt: iso(row.peopleInformedAt),
    peopleInformation: row.peopleInformation,
    notificationStatus,
    remainingSeconds: clock.remainingSeconds,
    overdue: clock.overdue,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

interface BreachState {
  awareAt: Date;
  occurredAt: Date | null;
  riskLevel: BreachRiskLevel;
  cnilNotificationRequired: boolean;
  notificationReason: string | null;
  notifiedAt: Date | null;
  cnilReference: string | null;
  lateReasons: string | null;
  peopleInformedAt: Date | null;
  peopleInformation: string | null;
}

/** Articles 33 and 34, checked on the whole breach after the change. */
function checkBreach(state: BreachState, at: Date): void {
  const errors: FieldError[] = [];
  const latest = at.getTime() + FUTURE_TOLERANCE_MS;
  const deadline = breachNotificationDeadline(state.awareAt);
  if (state.awareAt.getTime() > latest) {
    errors.push({
      path: 'body.awareAt',
      message: 'La prise de connaissance ne peut pas être dans le futur.',
    });
  }
  if (state.occurredAt && state.occurredAt.getTime() > state.awareAt.getTime()) {
    errors.push({
      path: 'body.occurredAt',
      message: 'La violation ne peut pas être survenue après sa prise de connaissance.',
    });
  }
  if (state.riskLevel !== 'none' && !state.cnilNotificationRequired) {
    errors.push({
      path: 'body.cnilNotificationRequired',
      message:
        'Une violation susceptible d’engendrer un risque doit être notifiée à la CNIL (art. 33 RGPD) ; sinon, indiquez « aucun risque ».',
    });
  }
  if (!state.cnilNotificationRequired && !state.notificationReason) {
    errors.push({
      path: 'body.notificationReason',
      message: 'Justifiez l’absence de notification à la CNIL (art. 33.5 RGPD).',
    });
  }
  if (state.notifiedAt) {
    if (state.notifiedAt.getTime() < state.awareAt.getTime()) {
      errors.push({
        path: 'body.notifiedAt',
        message: 'La notification ne peut pas précéder la prise de connaissance.',
      });
    } else if (state.notifiedAt.getTime() > latest) {
      errors.push({
        path: 'body.notifiedAt',
        message: 'La date de notification ne peut pas être dans le futur.',
      });
    } else if (state.notifiedAt.getTime() > deadline.getTime() && !state.lateReasons) {
      errors.push({
        path: 'body.lateReasons',
        message: `Notifiée après le ${formatParisInstant(deadline)} : indiquez les motifs du retard (art. 33.1 RGPD).`,
      });
    }
  } else if (state.cnilReference) {
    errors.push({
      path: 'body.notifiedAt',
      message: 'Indiquez la date de notification correspondant à la référence CNIL.',
    });
  }
  if (state.riskLevel === 'high' && !state.peopleInformation) {
    errors.push({
      path: 'body.peopleInformation',
      message:
        'Un risque élevé impose d’informer les personnes concernées (art. 34 RGPD) : décrivez l’information donnée ou prévue.',
    });
  }
  if (state.peopleInformedAt && state.peopleInformedAt.getTime() > latest) {
    errors.push({ path: 'body.peopleInformedAt', message: 'Cette date ne peut pas être dans le futur.' });
  }
  failIfAny(errors);
}

const toDate = (value: string | null | undefined) => (value ? new Date(value) : null);

export async function listBreaches(
  db: Executor,
  memberId: string,
  query: { notificationStatus?: BreachNotificationStatus; limit: number; cursor?: string },
) {
  await requireMember(db, memberId);
  const at = now();
  const { rows, total } = await repo.listBreaches(db, memberId, query, at);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.cursorKey, r.id));
  return { items: page.items.map((r) => presentBreach(r, at)), total, nextCursor: page.nextCursor };
}

export async function getBreach(db: Executor, memberId: string, id: string) {
  const row = await repo.findBreach(db, memberId, id);
  if (!row) throw notFound("Cette violation de données n'existe pas.");
  return presentBreach(row, now());
}

export async function createBreach(
  db: Executor,
  memberId: string,
  input: BreachInput,
  actor: Actor,
  source: AuditSource,
): Promise<Breach> {
  await assertMayWrite(db, actor, memberId);
  await requireMember(db, memberId);
  const at = now();
  const state: BreachState = {
    awareAt: new Date(input.awareAt),
    occurredAt: toDate(input.occurredAt),
    riskLevel: input.riskLevel,
    cnilNotificationRequired: input.cnilNotificationRequired,
    notificationReason: input.notificationReason || null,
    notifiedAt: toDate(input.notifiedAt),
    cnilReference: input.cnilReference || null,
    lateReasons: input.lateReasons || null,
    peopleInformedAt: toDate(input.peopleInformedAt),
    peopleInformation: input.peopleInformation || null,
  };
  checkBreach(state, at);
  const row = await repo.insertBreach(db, {
    memberId,
    ...state,
    nature: input.nature,
    dataDescription: input.dataDescription || null,
    peopleCount: input.peopleCount ?? null,
    recordsCount: input.recordsCount ?? null,
    consequences: input.consequences || null,
    measures: input.measures || null,
    notificationDeadline: breachNotificationDeadline(state.awareAt),
  });
  await recordAudit(db, {
    ...source,
    action: 'rgpd.breach.create',
    memberId,
    targetType: 'rgpd_breach',
    targetId: row.id,
    details: { riskLevel: row.riskLevel },
  });
  return presentBreach(row, at);
}

export async function updateBreach(
  db: Executor,
  memberId: string,
  id: string,
  patch: BreachPatch,
  actor: Actor,
  source: AuditSource,
): Promise<Breach> {
  await assertMayWrite(db, actor, memberId);
  const at = now();
  const current = await repo.findBreach(db, memberId, id, true);
  if (!current) throw notFound("Cette violation de données n'existe pas.");
  const pick = <K extends keyof BreachState>(key: K, value: BreachState[K] | undefined): BreachState[K] =>
    value === undefined ? (current[key] as BreachState[K]) : value;
  const text = (value: string | null | undefined) => (value === undefined ? undefined : value || null);
  const date = (value: string | null | undefined) => (value === undefined ? undefined : toDate(value));
  const state: BreachState = {
    awareAt: pick('awareAt', date(patch.awareAt) ?? undefined),
    occurredAt: pick('occurredAt', date(patch.occurredAt)),
    riskLevel: pick('riskLevel', patch.riskLevel),
    cnilNotificationRequired: pick('cnilNotificationRequired', patch.cnilNotificationRequired),
    notificationReason: pick('notificationReason', text(patch.notificationReason)),
    notifiedAt: pick('notifiedAt', date(patch.notifiedAt)),
    cnilReference: pick('cnilReference', text(patch.cnilReference)),
    lateReasons: pick('lateReasons', text(patch.lateReasons)),
    peopleInformedAt: pick('peopleInformedAt', date(patch.peopleInformedAt)),
    peopleInformation: pick('peopleInformation', text(patch.peopleInformation)),
  };
  checkBreach(state, at);
  const values: Partial<repo.BreachInsert> = {
    ...state,
    notificationDeadline: breachNotificationDeadline(state.awareAt),
  };
  if (patch.nature) values.nature = patch.nature;
  if (patch.dataDescription !== undefined) values.dataDescription = patch.dataDescription || null;
  if (patch.peopleCount !== undefined) values.peopleCount = patch.peopleCount;
  if (patch.recordsCount !== undefined) values.recordsCount = patch.recordsCount;
  if (patch.consequences !== undefined) values.consequences = patch.consequences || null;
  if (patch.measures !== undefined) values.measures = patch.measures || null;
  const row = await repo.updateBreach(db, memberId, id, values);
  await recordAudit(db, {
    ...source,
    action: 'rgpd.breach.update',
    memberId,
    targetType: 'rgpd_breach',
    targetId: id,
    details: { fields: Object.keys(patch) },
  });
  return presentBreach(row, at);
}
