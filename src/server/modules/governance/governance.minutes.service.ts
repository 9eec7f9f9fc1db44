import crypto from 'node:crypto';
import { frenchDate } from '../../../contracts/french.js';
import {
  type ATTENDANCE_STATUS_LABELS,
  ITEM_STATUS_LABELS,
  type Minutes,
  VOTE_CHOICE_LABELS,
} from '../../../contracts/governance.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, invalid, notFound, uniqueOr, unprocessable } from '../../platform/errors.js';
import { sha256Hex } from '../../platform/storage/files.js';
import { type ObjectStorage, storeThenRecord } from '../../platform/storage/storage.js';
import { registerStoredFileOwner } from '../../platform/storage/sweep.js';
import * as minutesRepo from './governance.minutes.repository.js';
import { type MinutesDraft, minutesPdf } from './governance.pdf.js';
import * as repo from './governance.repository.js';
import { getSession, sessionFor } from './governance.sessions.service.js';

/**
 * The procès-verbal of a closed session (CGCT L2121-15): drafted from the record (a PDF made on
 * demand), adopted by a vote of a later session of the same assembly — the item bound to the
 * `adopt_minutes` decision, carried out once in the vote's transaction, never on rejection — then
 * published by those who manage the assembly, after which anyone reads it.
 *
 * On adoption the PDF as adopted is frozen: its bytes go to object storage and a `governance_minutes`
 * row keeps its key and SHA-256 with the adoption's date, session and item (a trigger forbids changing
 * any of them afterwards). The bytes, not the record: the record is the session's rows, which later
 * changes (a seat's name corrected, an act renumbered) would alter, and a PDF drawn again differs in
 * its dates; what the assembly approved must stay byte for byte what is read and published.
 */

/** Where adopted procès-verbaux are kept: `governance-minutes/<organisationId>/<sessionId>/<id>.pdf`. */
export const MINUTES_PREFIX = 'governance-minutes/';

export const LATER_SESSION_ONLY =
  'Le procès-verbal ne peut être adopté que lors d’une séance ultérieure de la même assemblée.';

export function registerMinutesStoredFiles(): void {
  registerStoredFileOwner({
    name: 'governance.minutes',
    prefix: MINUTES_PREFIX,
    referencedKeys: (tx) => minutesRepo.listAllStorageKeys(tx),
  });
}

/** The session as recorded, as the procès-verbal states it (its managers only). */
async function minutesRecord(db: Executor, actor: Actor, sessionId: string) {
  const found = await sessionFor(db, actor, sessionId, 'manage');
  if (found.session.status !== 'closed')
    throw unprocessable('Le procès-verbal se rédige une fois la séance close.');
  const detail = await getSession(db, actor, sessionId, found);
  const nameOf = new Map(detail.attendance.map((a) => [a.seatId, a.fullName]));
  const withStatus = (status: keyof typeof ATTENDANCE_STATUS_LABELS) =>
    detail.attendance.filter((a) => a.status === status).map((a) => a.fullName);
  const record: MinutesDraft = {
    organisationName: detail.organisationName,
    assemblyName: detail.assemblyName,
    startsAt: new Date(detail.startsAt),
    place: detail.remote ? `${detail.place} (à distance)` : detail.place,
    convocationsSentAt: detail.convocationsSentAt ? new Date(detail.convocationsSentAt) : null,
    secondConvocation: detail.secondConvocation,
    quorum: detail.quorum,
    present: withStatus('present'),
    represented: detail.attendance
      .filter((a) => a.status === 'represented')
      .map((a) => ({ fullName: a.fullName, holder: nameOf.get(a.proxySeatId ?? '') ?? '—' })),
    excused: withStatus('excused'),
    absent: [
      ...withStatus('absent'),
      ...detail.attendance
        .filter((a) => a.status === null && a.seatKind === 'titular')
        .map((a) => a.fullName),
    ],
    items: detail.items.map((item) => ({
      position: item.position,
      title: item.title,
      status: ITEM_STATUS_LABELS[item.status],
      result: item.result
        ? `pour ${item.result.for}, contre ${item.result.against}, abstentions ${item.result.abstention}${
            item.result.chairPrevailed ? ', voix prépondérante du président' : ''
          }`
        : null,
      actNumber: item.act?.number ?? null,
      ballots: item.ballots.map((b) => `${b.fullName} : ${VOTE_CHOICE_LABELS[b.choice]}`),
    })),
    closedAt: detail.closedAt ? new Date(detail.closedAt) : null,
  };
  return { record, session: found.session };
}

