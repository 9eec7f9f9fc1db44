import { de } from '../../../contracts/french.js';
import {
  type AgentMessageInput,
  priorityOf,
  REOPEN_DAYS,
  type SupportReport,
  TICKET_PRIORITY_LABELS,
  type Ticket,
  type TicketCreated,
  type TicketInput,
  type TicketList,
  type TicketPriority,
  type TicketQueue,
  type TicketStatus,
  type TicketSummary,
  ticketReference,
} from '../../../contracts/support.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { emitEvent } from '../../platform/events/events.js';
import { enqueue } from '../../platform/jobs/queue.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { findService } from '../catalogue/catalogue.service.js';
import { holdsService } from '../subscriptions/subscriptions.service.js';
import {
  addBusinessMinutes,
  DEFAULT_CALENDAR,
  type OfficeCalendar,
  type Pause,
} from './rules/business-time.js';
import { deskView } from './support.desk.view.js';
import { periodOf, requestFirstSummary, summarisedYearReport } from './support.report.js';
import * as repo from './support.repository.js';
import type { StoredPause } from './support.schema.js';

/**
 * The support desk's tickets (issue 14, §1): opened by a member's people, with service levels in
 * business time (rules/business-time.ts), worked by the operator's support team (replies, internal
 * notes, assignment, resolution), confirmed or reopened by the member, and watched by SLA alert jobs.
 */

export const TICKET_NOT_FOUND = "Ce ticket n'existe pas pour cette structure.";
export const MERGED_CONFLICT = 'Ce ticket a été fusionné dans un autre : écrivez sur le ticket conservé.';
export const SLA_ALERT_JOB = 'support.sla-alert';
export const AUTO_CLOSE_JOB = 'support.auto-close';
export const NEW_TICKET_JOB = 'support.new-ticket';

export interface SupportDeps {
  mailer: Mailer;
  publicUrl: string;
  calendar?: OfficeCalendar;
}

/** Who reads a member's tickets: the actor, and whether they see every ticket of the member. */
export interface TicketReader {
  userId: string | null;
  seesAll: boolean;
}

/** Business minutes to first response and resolution when a service has no level of its own. */
export const DEFAULT_LEVELS: Record<
  TicketPriority,
  { firstResponseMinutes: number; resolutionMinutes: number }
> = {
  critical: { firstResponseMinutes: 60, resolutionMinutes: 480 },
  high: { firstResponseMinutes: 240, resolutionMinutes: 960 },
  medium: { firstResponseMinutes: 480, resolutionMinutes: 2400 },
  low: { firstResponseMinutes: 960, resolutionMinutes: 4800 },
};

/** The queue's sort value while no deadline runs (clock stopped, ticket resolved or closed). */
export const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');
/** Warnings go out when this share of the business time has run. */
const WARN_SHARE = 0.8;

const toPauses = (stored: readonly StoredPause[]): Pause[] =>
  stored.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));

interface Clocked {
  createdAt: Date;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  pauses: StoredPause[];
  firstRespondedAt: Date | null;
  firstResponseDueAt: Date | null;
  status: TicketStatus;
}

/** Due dates and the queue's next deadline, from the targets, the pauses and what is done. */
export function dueDates(t: Clocked, calendar: OfficeCalendar = DEFAULT_CALENDAR) {
  const pauses = toPauses(t.pauses);
  const firstResponseDueAt = t.firstRespondedAt
    ? t.firstResponseDueAt
    : addBusinessMinutes(t.createdAt, t.firstResponseMinutes, calendar, pauses);
  const resolutionDueAt = addBusinessMinutes(t.createdAt, t.resolutionMinutes, calendar, pauses);
  let nextDueAt = FAR_FUTURE;
  if (t.status !== 'resolved' && t.status !== 'closed' && t.status !== 'waiting_member') {
    nextDueAt = (t.firstRespondedAt ? resolutionDueAt : firstResponseDueAt) ?? FAR_FUTURE;
  }
  return { firstResponseDueAt, resolutionDueAt, nextDueAt };
}

