import crypto from 'node:crypto';
import type { ItemDocument } from '../../../contracts/governance.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/context.js';
import type { Executor } from '../../platform/db/client.js';
import { DomainError, notFound, unprocessable } from '../../platform/errors.js';
import { cleanFileName, contentMatches, extensionOf, sha256Hex } from '../../platform/storage/files.js';
import { type ObjectStorage, storeThenRecord } from '../../platform/storage/storage.js';
import { registerStoredFileOwner } from '../../platform/storage/sweep.js';
import { linked } from './governance.convocations.service.js';
import * as repo from './governance.documents.repository.js';
import { registerMinutesStoredFiles } from './governance.minutes.service.js';
import { presentItemDocument, sessionFor } from './governance.sessions.service.js';

/**
 * Documents attached to agenda items (reports, annexes): the file in object storage, its metadata in
 * `governance_item_documents`. Added by those who manage the assembly until the session closes; read
 * by the session's readers (its officials signed in) and through a convocation's personal link.
 */

/** Where the files are kept: `governance/<organisationId>/<documentId>`. */
export const ITEM_DOCUMENTS_PREFIX = 'governance/';
/** An agenda's documents at most per item. */
export const MAX_DOCUMENTS_PER_ITEM = 20;

/** The module's stored files: agenda items' documents and adopted procès-verbaux. */
export function registerGovernanceStoredFiles(): void {
  registerMinutesStoredFiles();
  registerStoredFileOwner({
    name: 'governance.item-documents',
    prefix: ITEM_DOCUMENTS_PREFIX,
    referencedKeys: (tx) => repo.listAllStorageKeys(tx),
  });
}

/** The file types accepted, recognised by their name and their first bytes (platform/storage/files.ts). */
const TYPES: {
  mediaType: string;
  label: string;
  extensions: string[];
}[] = [
  {
    mediaType: 'application/pdf',
    label: 'PDF',
    extensions: ['pdf'],
  },
  {
    mediaType: 'application/vnd.oasis.opendocument.text',
    label: 'ODT',
    extensions: ['odt'],
  },
  {
    mediaType: 'application/vnd.oasis.opendocument.spreadsheet',
    label: 'ODS',
    extensions: ['ods'],
  },
  {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'DOCX',
    extensions: ['docx'],
  },
  {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'XLSX',
    extensions: ['xlsx'],
  },
  {
    mediaType: 'image/png',
    label: 'PNG',
    extensions: ['png'],
  },
  {
    mediaType: 'image/jpeg',
    label: 'JPEG',
    extensions: ['jpg', 'jpeg'],
  },
];
export const ACCEPTED_TYPES_TEXT = TYPES.map((t) => t.label).join(', ');

/** The file's media type from its content and name, or a French refusal naming what is accepted. */
export function recogniseFile(data: Buffer, fileName: string): string {
  const extension = extensionOf(fileName);
  const type = TYPES.find((t) => t.extensions.includes(extension) && contentMatches(extension, data));
  if (!type) {
    throw new DomainError(
      'unsupported_type',
      'Type de fichier non accepté',
      `« ${fileName} » n'est pas un fichier accepté, ou son contenu ne correspond pas à son extension. Types acceptés : ${ACCEPTED_TYPES_TEXT}.`,
      [{ path: 'body.file', message: `types acceptés : ${ACCEPTED_TYPES_TEXT}` }],
    );
  }
  return type.mediaType;
}

const presentDocument = presentItemDocument;

export async function addItemDocument(
  db: Executor,
  storage: ObjectStorage,
  actor: Actor,
  sessionId: string,
  itemId: string,
  file: { data: Buffer; fileName: string },
  source: AuditSource,
): Promise<ItemDocument> {
  const { session } = await sessionFor(db, actor, sessionId, 'manage', true);
  const item = await repo.findItem(db, session.memberId, sessionId, itemId);
  if (!item) throw notFound("Ce point n'existe pas dans cette séance.");
  if (session.status === 'closed')
    throw unprocessable('La séance est close : ses points ne reçoivent plus de documents.');
  if ((await repo.countItemDocuments(db, session.memberId, itemId)) >= MAX_DOCUMENTS_PER_ITEM) {
    throw unprocessable(`Un point compte au plus ${MAX_DOCUMENTS_PER_ITEM} documents.`, [
      { path: 'body.file', message: `${MAX_DOCUMENTS_PER_ITEM} documents au plus par point` },
    ]);
  }
  const fileName = cleanFileName(file.fileName, 'document');
  const mediaType = recogniseFile(file.data, fileName);
  const id = crypto.randomUUID();
  const storageKey = `${ITEM_DOCUMENTS_PREFIX}${session.memberId}/${id}`;
  return storeThenRecord(storage, { key: storageKey, data: file.data }, async () => {
    const row = await repo.insertItemDocument(db, {
      id,
      memberId: session.memberId,
      sessionId,
      itemId,
      fileName,
      mediaType,
      sizeBytes: file.data.length,
      sha256: sha256Hex(file.data),
      storageKey,
      uploadedBy: source.actorUserId,
    });
    await recordAudit(db, {
      action: 'governance.item_document_added',
      ...source,
      memberId: session.memberId,
      targetType: 'governance_item',
      targetId: itemId,
      details: { documentId: id, sizeBytes: row.sizeBytes, mediaType },
    });
    return presentDocument(row);
  });
}

const DOCUMENT_NOT_FOUND = "Ce document n'existe pas ou ne vous est pas accessible.";

/** A document of the session, for whoever may read the session (its officials, its managers). */
export async function readItemDocument(
  db: Executor,
  storage: ObjectStorage,
  actor: Actor,
  sessionId: string,
  documentId: string,
) {
  const { session } = await sessionFor(db, actor, sessionId, 'read');
  const row = await repo.findItemDocument(db, session.memberId, sessionId, documentId);
  if (!row) throw notFound(DOCUMENT_NOT_FOUND);
  return { document: presentDocument(row), data: await storage.get(row.storageKey) };
}

/** A document of the session a convocation's personal link convenes to (the token is the credential). */
export async function readLinkedDocument(
  db: Executor,
  storage: ObjectStorage,
  token: string,
  documentId: string,
) {
  const { session } = await linked(db, token);
  const row = await repo.findItemDocument(db, session.memberId, session.id, documentId);
  if (!row) throw notFound(DOCUMENT_NOT_FOUND);
  return { document: presentDocument(row), data: await storage.get(row.storageKey) };
}
