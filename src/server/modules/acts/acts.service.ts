import crypto from 'node:crypto';
import {
  ACT_DOCUMENT_MAX_BYTES,
  ACT_MESSAGE_KIND_LABELS,
  ACT_STATUS_LABELS,
  type ActDetail,
  type ActDocumentRole,
  type ActInput,
  type ActListQuery,
  type ActPatch,
  type ActStatus,
  type Classification,
} from '../../../contracts/acts.js';
import { searchKey } from '../../../contracts/search.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now, today } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, DomainError, type FieldError, notFound, unprocessable } from '../../platform/errors.js';
import { decodeTextCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import { cleanFileName, sha256Hex, type UploadedFile } from '../../platform/storage/files.js';
import { type ObjectStorage, storeThenRecord } from '../../platform/storage/storage.js';
import { registerStoredFileOwner } from '../../platform/storage/sweep.js';
import { looksLikePdf } from '../members/members.documents.service.js';
import { MEMBER_NOT_FOUND } from '../members/members.service.js';
import { PUBLIC_MEMBERS_PREFIX, presentAct, presentDocument } from './acts.present.js';
import * as repo from './acts.repository.js';
import { isCalendarDate } from './publication/dates.js';

/**
 * The act register: drafts, files, readiness, publication, reads and the public portal. Transmission
 * to the prefecture is in acts.transmission.service.ts (connector calls and durable jobs).
 */

export const ACT_NOT_FOUND = "Cet acte n'existe pas pour cette structure.";

/** Where the acts' files are kept: `acts/<memberId>/<actId>/…` (documents, messages, published copies). */
export const ACTS_STORAGE_PREFIX = 'acts/';

/** The start-up storage sweep keeps the files the register points to, and removes the others. */
export function registerActsStoredFiles(): void {
  registerStoredFileOwner({
    name: 'acts',
    prefix: ACTS_STORAGE_PREFIX,
    referencedKeys: (tx) => repo.listAllStorageKeys(tx),
  });
}
/** Statuses in which the act's content may still change (never once published). */
const EDITABLE: ActStatus[] = ['draft', 'ready', 'error'];

export async function requireAct(db: Executor, memberId: string, actId: string) {
  const row = await repo.findAct(db, memberId, actId);
  if (!row) throw notFound(ACT_NOT_FOUND);
  return row;
}

const field = (name: string, message: string): FieldError => ({ path: `body.${name}`, message });

function checkDecisionDate(decidedOn: string) {
  if (decidedOn > today()) {
    throw unprocessable(
      `La date de décision (${decidedOn}) est dans le futur : un acte se transmet une fois décidé.`,
      [field('decidedOn', 'date de décision dans le futur')],
    );
  }
}

async function checkNumberFree(db: Executor, memberId: string, number: string, exceptId?: string) {
  if (await repo.numberTaken(db, memberId, number, exceptId)) {
    throw conflict(`Le numéro ${number} est déjà utilisé par un autre acte de cette structure.`, [
      field('number', 'numéro déjà utilisé'),
    ]);
  }
}

/**
 * The code checked against the member's stored classification: unknown codes are refused; without a
 * stored classification (never fetched) any well-formed code is kept and checked at transmission.
 */
async function classify(db: Executor, memberId: string, code: string) {
  const date = await repo.classificationDateOf(db, memberId);
  if (!date) return { classification: code, classificationLabel: null, classificationDate: null };
  const entry = await repo.findClassification(db, memberId, code);
  if (!entry) {
    throw unprocessable(
      `La classification ${code} n'existe pas dans la classification de la préfecture du ${date} : choisissez un code de la liste.`,
      [field('classification', 'classification inconnue')],
    );
  }
  return { classification: code, classificationLabel: entry.label, classificationDate: date };
}

/**
 * The act's code still valid against the stored classification (refreshed since the act was
 * classified?): refused as outdated when the code disappeared, moved to the new date otherwise.
 */
export async function checkClassificationCurrent(db: Executor, act: repo.ActRow) {
  const date = await repo.classificationDateOf(db, act.memberId);
  if (!date || act.classificationDate === date) return null;
  const entry = await repo.findClassification(db, act.memberId, act.classification);
  if (!entry) {
    throw unprocessable(outdatedClassification(act, date), [
      field('classification', 'classification périmée'),
    ]);
  }
  return { classificationLabel: entry.label, classificationDate: date };
}

/** Why an act's code no longer holds against the classification file of `date`. */
export function outdatedClassification(
  act: { classification: string; classificationDate: string | null },
  date: string,
): string {
  const was = act.classificationDate ? ` du ${act.classificationDate}` : '';
  return `La classification ${act.classification}${was} est périmée : elle n'existe plus dans la classification de la préfecture du ${date}. Choisissez un nouveau code.`;
}

async function checkCorrected(db: Executor, memberId: string, correctsActId: string | null | undefined) {
  if (!correctsActId) return;
  const original = await repo.findAct(db, memberId, correctsActId);
  if (!original) {
    throw unprocessable("L'acte rectifié n'existe pas pour cette structure.", [
      field('correctsActId', 'acte inconnu'),
    ]);
  }
}

async function event(
  db: Executor,
  act: { id: string; memberId: string },
  label: string,
  options: { status?: ActStatus | null; actorUserId?: string | null; actorLabel?: string | null; at?: Date },
) {
  await repo.insertEvent(db, {
    memberId: act.memberId,
    actId: act.id,
    status: options.status ?? null,
    label,
    at: options.at ?? now(),
    actorUserId: options.actorUserId ?? null,
    actorLabel: options.actorLabel ?? null,
  });
}

export { event as recordActEvent };

/**
 * The organisation whose register is named: a member, or the operator (its comité syndical's and
 * bureau's deliberations, its president's decisions), or 404.
 */
export async function requireHolder(db: Executor, memberId: string) {
  const holder = await repo.memberIdentity(db, memberId);
  if (!holder) throw notFound(MEMBER_NOT_FOUND);
  return holder;
}

const keyOf = (subject: string, number: string) => searchKey(`${subject} ${number}`);

export async function createAct(db: Executor, memberId: string, input: ActInput, source: AuditSource) {
  await requireHolder(db, memberId);
  return insertNewAct(db, memberId, input, source);
}

/**
 * A deliberation adopted by an assembly (issue 12: the governance module), in the register of the
 * organisation holding it — a member, or the operator for its comité syndical and bureau. The caller
 * has checked who may vote it; the act starts as a draft like any other.
 */
export async function createDeliberation(
  db: Executor,
  organisationId: string,
  input: ActInput,
  source: AuditSource,
) {
  return insertNewAct(db, organisationId, { ...input, nature: 'DE' }, source);
}

async function insertNewAct(db: Executor, memberId: string, input: ActInput, source: AuditSource) {
  checkDecisionDate(input.decidedOn);
  await checkNumberFree(db, memberId, input.number);
  await checkCorrected(db, memberId, input.correctsActId);
  const classified = await classify(db, memberId, input.classification);
  const at = now();
  const row = await repo.insertAct(db, {
    memberId,
    nature: input.nature,
    ...classified,
    number: input.number,
    decidedOn: input.decidedOn,
    subject: input.subject,
    searchKey: keyOf(input.subject, input.number),
    signatoryName: input.signatoryName ?? null,
    signedOn: input.signedOn ?? null,
    sessionOn: input.sessionOn ?? null,
    transmissionRequired: input.transmissionRequired ?? true,
    notifiedOn: input.notifiedOn ?? null,
    correctsActId: input.correctsActId ?? null,
    votesMembers: input.votesMembers ?? null,
    votesPresent: input.votesPresent ?? null,
    votesFor: input.votesFor ?? null,
    votesAgainst: input.votesAgainst ?? null,
    votesAbstention: input.votesAbstention ?? null,
    status: 'draft',
    createdBy: source.actorUserId,
    updatedBy: source.actorUserId,
    createdAt: at,
    updatedAt: at,
  });
  await event(db, row, 'Acte créé (brouillon)', { status: 'draft', actorUserId: source.actorUserId, at });
  await recordAudit(db, {
    action: 'act.created',
    ...source,
    memberId,
    targetType: 'act',
    targetId: row.id,
    details: { nature: row.nature, number: row.number },
  });
  return { id: row.id, status: row.status };
}

export async function updateAct(
  db: Executor,
  memberId: string,
  actId: string,
  patch: ActPatch,
  source: AuditSource,
) {
  const act = await repo.lockAct(db, memberId, actId);
  if (!act) throw notFound(ACT_NOT_FOUND);
  const changes = Object.keys(patch).filter((k) => patch[k as keyof ActPatch] !== undefined);
  // The notification date of an individual act is learnt after the fact: it may be given at any time.
  const contentChange = changes.some((k) => k !== 'notifiedOn');
  if (contentChange && act.publishedAt) {
    throw unprocessable(
      'Un acte publié ne se modifie plus : créez un acte rectificatif qui sera publié à côté de lui.',
    );
  }
  if (contentChange && !EDITABLE.includes(act.status)) {
    throw unprocessable(
      `L'acte est « ${ACT_STATUS_LABELS[act.status].toLowerCase()} » : seuls les brouillons, les actes prêts ou en erreur se modifient.`,
    );
  }
  if (patch.decidedOn) checkDecisionDate(patch.decidedOn);
  if (patch.number && patch.number !== act.number) await checkNumberFree(db, memberId, patch.number, act.id);
  if (patch.correctsActId) {
    if (patch.correctsActId === act.id) {
      throw unprocessable('Un acte ne peut pas se rectifier lui-même.', [
        field('correctsActId', 'acte rectifié identique'),
      ]);
    }
    await checkCorrected(db, memberId, patch.correctsActId);
  }
  const classified =
    patch.classification && patch.classification !== act.classification
      ? await classify(db, memberId, patch.classification)
      : {};
  const subject = patch.subject ?? act.subject;
  const number = patch.number ?? act.number;
  await repo.updateAct(db, memberId, actId, {
    ...patch,
    ...classified,
    searchKey: keyOf(subject, number),
    updatedBy: source.actorUserId,
    updatedAt: now(),
  });
  if (contentChange) await event(db, act, 'Acte modifié', { actorUserId: source.actorUserId });
  else await event(db, act, 'Date de notification enregistrée', { actorUserId: source.actorUserId });
  await recordAudit(db, {
    action: 'act.updated',
    ...source,
    memberId,
    targetType: 'act',
    targetId: act.id,
    details: { fields: changes },
  });
  return getAct(db, memberId, actId);
}

export async function getAct(db: Executor, memberId: string, actId: string): Promise<ActDetail> {
  const row = await requireAct(db, memberId, actId);
  const [documents, messages, events] = await Promise.all([
    repo.listDocuments(db, memberId, actId),
    repo.listMessages(db, memberId, actId),
    repo.listEvents(db, memberId, actId),
  ]);
  return {
    ...presentAct(row),
    documents: documents.filter((d) => d.messageId === null).map(presentDocument),
    messages: messages.map((m) => ({
      id: m.id,
      kind: m.kind,
      receivedAt: m.receivedAt.toISOString(),
      answerDueOn: m.answerDueOn,
      answeredAt: m.answeredAt ? m.answeredAt.toISOString() : null,
      documents: documents.filter((d) => d.messageId === m.id).map(presentDocument),
    })),
    history: events.map((e) => ({
      status: e.status,
      label: e.label,
      at: e.at.toISOString(),
      by: e.userName ?? e.actorLabel,
    })),
  };
}

const cursorOf = (row: { decidedOn: string; id: string }) => encodeCursor(row.decidedOn, row.id);

export async function listActs(db: Executor, memberId: string, query: ActListQuery) {
  await requireHolder(db, memberId);
  const cursor = decodeTextCursor(query.cursor, isCalendarDate);
  const { rows, ...counted } = await repo.listActs(db, { ...query, memberId }, cursor, query.limit);
  const page = pageOf(rows, query.limit, cursorOf);
  return { items: page.items.map(presentAct), ...counted, nextCursor: page.nextCursor };
}

/**
 * The public portal: published acts only, whoever asks (RLS lets anonymous visitors read only those).
 * The answer is JSON text of publicActListSchema built by one statement (publicActsPage), sent as it
 * is: neither rows turned into objects nor the list checked and serialised again (acts.test.ts checks
 * it against the schema and the presenter). 404 when no organisation holds this register.
 */
export async function publicActsText(
  db: Executor,
  memberId: string,
  query: Omit<ActListQuery, 'status' | 'published'>,
): Promise<string> {
  const cursor = decodeTextCursor(query.cursor, isCalendarDate);
  const { nature, classification, q, from, to } = query;
  const filter = { nature, classification, q, from, to };
  const page = await repo.publicActsPage(db, memberId, filter, cursor, query.limit, PUBLIC_MEMBERS_PREFIX);
  if (!page) throw notFound(MEMBER_NOT_FOUND);
  const next = page.last ? JSON.stringify(encodeCursor(page.last.decidedOn, page.last.id)) : 'null';
  return `{"items":[${page.items.join(',')}],"total":${page.total.total},"nextCursor":${next},"totalIsExact":${page.total.totalIsExact}}`;
}

export async function readPublishedDocument(
  db: Executor,
  storage: ObjectStorage,
  memberId: string,
  actId: string,
) {
  const row = await repo.findAct(db, memberId, actId);
  if (!row?.publishedAt || !row.publishedStorageKey) throw notFound("Cet acte n'est pas publié.");
  return { fileName: `${row.number}.pdf`, data: await storage.get(row.publishedStorageKey) };
}

// Documents ----------------------------------------------------------------------------------------

/** The media type read from the file's first bytes (its name and declared type are not trusted). */
export function sniffMediaType(data: Buffer): string | null {
  if (looksLikePdf(data)) return 'application/pdf';
  if (
    data.length >= 8 &&
    data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  const head = data
    .subarray(0, 256)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('<?xml') || /^<[A-Za-z]/.test(head)) return 'application/xml';
  return null;
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'application/xml': 'xml',
};

function unsupported(detail: string, message: string) {
  return new DomainError('unsupported_type', 'Type de fichier non accepté', detail, [
    { path: 'body.file', message },
  ]);
}

/** Checks a file for an act (main document or annex) and answers its media type. */
export function checkActFile(nature: string, role: ActDocumentRole, file: UploadedFile): string {
  if (file.data.length > ACT_DOCUMENT_MAX_BYTES) {
    const mb = ACT_DOCUMENT_MAX_BYTES / 1024 / 1024;
    throw new DomainError(
      'too_large',
      'Fichier trop volumineux',
      `Le fichier dépasse ${mb} Mo, la taille maximale d'une pièce d'acte.`,
      [{ path: 'body.file', message: `${mb} Mo au plus` }],
    );
  }
  const type = sniffMediaType(file.data);
  if (role === 'main') {
    if (type !== 'application/pdf') {
      throw unsupported(
        "Le document principal d'un acte doit être un PDF (en-tête %PDF- et fin %%EOF attendus) : exportez l'acte signé au format PDF.",
        'PDF attendu',
      );
    }
    return type;
  }
  if (type === 'application/xml' && nature === 'BF') return type;
  if (type === 'application/pdf' || type === 'image/png' || type === 'image/jpeg') return type;
  throw unsupported(
    nature === 'BF'
      ? 'Une annexe doit être un fichier PDF, PNG, JPEG ou XML (documents budgétaires).'
      : 'Une annexe doit être un fichier PDF, PNG ou JPEG (le XML est réservé aux documents budgétaires).',
    nature === 'BF' ? 'PDF, PNG, JPEG ou XML attendu' : 'PDF, PNG ou JPEG attendu',
  );
}

/** Stores a file under the act and records its row; the stored file is removed if the row is not. */
export async function storeActFile(
  db: Executor,
  storage: ObjectStorage,
  act: { id: string; memberId: string },
  file: UploadedFile,
  meta: { role: ActDocumentRole; mediaType: string; messageId?: string | null; uploadedBy: string | null },
) {
  const id = crypto.randomUUID();
  const storageKey = `acts/${act.memberId}/${act.id}/${id}.${EXTENSIONS[meta.mediaType] ?? 'bin'}`;
  return storeThenRecord(storage, { key: storageKey, data: file.data }, () =>
    repo.insertDocument(db, {
      id,
      memberId: act.memberId,
      actId: act.id,
      messageId: meta.messageId ?? null,
      role: meta.role,
      fileName: cleanFileName(file.fileName, `document.${EXTENSIONS[meta.mediaType] ?? 'bin'}`),
      mediaType: meta.mediaType,
      sizeBytes: file.data.length,
      sha256: sha256Hex(file.data),
      storageKey,
      uploadedBy: meta.uploadedBy,
    }),
  );
}

export async function uploadDocument(
  db: Executor,
  storage: ObjectStorage,
  memberId: string,
  actId: string,
  role: ActDocumentRole,
  file: UploadedFile,
  source: AuditSource,
) {
  const act = await repo.lockAct(db, memberId, actId);
  if (!act) throw notFound(ACT_NOT_FOUND);
  if (act.publishedAt || !EDITABLE.includes(act.status)) {
    throw unprocessable(
      'Les pièces ne se déposent que sur un brouillon, un acte prêt ou en erreur, jamais sur un acte publié.',
    );
  }
  const mediaType = checkActFile(act.nature, role, file);
  if (role === 'main') {
    const existing = await repo.listDocuments(db, memberId, actId);
    if (existing.some((d) => d.role === 'main' && d.messageId === null)) {
      throw conflict('Cet acte a déjà son document principal : déposez les autres fichiers comme annexes.', [
        { path: 'body.role', message: 'document principal déjà déposé' },
      ]);
    }
  }
  const row = await storeActFile(db, storage, act, file, { role, mediaType, uploadedBy: source.actorUserId });
  await event(db, act, role === 'main' ? 'Document principal déposé' : 'Annexe déposée', {
    actorUserId: source.actorUserId,
  });
  await recordAudit(db, {
    action: 'act.document_uploaded',
    ...source,
    memberId,
    targetType: 'act',
    targetId: act.id,
    details: { documentId: row.id, role, sizeBytes: row.sizeBytes },
  });
  return presentDocument(row);
}

export async function readDocument(
  db: Executor,
  storage: ObjectStorage,
  memberId: string,
  actId: string,
  documentId: string,
) {
  await requireAct(db, memberId, actId);
  const row = await repo.findDocument(db, memberId, actId, documentId);
  if (!row) throw notFound("Ce document n'existe pas pour cet acte.");
  return { document: presentDocument(row), data: await storage.get(row.storageKey) };
}

export async function mainDocumentOf(db: Executor, memberId: string, actId: string) {
  const documents = await repo.listDocuments(db, memberId, actId);
  return {
    main: documents.find((d) => d.role === 'main' && d.messageId === null) ?? null,
    annexes: documents.filter((d) => d.role === 'annex' && d.messageId === null),
  };
}

export const MAIN_DOCUMENT_MISSING = "Déposez d'abord le document principal de l'acte (le PDF signé).";

// Ready and publication ----------------------------------------------------------------------------

export async function markReady(db: Executor, memberId: string, actId: string, source: AuditSource) {
  const act = await repo.lockAct(db, memberId, actId);
  if (!act) throw notFound(ACT_NOT_FOUND);
  if (act.status !== 'draft' && act.status !== 'error') {
    throw unprocessable(
      `L'acte est « ${ACT_STATUS_LABELS[act.status].toLowerCase()} » : seuls les brouillons et les actes en erreur se marquent prêts.`,
    );
  }
  checkDecisionDate(act.decidedOn);
  const { main } = await mainDocumentOf(db, memberId, actId);
  if (!main)
    throw unprocessable(MAIN_DOCUMENT_MISSING, [
      { path: 'documents', message: 'document principal manquant' },
    ]);
  const current = await checkClassificationCurrent(db, act);
  await repo.updateAct(db, memberId, actId, {
    ...(current ?? {}),
    status: 'ready',
    errorMessage: null,
    updatedBy: source.actorUserId,
    updatedAt: now(),
  });
  await event(db, act, 'Acte prêt à transmettre', { status: 'ready', actorUserId: source.actorUserId });
  await recordAudit(db, { action: 'act.ready', ...source, memberId, targetType: 'act', targetId: act.id });
  return getAct(db, memberId, actId);
}

export { ACT_MESSAGE_KIND_LABELS };

// Classification -----------------------------------------------------------------------------------

export async function getClassification(db: Executor, memberId: string): Promise<Classification> {
  await requireHolder(db, memberId);
  const rows = await repo.listClassification(db, memberId);
  return {
    classificationDate: rows[0]?.classificationDate ?? null,
    fetchedAt: rows[0]?.fetchedAt.toISOString() ?? null,
    entries: rows
      .map((r) => ({ code: r.code, label: r.label, level: r.level }))
      .sort((a, b) => compareCodes(a.code, b.code)),
  };
}

/** `7.10` after `7.9`: codes compared level by level as numbers. */
export function compareCodes(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

export async function storeClassification(
  db: Executor,
  memberId: string,
  file: { date: string; entries: { code: string; label: string; level: number }[] },
) {
  const fetchedAt = now();
  const unique = new Map(file.entries.map((e) => [e.code, e]));
  await repo.replaceClassification(
    db,
    memberId,
    [...unique.values()].map((e) => ({
      memberId,
      code: e.code,
      label: e.label,
      level: e.level,
      classificationDate: file.date,
      fetchedAt,
    })),
  );
}
