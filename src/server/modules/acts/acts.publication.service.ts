import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import { emitEvent } from '../../platform/events/events.js';
import { type ObjectStorage, storeThenRecord } from '../../platform/storage/storage.js';
import { publicDocumentUrl } from './acts.present.js';
import * as repo from './acts.repository.js';
import {
  ACT_NOT_FOUND,
  getAct,
  MAIN_DOCUMENT_MISSING,
  mainDocumentOf,
  recordActEvent,
  requireHolder,
} from './acts.service.js';
import { deliberationsListPdf } from './publication/deliberations-list.js';
import { type ScdlActSource, scdlRecord, toScdlDeliberationsCsv } from './publication/scdl.js';
import { stampPublicationMention } from './publication/stamp.js';

/**
 * Legal e-publication: the signed PDF stamped with its publication mention, stored beside the
 * original, its SHA-256 and the publication instant recorded by the server, never withdrawn
 * (migration 0030 refuses it at the database too). Open data (SCDL) and the deliberations list.
 */

export async function publish(
  db: Executor,
  storage: ObjectStorage,
  memberId: string,
  actId: string,
  source: AuditSource,
) {
  const act = await repo.lockAct(db, memberId, actId);
  if (!act) throw notFound(ACT_NOT_FOUND);
  if (act.publishedAt) {
    throw unprocessable(
      'Cet acte est déjà publié : une publication est définitive. Pour le corriger, publiez un acte rectificatif.',
    );
  }
  if (act.status === 'draft') {
    throw unprocessable("Un brouillon ne se publie pas : marquez d'abord l'acte prêt (pièces complètes).");
  }
  if (act.status === 'cancelled') throw unprocessable('Un acte annulé ne se publie pas.');
  const { main } = await mainDocumentOf(db, memberId, actId);
  if (!main)
    throw unprocessable(MAIN_DOCUMENT_MISSING, [
      { path: 'documents', message: 'document principal manquant' },
    ]);
  const member = await requireHolder(db, memberId);
  const publishedAt = now();
  const stamped = await stampPublicationMention(await storage.get(main.storageKey), {
    publishedAt,
    prefectureId: act.prefectureId,
    acknowledgedAt: act.acknowledgedAt,
    memberName: member.name,
    actNumber: act.number,
  });
  const storageKey = `acts/${memberId}/${actId}/publie-${act.number}.pdf`;
  await storeThenRecord(storage, { key: storageKey, data: stamped.pdf }, () =>
    repo.updateAct(db, memberId, actId, {
      publishedAt,
      publishedSha256: stamped.sha256,
      publishedStorageKey: storageKey,
      updatedBy: source.actorUserId,
      updatedAt: publishedAt,
    }),
  );
  await recordActEvent(db, act, 'Publié', { actorUserId: source.actorUserId, at: publishedAt });
  await recordAudit(db, {
    action: 'act.published',
    ...source,
    memberId,
    targetType: 'act',
    targetId: act.id,
    details: { sha256: stamped.sha256 },
  });
  await emitEvent(db, {
    type: 'act.published',
    memberId,
    data: {
      actId,
      number: act.number,
      nature: act.nature,
      publishedAt: publishedAt.toISOString(),
      sha256: stamped.sha256,
    },
  });
  return getAct(db, memberId, actId);
}

/** At most this many rows in one open-data file. */
export const SCDL_MAX_ROWS = 200_000;

/**
 * Published deliberations of one member (or every member) as an SCDL « Délibérations » CSV; the
 * deliberations the schema cannot describe are left out (scdl.ts says why).
 */
export async function scdlCsv(db: Executor, publicUrl: string, memberId: string | null) {
  return toScdlDeliberationsCsv(await scdlSources(db, publicUrl, memberId));
}

/**
 * The same deliberations as scdlCsv, as SCDL records (objects keyed by the schema's field names): the
 * open-data JSON distribution (issue 16). Deliberations the schema cannot describe are left out.
 */
export async function scdlRecords(db: Executor, publicUrl: string) {
  const records = [];
  for (const source of await scdlSources(db, publicUrl, null)) {
    if (source.nature !== 'DE') continue;
    const result = scdlRecord(source);
    if ('record' in result) records.push(result.record);
  }
  return records;
}

async function scdlSources(
  db: Executor,
  publicUrl: string,
  memberId: string | null,
): Promise<ScdlActSource[]> {
  if (memberId) await requireHolder(db, memberId);
  const rows = await repo.publishedForExport(db, memberId, SCDL_MAX_ROWS);
  return rows.map(({ act, memberName, siret, subMatiereLabel }) => ({
    nature: act.nature,
    memberName,
    memberSiret: siret,
    number: act.number,
    decidedOn: act.decidedOn,
    classification: act.classification,
    subMatiereLabel,
    subject: act.subject,
    prefectureId: act.prefectureId,
    acknowledgedAt: act.acknowledgedAt,
    votesMembers: act.votesMembers,
    votesFor: act.votesFor,
    votesAgainst: act.votesAgainst,
    votesAbstention: act.votesAbstention,
    documentUrl: `${publicUrl}${publicDocumentUrl(act.memberId, act.id)}`,
  }));
}

/** The list of a council session's deliberations, as a PDF. */
export async function deliberationsList(db: Executor, memberId: string, sessionOn: string) {
  const member = await requireHolder(db, memberId);
  const rows = await repo.sessionDeliberations(db, memberId, sessionOn);
  if (rows.length === 0) throw notFound(`Aucune délibération n'est rattachée à la séance du ${sessionOn}.`);
  return deliberationsListPdf({
    memberName: member.name,
    sessionOn,
    assembly: member.kind === 'commune' ? 'Conseil municipal' : 'Assemblée délibérante',
    onlineAt: now(),
    acts: rows.map((row) => ({
      number: row.number,
      subject: row.subject,
      classificationLabel: row.classificationLabel,
      votesMembers: row.votesMembers,
      votesPresent: row.votesPresent,
      votesFor: row.votesFor,
      votesAgainst: row.votesAgainst,
      votesAbstention: row.votesAbstention,
    })),
  });
}

/** When the deliberations' open data last changed: the latest publication's date (or null). */
export const lastPublishedOn = (db: Executor) => repo.lastPublishedOn(db);
