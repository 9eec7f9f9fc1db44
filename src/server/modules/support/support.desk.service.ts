import crypto from 'node:crypto';
import { INCIDENT_STATUS_LABELS } from '../../../contracts/cyber.js';
import { SERVICE_STATE_LABELS } from '../../../contracts/hosting.js';
import {
  ATTACHMENT_EXTENSIONS,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_MAX_FILES,
  ATTACHMENT_TYPES,
  type LinkCandidates,
  type Ticket,
  type TicketAttachment,
  type TicketCreated,
  type TicketInput,
  type TicketLinkKind,
  ticketReference,
} from '../../../contracts/support.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, DomainError, type FieldError, invalidField, notFound } from '../../platform/errors.js';
import { emitEvent } from '../../platform/events/events.js';
import {
  cleanFileName,
  contentMatches,
  extensionOf,
  sha256Hex,
  type UploadedFile,
} from '../../platform/storage/files.js';
import { type ObjectStorage, storeThenRecord } from '../../platform/storage/storage.js';
import { registerStoredFileOwner } from '../../platform/storage/sweep.js';
import * as repo from './support.repository.js';
import {
  addAgentMessage,
  addMemberMessage,
  FAR_FUTURE,
  openTicket,
  ownOnly,
  present,
  readableTicket,
  requireTicket,
  type SupportDeps,
  type TicketReader,
} from './support.service.js';

/**
 * The support desk's tickets, continued (issue 14): attachments (from the web forms and inbound
 * e-mail, checked by extension and content, kept in object storage), merging a duplicate into the
 * ticket kept, and links to the incidents behind a ticket (cyber incidents of the member, incidents
 * of the public status page).
 */

/** Where attachments are kept: `support/<memberId>/<ticketId>/<attachmentId>`. */
export const ATTACHMENTS_PREFIX = 'support/';

/** The start-up storage sweep keeps the files an attachment row points to, and removes the others. */
export function registerSupportStoredFiles(): void {
  registerStoredFileOwner({
    name: 'support.attachments',
    prefix: ATTACHMENTS_PREFIX,
    referencedKeys: (tx) => repo.listAllAttachmentKeys(tx),
  });
}

