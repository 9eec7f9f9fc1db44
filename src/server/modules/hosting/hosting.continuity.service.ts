import crypto from 'node:crypto';
import {
  CONTINUITY_DOCUMENT_TYPES,
  type ContinuityDocument,
  MAX_CONTINUITY_DOCUMENTS,
} from '../../../contracts/hosting.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/client.js';
import { DomainError, notFound, unprocessable } from '../../platform/errors.js';
import { cleanFileName, contentMatches, extensionOf, sha256Hex } from '../../platform/storage/files.js';
import { type ObjectStorage, storeThenRecord } from '../../platform/storage/storage.js';
import { registerStoredFileOwner } from '../../platform/storage/sweep.js';
import * as repo from './hosting.repository.js';

/**
 * The procedures of a service's continuity plan as documents (issue 15 §4): the team attaches and
 * removes them; whoever reads the plan (the team, the members subscribing to the service) downloads
 * them. The file goes to object storage before its row; a rolled-back upload leaves an orphan file
 * that the start-up sweep removes, and a deletion removes the row only, the sweep the file (an hour
 * later): no row ever points to a missing file.
 */

/** Where the files are kept: `hosting/continuity/<serviceId>/<documentId>`. */
export const CONTINUITY_DOCUMENTS_PREFIX = 'hosting/continuity/';

export function registerHostingStoredFiles(): void {
  registerStoredFileOwner({
    name: 'hosting.continuity-documents',
    prefix: CONTINUITY_DOCUMENTS_PREFIX,
    referencedKeys: (tx) => repo.continuityStorageKeys(tx),
  });
}

const MEDIA_TYPES: Record<(typeof CONTINUITY_DOCUMENT_TYPES)[number], string> = {
  PDF: 'application/pdf',
  ODT: 'application/vnd.oasis.opendocument.text',
  DOCX: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};
const ACCEPTED_TEXT = CONTINUITY_DOCUMENT_TYPES.join(', ');

/** The media type of an accepted document, recognised by its extension and its first bytes. */
export function recogniseContinuityDocument(data: Buffer, fileName: string): string {
  const extension = extensionOf(fileName);
  const label = CONTINUITY_DOCUMENT_TYPES.find((t) => t.toLowerCase() === extension);
  if (!label || !contentMatches(extension, data)) {
    throw new DomainError(
      'unsupported_type',
      'Type de fichier non accepté',
      `« ${fileName} » n'est pas un document accepté, ou son contenu ne correspond pas à son extension. ` +
        `Types acceptés : ${ACCEPTED_TEXT}.`,
      [{ path: 'body.file', message: `« ${fileName} » : types acceptés : ${ACCEPTED_TEXT}` }],
    );
  }
  return MEDIA_TYPES[label];
}

export function presentContinuityDocument(row: repo.ContinuityDocumentRow): ContinuityDocument {
  return {
    id: row.id,
    serviceId: row.serviceId,
    fileName: row.fileName,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    uploadedAt: row.uploadedAt.toISOString(),
  };
}

export async function addContinuityDocument(
  db: Executor,
  storage: ObjectStorage,
  serviceId: string,
  file: { data: Buffer; fileName: string },
  source: AuditSource,
): Promise<ContinuityDocument> {
  const fileName = cleanFileName(file.fileName, 'document');
  if (!(await repo.continuityPlanExists(db, serviceId))) {
    throw notFound(
      `Ce service n'a pas de plan de continuité : écrivez-le avant d'y joindre « ${fileName} ».`,
    );
  }
  if ((await repo.countContinuityDocuments(db, serviceId)) >= MAX_CONTINUITY_DOCUMENTS) {
    throw unprocessable(
      `« ${fileName} » n'est pas joint : un plan de continuité compte au plus ${MAX_CONTINUITY_DOCUMENTS} documents.`,
      [{ path: 'body.file', message: `${MAX_CONTINUITY_DOCUMENTS} documents au plus par plan` }],
    );
  }
  const mediaType = recogniseContinuityDocument(file.data, fileName);
  const id = crypto.randomUUID();
  const storageKey = `${CONTINUITY_DOCUMENTS_PREFIX}${serviceId}/${id}`;
  return storeThenRecord(storage, { key: storageKey, data: file.data }, async () => {
    const row = await repo.insertContinuityDocument(db, {
      id,
      serviceId,
      fileName,
      mediaType,
      sizeBytes: file.data.length,
      sha256: sha256Hex(file.data),
      storageKey,
      uploadedBy: source.actorUserId,
    });
    await recordAudit(db, {
      ...source,
      action: 'hosting.continuity-document.add',
      targetType: 'catalogue_service',
      targetId: serviceId,
      details: { documentId: id, fileName, sizeBytes: row.sizeBytes, mediaType },
    });
    return presentContinuityDocument(row);
  });
}

const DOCUMENT_NOT_FOUND = "Ce document n'existe pas ou ne vous est pas accessible.";

/**
 * A document of the plan: for the team (`memberId` null), or for a member while it subscribes to
 * the service (the plan's readers).
 */
export async function readContinuityDocument(
  db: Executor,
  storage: ObjectStorage,
  serviceId: string,
  documentId: string,
  memberId: string | null,
) {
  const row = await repo.findContinuityDocument(db, serviceId, documentId, memberId);
  if (!row) throw notFound(DOCUMENT_NOT_FOUND);
  return { document: presentContinuityDocument(row), data: await storage.get(row.storageKey) };
}

/** Removes a document from the plan: its row now, its file at the next start-up sweep. */
export async function deleteContinuityDocument(
  db: Executor,
  serviceId: string,
  documentId: string,
  source: AuditSource,
): Promise<void> {
  const row = await repo.deleteContinuityDocument(db, serviceId, documentId);
  if (!row) throw notFound(DOCUMENT_NOT_FOUND);
  await recordAudit(db, {
    ...source,
    action: 'hosting.continuity-document.delete',
    targetType: 'catalogue_service',
    targetId: serviceId,
    details: { documentId, fileName: row.fileName, sizeBytes: row.sizeBytes },
  });
}
