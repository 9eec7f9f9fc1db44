import {
  type CyberProfile,
  type CyberProfileInput,
  INCIDENT_CATEGORY_LABELS,
  INCIDENT_CLOCK_LABELS,
  INCIDENT_CLOCKS,
  type Incident,
  type IncidentCategory,
  type IncidentClock,
  type IncidentClockView,
  type IncidentInput,
  type IncidentPatch,
  type IncidentStatus,
  type IncidentSummary,
} from '../../../contracts/cyber.js';
import type { BreachNature } from '../../../contracts/rgpd-cases.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { invalid, notFound } from '../../platform/errors.js';
import { emitEvent } from '../../platform/events/events.js';
import { enqueue } from '../../platform/jobs/queue.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { createLinkedBreach } from '../rgpd/cases/rgpd.breaches.service.js';
import { recipientsOf } from './cyber.advisories.repository.js';
import * as repo from './cyber.incidents.repository.js';
import { clockView, deadlinesView, incidentDeadlines, REMINDER_LEAD_MS } from './rules/clocks.js';

/**
 * Incidents and their clocks: NIS 2 deadlines for members in its scope (a per-member setting with
 * its reason), reminders through the job queue, and — when personal data is affected — the linked
 * RGPD breach opened at the same instant, with its own 72 h CNIL clock.
 */

