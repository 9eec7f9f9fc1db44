import crypto from 'node:crypto';
import { frenchDate, frenchDateTime, parisDay } from '../../../contracts/french.js';
import {
  type AgendaItem,
  type AttendanceEntry,
  type AttendanceInput,
  BOUND_DECISION_LABELS,
  CONVOCATIONS_SERVICE_CODE,
  type Convocation,
  type ItemDocument,
  PLATFORM_DECISION_KINDS,
  type SessionDetail,
  type SessionInput,
  type SessionLive,
  type SessionSummary,
} from '../../../contracts/governance.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import { now, today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, DomainError, forbidden, invalid, notFound, unprocessable } from '../../platform/errors.js';
import { holdsService } from '../subscriptions/subscriptions.service.js';
import { checkDecisionPossible } from './governance.decisions.js';
import * as documentsRepo from './governance.documents.repository.js';
import { minutesOf } from './governance.minutes.service.js';
import { governancePolicy } from './governance.policy.js';
import * as repo from './governance.repository.js';
import {
  type AttendanceLine,
  checkAttendance,
  convocationDays,
  convocationDueBy,
  quorum,
  sameParisTimeOn,
  secondConvocationDay,
  secondConvocationEarliest,
} from './governance.rules.js';
import { assemblyFor, SUBSCRIPTION_REQUIRED } from './governance.service.js';

export const SESSION_NOT_FOUND = "Cette séance n'existe pas ou ne vous est pas accessible.";

/**
 * The session and its assembly as `actor` may reach them, the session's row locked when asked. RLS
 * lets an official read a session of their assembly but not lock it (no write policy): when the lock
 * finds nothing, the row read without it tells a reader asking to manage (403) from a hidden session
 * (404), at no cost to the requests that may lock it.
 */
export async function sessionFor(
  db: Executor,
  actor: Actor,
  sessionId: string,
  need: 'read' | 'manage',
  lock = false,
) {
  const session = await repo.findSession(db, sessionId, lock);
  const visible = session ?? (lock ? await repo.findSession(db, sessionId) : null);
  if (!visible) throw notFound(SESSION_NOT_FOUND);
  const access = await assemblyFor(db, actor, visible.assemblyId, need).catch((e: unknown) => {
    // A hidden assembly is a hidden session.
    if (e instanceof Error && 'kind' in e && e.kind === 'not_found') throw notFound(SESSION_NOT_FOUND);
    throw e;
  });
  if (!session) throw notFound(SESSION_NOT_FOUND);
  return { session, access };
}

export async function createSession(
  db: Executor,
  actor: Actor,
  assemblyId: string,
  input: SessionInput,
  source: AuditSource,
) {
  const access = await assemblyFor(db, actor, assemblyId, 'manage');
  const { assembly } = access;
  const startsAt = new Date(input.startsAt);
  if (startsAt.getTime() <= now().getTime()) {
    throw invalid('La séance doit avoir lieu dans le futur.', [
      { path: 'body.startsAt', message: 'date passée' },
    ]);
  }
  if (input.secondConvocationOf)
    await checkSecondConvocation(db, assembly.memberId, assemblyId, input, startsAt);
  for (const [index, item] of input.agenda.entries()) {
    if (!item.decision) continue;
    const path = `body.agenda.${index}.decision`;
    if (
      PLATFORM_DECISION_KINDS.includes(item.decision.kind) &&
      !(access.operatorHeld && assembly.kind === 'comite_syndical')
    ) {
      throw invalid("Seul le comité syndical de l'opérateur prend des décisions liées à la plateforme.", [
        { path, message: 'décision impossible pour cette assemblée' },
      ]);
    }
    await checkDecisionPossible(db, item.decision, path, { assemblyId, sessionId: null, startsAt });
  }
  const days = convocationDays(assembly.kind, access.population, input.urgent);
  const dueBy = convocationDueBy(startsAt, days);
  const session = await repo.insertSession(db, {
    memberId: assembly.memberId,
    assemblyId,
    startsAt,
    place: input.place,
    remote: input.remote,
    urgent: input.urgent,
    urgencyReason: input.urgent ? (input.urgencyReason ?? null) : null,
    secondConvocationOf: input.secondConvocationOf ?? null,
    convocationDays: days,
    convocationDueBy: dueBy,
    createdBy: source.actorUserId,
  });
  if (!session) throw new Error('session insert returned nothing');
  await repo.insertItems(
    db,
    input.agenda.map((item, index) => ({
      memberId: assembly.memberId,
      sessionId: session.id,
      position: index + 1,
      title: item.title,
      explanatoryNote: item.explanatoryNote,
      classification: item.classification ?? '5.2',
      secretBallot: item.secretBallot,
      namedVote: item.namedVote,
      decisionKind: item.decision?.kind ?? null,
      decisionMemberId: item.decision && 'memberId' in item.decision ? item.decision.memberId : null,
      decisionYear: item.decision && 'year' in item.decision ? item.decision.year : null,
      decisionSessionId: item.decision && 'sessionId' in item.decision ? item.decision.sessionId : null,
    })),
  );
  await recordAudit(db, {
    action: 'governance.session_created',
    ...source,
    memberId: assembly.memberId,
    targetType: 'governance_session',
    targetId: session.id,
    details: { urgent: input.urgent, items: input.agenda.length },
  });
  return { id: session.id, convocationDueBy: dueBy };
}

