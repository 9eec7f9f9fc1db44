import { addMonths } from 'date-fns';
import {
  ACT_MESSAGE_KIND_LABELS,
  ACT_STATUS_LABELS,
  type ActBulkTransmitItem,
  type ActBulkTransmitReport,
} from '../../../contracts/acts.js';
import { type AuditSource, recordAudit, recordAudits } from '../../platform/audit/audit.js';
import { now, today } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { DomainError, notFound, unprocessable } from '../../platform/errors.js';
import { eventsFromCall } from '../../platform/events/events.js';
import { enqueue, enqueueEach, jobInsert, noteEnqueued } from '../../platform/jobs/queue.js';
import type { UploadedFile } from '../../platform/storage/files.js';
import type { ObjectStorage } from '../../platform/storage/storage.js';
import { holdsService } from '../subscriptions/subscriptions.service.js';
import * as repo from './acts.repository.js';
import {
  ACT_NOT_FOUND,
  checkActFile,
  checkClassificationCurrent,
  getAct,
  getClassification,
  MAIN_DOCUMENT_MISSING,
  mainDocumentOf,
  outdatedClassification,
  recordActEvent,
  requireHolder,
  storeActFile,
  storeClassification,
} from './acts.service.js';
import {
  type ActEnvelope,
  type ActsConnector,
  ConnectorRefused,
  ConnectorUnavailable,
  type EnvelopeFile,
} from './transmission/connector.js';

/**
 * Transmission to the prefecture through the tiers de télétransmission. A request only moves the act
 * to `transmitting` and queues `acts.transmit` in its transaction; the job sends the envelope, stores
 * the transaction id, then queues `acts.poll`, which follows the transaction until it is acknowledged
 * or refused and fetches the prefecture's messages. Nothing is lost if the process stops: the jobs are
 * in the database, and a second `create` for the same act answers the first transaction's id.
 */

/** The catalogue service whose subscription lets a member transmit (seed/demo-catalogue.ts). */
export const TRANSMISSION_SERVICE_CODE = 'DEMAT-ACTES';
export const TRANSMIT_JOB = 'acts.transmit';
export const POLL_JOB = 'acts.poll';
export const DAILY_JOB = 'acts.daily';
/** Every day at 06:30 in Paris: classifications refreshed, prefecture messages fetched. */
export const DAILY_CRON = '30 6 * * *';
/** First status poll after the envelope left, then doubling, at most an hour apart. */
export const POLL_BASE_MS = 2_000;
const POLL_MAX_MS = 3_600_000;
export const pollDelayMs = (round: number) => Math.min(POLL_BASE_MS * 2 ** round, POLL_MAX_MS);

const PREFECTURE = 'Préfecture';
const TIERS = 'Tiers de télétransmission';
const UNREACHABLE =
  "Le tiers de télétransmission est resté injoignable : l'acte n'a pas été transmis. L'opérateur peut relancer la transmission.";

export const NOT_SUBSCRIBED =
  "Votre structure n'a pas souscrit au service « Télétransmission des actes » : elle ne peut pas transmettre ses actes à la préfecture depuis Socle. Demandez ce service dans le catalogue ; la publication des actes reste ouverte.";

function connectorProblem(error: unknown): never {
  if (error instanceof ConnectorRefused) {
    throw unprocessable(`Le tiers de télétransmission a refusé la demande : ${error.message}`);
  }
  if (error instanceof ConnectorUnavailable) {
    throw new DomainError(
      'unavailable',
      'Service momentanément indisponible',
      'Le tiers de télétransmission est momentanément injoignable : réessayez dans quelques minutes.',
    );
  }
  throw error;
}

/**
 * A member transmits through the platform when it subscribes to the service; the operator, a syndicat
 * mixte whose own deliberations go to the prefecture too, transmits its own acts through the account it
 * runs for everyone.
 */
async function maySendActs(db: Executor, memberId: string): Promise<boolean> {
  if ((await repo.memberIdentity(db, memberId))?.kind === 'operator') return true;
  return holdsService(db, memberId, TRANSMISSION_SERVICE_CODE);
}

/**
 * Why this act may not leave for the prefecture now, or null: the rules one transmission and a
 * batch share (the subscription and the classification are checked by each beside these).
 */