function breachedAt(row: repo.TicketRow, at: Date): boolean {
  const late = (due: Date | null, done: Date | null) =>
    due !== null && (done ? done.getTime() > due.getTime() : at.getTime() > due.getTime());
  const resolvedOrClosed = row.resolvedAt ?? row.closedAt;
  return (
    late(row.firstResponseDueAt, row.firstRespondedAt) ||
    (row.status !== 'waiting_member' && late(row.resolutionDueAt, resolvedOrClosed))
  );
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function summaryOf(row: repo.TicketRow, at: Date): TicketSummary {
  return {
    id: row.id,
    number: row.number,
    reference: ticketReference(row.number),
    memberId: row.memberId,
    memberName: row.memberName,
    subject: row.subject,
    category: row.category,
    serviceId: row.serviceId,
    serviceName: row.serviceName,
    priority: row.priority,
    status: row.status,
    requesterId: row.requesterId,
    requesterName: row.requesterName,
    assigneeId: row.assigneeId,
    assigneeName: row.assigneeName,
    firstResponseDueAt: iso(row.firstResponseDueAt),
    resolutionDueAt: iso(row.resolutionDueAt),
    firstRespondedAt: iso(row.firstRespondedAt),
    resolvedAt: iso(row.resolvedAt),
    breached: breachedAt(row, at),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const reopenUntil = (row: repo.TicketRow) =>
  row.status === 'resolved' && row.resolvedAt
    ? new Date(row.resolvedAt.getTime() + REOPEN_DAYS * 86_400_000)
    : null;

export async function present(
  db: Executor,
  row: repo.TicketRow,
  withInternal: boolean,
  requesterOnly: string | null = null,
): Promise<Ticket> {
  return {
    ...summaryOf(row, now()),
    description: row.description,
    urgency: row.urgency,
    impact: row.impact,
    resolution: row.resolution,
    closedAt: iso(row.closedAt),
    satisfaction: row.satisfaction,
    satisfactionComment: row.satisfactionComment,
    reopenUntil: iso(reopenUntil(row)),
    paused: row.status === 'waiting_member',
    // Desk (issue 14): messages with the merged duplicates', files, links (support.desk.view.ts).
    ...(await deskView(db, row, withInternal, requesterOnly)),
  };
}

/** The reader's narrowing of merged duplicates: their own only, unless they see all the member's tickets. */
export const ownOnly = (reader: TicketReader) => (reader.seesAll ? null : reader.userId);

/** Queues the warning (at 80 % of the business time) and the escalation (at the deadline) of each running step. */
async function scheduleAlerts(
  db: Executor,
  row: Clocked & { id: string; memberId: string },
  deps: SupportDeps,
) {
  const calendar = deps.calendar ?? DEFAULT_CALENDAR;
  const due = dueDates(row, calendar);
  const pauses = toPauses(row.pauses);
  const at = now();
  const steps: ['firstResponse' | 'resolution', number, Date | null][] = [];
  if (!row.firstRespondedAt) steps.push(['firstResponse', row.firstResponseMinutes, due.firstResponseDueAt]);
  steps.push(['resolution', row.resolutionMinutes, due.resolutionDueAt]);
  for (const [step, minutes, dueAt] of steps) {
    if (!dueAt) continue;
    const warnAt = addBusinessMinutes(row.createdAt, Math.floor(minutes * WARN_SHARE), calendar, pauses);
    for (const [kind, runAt] of [
      ['warn', warnAt],
      ['due', dueAt],
    ] as const) {
      if (!runAt || (kind === 'warn' && runAt.getTime() <= at.getTime())) continue;
      await enqueue(
        db,
        SLA_ALERT_JOB,
        { ticketId: row.id, memberId: row.memberId, step, kind, dueAt: dueAt.toISOString() },
        { runAt, singletonKey: `${SLA_ALERT_JOB}:${row.id}:${step}:${kind}:${dueAt.toISOString()}` },
      );
    }
  }
}

export async function requireTicket(db: Executor, memberId: string | null, id: string, forUpdate = false) {
  const row = await repo.findTicket(db, memberId, id, forUpdate);
  if (!row) throw notFound(TICKET_NOT_FOUND);
  return row;
}

/** A member's ticket as `reader` may see it: a person who is not the member's admin sees their own only. */
export async function readableTicket(
  db: Executor,
  memberId: string,
  id: string,
  reader: TicketReader,
  forUpdate = false,
) {
  const row = await requireTicket(db, memberId, id, forUpdate);
  if (!reader.seesAll && row.requesterId !== reader.userId) throw notFound(TICKET_NOT_FOUND);
  return row;
}

const ticketUrl = (deps: SupportDeps, id: string) => `${deps.publicUrl}/espace/assistance/${id}`;

// Member side ----------------------------------------------------------------------------------

export async function openTicket(
  db: Executor,
  deps: SupportDeps,
  memberId: string,
  input: TicketInput,
  source: AuditSource,
): Promise<TicketCreated> {
  let serviceId: string | null = null;
  if (input.serviceId) {
    const service = await findService(db, input.serviceId);
    if (!service) throw invalidField('body.serviceId', "Ce service n'existe pas au catalogue.");
    if (!(await holdsService(db, memberId, service.code))) {
      throw invalidField('body.serviceId', "Votre structure n'est pas abonnée à ce service.");
    }
    serviceId = service.id;
  }
  const priority =
    input.priority ??
    (input.urgency || input.impact
      ? priorityOf(input.urgency ?? 'medium', input.impact ?? 'medium')
      : 'medium');
  const level = (serviceId && (await repo.serviceLevel(db, serviceId, priority))) || DEFAULT_LEVELS[priority];
  const createdAt = now();
  const clocked: Clocked = {
    createdAt,
    firstResponseMinutes: level.firstResponseMinutes,
    resolutionMinutes: level.resolutionMinutes,
    pauses: [],
    firstRespondedAt: null,
    firstResponseDueAt: null,
    status: 'open',
  };
  const due = dueDates(clocked, deps.calendar);
  const { id, number } = await repo.insertTicket(db, {
    memberId,
    requesterId: source.actorUserId,
    subject: input.subject,
    description: input.description,
    serviceId,
    category: input.category ?? 'question',
    urgency: input.urgency ?? null,
    impact: input.impact ?? null,
    priority,
    status: 'open',
    firstResponseMinutes: level.firstResponseMinutes,
    resolutionMinutes: level.resolutionMinutes,
    firstResponseDueAt: due.firstResponseDueAt,
    resolutionDueAt: due.resolutionDueAt,
    nextDueAt: due.nextDueAt,
    createdAt,
    updatedAt: createdAt,
  });
  await scheduleAlerts(db, { ...clocked, id, memberId }, deps);
  // The team's addresses are not the member's to read (RLS): a job tells them, as the system.
  await enqueue(db, NEW_TICKET_JOB, { ticketId: id, memberId });
  await recordAudit(db, {
    ...source,
    action: 'support.ticket.open',
    memberId,
    targetType: 'support_ticket',
    targetId: id,
    details: { priority, serviceId },
  });
  return {
    id,
    number,
    status: 'open',
    priority,
    firstResponseDueAt: iso(due.firstResponseDueAt),
    resolutionDueAt: iso(due.resolutionDueAt),
  };
}

export async function listMemberTickets(
  db: Executor,
  memberId: string,
  reader: TicketReader,
  query: { status?: TicketStatus; limit: number; cursor?: string },
): Promise<TicketList> {
  const page = await repo.listMemberTickets(db, memberId, reader.seesAll ? null : reader.userId, query);
  const at = now();
  return { ...page, items: page.items.map((r) => summaryOf(r, at)) };
}

export async function getMemberTicket(db: Executor, memberId: string, id: string, reader: TicketReader) {
  return present(db, await readableTicket(db, memberId, id, reader), false, ownOnly(reader));
}

/** Recomputes due dates after the clock restarted (a pause ended, a ticket reopened) and requeues alerts. */
async function restartClock(
  db: Executor,
  deps: SupportDeps,
  row: repo.TicketRow,
  status: TicketStatus,
  extra: { resolvedAt?: Date | null; resolution?: string | null } = {},
) {
  const at = now();
  const pauses = row.pauses.map((p) => (p.to === null ? { ...p, to: at.toISOString() } : p));
  const clocked: Clocked = { ...row, ...extra, pauses, status };
  const due = dueDates(clocked, deps.calendar);
  await repo.updateTicket(db, row.memberId, row.id, { ...extra, status, pauses, ...due });
  await scheduleAlerts(db, { ...clocked, ...due, id: row.id, memberId: row.memberId }, deps);
}

/** The member writes on its ticket: the clock restarts if it was waiting for them. */
export async function addMemberMessage(
  db: Executor,
  deps: SupportDeps,
  memberId: string,
  id: string,
  reader: TicketReader,
  body: string,
  source: AuditSource,
  /** Desk: called with the new message's id (its attachments are stored then). */
  onMessage?: (messageId: string) => Promise<void>,
): Promise<Ticket> {
  const row = await readableTicket(db, memberId, id, reader, true);
  if (row.mergedIntoId) throw conflict(MERGED_CONFLICT);
  if (row.status === 'closed' || row.status === 'resolved') {
    throw conflict('Ce ticket est résolu : confirmez la résolution ou rouvrez-le.');
  }
  const messageId = await repo.insertMessageReturning(db, {
    memberId,
    ticketId: id,
    authorId: source.actorUserId,
    body,
    fromOperator: false,
  });
  await onMessage?.(messageId);
  if (row.status === 'waiting_member') await restartClock(db, deps, row, 'in_progress');
  else await repo.updateTicket(db, memberId, id, {});
  if (row.assigneeEmail) {
    await deps.mailer.send(db, {
      to: row.assigneeEmail,
      subject: `[${ticketReference(row.number)}] Réponse de la structure : ${row.subject}`,
      text: `${row.memberName} a répondu sur le ticket.\n\n${deps.publicUrl}/operateur/assistance/${id}\n`,
    });
  }
  await recordAudit(db, {
    ...source,
    action: 'support.ticket.reply',
    memberId,
    targetType: 'support_ticket',
    targetId: id,
  });
  return present(db, await requireTicket(db, memberId, id), false, ownOnly(reader));
}

/** The member confirms the resolution (with a satisfaction mark): the ticket closes. */
export async function confirmTicket(
  db: Executor,
  memberId: string,
  id: string,
  reader: TicketReader,
  input: { satisfaction?: number; comment?: string },
  source: AuditSource,
): Promise<Ticket> {
  const row = await readableTicket(db, memberId, id, reader, true);
  if (row.status !== 'resolved') throw conflict('Seul un ticket résolu peut être confirmé.');
  await repo.updateTicket(db, memberId, id, {
    status: 'closed',
    closedAt: now(),
    satisfaction: input.satisfaction ?? null,
    satisfactionComment: input.comment || null,
    nextDueAt: FAR_FUTURE,
  });
  await recordAudit(db, {
    ...source,
    action: 'support.ticket.confirm',
    memberId,
    targetType: 'support_ticket',
    targetId: id,
    details: { satisfaction: input.satisfaction ?? null },
  });
  return present(db, await requireTicket(db, memberId, id), false, ownOnly(reader));
}

/** The member reopens a resolved ticket within REOPEN_DAYS days: the resolution clock runs again. */
export async function reopenTicket(
  db: Executor,
  deps: SupportDeps,
  memberId: string,
  id: string,
  reader: TicketReader,
  body: string,
  source: AuditSource,
): Promise<Ticket> {
  const row = await readableTicket(db, memberId, id, reader, true);
  const until = reopenUntil(row);
  if (!until) throw conflict('Seul un ticket résolu peut être rouvert.');
  if (now().getTime() > until.getTime()) {
    throw conflict(
      `Le délai de ${REOPEN_DAYS} jours pour rouvrir ce ticket est passé : ouvrez-en un nouveau.`,
    );
  }
  await repo.insertMessage(db, {
    memberId,
    ticketId: id,
    authorId: source.actorUserId,
    body,
    fromOperator: false,
  });
  // The time the ticket stayed resolved does not count against the team.
  const resolvedAt = row.resolvedAt ?? now();
  const pauses: StoredPause[] = [...row.pauses, { from: resolvedAt.toISOString(), to: null }];
  await restartClock(db, deps, { ...row, pauses }, 'in_progress', { resolvedAt: null, resolution: null });
  await recordAudit(db, {
    ...source,
    action: 'support.ticket.reopen',
    memberId,
    targetType: 'support_ticket',
    targetId: id,
  });
  return present(db, await requireTicket(db, memberId, id), false, ownOnly(reader));
}

// Support team ---------------------------------------------------------------------------------

export async function queue(db: Executor, query: repo.QueueFilter): Promise<TicketQueue> {
  const at = now();
  const page = await repo.queue(db, query, at);
  return { ...page, items: page.items.map((r) => summaryOf(r, at)) };
}

export async function getTicketForTeam(db: Executor, id: string): Promise<Ticket> {
  return present(db, await requireTicket(db, null, id), true);
}

/**
 * A message of the support team: an internal note (never shown nor mailed to the member), or a
 * public reply mailed to the requester through the outbox; `waitForMember` stops the clock.
 */
export async function addAgentMessage(
  db: Executor,
  deps: SupportDeps,
  id: string,
  input: AgentMessageInput,
  source: AuditSource,
  /** Desk: called with the new message's id (its attachments are stored then). */
  onMessage?: (messageId: string) => Promise<void>,
): Promise<Ticket> {
  const row = await requireTicket(db, null, id, true);
  if (row.mergedIntoId) throw conflict(MERGED_CONFLICT);
  if (row.status === 'closed') throw conflict('Ce ticket est clos.');
  const internal = input.internal ?? false;
  const messageId = await repo.insertMessageReturning(db, {
    memberId: row.memberId,
    ticketId: id,
    authorId: source.actorUserId,
    body: input.body,
    internal,
    fromOperator: true,
  });
  await onMessage?.(messageId);
  if (!internal) {
    const at = now();
    const firstRespondedAt = row.firstRespondedAt ?? at;
    const status: TicketStatus = input.waitForMember
      ? 'waiting_member'
      : row.status === 'open'
        ? 'in_progress'
        : row.status;
    const pauses =
      input.waitForMember && row.status !== 'waiting_member'
        ? [...row.pauses, { from: at.toISOString(), to: null }]
        : row.pauses;
    const clocked: Clocked = { ...row, firstRespondedAt, pauses, status };
    const due = dueDates(clocked, deps.calendar);
    await repo.updateTicket(db, row.memberId, id, {
      status,
      firstRespondedAt,
      pauses,
      firstResponseDueAt: due.firstResponseDueAt,
      resolutionDueAt: status === 'waiting_member' ? row.resolutionDueAt : due.resolutionDueAt,
      nextDueAt: due.nextDueAt,
      assigneeId: row.assigneeId ?? source.actorUserId,
    });
    if (row.requesterEmail) {
      await deps.mailer.send(db, {
        to: row.requesterEmail,
        subject: `[${ticketReference(row.number)}] ${row.subject}`,
        text: `${input.body}\n\n---\nRépondez à ce message ou suivez votre demande : ${ticketUrl(deps, id)}\n`,
      });
    }
    // The member's software hears of the answer in the same transaction (webhooks, issue 16).
    await emitEvent(db, {
      type: 'ticket.answered',
      memberId: row.memberId,
      data: { ticketId: id, number: ticketReference(row.number), status },
    });
  }
  await recordAudit(db, {
    ...source,
    action: internal ? 'support.ticket.note' : 'support.ticket.answer',
    memberId: row.memberId,
    targetType: 'support_ticket',
    targetId: id,
  });
  return present(db, await requireTicket(db, null, id), true);
}

export async function assignTicket(
  db: Executor,
  id: string,
  assigneeId: string | null,
  source: AuditSource,
): Promise<Ticket> {
  const row = await requireTicket(db, null, id, true);
  if (assigneeId && !(await repo.isSupportAgent(db, assigneeId))) {
    throw invalidField('body.assigneeId', "Cette personne ne fait pas partie de l'équipe d'assistance.");
  }
  await repo.updateTicket(db, row.memberId, id, { assigneeId });
  await recordAudit(db, {
    ...source,
    action: 'support.ticket.assign',
    memberId: row.memberId,
    targetType: 'support_ticket',
    targetId: id,
    details: { assigneeId },
  });
  return present(db, await requireTicket(db, null, id), true);
}

/** The team resolves the ticket; the member has REOPEN_DAYS days to confirm or reopen it. */
export async function resolveTicket(
  db: Executor,
  deps: SupportDeps,
  id: string,
  resolution: string,
  source: AuditSource,
): Promise<Ticket> {
  const row = await requireTicket(db, null, id, true);
  if (row.status === 'resolved' || row.status === 'closed') throw conflict('Ce ticket est déjà résolu.');
  const at = now();
  const pauses = row.pauses.map((p) => (p.to === null ? { ...p, to: at.toISOString() } : p));
  await repo.updateTicket(db, row.memberId, id, {
    status: 'resolved',
    resolution,
    resolvedAt: at,
    firstRespondedAt: row.firstRespondedAt ?? at,
    pauses,
    nextDueAt: FAR_FUTURE,
    assigneeId: row.assigneeId ?? source.actorUserId,
  });
  if (row.requesterEmail) {
    await deps.mailer.send(db, {
      to: row.requesterEmail,
      subject: `[${ticketReference(row.number)}] Résolu : ${row.subject}`,
      text: `Votre demande est résolue.\n\n${resolution}\n\nConfirmez la résolution et dites-nous si elle vous convient, ou rouvrez la demande dans les ${REOPEN_DAYS} jours : ${ticketUrl(deps, id)}\n`,
    });
  }
  await recordAudit(db, {
    ...source,
    action: 'support.ticket.resolve',
    memberId: row.memberId,
    targetType: 'support_ticket',
    targetId: id,
  });
  return present(db, await requireTicket(db, null, id), true);
}

// Reports --------------------------------------------------------------------------------------

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

function figuresOf(r: repo.SlaFiguresRow) {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    opened: n(r.opened),
    responded: n(r.responded),
    respondedInTime: n(r.responded_in_time),
    resolved: n(r.resolved),
    resolvedInTime: n(r.resolved_in_time),
    responseCompliance: ratio(n(r.responded_in_time), n(r.responded)),
    resolutionCompliance: ratio(n(r.resolved_in_time), n(r.resolved)),
    responseHoursMedian: num(r.response_median),
    responseHoursP90: num(r.response_p90),
    resolutionHoursMedian: num(r.resolution_median),
    resolutionHoursP90: num(r.resolution_p90),
    satisfactionAverage: num(r.satisfaction_average),
    satisfactionAnswers: n(r.satisfaction_answers),
  };
}

/** The year's report per month and service, and per département and member kind (equity). */
export async function yearReport(db: Executor, year: number, month?: number): Promise<SupportReport> {
  // Desk: a month alone (the monthly report) or the whole year, Paris time.
  const periods = (month ? [month] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).map((m) =>
    periodOf(`${year}-${String(m).padStart(2, '0')}`),
  );
  // Closed months from the nightly summary, the others live (support.report.ts: precision); before
  // the summary's first run, its refresh queued now rather than at night.
  await requestFirstSummary(db, periods, now());
  const { months, equity } = await summarisedYearReport(db, periods, now());
  return {
    year,
    month: month ?? null,
    months: months.map((r) => ({
      month: r.month,
      serviceId: r.service_id,
      serviceName: r.service_name,
      ...figuresOf(r),
    })),
    equity: equity.map((r) => ({ departementCode: r.departement_code, memberKind: r.kind, ...figuresOf(r) })),
  };
}

// Jobs -----------------------------------------------------------------------------------------

const STEP_LABELS = { firstResponse: 'la première réponse', resolution: 'la résolution' } as const;

/**
 * One SLA alert: a warning to the assignee (the team when nobody is assigned) when 80 % of the time
 * has run, an escalation to the whole team at the deadline. Skipped when the step is done, the clock
 * stopped, or the due date moved since the job was queued (a newer job carries the new one); sent
 * once per step, kind and due date.
 */
export async function sendSlaAlert(
  db: Executor,
  mailer: Mailer,
  publicUrl: string,
  payload: {
    ticketId: string;
    memberId: string;
    step: 'firstResponse' | 'resolution';
    kind: 'warn' | 'due';
    dueAt: string;
  },
): Promise<boolean> {
  const row = await repo.findTicket(db, payload.memberId, payload.ticketId, true);
  if (!row) return false;
  if (row.status === 'resolved' || row.status === 'closed' || row.status === 'waiting_member') return false;
  if (payload.step === 'firstResponse' && row.firstRespondedAt) return false;
  const due = payload.step === 'firstResponse' ? row.firstResponseDueAt : row.resolutionDueAt;
  if (!due || due.toISOString() !== payload.dueAt) return false;
  const key = `${payload.step}:${payload.kind}@${payload.dueAt}`;
  if (row.alertsSent.includes(key)) return false;
  const team = await repo.supportTeamEmails(db);
  const recipients =
    payload.kind === 'warn' && row.assigneeEmail
      ? [row.assigneeEmail]
      : [...new Set([...(row.assigneeEmail ? [row.assigneeEmail] : []), ...team])];
  const when = new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(due);
  const subject =
    payload.kind === 'warn'
      ? `[${ticketReference(row.number)}] Échéance proche pour ${STEP_LABELS[payload.step]}`
      : `[${ticketReference(row.number)}] Escalade : échéance dépassée pour ${STEP_LABELS[payload.step]}`;
  for (const to of recipients) {
    await mailer.send(db, {
      to,
      subject,
      text: `Ticket ${ticketReference(row.number)} ${de(row.memberName)} : « ${row.subject} ».\nÉchéance pour ${STEP_LABELS[payload.step]} : ${when}.\n\n${publicUrl}/operateur/assistance/${row.id}\n`,
    });
  }
  await repo.addAlertSent(db, row.memberId, row.id, key);
  return true;
}

/** Tells the support team of a new ticket (run as the system: the team's addresses are the operator's). */
export async function notifyNewTicket(
  db: Executor,
  mailer: Mailer,
  publicUrl: string,
  payload: { ticketId: string; memberId: string },
): Promise<number> {
  const row = await repo.findTicket(db, payload.memberId, payload.ticketId);
  if (!row || row.alertsSent.includes('new')) return 0;
  const team = await repo.supportTeamEmails(db);
  for (const to of team) {
    await mailer.send(db, {
      to,
      subject: `[${ticketReference(row.number)}] Nouveau ticket : ${row.subject}`,
      text: `${row.memberName} a ouvert un ticket de priorité ${TICKET_PRIORITY_LABELS[row.priority].toLowerCase()}.\n\n${publicUrl}/operateur/assistance/${row.id}\n`,
    });
  }
  await repo.addAlertSent(db, row.memberId, row.id, 'new');
  return team.length;
}

/** Closes tickets resolved more than REOPEN_DAYS days ago that the member neither confirmed nor reopened. */
export async function autoCloseResolved(db: Executor): Promise<number> {
  const at = now();
  const rows = await repo.resolvedBefore(db, new Date(at.getTime() - REOPEN_DAYS * 86_400_000));
  for (const r of rows) await repo.updateTicket(db, r.memberId, r.id, { status: 'closed', closedAt: at });
  return rows.length;
}
