import { parisDay } from '../../../contracts/french.js';
import type { VoteInput, VoteOutcome } from '../../../contracts/governance.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import { now, today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, DomainError, invalid, notFound, unprocessable } from '../../platform/errors.js';
import type { ObjectStorage } from '../../platform/storage/storage.js';
import { createDeliberation } from '../acts/acts.service.js';
import { decisionOf, executeDecision } from './governance.decisions.js';
import * as repo from './governance.repository.js';
import {
  checkCounts,
  presentCount,
  quorum,
  tallyBallots,
  type VoteCounts,
  voteOutcome,
  votingCount,
} from './governance.rules.js';
import { presentForQuorum, sessionFor } from './governance.sessions.service.js';

/**
 * A vote on an agenda item: counts or one ballot per seat (weighted by college), the majority of
 * votes cast, the chair's casting vote; an adopted item becomes a deliberation (an act of nature DE
 * with its vote counts, in the acts register) and carries out the platform decision it is bound to.
 * All in one transaction: the item locked, the outcome written once.
 */

/** The deliberation's number (at most 15 characters, @CTES): D, the session's date and time, the item. */
export function deliberationNumber(startsAt: Date, position: number): string {
  const day = parisDay(startsAt).replaceAll('-', '').slice(2);
  const time = new Intl.DateTimeFormat('fr-FR', {
    timeZone: 'Europe/Paris',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(startsAt)
    .replace(':', '');
  return `D${day}${time}_${position}`;
}

export async function vote(
  db: Executor,
  deps: { storage: ObjectStorage },
  actor: Actor,
  sessionId: string,
  itemId: string,
  input: VoteInput,
  source: AuditSource,
): Promise<VoteOutcome> {
  const { session, access } = await sessionFor(db, actor, sessionId, 'manage', true);
  if (session.status === 'closed') throw unprocessable('La séance est close : ses points ne se votent plus.');
  const sessionDay = parisDay(session.startsAt);
  if (today() < sessionDay) {
    throw unprocessable(`La séance a lieu le ${sessionDay} : ses points se votent ce jour-là.`);
  }
  const item = await repo.lockItem(db, session.memberId, sessionId, itemId);
  if (!item) throw notFound("Ce point n'est pas à l'ordre du jour de la séance.");
  if (item.status !== 'pending') throw conflict('Ce point a déjà été voté : le résultat est définitif.');

  const seatRows = await repo.seatsInOffice(db, session.memberId, session.assemblyId, sessionDay);
  const seats = seatRows.map((r) => r.seat);
  const attendance = await repo.listAttendance(db, session.memberId, sessionId);
  const statusOf = new Map(attendance.map((a) => [a.seatId, a.status as string]));
  const inOffice = seats.filter((s) => s.kind === 'titular').length;
  const q = quorum(inOffice, presentForQuorum(seats, statusOf), session.secondConvocationOf !== null);
  if (!q.reached) {
    throw unprocessable(
      `Le quorum n'est pas atteint (${q.present} présents, ${q.required} requis) : la séance ne peut pas voter. Préparez une seconde convocation, au moins trois jours plus tard, sans condition de quorum.`,
    );
  }
  if (input.chairVote && item.secretBallot) {
    throw invalid("Au scrutin secret, la voix du président n'est pas prépondérante.", [
      { path: 'body.chairVote', message: 'impossible au scrutin secret' },
    ]);
  }

  let counts: VoteCounts;
  let weighted = false;
  const ballots = input.ballots;
  if (ballots) {
    if (item.secretBallot) {
      throw invalid(
        'Un scrutin secret ne se vote pas nominativement : indiquez seulement les nombres de voix.',
        [{ path: 'body.ballots', message: 'impossible au scrutin secret' }],
      );
    }
    const weightOf = new Map(seatRows.map((r) => [r.seat.id, Number(r.voteWeight)]));
    const voters = new Set(
      attendance.filter((a) => a.status === 'present' || a.status === 'represented').map((a) => a.seatId),
    );
    const seen = new Set<string>();
    ballots.forEach((ballot, index) => {
      const path = `body.ballots.${index}.seatId`;
      if (!voters.has(ballot.seatId)) {
        throw invalid(`Vote ${index + 1} : ce membre n'est ni présent ni représenté.`, [
          { path, message: 'ni présent ni représenté' },
        ]);
      }
      if (seen.has(ballot.seatId)) {
        throw invalid(`Vote ${index + 1} : ce membre a déjà voté.`, [{ path, message: 'vote en double' }]);
      }
      seen.add(ballot.seatId);
    });
    const weights = ballots.map((b) => ({ choice: b.choice, weight: weightOf.get(b.seatId) ?? 1 }));
    weighted = weights.some((w) => w.weight !== 1);
    counts = tallyBallots(weights);
  } else {
    if (item.namedVote) {
      throw invalid('Ce point est voté nominativement : indiquez le vote de chaque membre.', [
        { path: 'body.ballots', message: 'vote nominatif demandé' },
      ]);
    }
    counts = {
      for: input.for ?? 0,
      against: input.against ?? 0,
      abstention: input.abstention ?? 0,
      notVoting: input.notVoting ?? 0,
    };
    const error = checkCounts(counts, votingCount(attendance));
    if (error) throw invalid(error, [{ path: 'body.for', message: 'plus de voix que de votants' }]);
  }
  const outcome = voteOutcome(counts, {
    secretBallot: item.secretBallot,
    chairVote: input.chairVote ?? null,
  });
  const votedAt = now();
  const voters = votingCount(attendance);

  let actId: string | null = null;
  const decision = decisionOf(item);
  if (outcome.adopted) {
    const base = deliberationNumber(session.startsAt, item.position);
    let number = base;
    const fields = {
      nature: 'DE' as const,
      classification: item.classification,
      decidedOn: sessionDay,
      subject: item.title,
      sessionOn: sessionDay,
      votesMembers: inOffice,
      votesPresent: voters,
      votesFor: counts.for,
      votesAgainst: counts.against,
      votesAbstention: counts.abstention,
    };
    // Another assembly of the organisation sitting at the same minute took the number: A, B… after it.
    let act: { id: string } | null = null;
    for (const suffix of ['', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ']) {
      number = `${base}${suffix}`;
      try {
        act = await createDeliberation(db, session.memberId, { ...fields, number }, source);
        break;
      } catch (error) {
        if (!(error instanceof DomainError && error.kind === 'conflict')) throw error;
      }
    }
    if (!act) throw conflict(`Les numéros de délibération ${base}A à ${base}Z sont tous pris.`);
    actId = act.id;
    if (decision) {
      await executeDecision(
        db,
        { storage: deps.storage, actor },
        decision,
        {
          decidedOn: sessionDay,
          actId,
          deliberationNumber: number,
          adopting: { assemblyId: session.assemblyId, sessionId, startsAt: session.startsAt },
          itemId,
          votedAt,
        },
        source,
      );
    }
  }
  await repo.updateItem(db, session.memberId, itemId, {
    status: outcome.adopted ? 'adopted' : 'rejected',
    votesMembers: inOffice,
    votesPresent: presentCount(attendance),
    votesFor: counts.for,
    votesAgainst: counts.against,
    votesAbstention: counts.abstention,
    votesNotVoting: counts.notVoting,
    chairPrevailed: outcome.chairPrevailed,
    weighted,
    votedAt,
    actId,
    decisionExecutedAt: outcome.adopted && decision ? votedAt : null,
  });
  if (ballots && !item.secretBallot) {
    await repo.insertBallots(
      db,
      ballots.map((b) => ({ memberId: session.memberId, itemId, seatId: b.seatId, choice: b.choice })),
    );
  }
  if (session.status !== 'held')
    await repo.updateSession(db, session.memberId, sessionId, { status: 'held' });
  await recordAudit(db, {
    action: outcome.adopted ? 'governance.item_adopted' : 'governance.item_rejected',
    ...source,
    memberId: session.memberId,
    targetType: 'governance_item',
    targetId: itemId,
    details: { ...counts, actId, decision: decision?.kind ?? null, assemblyId: access.assembly.id },
  });
  return {
    itemId,
    status: outcome.adopted ? 'adopted' : 'rejected',
    result: {
      ...counts,
      cast: outcome.cast,
      chairPrevailed: outcome.chairPrevailed,
      weighted,
      votedAt: votedAt.toISOString(),
    },
    actId,
    decisionExecuted: outcome.adopted && decision !== null,
  };
}