async function checkSecondConvocation(
  db: Executor,
  memberId: string,
  assemblyId: string,
  input: SessionInput,
  startsAt: Date,
) {
  const path = 'body.secondConvocationOf';
  const first = input.secondConvocationOf ? await repo.findSession(db, input.secondConvocationOf) : null;
  if (!first || first.assemblyId !== assemblyId) {
    throw invalid("La première séance n'appartient pas à cette assemblée.", [
      { path, message: 'séance inconnue' },
    ]);
  }
  const inOffice = await repo.countInOffice(db, memberId, assemblyId, parisDay(first.startsAt));
  const present = await repo.countPresent(db, memberId, first.id);
  if (quorum(inOffice, present).reached) {
    throw unprocessable(
      'La première séance avait atteint le quorum : une seconde convocation est sans objet.',
      [{ path, message: 'quorum atteint lors de la première séance' }],
    );
  }
  const earliest = secondConvocationEarliest(first.startsAt);
  if (parisDay(startsAt) < earliest) {
    throw invalid(
      `Une seconde convocation se tient au moins trois jours après la première séance : le ${earliest} au plus tôt.`,
      [{ path: 'body.startsAt', message: `le ${earliest} au plus tôt` }],
    );
  }
}

export function presentSummary(
  session: repo.SessionRow,
  assemblyName: string,
  itemCount: number,
): SessionSummary {
  return {
    id: session.id,
    assemblyId: session.assemblyId,
    assemblyName,
    organisationId: session.memberId,
    startsAt: session.startsAt.toISOString(),
    place: session.place,
    remote: session.remote,
    urgent: session.urgent,
    urgencyReason: session.urgencyReason,
    secondConvocation: session.secondConvocationOf !== null,
    status: session.status,
    convocationDueBy: session.convocationDueBy,
    convocationsSentAt: session.convocationsSentAt?.toISOString() ?? null,
    itemCount: Number(itemCount),
  };
}

export async function listSessions(
  db: Executor,
  actor: Actor,
  assemblyId: string,
  when: 'upcoming' | 'past' | 'all',
) {
  const { assembly } = await assemblyFor(db, actor, assemblyId, 'read');
  const rows = await repo.listSessions(db, assembly.memberId, assemblyId, when, now());
  const items = rows.map((r) => presentSummary(r.session, assembly.name, r.itemCount));
  return { items, total: items.length, nextCursor: null };
}

// Attendance and quorum --------------------------------------------------------------------------

/**
 * Present in person for the quorum: titulars present, and substitutes present in place of a titular
 * who is not (one substitute per titular at most).
 */