export function transmitRefusal(
  act: Pick<repo.ActRow, 'status' | 'transmissionRequired'>,
  hasMainDocument: boolean,
): string | null {
  if (!act.transmissionRequired) {
    return "Cet acte n'est pas soumis au contrôle de légalité : il devient exécutoire une fois publié ou notifié, sans transmission.";
  }
  if (act.status !== 'ready') {
    return act.status === 'draft'
      ? "Marquez d'abord l'acte prêt à transmettre."
      : `L'acte est « ${ACT_STATUS_LABELS[act.status].toLowerCase()} » : seul un acte prêt se transmet.`;
  }
  return hasMainDocument ? null : MAIN_DOCUMENT_MISSING;
}

/** Ready → transmitting, and the job that sends the envelope, in the caller's transaction. */
export async function transmit(db: Executor, memberId: string, actId: string, source: AuditSource) {
  const act = await repo.lockAct(db, memberId, actId);
  if (!act) throw notFound(ACT_NOT_FOUND);
  if (!(await maySendActs(db, memberId))) throw unprocessable(NOT_SUBSCRIBED);
  const refusal = transmitRefusal(act, true);
  if (refusal) throw unprocessable(refusal);
  const { main } = await mainDocumentOf(db, memberId, actId);
  if (!main)
    throw unprocessable(MAIN_DOCUMENT_MISSING, [
      { path: 'documents', message: 'document principal manquant' },
    ]);
  const current = await checkClassificationCurrent(db, act);
  await repo.updateAct(db, memberId, actId, {
    ...(current ?? {}),
    status: 'transmitting',
    errorMessage: null,
    updatedBy: source.actorUserId,
    updatedAt: now(),
  });
  await recordActEvent(db, act, 'Transmission demandée', {
    status: 'transmitting',
    actorUserId: source.actorUserId,
  });
  await enqueue(db, TRANSMIT_JOB, { memberId, actId }, { singletonKey: `${TRANSMIT_JOB}:${actId}` });
  await recordAudit(db, {
    action: 'act.transmitted',
    ...source,
    memberId,
    targetType: 'act',
    targetId: act.id,
  });
  return getAct(db, memberId, actId);
}

/**
 * Several of the member's acts sent together (a council session's deliberations), in the caller's
 * transaction: each act is checked as one transmission checks it, the ready ones move to
 * `transmitting` with their history row, their `acts.transmit` job and their audit entry, a few
 * statements for the whole batch; the others are reported with the reason, naming the act's number.
 * Without the subscription nothing is sent (422). Asked twice, the second call finds the acts
 * transmitting and refuses them: never two jobs, never two transactions.
 */
export async function transmitMany(
  db: Executor,
  memberId: string,
  actIds: readonly string[],
  source: AuditSource,
): Promise<ActBulkTransmitReport> {
  const ids = [...new Set(actIds)];
  const holder = await requireHolder(db, memberId);
  if (holder.kind !== 'operator' && !(await holdsService(db, memberId, TRANSMISSION_SERVICE_CODE))) {
    throw unprocessable(NOT_SUBSCRIBED);
  }
  const locked = new Map(
    (await repo.lockActsForTransmission(db, memberId, ids)).map((row) => [row.act.id, row]),
  );
  // The stored classification's date: acts checked against an older file move to it, if their code
  // is still in it (one query for the codes of the whole batch).
  const date = await repo.classificationDateOf(db, memberId);
  const moving = [...locked.values()].filter(
    ({ act, hasMain }) => date && act.classificationDate !== date && !transmitRefusal(act, hasMain),
  );
  const current = new Set(
    (
      await repo.classificationEntries(db, memberId, [
        ...new Set(moving.map(({ act }) => act.classification)),
      ])
    ).map((entry) => entry.code),
  );
  const items: ActBulkTransmitItem[] = [];
  const queued: repo.ActRow[] = [];
  for (const id of ids) {
    const row = locked.get(id);
    if (!row) {
      items.push({
        actId: id,
        number: null,
        outcome: 'refused',
        reason: `Aucun acte de cette structure ne porte l'identifiant ${id}.`,
      });
      continue;
    }
    const { act } = row;
    const refusal =
      transmitRefusal(act, row.hasMain) ??
      (date && act.classificationDate !== date && !current.has(act.classification)
        ? outdatedClassification(act, date)
        : null);
    if (refusal) {
      items.push({
        actId: id,
        number: act.number,
        outcome: 'refused',
        reason: `Acte ${act.number} : ${refusal}`,
      });
    } else {
      items.push({ actId: id, number: act.number, outcome: 'queued', reason: null });
      queued.push(act);
    }
  }
  if (queued.length > 0) {
    const at = now();
    const queuedIds = queued.map((act) => act.id);
    await repo.markTransmitting(db, memberId, queuedIds, {
      updatedBy: source.actorUserId,
      updatedAt: at,
      classificationDate: date,
    });
    await repo.insertEvents(
      db,
      queued.map((act) => ({
        memberId,
        actId: act.id,
        status: 'transmitting' as const,
        label: 'Transmission demandée',
        at,
        actorUserId: source.actorUserId,
        actorLabel: null,
      })),
    );
    await enqueueEach(
      db,
      TRANSMIT_JOB,
      queuedIds.map((actId) => ({ payload: { memberId, actId }, singletonKey: `${TRANSMIT_JOB}:${actId}` })),
    );
    await recordAudits(
      db,
      queuedIds.map((actId) => ({
        action: 'act.transmitted',
        ...source,
        memberId,
        targetType: 'act',
        targetId: actId,
        details: { batch: ids.length },
      })),
    );
  }
  return { queued: queued.length, refused: items.length - queued.length, items };
}