export const INCIDENT_NOT_FOUND = "Cet incident n'existe pas pour cette structure.";
export const INCIDENT_REMINDER_JOB = 'cyber.incident-reminder';
/** Instants written by people may run a little ahead of the server clock. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

// Profile --------------------------------------------------------------------------------------

export async function getProfile(db: Executor, memberId: string): Promise<CyberProfile> {
  const row = await repo.findProfile(db, memberId);
  return {
    memberId,
    nis2InScope: row?.nis2InScope ?? false,
    nis2Reason: row?.nis2Reason ?? null,
    securityContactEmail: row?.securityContactEmail ?? null,
    securityContactName: row?.securityContactName ?? null,
    updatedAt: row ? row.updatedAt.toISOString() : null,
  };
}

export async function putProfile(
  db: Executor,
  memberId: string,
  input: CyberProfileInput,
  source: AuditSource,
): Promise<CyberProfile> {
  await repo.upsertProfile(db, {
    memberId,
    nis2InScope: input.nis2InScope,
    nis2Reason: input.nis2Reason || null,
    securityContactEmail: input.securityContactEmail || null,
    securityContactName: input.securityContactName || null,
    updatedBy: source.actorUserId,
  });
  await recordAudit(db, {
    ...source,
    action: 'cyber.profile.put',
    memberId,
    details: { nis2InScope: input.nis2InScope },
  });
  return getProfile(db, memberId);
}

// Incidents ------------------------------------------------------------------------------------

const DONE_COLUMN: Record<IncidentClock, 'earlyWarningSentAt' | 'notificationSentAt' | 'finalReportSentAt'> =
  {
    earlyWarning: 'earlyWarningSentAt',
    notification: 'notificationSentAt',
    finalReport: 'finalReportSentAt',
  };
const DUE_COLUMN: Record<IncidentClock, 'earlyWarningDue' | 'notificationDue' | 'finalReportDue'> = {
  earlyWarning: 'earlyWarningDue',
  notification: 'notificationDue',
  finalReport: 'finalReportDue',
};

function clocksOf(row: repo.IncidentRow, at: Date): IncidentClockView[] {
  const clocks: IncidentClockView[] = [];
  for (const clock of INCIDENT_CLOCKS) {
    const due = row[DUE_COLUMN[clock]];
    if (due) clocks.push(clockView(clock, due, row[DONE_COLUMN[clock]], at));
  }
  return clocks;
}

function summaryOf(row: repo.IncidentRow, at: Date): IncidentSummary {
  const running = row.status === 'closed' ? [] : clocksOf(row, at).filter((c) => c.doneAt === null);
  return {
    id: row.id,
    memberId: row.memberId,
    memberName: row.memberName,
    title: row.title,
    category: row.category,
    status: row.status,
    detectedAt: row.detectedAt.toISOString(),
    personalData: row.personalData,
    nis2: row.nis2,
    nextClock: running[0] ?? null,
    breachId: row.breachId,
    createdAt: row.createdAt.toISOString(),
  };
}

const NATURES: Record<IncidentCategory, BreachNature[]> = {
  ransomware: ['availability', 'confidentiality'],
  phishing: ['confidentiality'],
  account_compromise: ['confidentiality'],
  denial_of_service: ['availability'],
  defacement: ['integrity'],
  data_leak: ['confidentiality'],
  lost_device: ['confidentiality'],
  other: ['confidentiality'],
};

export async function declareIncident(
  db: Executor,
  memberId: string,
  input: IncidentInput,
  source: AuditSource,
): Promise<{ id: string; deadlines: ReturnType<typeof deadlinesView> | null; breachId: string | null }> {
  const at = now();
  const detectedAt = new Date(input.detectedAt);
  if (detectedAt.getTime() > at.getTime() + FUTURE_TOLERANCE_MS) {
    throw invalid('La détection ne peut pas être dans le futur.', [
      { path: 'body.detectedAt', message: 'La détection ne peut pas être dans le futur.' },
    ]);
  }
  const profile = await repo.findProfile(db, memberId);
  const nis2 = profile?.nis2InScope ?? false;
  const deadlines = nis2 ? incidentDeadlines(detectedAt) : null;
  const title =
    input.title ??
    `${INCIDENT_CATEGORY_LABELS[input.category]} détecté(e) le ${detectedAt.toISOString().slice(0, 10)}`;
  let breachId: string | null = null;
  if (input.personalData) {
    const breach = await createLinkedBreach(
      db,
      memberId,
      {
        awareAt: detectedAt.toISOString(),
        nature: NATURES[input.category],
        riskLevel: 'low',
        cnilNotificationRequired: true,
        dataDescription: `Incident de cybersécurité : ${title}. Données et personnes concernées à préciser.`,
      },
      source,
    );
    breachId = breach.id;
  }
  const id = await repo.insertIncident(db, {
    memberId,
    title,
    category: input.category,
    detectedAt,
    personalData: input.personalData,
    nis2,
    description: input.description || null,
    servicesAffected: input.servicesAffected,
    earlyWarningDue: deadlines?.earlyWarning ?? null,
    notificationDue: deadlines?.notification ?? null,
    finalReportDue: deadlines?.finalReport ?? null,
    breachId,
    createdBy: source.actorUserId,
  });
  await repo.insertEvent(db, {
    memberId,
    incidentId: id,
    at: detectedAt,
    text: `Incident détecté et déclaré (${INCIDENT_CATEGORY_LABELS[input.category].toLowerCase()}).${breachId ? ' Violation de données personnelles ouverte dans le registre RGPD.' : ''}`,
    createdBy: source.actorUserId,
  });
  if (deadlines) {
    for (const clock of INCIDENT_CLOCKS) {
      const due = deadlines[clock];
      for (const [kind, runAt] of [
        ['lead', new Date(due.getTime() - REMINDER_LEAD_MS[clock])],
        ['due', due],
      ] as const) {
        if (runAt.getTime() <= at.getTime() && kind === 'lead') continue;
        await enqueue(db, INCIDENT_REMINDER_JOB, { incidentId: id, memberId, clock, kind }, { runAt });
      }
    }
  }
  await recordAudit(db, {
    ...source,
    action: 'cyber.incident.declare',
    memberId,
    targetType: 'cyber_incident',
    targetId: id,
    details: { category: input.category, nis2, breachId },
  });
  await emitEvent(db, {
    type: 'incident.declared',
    memberId,
    data: { incidentId: id, category: input.category, nis2, breachId, detectedAt: input.detectedAt },
  });
  return { id, deadlines: deadlines ? deadlinesView(deadlines) : null, breachId };
}

async function requireIncident(db: Executor, memberId: string, id: string) {
  const row = await repo.findIncident(db, memberId, id);
  if (!row) throw notFound(INCIDENT_NOT_FOUND);
  return row;
}

export async function getIncident(db: Executor, memberId: string, id: string): Promise<Incident> {
  const row = await requireIncident(db, memberId, id);
  const at = now();
  const events = await repo.eventsOf(db, memberId, id);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    ...summaryOf(row, at),
    description: row.description,
    servicesAffected: row.servicesAffected,
    deadlines:
      row.earlyWarningDue && row.notificationDue && row.finalReportDue
        ? deadlinesView({
            earlyWarning: row.earlyWarningDue,
            notification: row.notificationDue,
            finalReport: row.finalReportDue,
          })
        : null,
    clocks: clocksOf(row, at),
    earlyWarningSentAt: iso(row.earlyWarningSentAt),
    notificationSentAt: iso(row.notificationSentAt),
    finalReportSentAt: iso(row.finalReportSentAt),
    policeComplaintAt: iso(row.policeComplaintAt),
    insurerDeclaredAt: iso(row.insurerDeclaredAt),
    timeline: events.map((e) => ({
      id: e.event.id,
      at: e.event.at.toISOString(),
      text: e.event.text,
      by: e.by,
      createdAt: e.event.createdAt.toISOString(),
    })),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listIncidents(
  db: Executor,
  memberId: string | null,
  query: { status?: IncidentStatus; breachId?: string; limit: number; cursor?: string },
) {
  const page = await repo.listIncidents(db, memberId, query);
  const at = now();
  return { items: page.items.map((r) => summaryOf(r, at)), total: page.total, nextCursor: page.nextCursor };
}

/** Open incidents of every member, the nearest running clock first (then those without one). */
export async function openIncidentsByClock(db: Executor): Promise<IncidentSummary[]> {
  const at = now();
  const items = (await repo.openIncidents(db)).map((r) => summaryOf(r, at));
  const key = (i: IncidentSummary) =>
    i.nextClock ? Date.parse(i.nextClock.deadline) : Number.POSITIVE_INFINITY;
  return items.sort((a, b) => key(a) - key(b) || a.detectedAt.localeCompare(b.detectedAt));
}