/**
 * The draft procès-verbal of a closed session, drafted from its record as a PDF (attendance with
 * proxies, quorum, each item's status, vote and deliberation), for its managers to submit to a later
 * session.
 */
export async function minutesDraft(db: Executor, actor: Actor, sessionId: string): Promise<Buffer> {
  return minutesPdf((await minutesRecord(db, actor, sessionId)).record);
}

/** Where the session adopting a procès-verbal stands: its assembly, itself, its date. */
export interface AdoptingSession {
  assemblyId: string;
  /** Null while the session is being created. */
  sessionId: string | null;
  startsAt: Date;
}

/**
 * Throws a French error (on `path`) unless `sessionId`'s procès-verbal may be adopted by `adopting`:
 * an earlier session of the same assembly, closed, its procès-verbal not adopted yet.
 */
export async function checkMinutesAdoptable(
  db: Executor,
  sessionId: string,
  adopting: AdoptingSession,
  path: string,
) {
  const target = await repo.findSession(db, sessionId);
  if (
    !target ||
    target.assemblyId !== adopting.assemblyId ||
    target.id === adopting.sessionId ||
    target.startsAt.getTime() >= adopting.startsAt.getTime()
  ) {
    throw invalid(LATER_SESSION_ONLY, [{ path, message: 'séance antérieure de la même assemblée attendue' }]);
  }
  if (target.status !== 'closed') {
    throw unprocessable(
      `La séance du ${frenchDate(target.startsAt)} n'est pas close : son procès-verbal n'est pas encore rédigé.`,
      [{ path, message: 'séance non close' }],
    );
  }
  if (await minutesRepo.findMinutes(db, target.memberId, target.id)) {
    throw unprocessable(`Le procès-verbal de la séance du ${frenchDate(target.startsAt)} est déjà adopté.`, [
      { path, message: 'procès-verbal déjà adopté' },
    ]);
  }
}

/**
 * Carries out an adopted `adopt_minutes` item, in the vote's transaction: the procès-verbal of
 * `sessionId` drawn as adopted, its bytes frozen in object storage, the adoption recorded once.
 */
export async function adoptMinutes(
  db: Executor,
  deps: { storage: ObjectStorage; actor: Actor },
  sessionId: string,
  adoption: {
    adopting: AdoptingSession & { sessionId: string };
    itemId: string;
    votedAt: Date;
    deliberationNumber: string;
  },
  source: AuditSource,
) {
  await checkMinutesAdoptable(db, sessionId, adoption.adopting, 'decision');
  const { record, session } = await minutesRecord(db, deps.actor, sessionId);
  const pdf = await minutesPdf({
    ...record,
    adopted: { sessionStartsAt: adoption.adopting.startsAt, deliberationNumber: adoption.deliberationNumber },
  });
  const storageKey = `${MINUTES_PREFIX}${session.memberId}/${sessionId}/${crypto.randomUUID()}.pdf`;
  const sha256 = sha256Hex(pdf);
  await storeThenRecord(deps.storage, { key: storageKey, data: pdf }, async () => {
    await uniqueOr(
      () =>
        minutesRepo.insertMinutes(db, {
          sessionId,
          memberId: session.memberId,
          assemblyId: session.assemblyId,
          adoptedAt: adoption.votedAt,
          adoptedBySessionId: adoption.adopting.sessionId,
          adoptedByItemId: adoption.itemId,
          deliberationNumber: adoption.deliberationNumber,
          storageKey,
          sizeBytes: pdf.length,
          sha256,
        }),
      () => conflict(`Le procès-verbal de la séance du ${frenchDate(session.startsAt)} est déjà adopté.`),
    );
    await recordAudit(db, {
      action: 'governance.minutes_adopted',
      ...source,
      memberId: session.memberId,
      targetType: 'governance_session',
      targetId: sessionId,
      details: {
        adoptedBySessionId: adoption.adopting.sessionId,
        itemId: adoption.itemId,
        deliberationNumber: adoption.deliberationNumber,
        sha256,
      },
    });
  });
}

