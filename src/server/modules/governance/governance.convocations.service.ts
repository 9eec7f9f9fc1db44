import crypto from 'node:crypto';
import { frenchDate, frenchDateTime, parisDay } from '../../../contracts/french.js';
import type { PublicConvocation } from '../../../contracts/governance.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import { now, today } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import { enqueue, enqueueMany } from '../../platform/jobs/queue.js';
import type { Mail, Mailer } from '../../platform/mail/mailer.js';
import * as documentsRepo from './governance.documents.repository.js';
import * as repo from './governance.repository.js';
import { presentItemDocument, sessionFor } from './governance.sessions.service.js';

/**
 * Convocations: one per recipient and session, never two (unique key), each with a personal link
 * whose token is kept as its SHA-256 only. The mail is written to the outbox in the request's
 * transaction and delivered by the durable job `governance.convocation` (one per recipient), which
 * records the sending date once: a retried job never sends twice. The link records opening and
 * receipt; a titular who cannot attend has their substitutes convened (job
 * `governance.convene-substitutes`, run as the system: the link's holder may not write convocations).
 */

export const CONVOCATION_JOB = 'governance.convocation';
export const SUBSTITUTES_JOB = 'governance.convene-substitutes';
export const CONVOCATION_MAX_ATTEMPTS = 10;

export interface ConvocationDeps {
  mailer: Mailer;
  publicUrl: string;
}

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
const newToken = () => crypto.randomBytes(32).toString('base64url');

interface SessionFacts {
  organisationName: string;
  assemblyName: string;
  startsAt: Date;
  place: string;
  remote: boolean;
  urgent: boolean;
  urgencyReason: string | null;
  items: { position: number; title: string }[];
}

export function convocationMail(
  to: string,
  fullName: string,
  facts: SessionFacts,
  link: string,
  substitute = false,
): Mail {
  const when = frenchDateTime(facts.startsAt);
  const agenda = facts.items.map((i) => `  ${i.position}. ${i.title}`).join('\n');
  const lines = [
    `Bonjour ${fullName},`,
    '',
    substitute
      ? `Le titulaire que vous suppléez ne pourra pas siéger : vous êtes convoqué(e) à la séance de l'assemblée « ${facts.assemblyName} » (${facts.organisationName}).`
      : `Vous êtes convoqué(e) à la séance de l'assemblée « ${facts.assemblyName} » (${facts.organisationName}).`,
    '',
    `Date : ${when}`,
    `Lieu : ${facts.place}${facts.remote ? ' (séance à distance possible)' : ''}`,
    ...(facts.urgent ? [`Séance convoquée en urgence : ${facts.urgencyReason ?? ''}`] : []),
    '',
    'Ordre du jour :',
    agenda,
    '',
    `Notes explicatives et accusé de réception : ${link}`,
    '',
    'Ce lien vous est personnel : il sert de preuve de réception de la convocation. Si vous ne pouvez pas siéger, dites-le depuis cette page : votre suppléant sera convoqué.',
  ];
  return {
    to,
    subject: `Convocation : ${facts.assemblyName}, ${frenchDate(facts.startsAt)}`,
    text: lines.join('\n'),
  };
}

async function factsOf(db: Executor, session: repo.SessionRow): Promise<SessionFacts> {
  const found = await repo.findAssembly(db, session.assemblyId);
  const items = await repo.listItems(db, session.memberId, session.id);
  return {
    organisationName: found?.organisationName ?? '',
    assemblyName: found?.assembly.name ?? '',
    startsAt: session.startsAt,
    place: session.place,
    remote: session.remote,
    urgent: session.urgent,
    urgencyReason: session.urgencyReason,
    items: items.map((i) => ({ position: i.item.position, title: i.item.title })),
  };
}

/**
 * Convenes `seats` (those not convened yet): convocation rows, outbox mails for those with an address
 * who did not ask for paper, and one delivery job each. Answers how many were queued and how many
 * were already convened.
 */