/** What an attachment whose name holds nothing usable is stored as. */
export const ATTACHMENT_FALLBACK_NAME = 'piece-jointe';

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} Mo`;

/** Why a file is refused (French, naming it), or null when it is accepted. */
export function refusalOf(file: UploadedFile): string | null {
  const name = cleanFileName(file.fileName, ATTACHMENT_FALLBACK_NAME);
  const ext = extensionOf(name);
  if (file.data.length === 0) return `« ${name} » est vide.`;
  if (file.data.length > ATTACHMENT_MAX_BYTES) {
    return `« ${name} » pèse ${mb(file.data.length)} : ${mb(ATTACHMENT_MAX_BYTES)} au plus par fichier.`;
  }
  const matches = contentMatches(ext, file.data);
  if (matches === null || !ATTACHMENT_TYPES[ext]) {
    return `« ${name} » : type de fichier non accepté (acceptés : ${ATTACHMENT_EXTENSIONS.join(', ')}).`;
  }
  if (!matches) {
    return `« ${name} » : le contenu ne correspond pas à un fichier ${ext.toUpperCase()}.`;
  }
  return null;
}

/** Checks a sending's files all at once: every refused file named, nothing stored if one is. */
export function checkFiles(files: UploadedFile[], required: boolean): void {
  const errors: FieldError[] = [];
  if (required && files.length === 0)
    errors.push({ path: 'body.file', message: 'Joignez au moins un fichier.' });
  if (files.length > ATTACHMENT_MAX_FILES) {
    errors.push({ path: 'body.file', message: `${ATTACHMENT_MAX_FILES} fichiers au plus par envoi.` });
  }
  for (const file of files) {
    const refusal = refusalOf(file);
    if (refusal) errors.push({ path: 'body.file', message: refusal });
  }
  if (errors.length === 0) return;
  const typeOnly = errors.every(
    (e) => e.message.includes('type de fichier') || e.message.includes('contenu'),
  );
  throw new DomainError(
    typeOnly ? 'unsupported_type' : 'invalid',
    typeOnly ? 'Type de fichier non accepté' : 'Pièces jointes refusées',
    errors.map((e) => e.message).join(' '),
    errors,
  );
}

interface Owner {
  memberId: string;
  ticketId: string;
  messageId: string | null;
  internal: boolean;
  uploadedBy: string | null;
}

/**
 * Stores checked files and their rows (the caller's transaction). A file written before the
 * transaction rolls back is removed here when the insert fails, or by the start-up sweep otherwise.
 */
export async function storeAttachments(
  db: Executor,
  storage: ObjectStorage,
  owner: Owner,
  files: UploadedFile[],
): Promise<number> {
  const rows = files.map((file) => {
    const id = crypto.randomUUID();
    const fileName = cleanFileName(file.fileName, ATTACHMENT_FALLBACK_NAME);
    return {
      id,
      ...owner,
      fileName,
      mediaType: ATTACHMENT_TYPES[extensionOf(fileName)] ?? 'application/octet-stream',
      sizeBytes: file.data.length,
      sha256: sha256Hex(file.data),
      storageKey: `${ATTACHMENTS_PREFIX}${owner.memberId}/${owner.ticketId}/${id}`,
      data: file.data,
    };
  });
  await storeThenRecord(
    storage,
    rows.map((row) => ({ key: row.storageKey, data: row.data })),
    async () => {
      for (const { data: _data, ...row } of rows) await repo.insertAttachment(db, row);
    },
  );
  return files.length;
}

const auditFiles = (db: Executor, source: AuditSource, memberId: string, ticketId: string, n: number) =>
  recordAudit(db, {
    ...source,
    action: 'support.ticket.attach',
    memberId,
    targetType: 'support_ticket',
    targetId: ticketId,
    details: { files: n },
  });

// Member side ------------------------------------------------------------------------------------

/** Opens a ticket with its files, in one transaction. */
export async function openTicketWithFiles(
  db: Executor,
  deps: SupportDeps,
  storage: ObjectStorage,
  memberId: string,
  input: TicketInput,
  files: UploadedFile[],
  source: AuditSource,
): Promise<TicketCreated> {
  checkFiles(files, false);
  const created = await openTicket(db, deps, memberId, input, source);
  if (files.length > 0) {
    const owner = { memberId, ticketId: created.id, messageId: null, internal: false };
    await storeAttachments(db, storage, { ...owner, uploadedBy: source.actorUserId }, files);
    await auditFiles(db, source, memberId, created.id, files.length);
  }
  return created;
}

/** The member sends files on its ticket, with a message (a reply) or alone. */
export async function addMemberFiles(
  db: Executor,
  deps: SupportDeps,
  storage: ObjectStorage,
  memberId: string,
  ticketId: string,
  reader: TicketReader,
  body: string | null,
  files: UploadedFile[],
  source: AuditSource,
): Promise<Ticket> {
  checkFiles(files, true);
  const owner = { memberId, ticketId, internal: false, uploadedBy: source.actorUserId };
  if (body) {
    const ticket = await addMemberMessage(db, deps, memberId, ticketId, reader, body, source, (messageId) =>
      storeAttachments(db, storage, { ...owner, messageId }, files).then(() => undefined),
    );
    await auditFiles(db, source, memberId, ticketId, files.length);
    return ticket;
  }
  const row = await readableTicket(db, memberId, ticketId, reader, true);
  if (row.mergedIntoId || row.status === 'closed') throw conflict('Ce ticket est clos.');
  await storeAttachments(db, storage, { ...owner, messageId: null }, files);
  await repo.updateTicket(db, memberId, ticketId, {});
  await auditFiles(db, source, memberId, ticketId, files.length);
  return present(db, await requireTicket(db, memberId, ticketId), false, ownOnly(reader));
}

/** The support team sends files: with a reply or an internal note (the files internal too), or alone. */
export async function addAgentFiles(
  db: Executor,
  deps: SupportDeps,
  storage: ObjectStorage,
  ticketId: string,
  input: { body: string | null; internal?: boolean; waitForMember?: boolean },
  files: UploadedFile[],
  source: AuditSource,
): Promise<Ticket> {
  checkFiles(files, true);
  const row = await requireTicket(db, null, ticketId);
  const internal = input.internal ?? false;
  const owner = { memberId: row.memberId, ticketId, internal, uploadedBy: source.actorUserId };
  if (input.body) {
    await addAgentMessage(
      db,
      deps,
      ticketId,
      { body: input.body, internal, waitForMember: input.waitForMember ?? false },
      source,
      (messageId) => storeAttachments(db, storage, { ...owner, messageId }, files).then(() => undefined),
    );
  } else {
    const locked = await requireTicket(db, null, ticketId, true);
    if (locked.mergedIntoId || locked.status === 'closed') throw conflict('Ce ticket est clos.');
    await storeAttachments(db, storage, { ...owner, messageId: null }, files);
    await repo.updateTicket(db, row.memberId, ticketId, {});
  }
  await auditFiles(db, source, row.memberId, ticketId, files.length);
  return present(db, await requireTicket(db, null, ticketId), true);
}

/**
 * One attachment of a ticket, for who may read the ticket: its own files and its merged
 * duplicates'; a member never gets an internal note's file (the filter here, RLS behind it).
 */
export async function readAttachment(
  db: Executor,
  storage: ObjectStorage,
  memberId: string | null,
  ticketId: string,
  attachmentId: string,
  reader: TicketReader | null,
): Promise<{ attachment: TicketAttachment; data: Buffer }> {
  const row =
    reader && memberId
      ? await readableTicket(db, memberId, ticketId, reader)
      : await requireTicket(db, null, ticketId);
  const ticket = await present(db, row, reader === null, reader ? ownOnly(reader) : null);
  const attachment = ticket.attachments.find((a) => a.id === attachmentId);
  if (!attachment) throw notFound("Cette pièce jointe n'existe pas pour ce ticket.");
  const [stored] = (
    await repo.attachmentsOf(db, row.memberId, [attachment.ticketId], reader === null)
  ).filter((a) => a.id === attachmentId);
  if (!stored) throw notFound("Cette pièce jointe n'existe pas pour ce ticket.");
  return { attachment, data: await storage.get(stored.storageKey) };
}

// Merging duplicates -----------------------------------------------------------------------------

/**
 * Merges the duplicate `duplicateId` into `intoId` (same member only): the duplicate is closed as
 * « fusionné » pointing to the ticket kept; its description, messages and files stay on their rows
 * and are read from the ticket kept (support.desk.view.ts); duplicates merged into it earlier follow.
 * Its requester is told by mail; mail replies quoting its reference land on the ticket kept.
 */
export async function mergeTicket(
  db: Executor,
  deps: SupportDeps,
  duplicateId: string,
  intoId: string,
  source: AuditSource,
): Promise<Ticket> {
  if (duplicateId === intoId) {
    throw invalidField('body.intoTicketId', 'Un ticket ne peut pas être fusionné avec lui-même.');
  }
  const duplicate = await requireTicket(db, null, duplicateId, true);
  const into = await repo.findTicket(db, null, intoId, true);
  if (!into) throw invalidField('body.intoTicketId', "Le ticket à conserver n'existe pas.");
  if (into.memberId !== duplicate.memberId) {
    throw invalidField(
      'body.intoTicketId',
      'Seuls deux tickets de la même structure peuvent être fusionnés.',
    );
  }
  if (duplicate.mergedIntoId) throw conflict('Ce ticket est déjà fusionné dans un autre.');
  if (into.mergedIntoId) {
    throw conflict(
      'Le ticket à conserver est lui-même fusionné : choisissez le ticket où il a été fusionné.',
    );
  }
  if (into.status === 'closed') {
    throw conflict('Le ticket à conserver est clos : fusionnez plutôt celui-ci dans le ticket ouvert.');
  }
  const memberId = duplicate.memberId;
  const intoReference = ticketReference(into.number);
  const at = now();
  await repo.updateTicket(db, memberId, duplicateId, {
    status: 'closed',
    closedAt: at,
    mergedIntoId: intoId,
    resolution: `Fusionné dans ${intoReference}.`,
    nextDueAt: FAR_FUTURE,
    pauses: duplicate.pauses.map((p) => (p.to === null ? { ...p, to: at.toISOString() } : p)),
  });
  await repo.repointMerged(db, memberId, duplicateId, intoId);
  await repo.updateTicket(db, memberId, intoId, {});
  if (duplicate.requesterEmail) {
    await deps.mailer.send(db, {
      to: duplicate.requesterEmail,
      subject: `[${ticketReference(duplicate.number)}] Regroupé avec ${intoReference} : ${duplicate.subject}`,
      text: `Votre demande ${ticketReference(duplicate.number)} porte sur le même sujet que ${intoReference} : nous l'avons regroupée avec elle. Vos messages restent lisibles sur ${intoReference} ; répondez-y désormais.\n\n${deps.publicUrl}/espace/assistance/${intoId}\n`,
    });
  }
  // The member's software hears of it in the same transaction (webhooks): both tickets are its own.
  await emitEvent(db, {
    type: 'ticket.merged',
    memberId,
    data: {
      ticketId: duplicateId,
      number: ticketReference(duplicate.number),
      mergedIntoTicketId: intoId,
      mergedIntoNumber: intoReference,
    },
  });
  for (const [targetId, details] of [
    [duplicateId, { mergedInto: intoId }],
    [intoId, { merged: duplicateId }],
  ] as const) {
    await recordAudit(db, {
      ...source,
      action: 'support.ticket.merge',
      memberId,
      targetType: 'support_ticket',
      targetId,
      details,
    });
  }
  return present(db, await requireTicket(db, null, intoId), true);
}