export function presentForQuorum(
  seats: readonly Pick<repo.SeatRow, 'id' | 'kind' | 'substituteFor'>[],
  statusOf: ReadonlyMap<string, string>,
): number {
  let present = 0;
  const replaced = new Set<string>();
  for (const seat of seats) {
    if (seat.kind === 'titular' && statusOf.get(seat.id) === 'present') present++;
  }
  for (const seat of seats) {
    if (seat.kind !== 'substitute' || statusOf.get(seat.id) !== 'present' || !seat.substituteFor) continue;
    if (statusOf.get(seat.substituteFor) === 'present' || replaced.has(seat.substituteFor)) continue;
    if (!seats.some((s) => s.id === seat.substituteFor)) continue;
    replaced.add(seat.substituteFor);
    present++;
  }
  return present;
}

async function sittingState(db: Executor, session: repo.SessionRow) {
  const day = parisDay(session.startsAt);
  const [seatRows, attendance] = await Promise.all([
    repo.seatsInOffice(db, session.memberId, session.assemblyId, day),
    repo.listAttendance(db, session.memberId, session.id),
  ]);
  const seats = seatRows.map((r) => r.seat);
  const byseat = new Map(attendance.map((a) => [a.seatId, a]));
  const statusOf = new Map(attendance.map((a) => [a.seatId, a.status as string]));
  const inOffice = seats.filter((s) => s.kind === 'titular').length;
  const q = quorum(inOffice, presentForQuorum(seats, statusOf), session.secondConvocationOf !== null);
  return { seatRows, seats, attendance: byseat, quorum: q };
}

export async function recordAttendance(
  db: Executor,
  actor: Actor,
  sessionId: string,
  input: AttendanceInput,
  source: AuditSource,
) {
  const session = await manageableSession(db, actor, sessionId, true);
  if (session.status === 'closed')
    throw unprocessable('La séance est close : les présences ne se modifient plus.');
  // Only what the rules and the quorum need, in one statement: each seat's kind and titular, each
  // recorded line's status and proxy.
  const { seats, lines: recorded } = await repo.attendanceCheckRows(
    db,
    session.memberId,
    session.assemblyId,
    sessionId,
    parisDay(session.startsAt),
  );
  const known = new Set(seats.map((s) => s.id));
  // The whole sitting after this change: the lines recorded before (those not given again), then the
  // lines given, so that a rule broken by this change is reported on the line given.
  const given = new Set(input.entries.map((e) => e.seatId));
  const kept: AttendanceLine[] = recorded
    .filter((a) => !given.has(a.seatId))
    .map((a) => ({ seatId: a.seatId, status: a.status, proxySeatId: a.proxySeatId }));
  const merged: AttendanceLine[] = [...kept, ...input.entries];
  const errors = checkAttendance(merged, known);
  if (errors.length) {
    const fieldErrors = errors.map((e) =>
      e.index >= kept.length
        ? { path: `body.entries.${e.index - kept.length}.${e.field}`, message: e.message }
        : { path: 'body.entries', message: `présence déjà enregistrée : ${e.message}` },
    );
    const first = defined0(fieldErrors);
    throw invalid(`Présences refusées : ${first.message} (${first.path}).`, fieldErrors);
  }
  const at = now();
  await repo.upsertAttendance(
    db,
    input.entries.map((e) => ({
      memberId: session.memberId,
      sessionId,
      seatId: e.seatId,
      status: e.status,
      proxySeatId: e.status === 'represented' ? (e.proxySeatId ?? null) : null,
      recordedAt: at,
    })),
  );
  if (session.status !== 'held')
    await repo.updateSession(db, session.memberId, sessionId, { status: 'held' });
  await recordAudit(db, {
    action: 'governance.attendance_recorded',
    ...source,
    memberId: session.memberId,
    targetType: 'governance_session',
    targetId: sessionId,
    details: { lines: input.entries.length },
  });
  const statusOf = new Map(merged.map((l) => [l.seatId, l.status as string]));
  const inOffice = seats.filter((s) => s.kind === 'titular').length;
  return {
    quorum: quorum(inOffice, presentForQuorum(seats, statusOf), session.secondConvocationOf !== null),
  };
}