const EVENT_TEXT: Partial<Record<keyof IncidentPatch, string>> = {
  earlyWarningSentAt: 'Alerte précoce transmise',
  notificationSentAt: "Notification d'incident transmise",
  finalReportSentAt: 'Rapport final transmis',
  policeComplaintAt: 'Plainte déposée',
  insurerDeclaredAt: "Déclaration à l'assureur",
};
const STATUS_TEXT: Record<IncidentStatus, string> = {
  open: 'Incident rouvert',
  contained: 'Incident maîtrisé',
  closed: 'Incident clos',
};

export async function updateIncident(
  db: Executor,
  memberId: string,
  id: string,
  patch: IncidentPatch,
  source: AuditSource,
): Promise<Incident> {
  const row = await requireIncident(db, memberId, id);
  const at = now();
  const toDate = (v: string | null | undefined) =>
    v === undefined ? undefined : v === null ? null : new Date(v);
  const instants = {
    earlyWarningSentAt: toDate(patch.earlyWarningSentAt),
    notificationSentAt: toDate(patch.notificationSentAt),
    finalReportSentAt: toDate(patch.finalReportSentAt),
    policeComplaintAt: toDate(patch.policeComplaintAt),
    insurerDeclaredAt: toDate(patch.insurerDeclaredAt),
  };
  for (const [field, value] of Object.entries(instants)) {
    if (!value) continue;
    if (value.getTime() < row.detectedAt.getTime()) {
      throw invalid('Cette date ne peut pas précéder la détection de l’incident.', [
        { path: `body.${field}`, message: 'date antérieure à la détection' },
      ]);
    }
    if (value.getTime() > at.getTime() + FUTURE_TOLERANCE_MS) {
      throw invalid('Cette date ne peut pas être dans le futur.', [
        { path: `body.${field}`, message: 'date future' },
      ]);
    }
  }
  await repo.updateIncident(db, memberId, id, {
    status: patch.status,
    title: patch.title,
    description: patch.description === undefined ? undefined : patch.description || null,
    servicesAffected: patch.servicesAffected,
    ...instants,
  });
  for (const [field, value] of Object.entries(instants) as [
    keyof typeof instants,
    Date | null | undefined,
  ][]) {
    const text = EVENT_TEXT[field];
    if (value && text && row[field]?.getTime() !== value.getTime()) {
      await repo.insertEvent(db, {
        memberId,
        incidentId: id,
        at: value,
        text,
        createdBy: source.actorUserId,
      });
    }
  }
  if (patch.status && patch.status !== row.status) {
    await repo.insertEvent(db, {
      memberId,
      incidentId: id,
      at,
      text: STATUS_TEXT[patch.status],
      createdBy: source.actorUserId,
    });
  }
  await recordAudit(db, {
    ...source,
    action: 'cyber.incident.update',
    memberId,
    targetType: 'cyber_incident',
    targetId: id,
    details: { fields: Object.keys(patch) },
  });
  return getIncident(db, memberId, id);
}