// Links to incidents -----------------------------------------------------------------------------

/** Links a ticket to a cyber incident of its member or to an incident of the status page. */
export async function linkIncident(
  db: Executor,
  ticketId: string,
  input: { kind: TicketLinkKind; incidentId: string },
  source: AuditSource,
): Promise<Ticket> {
  const row = await requireTicket(db, null, ticketId, true);
  if (input.kind === 'cyber_incident') {
    if (!(await repo.findCyberIncident(db, row.memberId, input.incidentId))) {
      throw invalidField(
        'body.incidentId',
        "Cet incident de cybersécurité n'existe pas pour cette structure.",
      );
    }
  } else if (!(await repo.findHostingIncident(db, input.incidentId))) {
    throw invalidField('body.incidentId', "Cet incident d'hébergement n'existe pas.");
  }
  const id = await repo.insertLink(db, {
    memberId: row.memberId,
    ticketId,
    cyberIncidentId: input.kind === 'cyber_incident' ? input.incidentId : null,
    hostingIncidentId: input.kind === 'hosting_incident' ? input.incidentId : null,
    createdBy: source.actorUserId,
  });
  if (!id) throw conflict('Ce ticket est déjà lié à cet incident.');
  await recordAudit(db, {
    ...source,
    action: 'support.ticket.link',
    memberId: row.memberId,
    targetType: 'support_ticket',
    targetId: ticketId,
    details: { kind: input.kind, incidentId: input.incidentId },
  });
  return present(db, await requireTicket(db, null, ticketId), true);
}