async function convene(
  db: Executor,
  deps: ConvocationDeps,
  session: repo.SessionRow,
  seats: repo.SeatRow[],
  substitute: boolean,
) {
  const tokens = new Map<string, string>();
  const created = await repo.insertConvocations(
    db,
    seats.map((seat) => {
      const token = newToken();
      tokens.set(seat.id, token);
      return {
        memberId: session.memberId,
        sessionId: session.id,
        seatId: seat.id,
        email: seat.email,
        paper: seat.paperConvocation || !seat.email,
        tokenHash: hashToken(token),
        queuedAt: now(),
      };
    }),
  );
  const byEmail = created.filter((c) => !c.paper && c.email);
  if (byEmail.length) {
    const facts = await factsOf(db, session);
    const nameOf = new Map(seats.map((s) => [s.id, s.fullName]));
    const mails = byEmail.map((c) =>
      convocationMail(
        c.email ?? '',
        nameOf.get(c.seatId) ?? '',
        facts,
        `${deps.publicUrl}/convocation?jeton=${tokens.get(c.seatId) ?? ''}`,
        substitute,
      ),
    );
    const outboxIds = await deps.mailer.record(db, mails);
    await repo.setOutboxIds(
      db,
      session.memberId,
      byEmail.map((c, i) => ({ id: c.id, outboxMailId: outboxIds[i] ?? null })),
    );
    await enqueueMany(
      db,
      CONVOCATION_JOB,
      byEmail.map((c) => ({ convocationId: c.id })),
      { maxAttempts: CONVOCATION_MAX_ATTEMPTS },
    );
  }
  return {
    queued: byEmail.length,
    paper: created.length - byEmail.length,
    alreadySent: seats.length - created.length,
  };
}

export async function sendConvocations(
  db: Executor,
  deps: ConvocationDeps,
  actor: Actor,
  sessionId: string,
  source: AuditSource,
) {
  const { session } = await sessionFor(db, actor, sessionId, 'manage', true);
  if (session.status === 'closed' || session.startsAt.getTime() <= now().getTime()) {
    throw unprocessable('La séance a commencé : il est trop tard pour convoquer.');
  }
  const sentOn = today();
  if (sentOn > session.convocationDueBy && !session.urgent) {
    throw unprocessable(
      `Le délai de convocation est dépassé : les convocations devaient partir le ${frenchDate(session.convocationDueBy)} au plus tard (${session.convocationDays} jours francs avant la séance). Reportez la séance, ou marquez-la urgente en indiquant le motif de l'urgence.`,
    );
  }
  const day = parisDay(session.startsAt);
  const seats = (await repo.seatsInOffice(db, session.memberId, session.assemblyId, day))
    .map((r) => r.seat)
    .filter((s) => s.kind === 'titular');
  if (!seats.length)
    throw unprocessable(
      "L'assemblée n'a aucun membre en fonction à la date de la séance : ajoutez ses membres d'abord.",
    );
  const result = await convene(db, deps, session, seats, false);
  if (!session.convocationsSentAt) {
    await repo.updateSession(db, session.memberId, sessionId, {
      convocationsSentAt: now(),
      status: 'convened',
    });
  }
  await recordAudit(db, {
    action: 'governance.convocations_sent',
    ...source,
    memberId: session.memberId,
    targetType: 'governance_session',
    targetId: sessionId,
    details: result,
  });
  return { sessionId, ...result };
}

/**
 * The `governance.convocation` job: delivers the recipient's mail (the mailer skips a mail already
 * sent) and records the sending date once. A convocation already marked sent is left alone.
 */
export async function runConvocationJob(db: Db, mailer: Mailer, payload: Record<string, unknown>) {
  const convocationId = payload.convocationId;
  if (typeof convocationId !== 'string') throw new Error('governance.convocation sans convocationId');
  const convocation = await withTenant(db, SYSTEM_OPERATOR, (tx) => repo.findConvocation(tx, convocationId));
  if (!convocation || convocation.sentAt || !convocation.outboxMailId) return;
  await mailer.deliver(db, convocation.outboxMailId);
  await withTenant(db, SYSTEM_OPERATOR, (tx) => repo.markConvocationSent(tx, convocationId, now()));
}

// The recipient's link ---------------------------------------------------------------------------