/** Operator (demat scope): a failed transmission is sent again, as a new transaction. */
export async function retry(db: Executor, memberId: string, actId: string, source: AuditSource) {
  const act = await repo.lockAct(db, memberId, actId);
  if (!act) throw notFound(ACT_NOT_FOUND);
  if (act.status !== 'error') {
    throw unprocessable(
      `L'acte est « ${ACT_STATUS_LABELS[act.status].toLowerCase()} » : seule une transmission en erreur se relance.`,
    );
  }
  await repo.updateAct(db, memberId, actId, {
    status: 'transmitting',
    errorMessage: null,
    transactionId: null,
    updatedBy: source.actorUserId,
    updatedAt: now(),
  });
  await recordActEvent(db, act, 'Transmission relancée par l’opérateur', {
    status: 'transmitting',
    actorUserId: source.actorUserId,
  });
  await enqueue(db, TRANSMIT_JOB, { memberId, actId }, { singletonKey: `${TRANSMIT_JOB}:${actId}` });
  await recordAudit(db, { action: 'act.retried', ...source, memberId, targetType: 'act', targetId: act.id });
  return getAct(db, memberId, actId);
}

/** Acknowledged → cancelled: the tiers is asked to cancel the transaction first. */
export async function cancel(
  db: Executor,
  connector: ActsConnector,
  memberId: string,
  actId: string,
  source: AuditSource,
) {
  const act = await repo.lockAct(db, memberId, actId);
  if (!act) throw notFound(ACT_NOT_FOUND);
  if (act.status !== 'acknowledged' || !act.transactionId) {
    throw unprocessable('Seul un acte dont la préfecture a accusé réception peut être annulé.');
  }
  await connector.cancel(act.transactionId).catch(connectorProblem);
  await repo.updateAct(db, memberId, actId, {
    status: 'cancelled',
    updatedBy: source.actorUserId,
    updatedAt: now(),
  });
  await recordActEvent(db, act, 'Transmission annulée', {
    status: 'cancelled',
    actorUserId: source.actorUserId,
  });
  await recordAudit(db, {
    action: 'act.cancelled',
    ...source,
    memberId,
    targetType: 'act',
    targetId: act.id,
  });
  return getAct(db, memberId, actId);
}

