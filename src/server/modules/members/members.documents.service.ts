import crypto from 'node:crypto';
import type { MemberDocument } from '../../../contracts/members.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/client.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { cleanFileName, sha256Hex, type UploadedFile } from '../../platform/storage/files.js';
import { type ObjectStorage, storeThenRecord } from '../../platform/storage/storage.js';
import { registerStoredFileOwner } from '../../platform/storage/sweep.js';
import * as repo from './members.documents.repository.js';
import { requireMember } from './members.service.js';

/** A member's documents: PDF files in object storage, their metadata in the database, audited. */

/** Where the documents' files are kept: `members/<memberId>/<documentId>.pdf`. */
export const DOCUMENTS_PREFIX = 'members/';

/** The start-up storage sweep keeps the files a document row points to, and removes the others. */
export function registerMembersStoredFiles(): void {
  registerStoredFileOwner({
    name: 'members.documents',
    prefix: DOCUMENTS_PREFIX,
    referencedKeys: (tx) => repo.listAllStorageKeys(tx),
  });
}

/**
 * A real PDF, not a renamed file: the `%PDF-` header at the start and a trailer
 * (`startxref <offset> %%EOF`) near the end, where every PDF reader starts parsing.
 */
export function looksLikePdf(data: Buffer): boolean {
  if (data.length < 32 || data.subarray(0, 5).toString('latin1') !== '%PDF-') return false;
  const tail = data.subarray(Math.max(0, data.length - 2048)).toString('latin1');
  return /startxref\s+\d+\s+%%EOF/.test(tail);
}

const presentDocument = (d: repo.DocumentRow): MemberDocument => ({
  id: d.id,
  memberId: d.memberId,
  kind: d.kind,
  title: d.title,
  fileName: d.fileName,
  mediaType: d.mediaType,
  sizeBytes: d.sizeBytes,
  sha256: d.sha256,
  documentDate: d.documentDate,
  createdAt: d.createdAt.toISOString(),
});

export async function listDocuments(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const rows = await repo.listDocuments(db, memberId);
  return { items: rows.map(presentDocument), total: rows.length, nextCursor: null };
}

export async function uploadDocument(
  db: Executor,
  storage: ObjectStorage,
  memberId: string,
  fields: { kind: MemberDocument['kind']; title: string; documentDate?: string | null },
  file: UploadedFile,
  source: AuditSource,
) {
  await requireMember(db, memberId);
  if (!looksLikePdf(file.data)) {
    throw new DomainError(
      'unsupported_type',
      'Type de fichier non accepté',
      "Le fichier n'est pas un PDF valide (en-tête %PDF- et fin de fichier %%EOF attendus). " +
        'Enregistrez ou exportez le document au format PDF puis déposez-le à nouveau.',
      [{ path: 'body.file', message: 'PDF attendu' }],
    );
  }
  const id = crypto.randomUUID();
  const storageKey = `${DOCUMENTS_PREFIX}${memberId}/${id}.pdf`;
  return storeThenRecord(storage, { key: storageKey, data: file.data }, async () => {
    const row = await repo.insertDocument(db, {
      id,
      memberId,
      kind: fields.kind,
      title: fields.title,
      fileName: cleanFileName(file.fileName, 'document.pdf'),
      mediaType: 'application/pdf',
      sizeBytes: file.data.length,
      sha256: sha256Hex(file.data),
      storageKey,
      documentDate: fields.documentDate ?? null,
      uploadedBy: source.actorUserId,
    });
    await recordAudit(db, {
      action: 'member.document_uploaded',
      ...source,
      memberId,
      targetType: 'member_document',
      targetId: row.id,
      details: { kind: row.kind, sizeBytes: row.sizeBytes },
    });
    return presentDocument(row);
  });
}

export async function readDocument(
  db: Executor,
  storage: ObjectStorage,
  memberId: string,
  documentId: string,
) {
  await requireMember(db, memberId);
  const row = await repo.findDocument(db, memberId, documentId);
  if (!row) throw notFound("Ce document n'existe pas pour cette structure.");
  return { document: presentDocument(row), data: await storage.get(row.storageKey) };
}
