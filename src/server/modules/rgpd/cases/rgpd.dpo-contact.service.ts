import type { Breach, BreachReport, DpoRequest, DpoRequestItem } from '../../../../contracts/rgpd-cases.js';
import { breachReportSchema } from '../../../../contracts/rgpd-cases.js';
import { type AuditSource, recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, personOf } from '../../../platform/auth/context.js';
import { now } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { conflict, notFound, unprocessable } from '../../../platform/errors.js';
import { encodeCursor, pageOf } from '../../../platform/http/pagination.js';
import type { Mailer } from '../../../platform/mail/mailer.js';
import { dpoTeam } from '../dashboard/rgpd.reminders.repository.js';
import { requireMember } from '../processings/rgpd.processings.service.js';
import { breachNotificationDeadline, formatParisInstant } from '../rgpd.deadlines.js';
import { presentBreach } from './rgpd.breaches.service.js';
import * as repo from './rgpd.cases.repository.js';

/*
 * A member's users reach the mutualised DPO from their space: they report a data breach (which the DPO
 * then qualifies in the register) or ask for help (an empty registry). Each is mailed to the DPO team
 * (outbox + mail.send job, in the request's transaction) and audited with ids only.
 */

/** Who reaches the DPO and where the mails point to. */
export interface DpoContactDeps {
  mailer: Mailer;
  publicUrl: string;
  /** The DPO team's addresses, read beforehand on the owner connection (see dpoTeamAddresses). */
  dpoAddresses: string[];
}

/**
 * The operator's DPO team (people holding the `dpo` scope). A member's transaction may not read the
 * operator's organisation_users under RLS: the route reads them first on the owner connection, outside
 * any transaction (addresses only, never shown to the member).
 */
export async function dpoTeamAddresses(owner: Executor): Promise<string[]> {
  return (await dpoTeam(owner)).map((r) => r.email);
}

const NO_DPO =
  "Aucun DPO n'est encore désigné chez l'opérateur : votre message ne peut pas lui parvenir. Contactez l'opérateur directement.";

function who(actor: Actor) {
  return actor.displayName ? `${actor.displayName} (${actor.email})` : actor.email;
}

/**
 * A breach in the member's words. Until the DPO qualifies it, it is recorded as requiring a
 * notification to the CNIL with a low risk: the 72 h deadline shows on the DPO dashboard from the
 * first minute rather than being lost.
 */
export async function reportBreach(
  db: Executor,
  memberId: string,
  input: BreachReport,
  actor: Actor,
  deps: DpoContactDeps,
  source: AuditSource,
): Promise<Breach> {
  if (deps.dpoAddresses.length === 0) throw unprocessable(NO_DPO);
  const report = breachReportSchema.parse(input);
  const member = await requireMember(db, memberId);
  const at = now();
  // People type the time of discovery: a few minutes ahead of the server's clock is now.
  const typed = new Date(report.awareAt);
  const awareAt = typed.getTime() > at.getTime() ? at : typed;
  const row = await repo.insertBreach(db, {
    memberId,
    awareAt,
    occurredAt: null,
    nature: report.nature,
    dataDescription: `Signalée au DPO par ${who(actor)} : ${report.description}`,
    peopleCount: report.peopleCount ?? null,
    recordsCount: null,
    consequences: null,
    measures: null,
    riskLevel: 'low',
    cnilNotificationRequired: true,
    notificationReason: null,
    notifiedAt: null,
    cnilReference: null,
    lateReasons: null,
    peopleInformedAt: null,
    peopleInformation: null,
    notificationDeadline: breachNotificationDeadline(awareAt),
    // « À qualifier » until someone who writes the register edits it.
    qualifiedAt: null,
  });
  const link = `${deps.publicUrl}/operateur/rgpd/adherents/${memberId}`;
  for (const to of deps.dpoAddresses) {
    await deps.mailer.send(db, {
      to,
      subject: `Violation de données signalée : ${member.name}`,
      text: [
        `${who(actor)} signale une violation de données pour « ${member.name} ».`,
        '',
        `Découverte le ${formatParisInstant(row.awareAt)}.`,
        `Notification à la CNIL, si elle est requise, au plus tard le ${formatParisInstant(row.notificationDeadline)}.`,
        '',
        'Description :',
        report.description,
        '',
        `Qualifiez-la (nature, risque, notification) dans le registre des violations : ${link}`,
      ].join('\n'),
    });
  }
  await recordAudit(db, {
    ...source,
    action: 'rgpd.breach.reported',
    memberId,
    targetType: 'rgpd_breach',
    targetId: row.id,
    details: { notified: deps.dpoAddresses.length },
  });
  return presentBreach(row, at);
}