export async function unlinkIncident(
  db: Executor,
  ticketId: string,
  linkId: string,
  source: AuditSource,
): Promise<Ticket> {
  const row = await requireTicket(db, null, ticketId, true);
  if (!(await repo.deleteLink(db, row.memberId, ticketId, linkId))) {
    throw notFound("Ce lien n'existe pas pour ce ticket.");
  }
  await recordAudit(db, {
    ...source,
    action: 'support.ticket.unlink',
    memberId: row.memberId,
    targetType: 'support_ticket',
    targetId: ticketId,
    details: { linkId },
  });
  return present(db, row, true);
}

/** What the team may link a ticket to: the member's latest cyber incidents, the latest status incidents. */
export async function linkCandidates(db: Executor, ticketId: string): Promise<LinkCandidates> {
  const row = await requireTicket(db, null, ticketId);
  const { cyber, hosting } = await repo.linkCandidates(db, row.memberId, 30);
  const links = [
    ...cyber.map((c) => ({
      kind: 'cyber_incident' as const,
      incidentId: c.id,
      title: c.title,
      state: INCIDENT_STATUS_LABELS[c.status],
      startedAt: c.detectedAt.toISOString(),
      resolved: c.status === 'closed',
    })),
    ...hosting.map((h) => ({
      kind: 'hosting_incident' as const,
      incidentId: h.id,
      title: h.title,
      state: h.resolvedAt ? 'Résolu' : SERVICE_STATE_LABELS[h.state],
      startedAt: h.startedAt.toISOString(),
      resolved: h.resolvedAt !== null,
    })),
  ];
  return { items: links };
}