function defined0<T>(values: T[]): T {
  const [first] = values;
  if (first === undefined) throw new Error('no error to report');
  return first;
}

// Closing ---------------------------------------------------------------------------------------

/**
 * The secretary closes the sitting once it has begun. When the quorum was not reached (and this was
 * not already a second convocation), the second convocation is prepared in the same transaction: the
 * same place and the items not voted, at least three days later and late enough to be convened within
 * the ordinary deadline from today, without any quorum required; it waits, `planned`, for its
 * convocations to be sent.
 */
export async function closeSession(db: Executor, actor: Actor, sessionId: string, source: AuditSource) {
  const { session, access } = await sessionFor(db, actor, sessionId, 'manage', true);
  if (session.status === 'closed') throw conflict('Cette séance est déjà close.');
  if (session.status === 'planned') {
    throw unprocessable(
      "Cette séance n'a pas été convoquée : elle ne peut pas être close. Envoyez les convocations, ou créez une autre séance.",
    );
  }
  const at = now();
  if (at.getTime() < session.startsAt.getTime()) {
    throw unprocessable(
      `La séance n'a pas encore commencé (${frenchDateTime(session.startsAt)}) : elle se clôt une fois tenue.`,
    );
  }
  const state = await repo.liveState(
    db,
    session.memberId,
    session.assemblyId,
    sessionId,
    parisDay(session.startsAt),
  );
  const q = quorum(state.inOffice, state.present, session.secondConvocationOf !== null);
  await repo.updateSession(db, session.memberId, sessionId, { status: 'closed', closedAt: at });
  let second: { id: string; startsAt: string; convocationDueBy: string; itemCount: number } | null = null;
  if (!q.reached && session.secondConvocationOf === null) {
    const pending = (await repo.listItems(db, session.memberId, sessionId)).filter(
      (row) => row.item.status === 'pending',
    );
    if (pending.length) {
      const days = convocationDays(access.assembly.kind, access.population, false);
      const startsAt = sameParisTimeOn(
        session.startsAt,
        secondConvocationDay(session.startsAt, days, today()),
      );
      const dueBy = convocationDueBy(startsAt, days);
      const created = await repo.insertSession(db, {
        memberId: session.memberId,
        assemblyId: session.assemblyId,
        startsAt,
        place: session.place,
        remote: session.remote,
        urgent: false,
        urgencyReason: null,
        secondConvocationOf: sessionId,
        convocationDays: days,
        convocationDueBy: dueBy,
        createdBy: source.actorUserId,
      });
      if (!created) throw new Error('session insert returned nothing');
      await repo.insertItems(
        db,
        pending.map(({ item }, index) => ({
          memberId: session.memberId,
          sessionId: created.id,
          position: index + 1,
          title: item.title,
          explanatoryNote: item.explanatoryNote,
          classification: item.classification,
          secretBallot: item.secretBallot,
          namedVote: item.namedVote,
          decisionKind: item.decisionKind,
          decisionMemberId: item.decisionMemberId,
          decisionYear: item.decisionYear,
          decisionSessionId: item.decisionSessionId,
        })),
      );
      await recordAudit(db, {
        action: 'governance.session_created',
        ...source,
        memberId: session.memberId,
        targetType: 'governance_session',
        targetId: created.id,
        details: { secondConvocationOf: sessionId, items: pending.length },
      });
      second = {
        id: created.id,
        startsAt: startsAt.toISOString(),
        convocationDueBy: dueBy,
        itemCount: pending.length,
      };
    }
  }
  await recordAudit(db, {
    action: 'governance.session_closed',
    ...source,
    memberId: session.memberId,
    targetType: 'governance_session',
    targetId: sessionId,
    details: { quorumReached: q.reached, present: q.present, secondConvocation: second?.id ?? null },
  });
  return { sessionId, status: 'closed' as const, quorum: q, secondConvocation: second };
}

// Detail -----------------------------------------------------------------------------------------