/** The member asks the DPO for help with its registry (or anything RGPD). */
export async function askDpo(
  db: Executor,
  memberId: string,
  input: DpoRequest,
  actor: Actor,
  deps: DpoContactDeps,
  source: AuditSource,
): Promise<{ id: string; notified: number }> {
  if (deps.dpoAddresses.length === 0) throw unprocessable(NO_DPO);
  const member = await requireMember(db, memberId);
  const request = await repo.insertDpoRequest(db, {
    memberId,
    message: input.message,
    requestedByUserId: personOf(actor),
    requester: who(actor),
  });
  const link = `${deps.publicUrl}/operateur/rgpd/adherents/${memberId}`;
  for (const to of deps.dpoAddresses) {
    await deps.mailer.send(db, {
      to,
      subject: `Demande au DPO : ${member.name}`,
      text: [
        `${who(actor)} demande l'aide du DPO mutualisé pour « ${member.name} ».`,
        '',
        input.message,
        '',
        `Registre de la structure : ${link}`,
        `Répondre à : ${actor.email}`,
        '',
        `La demande reste dans « À traiter » du tableau de bord du DPO jusqu'à ce que vous la classiez : ${deps.publicUrl}/operateur/rgpd`,
      ].join('\n'),
    });
  }
  await recordAudit(db, {
    ...source,
    action: 'rgpd.dpo.requested',
    memberId,
    targetType: 'rgpd_dpo_request',
    targetId: request.id,
    details: { notified: deps.dpoAddresses.length },
  });
  return { id: request.id, notified: deps.dpoAddresses.length };
}

// The DPO team's to-do list --------------------------------------------------------------------

function presentRequest(row: { request: repo.DpoRequestRow; memberName: string }): DpoRequestItem {
  const r = row.request;
  return {
    id: r.id,
    memberId: r.memberId,
    memberName: row.memberName,
    message: r.message,
    requester: r.requester,
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  };
}

/** Requests to the DPO: every member's for the DPO team, or one member's for its own users. */
export async function listDpoRequests(
  db: Executor,
  query: { memberId?: string; status: 'open' | 'closed'; limit: number; cursor?: string },
) {
  if (query.memberId) await requireMember(db, query.memberId);
  const { rows, total } = await repo.listDpoRequests(db, query);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.cursorKey, r.request.id));
  return { items: page.items.map(presentRequest), total, nextCursor: page.nextCursor };
}

/** The DPO team marks a request handled (answered by mail or telephone): it leaves the to-do list. */
export async function closeDpoRequest(
  db: Executor,
  id: string,
  actor: Actor,
  source: AuditSource,
): Promise<DpoRequestItem> {
  const closed = await repo.closeDpoRequest(db, id, personOf(actor));
  if (!closed) {
    if (await repo.findDpoRequest(db, id)) throw conflict('Cette demande au DPO est déjà classée.');
    throw notFound("Cette demande au DPO n'existe pas.");
  }
  const member = await requireMember(db, closed.memberId);
  await recordAudit(db, {
    ...source,
    action: 'rgpd.dpo.request_closed',
    memberId: closed.memberId,
    targetType: 'rgpd_dpo_request',
    targetId: id,
  });
  return presentRequest({ request: closed, memberName: member.name });
}

/** Breaches members' users reported, until someone who writes the register qualifies them. */
export async function breachesToQualify(db: Executor, query: { limit: number; cursor?: string }) {
  const { rows, total } = await repo.breachesToQualify(db, query.limit, query.cursor);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.cursorKey, r.breach.id));
  return {
    items: page.items.map((r) => ({
      id: r.breach.id,
      memberId: r.breach.memberId,
      memberName: r.memberName,
      awareAt: r.breach.awareAt.toISOString(),
      notificationDeadline: r.breach.notificationDeadline.toISOString(),
      notificationDeadlineLabel: formatParisInstant(r.breach.notificationDeadline),
      createdAt: r.breach.createdAt.toISOString(),
    })),
    total,
    nextCursor: page.nextCursor,
  };
}