/** The member answers a demande de pièces complémentaires with files sent through the tiers. */
export async function answerMessage(
  db: Executor,
  storage: ObjectStorage,
  connector: ActsConnector,
  memberId: string,
  actId: string,
  messageId: string,
  files: UploadedFile[],
  source: AuditSource,
) {
  const act = await repo.lockAct(db, memberId, actId);
  if (!act) throw notFound(ACT_NOT_FOUND);
  const message = await repo.findMessage(db, memberId, actId, messageId);
  if (!message) throw notFound("Ce message n'existe pas pour cet acte.");
  if (message.kind !== 'demande_pieces' || !message.externalId) {
    throw unprocessable('Seule une demande de pièces complémentaires appelle une réponse.');
  }
  if (message.answeredAt) throw unprocessable('Cette demande de pièces a déjà reçu une réponse.');
  if (!act.transactionId) throw unprocessable("Cet acte n'a pas été transmis.");
  const checked = files.map((file) => ({ file, mediaType: checkActFile(act.nature, 'annex', file) }));
  const envelope: EnvelopeFile[] = checked.map(({ file, mediaType }) => ({
    filename: file.fileName,
    mediaType,
    content: file.data,
  }));
  await connector.answer(act.transactionId, message.externalId, envelope).catch(connectorProblem);
  const at = now();
  const answer = await repo.insertMessage(db, {
    memberId,
    actId,
    kind: 'reponse_pieces',
    receivedAt: at,
    answersMessageId: message.id,
  });
  for (const { file, mediaType } of checked) {
    await storeActFile(db, storage, act, file, {
      role: 'annex',
      mediaType,
      messageId: answer.id,
      uploadedBy: source.actorUserId,
    });
  }
  await repo.updateMessage(db, memberId, message.id, { answeredAt: at });
  await recordActEvent(db, act, 'Pièces complémentaires envoyées à la préfecture', {
    actorUserId: source.actorUserId,
    at,
  });
  await recordAudit(db, {
    action: 'act.pieces_answered',
    ...source,
    memberId,
    targetType: 'act',
    targetId: act.id,
    details: { messageId: message.id, files: files.length },
  });
  return getAct(db, memberId, actId);
}

/** Runs work in the request's tenant transaction (`request.inTenant`). */
export type InTenant = <T>(work: (tx: Executor) => Promise<T>) => Promise<T>;

/**
 * Fetches the member's classification from the tiers and stores it. The call to the tiers runs
 * between two transactions, never inside one.
 */
export async function refreshClassification(inTenant: InTenant, connector: ActsConnector, memberId: string) {
  const identity = await inTenant((tx) => repo.memberIdentity(tx, memberId));
  if (!identity) throw notFound("Cette structure n'existe pas.");
  const file = await connector.fetchClassification(identity.siren).catch(connectorProblem);
  await inTenant((tx) => storeClassification(tx, memberId, file));
  return inTenant((tx) => getClassification(tx, memberId));
}

// Jobs ---------------------------------------------------------------------------------------------

export interface TransmissionDeps {
  connector: ActsConnector;
  storage: ObjectStorage;
}

const system = <T>(db: Db, work: (tx: Executor) => Promise<T>) => withTenant(db, SYSTEM_OPERATOR, work);

function payloadIds(payload: Record<string, unknown>) {
  const { memberId, actId } = payload;
  if (typeof memberId !== 'string' || typeof actId !== 'string') throw new Error('acts job without ids');
  return { memberId, actId };
}

/**
 * The `acts.poll` job of round `round` for the act's transaction. The payload names the transaction
 * (ids only), so the poll asks the tiers without reading the act first; its writes check the act is
 * still transmitting under that transaction. (A poll queued without it, by an earlier version, reads it.)
 */
function pollJob(memberId: string, actId: string, transactionId: string, round: number) {
  return {
    payload: { memberId, actId, transactionId, round },
    options: {
      singletonKey: `${POLL_JOB}:${actId}:${round}`,
      runAt: new Date(now().getTime() + pollDelayMs(round)),
    },
  };
}

async function enqueuePoll(
  tx: Executor,
  memberId: string,
  actId: string,
  transactionId: string,
  round: number,
) {
  const { payload, options } = pollJob(memberId, actId, transactionId, round);
  await enqueue(tx, POLL_JOB, payload, options);
}

/**
 * Transmitting → error, with the reason in the history; nothing when the act is no longer
 * transmitting, or (`transactionId` given) is transmitting under another transaction (sent again by
 * the operator since).
 */
async function fail(
  db: Db,
  memberId: string,
  actId: string,
  message: string,
  by: string,
  transactionId?: string,
) {
  await system(db, async (tx) => {
    const act = await repo.lockAct(tx, memberId, actId);
    if (act?.status !== 'transmitting') return;
    if (transactionId !== undefined && act.transactionId !== transactionId) return;
    await repo.updateAct(tx, memberId, actId, { status: 'error', errorMessage: message, updatedAt: now() });
    await recordActEvent(tx, act, `Transmission en erreur : ${message}`, { status: 'error', actorLabel: by });
  });
}

