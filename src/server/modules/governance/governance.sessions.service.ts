import crypto from 'node:crypto';
import { parisDay } from '../../../contracts/french.js';
import {
  type AgendaItem,
  type AttendanceEntry,
  type AttendanceInput,
  BOUND_DECISION_LABELS,
  type Convocation,
  type SessionDetail,
  type SessionInput,
  type SessionSummary,
} from '../../../contracts/governance.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { invalid, notFound, unprocessable } from '../../platform/errors.js';
import { checkDecisionPossible } from './governance.decisions.js';
import * as repo from './governance.repository.js';
import {
  type AttendanceLine,
  checkAttendance,
  convocationDays,
  convocationDueBy,
  quorum,
  secondConvocationEarliest,
} from './governance.rules.js';
import { assemblyFor } from './governance.service.js';

export const SESSION_NOT_FOUND = "Cette séance n'existe pas ou ne vous est pas accessible.";

/** The session and its assembly as `actor` may reach them. */
export async function sessionFor(
  db: Executor,
  actor: Actor,
  sessionId: string,
  need: 'read' | 'manage',
  lock = false,
) {
  const session = await repo.findSession(db, sessionId, lock);
  if (!session) throw notFound(SESSION_NOT_FOUND);
  const access = await assemblyFor(db, actor, session.assemblyId, need).catch((e: unknown) => {
    // A hidden assembly is a hidden session.
    if (e instanceof Error && 'kind' in e && e.kind === 'not_found') throw notFound(SESSION_NOT_FOUND);
    throw e;
  });
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
    if (!(access.operatorHeld && assembly.kind === 'comite_syndical')) {
      throw invalid("Seul le comité syndical de l'opérateur prend des décisions liées à la plateforme.", [
        { path: `body.agenda.${index}.decision`, message: 'décision impossible pour cette assemblée' },
      ]);
    }
    await checkDecisionPossible(db, item.decision, `body.agenda.${index}.decision`);
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
  seats: readonly repo.SeatRow[],
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
  const { session } = await sessionFor(db, actor, sessionId, 'manage', true);
  if (session.status === 'closed')
    throw unprocessable('La séance est close : les présences ne se modifient plus.');
  const state = await sittingState(db, session);
  const known = new Set(state.seats.map((s) => s.id));
  // The whole sitting after this change: the lines recorded before (those not given again), then the
  // lines given, so that a rule broken by this change is reported on the line given.
  const given = new Set(input.entries.map((e) => e.seatId));
  const kept: AttendanceLine[] = [...state.attendance.values()]
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
  const inOffice = state.seats.filter((s) => s.kind === 'titular').length;
  return {
    quorum: quorum(inOffice, presentForQuorum(state.seats, statusOf), session.secondConvocationOf !== null),
  };
}

function defined0<T>(values: T[]): T {
  const [first] = values;
  if (first === undefined) throw new Error('no error to report');
  return first;
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
  const found = await sessionFor(db, actor, sessionId, 'read');
  const etag = sessionEtag(found.session.revision, actor, found.access.canManage);
  if (ifNoneMatch?.split(/\s*,\s*/).includes(etag)) return { etag, detail: null };
  return { etag, detail: await getSession(db, actor, sessionId, found) };
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
  const convocations = await repo.listConvocations(db, session.memberId, sessionId, ownSeats);
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
    items: items.map((row) => presentItem(row, ballots)),
    quorum: state.quorum,
    attendance,
    convocations: convocations.map(presentConvocation),
    canManage: access.canManage,
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

function presentItem(
  row: Awaited<ReturnType<typeof repo.listItems>>[number],
  ballots: Awaited<ReturnType<typeof repo.listBallots>>,
): AgendaItem {
  const { item } = row;
  const decision = item.decisionKind
    ? {
        kind: item.decisionKind,
        memberId: item.decisionMemberId,
        memberName: row.decisionMemberName,
        year: item.decisionYear,
        executedAt: item.decisionExecutedAt?.toISOString() ?? null,
        label: decisionLabel(item.decisionKind, row.decisionMemberName, item.decisionYear),
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
) {
  if (kind === 'adopt_pricing') return `${BOUND_DECISION_LABELS[kind]} : ${year ?? '—'}`;
  return `${BOUND_DECISION_LABELS[kind]} : ${memberName ?? '—'}`;
}