/**
 * The session's page as `actor` sees it, or `unchanged` when `ifNoneMatch` names its current version:
 * the ETag is the session's revision (moved by the triggers of migration 0041 with everything the page
 * shows) and who reads (a manager sees every convocation, an official their own), so an official's
 * page polling a sitting costs the access check and one row while nothing changes.
 */
export async function getSessionIfChanged(
  db: Executor,
  actor: Actor,
  sessionId: string,
  ifNoneMatch: string | undefined,
): Promise<{ etag: string; detail: SessionDetail | null }> {
  // The 304 first, from one indexed statement, whenever who reads is known without another query
  // (the operator's assemblies, or a reader who does not manage: no subscription to look up).
  const quick = await readableSession(db, actor, sessionId);
  if (quick.operatorHeld || !quick.mayManage) {
    const etag = sessionEtag(quick.revision, actor, quick.mayManage);
    if (matches(ifNoneMatch, etag)) return { etag, detail: null };
  }
  const found = await sessionFor(db, actor, sessionId, 'read');
  const etag = sessionEtag(found.session.revision, actor, found.access.canManage);
  if (matches(ifNoneMatch, etag)) return { etag, detail: null };
  return { etag, detail: await getSession(db, actor, sessionId, found) };
}

const matches = (ifNoneMatch: string | undefined, etag: string) =>
  ifNoneMatch?.split(/\s*,\s*/).includes(etag) ?? false;

/**
 * The session as the access rules of `assemblyFor` see it, from one statement (the session, its
 * organisation's kind, a seat of the actor): 404 for who may not read it.
 */
async function readableSession(db: Executor, actor: Actor, sessionId: string, lock = false) {
  const row = await repo.findSessionAccess(db, sessionId, actor.userId, lock);
  if (!row) throw notFound(SESSION_NOT_FOUND);
  const mayManage = governancePolicy(actor, 'governance:manage', row.memberId);
  const canRead = mayManage || governancePolicy(actor, 'governance:read', row.memberId) || row.seated;
  if (!canRead) throw notFound(SESSION_NOT_FOUND);
  return { ...row, mayManage };
}

/**
 * The session for who manages its assembly (`assemblyFor`'s 'manage' rule), locked when asked: one
 * statement for the operator's assemblies, the member's subscription read for a member's.
 */
async function manageableSession(db: Executor, actor: Actor, sessionId: string, lock: boolean) {
  const session = await readableSession(db, actor, sessionId, lock).catch(async (error: unknown) => {
    // Not lockable: a reader without write access (an official) is told 403, as in sessionFor.
    if (!lock) throw error;
    const readable = await readableSession(db, actor, sessionId);
    if (!readable.mayManage) throw forbidden('Votre rôle ne permet pas de gérer cette assemblée.');
    throw error;
  });
  if (!session.mayManage) throw forbidden('Votre rôle ne permet pas de gérer cette assemblée.');
  if (!session.operatorHeld && !(await holdsService(db, session.memberId, CONVOCATIONS_SERVICE_CODE)))
    throw forbidden(SUBSCRIPTION_REQUIRED);
  return session;
}

/**
 * The sitting's live state, what an official's page polls: the quorum and each item's status, the
 * same for every reader. Its ETag is the session's revision alone, so « 304 Not Modified » costs one
 * indexed statement; a changed sitting costs one more (the quorum counted in SQL, the items' states),
 * never the whole page (a thousand seats' names and convocations).
 */
export async function getSessionLive(
  db: Executor,
  actor: Actor,
  sessionId: string,
  ifNoneMatch: string | undefined,
): Promise<{ etag: string; live: SessionLive | null }> {
  const session = await readableSession(db, actor, sessionId);
  const etag = `"live-r${session.revision}"`;
  if (matches(ifNoneMatch, etag)) return { etag, live: null };
  return { etag, live: await liveOf(db, session) };
}

/**
 * Whether `actor` may still read the session, by the rule of `getSessionLive` (one indexed
 * statement): what a live stream asks again while it stays open. False when the session is gone or
 * hidden from them now; a failure to read throws.
 */