/**
 * `acts.transmit`: builds the envelope, sends it once, stores the transaction id, queues the polling.
 *
 * Three round trips to the database: the act, its member and its files read in one statement (on the
 * worker's owner connection, outside any transaction: nothing is written from this read without
 * checking again); the tiers' answer recorded with its history row and the first `acts.poll` in one
 * statement that checks the act is still transmitting without a transaction (repo.recordSent); and
 * the runner's claim, which also marks the job done. If the process stops after the tiers answered
 * and before the record, the job runs again and the client recognises the act's number at S²LOW
 * (one transaction per act, never two).
 */
export async function runTransmitJob(
  db: Db,
  deps: TransmissionDeps,
  payload: Record<string, unknown>,
  attempt: { attempt: number; maxAttempts: number },
) {
  const { memberId, actId } = payloadIds(payload);
  const act = await repo.transmissionSource(db, memberId, actId);
  if (act?.status !== 'transmitting') return;
  if (act.transactionId) {
    // Sent already (this job ran before and stopped after storing the id): make sure it is followed.
    const transactionId = act.transactionId;
    await system(db, (tx) => enqueuePoll(tx, memberId, actId, transactionId, 0));
    return;
  }
  const main = act.documents.find((d) => d.role === 'main');
  if (!act.siren || !act.departementCode || !main) {
    await fail(
      db,
      memberId,
      actId,
      !main
        ? MAIN_DOCUMENT_MISSING
        : "La structure n'a pas de département connu : complétez sa fiche avant de transmettre.",
      'Socle',
    );
    return;
  }
  const file = async (d: repo.TransmissionSource['documents'][number]): Promise<EnvelopeFile> => ({
    filename: d.fileName,
    mediaType: d.mediaType,
    content: await deps.storage.get(d.storageKey),
  });
  let classificationDate = act.classificationDate;
  try {
    if (!classificationDate) {
      const fetched = await deps.connector.fetchClassification(act.siren);
      await system(db, (tx) => storeClassification(tx, memberId, fetched));
      classificationDate = fetched.date;
    }
    const envelope: ActEnvelope = {
      siren: act.siren,
      departement: act.departementCode,
      nature: act.nature,
      classification: act.classification,
      classificationDate,
      number: act.number,
      decidedOn: act.decidedOn,
      subject: act.subject,
      main: await file(main),
      annexes: await Promise.all(act.documents.filter((d) => d.role === 'annex').map(file)),
    };
    const { transactionId } = await deps.connector.create(envelope);
    const poll = pollJob(memberId, actId, transactionId, 0);
    await repo.recordSent(
      db,
      { memberId, actId },
      { transactionId, at: now(), label: 'Envoyé au tiers de télétransmission', actorLabel: TIERS },
      (sent) => jobInsert(POLL_JOB, poll.payload, poll.options, sent),
    );
  } catch (error) {
    if (error instanceof ConnectorRefused) {
      await fail(db, memberId, actId, error.message, TIERS);
      return;
    }
    if (error instanceof ConnectorUnavailable && attempt.attempt >= attempt.maxAttempts) {
      await fail(db, memberId, actId, UNREACHABLE, 'Socle');
    }
    throw error;
  }
}

/**
 * `acts.poll`: asks the transaction's status until acknowledged, refused or cancelled. Two round
 * trips to the database per poll: its outcome (the acknowledgement with its history row and webhook
 * event, or the next poll) in one statement that checks the act is still transmitting under this
 * transaction, and the runner's claim.
 */
export async function runPollJob(db: Db, deps: TransmissionDeps, payload: Record<string, unknown>) {
  const { memberId, actId } = payloadIds(payload);
  const round = typeof payload.round === 'number' ? payload.round : 0;
  const transactionId =
    typeof payload.transactionId === 'string'
      ? payload.transactionId
      : await repo.transmittingTransaction(db, memberId, actId);
  if (!transactionId) return;
  const act = { memberId, actId, transactionId };
  const status = await deps.connector.status(transactionId);
  if (status.state === 'acknowledged') {
    const { recorded, queued } = await repo.recordAcknowledged(
      db,
      act,
      {
        prefectureId: status.prefectureId ?? null,
        at: status.acknowledgedAt ?? now(),
        updatedAt: now(),
        label: 'Accusé de réception de la préfecture',
        actorLabel: PREFECTURE,
      },
      (rows) => eventsFromCall('act.acknowledged', rows),
    );
    if (queued > 0) noteEnqueued();
    if (recorded) await syncMessages(db, deps, memberId, actId, transactionId);
    return;
  }
  if (status.state === 'error') {
    await fail(
      db,
      memberId,
      actId,
      status.message ?? 'Transmission refusée (sans motif indiqué).',
      TIERS,
      transactionId,
    );
    return;
  }
  if (status.state === 'cancelled') {
    await system(db, async (tx) => {
      const locked = await repo.lockAct(tx, memberId, actId);
      if (locked?.status !== 'transmitting' || locked.transactionId !== transactionId) return;
      await repo.updateAct(tx, memberId, actId, { status: 'cancelled', updatedAt: now() });
      await recordActEvent(tx, locked, 'Transmission annulée', { status: 'cancelled', actorLabel: TIERS });
    });
    return;
  }
  const next = pollJob(memberId, actId, transactionId, round + 1);
  await repo.queueWhileTransmitting(db, act, (source) =>
    jobInsert(POLL_JOB, next.payload, next.options, source),
  );
}