export async function linked(db: Executor, token: string) {
  const tokenHash = hashToken(token);
  await repo.setConvocationToken(db, tokenHash);
  const convocation = await repo.findConvocationByToken(db, tokenHash);
  if (!convocation) throw notFound("Ce lien de convocation n'est pas valide.");
  const session = await repo.findSession(db, convocation.sessionId);
  if (!session) throw notFound("Ce lien de convocation n'est pas valide.");
  return { convocation, session };
}

/** Opening the link: recorded the first time (the proof of receipt a challenged deliberation needs). */
export async function openConvocation(db: Executor, token: string): Promise<PublicConvocation> {
  const { convocation, session } = await linked(db, token);
  const openedAt = convocation.openedAt ?? now();
  if (!convocation.openedAt) await repo.updateConvocation(db, convocation.id, { openedAt });
  const found = await repo.findAssembly(db, session.assemblyId);
  const seat = found
    ? await repo.findSeat(db, session.memberId, session.assemblyId, convocation.seatId)
    : null;
  const [items, documents] = await Promise.all([
    repo.listItems(db, session.memberId, session.id),
    documentsRepo.listSessionDocuments(db, session.memberId, session.id),
  ]);
  return {
    fullName: seat?.fullName ?? '',
    seatKind: seat?.kind ?? 'titular',
    assemblyName: found?.assembly.name ?? '',
    organisationName: found?.organisationName ?? '',
    startsAt: session.startsAt.toISOString(),
    place: session.place,
    remote: session.remote,
    urgent: session.urgent,
    agenda: items.map((i) => ({
      position: i.item.position,
      title: i.item.title,
      explanatoryNote: i.item.explanatoryNote,
      documents: documents.filter((d) => d.itemId === i.item.id).map(presentItemDocument),
    })),
    receivedAt: convocation.receivedAt?.toISOString() ?? null,
    openedAt: openedAt.toISOString(),
    unavailableAt: convocation.unavailableAt?.toISOString() ?? null,
    canDeclareUnavailable:
      seat?.kind === 'titular' && !convocation.unavailableAt && session.startsAt.getTime() > now().getTime(),
  };
}

/** « J'accuse réception »: recorded once (opening too, if the link had not been opened). */
export async function acknowledgeConvocation(db: Executor, token: string) {
  const { convocation } = await linked(db, token);
  const at = now();
  if (!convocation.receivedAt) {
    await repo.updateConvocation(db, convocation.id, {
      receivedAt: at,
      openedAt: convocation.openedAt ?? at,
    });
  }
  return openConvocation(db, token);
}

/** A titular cannot attend: recorded once, and their substitutes in office are convened by a job. */
export async function declareUnavailable(db: Executor, token: string) {
  const { convocation, session } = await linked(db, token);
  if (session.startsAt.getTime() <= now().getTime()) {
    throw unprocessable('La séance a commencé : prévenez directement le secrétariat.');
  }
  if (!convocation.unavailableAt) {
    const at = now();
    await repo.updateConvocation(db, convocation.id, {
      unavailableAt: at,
      openedAt: convocation.openedAt ?? at,
    });
    await enqueue(
      db,
      SUBSTITUTES_JOB,
      { convocationId: convocation.id },
      { singletonKey: `${SUBSTITUTES_JOB}:${convocation.id}` },
    );
  }
  return openConvocation(db, token);
}

/** The `governance.convene-substitutes` job: convenes the unavailable titular's substitutes in office. */
export async function runSubstitutesJob(db: Db, deps: ConvocationDeps, payload: Record<string, unknown>) {
  const convocationId = payload.convocationId;
  if (typeof convocationId !== 'string') throw new Error('governance.convene-substitutes sans convocationId');
  await withTenant(db, SYSTEM_OPERATOR, async (tx) => {
    const convocation = await repo.findConvocation(tx, convocationId);
    if (!convocation?.unavailableAt) return;
    const session = await repo.findSession(tx, convocation.sessionId);
    if (!session || session.startsAt.getTime() <= now().getTime()) return;
    const substitutes = (
      await repo.seatsInOffice(tx, session.memberId, session.assemblyId, parisDay(session.startsAt))
    )
      .map((r) => r.seat)
      .filter((s) => s.kind === 'substitute' && s.substituteFor === convocation.seatId);
    await convene(tx, deps, session, substitutes, true);
  });
}