export async function addTimelineEntry(
  db: Executor,
  memberId: string,
  id: string,
  entry: { at: string; text: string },
  source: AuditSource,
): Promise<Incident> {
  await requireIncident(db, memberId, id);
  await repo.insertEvent(db, {
    memberId,
    incidentId: id,
    at: new Date(entry.at),
    text: entry.text,
    createdBy: source.actorUserId,
  });
  await recordAudit(db, {
    ...source,
    action: 'cyber.incident.timeline',
    memberId,
    targetType: 'cyber_incident',
    targetId: id,
  });
  return getIncident(db, memberId, id);
}

/**
 * The reminder job: while the clock's step is not done and the incident not closed, mails the
 * member's admins, référents sécurité and security contact — once per (clock, lead|due).
 */
export async function sendIncidentReminder(
  db: Executor,
  mailer: Mailer,
  payload: { incidentId: string; memberId: string; clock: IncidentClock; kind: 'lead' | 'due' },
): Promise<number> {
  const row = await repo.findIncident(db, payload.memberId, payload.incidentId);
  if (!row || row.status === 'closed' || row[DONE_COLUMN[payload.clock]]) return 0;
  const key = `${payload.clock}:${payload.kind}`;
  if (row.remindersSent.includes(key)) return 0;
  const due = row[DUE_COLUMN[payload.clock]];
  if (!due) return 0;
  const view = clockView(payload.clock, due, null, now());
  const subject =
    payload.kind === 'due'
      ? `[Socle] Échéance atteinte : ${INCIDENT_CLOCK_LABELS[payload.clock]} — ${row.title}`
      : `[Socle] Rappel : ${INCIDENT_CLOCK_LABELS[payload.clock]} avant le ${view.deadlineLabel}`;
  const text = [
    'Bonjour,',
    '',
    `Incident « ${row.title} » : l’étape « ${INCIDENT_CLOCK_LABELS[payload.clock]} » est attendue au plus tard le ${view.deadlineLabel}.`,
    payload.kind === 'due' ? 'Cette échéance est atteinte et l’étape n’est pas enregistrée comme faite.' : '',
    'Enregistrez-la dans Socle, rubrique Cybersécurité, une fois transmise.',
    '',
    'L’équipe cybersécurité',
  ].join('\n');
  const recipients = await recipientsOf(db, payload.memberId);
  for (const to of recipients) await mailer.send(db, { to, subject, text });
  await repo.addReminderSent(db, payload.memberId, payload.incidentId, key);
  return recipients.length;
}
