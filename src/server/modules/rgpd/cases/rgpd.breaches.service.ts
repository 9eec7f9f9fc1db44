import type {
  Breach,
  BreachInput,
  BreachNotificationStatus,
  BreachPatch,
  BreachRiskLevel,
} from '../../../../contracts/rgpd-cases.js';
import { type AuditSource, recordAudit } from '../../../platform/audit/audit.js';
import type { Actor } from '../../../platform/auth/context.js';
import { now } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { type FieldError, notFound } from '../../../platform/errors.js';
import { emitEvent } from '../../../platform/events/events.js';
import { encodeCursor, pageOf } from '../../../platform/http/pagination.js';
import { requireMember } from '../processings/rgpd.processings.service.js';
import { breachClock, breachNotificationDeadline, formatParisInstant } from '../rgpd.deadlines.js';
import * as repo from './rgpd.cases.repository.js';
import { assertMayWrite, failIfAny } from './rgpd.cases.service.js';

/** Personal data breaches (Art. 33 and 34): the register, and the 72 h notification deadline. */

/** Instants written by people may run a little ahead of the server clock. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

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
    toQualify: row.qualifiedAt === null,
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
  return recordBreach(db, memberId, input, source);
}

/**
 * A breach another module records for a member once it has authorised its caller itself — a
 * cybersecurity incident affecting personal data (issue 13) opens one with the incident's instant
 * as `awareAt`: the same checks, register entry, 72 h deadline and audit as createBreach, without
 * the register's editors rule (which concerns people writing in the register).
 */
export async function createLinkedBreach(
  db: Executor,
  memberId: string,
  input: BreachInput,
  source: AuditSource,
): Promise<Breach> {
  return recordBreach(db, memberId, input, source);
}

async function recordBreach(
  db: Executor,
  memberId: string,
  input: BreachInput,
  source: AuditSource,
): Promise<Breach> {
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
  await emitEvent(db, {
    type: 'breach.declared',
    memberId,
    data: {
      breachId: row.id,
      awareAt: row.awareAt.toISOString(),
      riskLevel: row.riskLevel,
      cnilNotificationRequired: row.cnilNotificationRequired,
      notificationDeadline: row.notificationDeadline.toISOString(),
    },
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
    // Whoever writes the register and edits a reported breach qualifies it.
    ...(current.qualifiedAt === null ? { qualifiedAt: at } : {}),
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
    details: {
      fields: Object.keys(patch),
      ...(current.qualifiedAt === null ? { qualified: true } : {}),
    },
  });
  return presentBreach(row, at);
}