export async function maySeeSession(db: Executor, actor: Actor, sessionId: string): Promise<boolean> {
  try {
    await readableSession(db, actor, sessionId);
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') return false;
    throw error;
  }
}

type LiveSession = Pick<
  repo.SessionRow,
  'id' | 'memberId' | 'assemblyId' | 'revision' | 'status' | 'startsAt' | 'secondConvocationOf'
>;

async function liveOf(db: Executor, session: LiveSession): Promise<SessionLive> {
  const state = await repo.liveState(
    db,
    session.memberId,
    session.assemblyId,
    session.id,
    parisDay(session.startsAt),
  );
  return {
    id: session.id,
    revision: session.revision,
    status: session.status,
    quorum: quorum(state.inOffice, state.present, session.secondConvocationOf !== null),
    items: state.items,
  };
}

/**
 * The live state of a session for the live streams (governance.live.ts), read once per change and
 * written to every stream open on it: the same answer as `getSessionLive`, without an actor (each
 * stream's reader was checked by `getSessionLive` when it connected). `db` is a system transaction;
 * null when the session no longer exists.
 */
export async function liveSnapshot(db: Executor, sessionId: string): Promise<SessionLive | null> {
  const session = await repo.findSession(db, sessionId);
  return session ? liveOf(db, session) : null;
}

function sessionEtag(revision: number, actor: Actor, canManage: boolean): string {
  const reader = crypto
    .createHash('sha256')
    .update(`${actor.userId}:${canManage ? 'manage' : 'read'}`)
    .digest('base64url')
    .slice(0, 12);
  return `"r${revision}-${reader}"`;
}

export async function getSession(
  db: Executor,
  actor: Actor,
  sessionId: string,
  found?: Awaited<ReturnType<typeof sessionFor>>,
): Promise<SessionDetail> {
  const { session, access } = found ?? (await sessionFor(db, actor, sessionId, 'read'));
  const [items, state] = await Promise.all([
    repo.listItems(db, session.memberId, sessionId),
    sittingState(db, session),
  ]);
  const ballots = await repo.listBallots(
    db,
    session.memberId,
    items.filter((i) => i.item.namedVote && !i.item.secretBallot).map((i) => i.item.id),
  );
  const ownSeats = access.canManage
    ? undefined
    : state.seats.filter((s) => s.userId === actor.userId).map((s) => s.id);
  const [convocations, reconvened, documents, minutes] = await Promise.all([
    repo.listConvocations(db, session.memberId, sessionId, ownSeats),
    session.status === 'closed'
      ? repo.findReconvened(db, session.memberId, session.assemblyId, sessionId)
      : Promise.resolve(null),
    documentsRepo.listSessionDocuments(db, session.memberId, sessionId),
    minutesOf(db, session),
  ]);
  // The substitute present for each titular, found once (not a scan of every seat per seat).
  const presentSubstituteOf = new Map<string, string>();
  for (const s of state.seats) {
    if (
      s.substituteFor &&
      state.attendance.get(s.id)?.status === 'present' &&
      !presentSubstituteOf.has(s.substituteFor)
    )
      presentSubstituteOf.set(s.substituteFor, s.id);
  }
  const attendance: AttendanceEntry[] = state.seats.map((seat) => {
    const line = state.attendance.get(seat.id);
    const replacementId = presentSubstituteOf.get(seat.id);
    return {
      seatId: seat.id,
      fullName: seat.fullName,
      seatKind: seat.kind,
      collegeId: seat.collegeId,
      status: line?.status ?? null,
      proxySeatId: line?.proxySeatId ?? null,
      replacedBySeatId: replacementId && line?.status !== 'present' ? replacementId : null,
    };
  });
  return {
    ...presentSummary(session, access.assembly.name, items.length),
    assemblyKind: access.assembly.kind,
    organisationName: access.organisationName,
    items: items.map((row) => ({
      ...presentItem(row, ballots),
      documents: documents.filter((d) => d.itemId === row.item.id).map(presentItemDocument),
    })),
    quorum: state.quorum,
    attendance,
    convocations: convocations.map(presentConvocation),
    canManage: access.canManage,
    revision: session.revision,
    closedAt: session.closedAt?.toISOString() ?? null,
    reconvenedAs: reconvened
      ? { id: reconvened.id, startsAt: reconvened.startsAt.toISOString(), status: reconvened.status }
      : null,
    deliberationsPublishedAt: session.deliberationsPublishedAt?.toISOString() ?? null,
    minutes,
  };
}