/** Records the prefecture's messages not yet known, with their files. */
export async function syncMessages(
  db: Db,
  deps: TransmissionDeps,
  memberId: string,
  actId: string,
  transactionId: string,
) {
  const messages = await deps.connector.messages(transactionId);
  if (messages.length === 0) return 0;
  return system(db, async (tx) => {
    const act = await repo.lockAct(tx, memberId, actId);
    if (!act) return 0;
    const known = await repo.knownMessageIds(tx, memberId, actId);
    let added = 0;
    for (const message of messages) {
      if (known.has(message.id)) continue;
      const row = await repo.insertMessage(tx, {
        memberId,
        actId,
        externalId: message.id,
        kind: message.kind,
        receivedAt: message.receivedAt,
        answerDueOn: message.kind === 'demande_pieces' ? today(addMonths(message.receivedAt, 1)) : null,
      });
      for (const document of message.documents) {
        const mediaType = document.mediaType === 'application/pdf' ? 'application/pdf' : document.mediaType;
        await storeActFile(
          tx,
          deps.storage,
          act,
          { data: document.content, fileName: document.filename },
          {
            role: 'annex',
            mediaType,
            messageId: row.id,
            uploadedBy: null,
          },
        );
      }
      await recordActEvent(tx, act, `Message de la préfecture : ${ACT_MESSAGE_KIND_LABELS[message.kind]}`, {
        actorLabel: PREFECTURE,
        at: message.receivedAt,
      });
      added++;
    }
    return added;
  });
}

/**
 * `acts.daily`: transmissions whose jobs died are resumed (a send or a poll queued again: the tiers
 * answers the same transaction), messages of acts still under the legality check are fetched, and
 * classifications refreshed.
 */
export async function runDailyJob(db: Db, deps: TransmissionDeps) {
  const since = addMonths(now(), -3);
  const { followed, members, resumed } = await system(db, async (tx) => {
    const stalled = await repo.stalledTransmissions(tx, new Date(now().getTime() - 6 * 3_600_000));
    for (const act of stalled) {
      if (act.transactionId) await enqueuePoll(tx, act.memberId, act.id, act.transactionId, 0);
      else
        await enqueue(
          tx,
          TRANSMIT_JOB,
          { memberId: act.memberId, actId: act.id },
          { singletonKey: `${TRANSMIT_JOB}:${act.id}` },
        );
    }
    return {
      followed: await repo.actsUnderCheck(tx, since),
      members: await repo.membersWithClassification(tx),
      resumed: stalled.length,
    };
  });
  // The tiers refusing one act or member (a transaction it no longer knows) does not stop the others;
  // the tiers being unreachable fails the run, which the queue retries.
  const refused = (error: unknown) => {
    if (error instanceof ConnectorRefused) return 0;
    throw error;
  };
  let messages = 0;
  let skipped = 0;
  for (const act of followed) {
    const added = await syncMessages(db, deps, act.memberId, act.id, act.transactionId).catch((error) => {
      skipped++;
      return refused(error);
    });
    messages += added;
  }
  let classifications = 0;
  for (const member of members) {
    try {
      const file = await deps.connector.fetchClassification(member.siren);
      await system(db, (tx) => storeClassification(tx, member.memberId, file));
      classifications++;
    } catch (error) {
      skipped += 1 - refused(error);
    }
  }
  return { resumed, messages, classifications, skipped };
}