/** Publishing an adopted procès-verbal (those who manage the assembly): anyone reads it then. */
export async function publishMinutes(db: Executor, actor: Actor, sessionId: string, source: AuditSource) {
  const { session } = await sessionFor(db, actor, sessionId, 'manage', true);
  const row = await minutesRepo.findMinutes(db, session.memberId, sessionId, true);
  if (!row) {
    throw unprocessable(
      'Le procès-verbal n’est pas encore adopté : il se publie une fois adopté lors d’une séance ultérieure de l’assemblée.',
    );
  }
  if (row.publishedAt) throw conflict('Le procès-verbal de cette séance est déjà publié.');
  if (!session.deliberationsPublishedAt) {
    throw unprocessable(
      'Publiez d’abord la liste des délibérations de la séance : le procès-verbal paraît avec elle.',
    );
  }
  const at = now();
  await minutesRepo.markMinutesPublished(db, session.memberId, sessionId, at, source.actorUserId);
  await recordAudit(db, {
    action: 'governance.minutes_published',
    ...source,
    memberId: session.memberId,
    targetType: 'governance_session',
    targetId: sessionId,
    details: { sha256: row.sha256 },
  });
  return { sessionId, publishedAt: at.toISOString() };
}

const MINUTES_NOT_FOUND = "Ce procès-verbal n'existe pas ou n'est pas encore adopté.";

/** The adopted procès-verbal as frozen, for whoever reads the session (its officials, its managers). */
export async function readAdoptedMinutes(
  db: Executor,
  storage: ObjectStorage,
  actor: Actor,
  sessionId: string,
) {
  const { session } = await sessionFor(db, actor, sessionId, 'read');
  const row = await minutesRepo.findMinutes(db, session.memberId, sessionId);
  if (!row) throw notFound(MINUTES_NOT_FOUND);
  return storage.get(row.storageKey);
}

/** A published procès-verbal (anyone: RLS shows published ones only). */
export async function readPublishedMinutes(
  db: Executor,
  storage: ObjectStorage,
  organisationId: string,
  sessionId: string,
) {
  const row = await minutesRepo.findPublishedMinutes(db, organisationId, sessionId);
  if (!row) throw notFound("Ce procès-verbal n'existe pas ou n'est pas publié.");
  return storage.get(row.storageKey);
}

/** The procès-verbal's state for the session's page: null before the session is closed. */
export async function minutesOf(
  db: Executor,
  session: { id: string; memberId: string; status: string },
): Promise<Minutes | null> {
  if (session.status !== 'closed') return null;
  const found = await minutesRepo.findMinutesWithAdopter(db, session.memberId, session.id);
  if (!found) return { state: 'draft', adoptedAt: null, adoptedBy: null, sha256: null, publishedAt: null };
  const { minutes } = found;
  return {
    state: minutes.publishedAt ? 'published' : 'adopted',
    adoptedAt: minutes.adoptedAt.toISOString(),
    adoptedBy: {
      sessionId: minutes.adoptedBySessionId,
      startsAt: found.adopterStartsAt.toISOString(),
      deliberationNumber: minutes.deliberationNumber,
    },
    sha256: minutes.sha256,
    publishedAt: minutes.publishedAt?.toISOString() ?? null,
  };
}