export function presentConvocation(
  row: Awaited<ReturnType<typeof repo.listConvocations>>[number],
): Convocation {
  const c = row.convocation;
  return {
    seatId: c.seatId,
    fullName: row.fullName,
    email: c.email,
    seatKind: row.seatKind,
    paper: c.paper,
    sentAt: c.sentAt?.toISOString() ?? null,
    receivedAt: c.receivedAt?.toISOString() ?? null,
    openedAt: c.openedAt?.toISOString() ?? null,
    unavailableAt: c.unavailableAt?.toISOString() ?? null,
  };
}

export const presentItemDocument = (row: documentsRepo.ItemDocumentRow): ItemDocument => ({
  id: row.id,
  itemId: row.itemId,
  fileName: row.fileName,
  mediaType: row.mediaType,
  sizeBytes: row.sizeBytes,
  createdAt: row.createdAt.toISOString(),
});

function presentItem(
  row: Awaited<ReturnType<typeof repo.listItems>>[number],
  ballots: Awaited<ReturnType<typeof repo.listBallots>>,
): Omit<AgendaItem, 'documents'> {
  const { item } = row;
  const decision = item.decisionKind
    ? {
        kind: item.decisionKind,
        memberId: item.decisionMemberId,
        memberName: row.decisionMemberName,
        year: item.decisionYear,
        session:
          item.decisionSessionId && row.decisionSessionStartsAt
            ? { id: item.decisionSessionId, startsAt: row.decisionSessionStartsAt.toISOString() }
            : null,
        executedAt: item.decisionExecutedAt?.toISOString() ?? null,
        label: decisionLabel(
          item.decisionKind,
          row.decisionMemberName,
          item.decisionYear,
          row.decisionSessionStartsAt,
        ),
      }
    : null;
  return {
    id: item.id,
    position: item.position,
    title: item.title,
    explanatoryNote: item.explanatoryNote,
    classification: item.classification,
    secretBallot: item.secretBallot,
    namedVote: item.namedVote,
    status: item.status,
    decision,
    result:
      item.votedAt && item.votesFor !== null && item.votesAgainst !== null
        ? {
            for: item.votesFor,
            against: item.votesAgainst,
            abstention: item.votesAbstention ?? 0,
            notVoting: item.votesNotVoting ?? 0,
            cast: item.votesFor + item.votesAgainst,
            chairPrevailed: item.chairPrevailed,
            weighted: item.weighted,
            votedAt: item.votedAt.toISOString(),
          }
        : null,
    ballots: item.secretBallot
      ? []
      : ballots
          .filter((b) => b.itemId === item.id)
          .map((b) => ({ seatId: b.seatId, fullName: b.fullName, choice: b.choice })),
    act:
      item.actId && row.actNumber
        ? { id: item.actId, number: row.actNumber, publishedAt: row.actPublishedAt?.toISOString() ?? null }
        : null,
  };
}

export function decisionLabel(
  kind: keyof typeof BOUND_DECISION_LABELS,
  memberName: string | null,
  year: number | null,
  sessionStartsAt: Date | null = null,
) {
  if (kind === 'adopt_pricing') return `${BOUND_DECISION_LABELS[kind]} : ${year ?? '—'}`;
  if (kind === 'adopt_minutes')
    return `${BOUND_DECISION_LABELS[kind]} : séance du ${sessionStartsAt ? frenchDate(sessionStartsAt) : '—'}`;
  return `${BOUND_DECISION_LABELS[kind]} : ${memberName ?? '—'}`;
}
