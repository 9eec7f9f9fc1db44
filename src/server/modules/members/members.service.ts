import crypto from 'node:crypto';
import {
  type Contact,
  type ContactInput,
  type ContactPatch,
  MEMBER_SELF_EDITABLE_FIELDS,
  type MemberDetail,
  type MemberDocument,
  type MemberFilters,
  type MemberInput,
  type MemberListQuery,
  type MemberPatch,
  type MemberStats,
  type MembershipEvent,
  type MembershipStatus,
  type TransitionInput,
} from '../../../contracts/members.js';
import { searchKey } from '../../../contracts/search.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { now, today } from '../../platform/clock.js';
import { type Executor, toCount } from '../../platform/db/client.js';
import {
  conflict,
  DomainError,
  type FieldError,
  forbidden,
  invalid,
  isUniqueViolation,
  notFound,
  unprocessable,
} from '../../platform/errors.js';
import type { ObjectStorage } from '../../platform/storage/storage.js';
import * as repo from './members.repository.js';
import type { CachedTotals } from './members.totals.js';
import { checkTransition } from './membership.lifecycle.js';

const iso = (d: Date) => d.toISOString();
const OFFICIAL_POPULATION_KINDS = new Set(['commune', 'epci']);

export const MEMBER_NOT_FOUND = "Cette structure adhérente n'existe pas.";

export async function requireMember(db: Executor, memberId: string, forUpdate = false) {
  const member = await repo.findMember(db, memberId, forUpdate);
  if (!member) throw notFound(MEMBER_NOT_FOUND);
  return member;
}

// List, detail, stats ----------------------------------------------------------------------------

/** `totals` may serve the count from memory while no organisation changed (see members.totals.ts). */
export async function listMembers(db: Executor, query: MemberListQuery, totals?: CachedTotals) {
  const page = await repo.listMembers(db, query);
  const filters = {
    q: query.q,
    kind: query.kind,
    departement: query.departement,
    epci: query.epci,
    status: query.status,
  };
  const count = () => repo.countMembers(db, filters);
  const total = totals ? await totals.get(JSON.stringify(filters), count) : await count();
  return { items: page.items, total, nextCursor: page.nextCursor };
}

export async function getMember(db: Executor, memberId: string, withPrivate: boolean): Promise<MemberDetail> {
  const row = await repo.findMemberDetail(db, memberId, withPrivate);
  if (!row) throw notFound(MEMBER_NOT_FOUND);
  let privatePart: MemberDetail['private'] = null;
  if (withPrivate && row.extras) {
    privatePart = {
      siret: row.siret,
      address: row.address,
      postalCode: row.postalCode,
      city: row.city,
      contacts: row.extras.contacts.map((c) => ({
        id: c.id,
        role: c.role as Contact['role'],
        firstName: c.firstName,
        lastName: c.lastName,
      })),
      usersCount: toCount(row.extras.usersCount),
      documentsCount: toCount(row.extras.documentsCount),
    };
  }
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as MemberDetail['kind'],
    epciType: row.epciType,
    siren: row.siren,
    communeCode: row.communeCode,
    epciCode: row.epciCode,
    departementCode: row.departementCode,
    departementName: row.departementName,
    status: row.status as MembershipStatus,
    population: row.population,
    parent: row.parentId && row.parentName ? { id: row.parentId, name: row.parentName } : null,
    statusChangedAt: iso(row.statusChangedAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    private: privatePart,
  };
}

export async function memberStats(
  db: Executor,
  regions: string[],
  withPending: boolean,
): Promise<MemberStats> {
  const byDepartement = await repo.membersByDepartement(db, regions);
  const byKind = await repo.membersByKind(db);
  const stats: MemberStats = {
    byDepartement: byDepartement.map((d) => ({ code: d.code, name: d.name, members: toInt(d.members) })),
    byKind: byKind.map((k) => ({
      kind: k.kind as MemberStats['byKind'][number]['kind'],
      count: toInt(k.count),
    })),
    populationCovered: await repo.populationCovered(db),
  };
  if (withPending) {
    const counts = await repo.countByStatus(db, ['requested', 'accepted', 'withdrawal_requested']);
    const of = (status: string) => toInt(counts.find((c) => c.status === status)?.n);
    stats.pending = {
      requested: of('requested'),
      accepted: of('accepted'),
      withdrawal_requested: of('withdrawal_requested'),
    };
  }
  return stats;
}

const toInt = (value: unknown) => Number(value ?? 0);

// Create and update ------------------------------------------------------------------------------

/**
 * Checks a member input against the registry and the official territory and returns the row to
 * insert, or every problem found with its field name (callers prefix the path: `body.`, `ligne 12 / `).
 * Exported for the CSV import, which reports all lines before writing any.
 */
export async function prepareMember(
  db: Executor,
  input: MemberInput,
): Promise<{ values: repo.OrganisationInsert; errors: [] } | { values: null; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  let name = input.name ?? null;
  let departementCode = input.departementCode ?? null;
  let epciType: string | null = null;
  let population = input.population ?? null;

  const existing = await repo.findOrganisationBySiren(db, input.siren);
  if (existing) {
    errors.push({ path: 'siren', message: `SIREN ${input.siren} déjà utilisé par « ${existing.name} »` });
  }
  if (input.communeCode) {
    const commune = await repo.findCommune(db, input.communeCode);
    if (!commune) {
      errors.push({
        path: 'communeCode',
        message: `code INSEE ${input.communeCode} inconnu du référentiel territorial`,
      });
    } else {
      departementCode ??= commune.departementCode;
      if (input.kind === 'commune') {
        name ??= commune.name;
        if (commune.siren && commune.siren !== input.siren) {
          errors.push({
            path: 'siren',
            message: `le SIREN officiel de ${commune.name} est ${commune.siren}, pas ${input.siren}`,
          });
        }
      }
    }
  }
  if (input.epciCode) {
    const found = await repo.findEpci(db, input.epciCode);
    if (!found) {
      errors.push({ path: 'epciCode', message: `EPCI ${input.epciCode} inconnu du référentiel territorial` });
    } else if (input.kind === 'epci') {
      name ??= found.name;
      epciType = found.type;
      departementCode ??= await repo.mainDepartementOfEpci(db, found.code);
      departementCode ??= found.departementCodes[0] ?? null;
      if (input.siren !== found.code) {
        errors.push({
          path: 'siren',
          message: `le SIREN d'un EPCI est son code : ${found.code} pour ${found.name}`,
        });
      }
    }
  }
  if (input.departementCode && !(await repo.departementExists(db, input.departementCode))) {
    errors.push({ path: 'departementCode', message: `département ${input.departementCode} inconnu` });
  }
  if (input.parentId && !(await repo.findMember(db, input.parentId))) {
    errors.push({ path: 'parentId', message: 'structure de rattachement introuvable' });
  }
  if (OFFICIAL_POPULATION_KINDS.has(input.kind)) population = null;
  if (errors.length > 0 || !name) {
    if (!name) errors.push({ path: 'name', message: 'nom obligatoire' });
    return { values: null, errors };
  }
  return {
    values: {
      kind: input.kind,
      epciType,
      name,
      searchName: searchKey(name),
      siren: input.siren,
      siret: input.siret ?? null,
      communeCode: input.communeCode ?? null,
      epciCode: input.epciCode ?? null,
      departementCode,
      address: input.address ?? null,
      postalCode: input.postalCode ?? null,
      city: input.city ?? null,
      population,
      parentId: input.parentId ?? null,
      status: input.status ?? 'prospect',
    },
    errors: [],
  };
}

function rejectFieldErrors(errors: FieldError[], prefix = 'body'): never {
  const withPath = errors.map((e) => ({ ...e, path: `${prefix}.${e.path}` }));
  const duplicate = withPath.find((e) => e.path === `${prefix}.siren` && e.message.includes('déjà utilisé'));
  if (duplicate) {
    throw conflict(`Une structure porte déjà ce SIREN : ${duplicate.message}.`, withPath);
  }
  throw invalid(withPath.map((e) => `${e.path} : ${e.message}`).join(' ; '), withPath);
}

export async function createMember(db: Executor, input: MemberInput, source: AuditSource) {
  const prepared = await prepareMember(db, input);
  if (!prepared.values) rejectFieldErrors(prepared.errors);
  let row: repo.OrganisationRow;
  try {
    row = await repo.insertOrganisation(db, prepared.values);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('Une structure porte déjà ce SIREN.', [
        { path: 'body.siren', message: 'SIREN déjà utilisé' },
      ]);
    }
    throw error;
  }
  await repo.insertMembershipEvent(db, {
    memberId: row.id,
    fromStatus: null,
    toStatus: row.status,
    effectiveOn: today(),
    note: 'Création de la fiche',
    actorUserId: source.actorUserId,
  });
  await recordAudit(db, {
    action: 'member.created',
    ...source,
    memberId: row.id,
    targetType: 'organisation',
    targetId: row.id,
    details: { kind: row.kind, status: row.status },
  });
  return getMember(db, row.id, true);
}

export async function updateMember(
  db: Executor,
  memberId: string,
  patch: MemberPatch,
  mode: 'operator' | 'self',
  source: AuditSource,
) {
  const member = await requireMember(db, memberId, true);
  const fields = Object.keys(patch) as (keyof MemberPatch)[];
  if (mode === 'self') {
    const refused = fields.filter((f) => !(MEMBER_SELF_EDITABLE_FIELDS as readonly string[]).includes(f));
    if (refused.length > 0) {
      throw forbidden(
        `Seul l'opérateur peut modifier : ${refused.join(', ')}. ` +
          `Vous pouvez modifier : ${MEMBER_SELF_EDITABLE_FIELDS.join(', ')}.`,
      );
    }
  }
  const errors: FieldError[] = [];
  const values: Partial<repo.OrganisationInsert> = {};
  if (patch.population !== undefined) {
    if (OFFICIAL_POPULATION_KINDS.has(member.kind) && patch.population !== null) {
      errors.push({
        path: 'population',
        message: "la population d'une commune ou d'un EPCI vient des données officielles et ne se saisit pas",
      });
    } else values.population = patch.population;
  }
  if (patch.name !== undefined) {
    values.name = patch.name;
    values.searchName = searchKey(patch.name);
  }
  if (patch.siren !== undefined && patch.siren !== member.siren) {
    const existing = await repo.findOrganisationBySiren(db, patch.siren);
    if (existing) {
      throw conflict(`Une structure porte déjà ce SIREN : « ${existing.name} ».`, [
        { path: 'body.siren', message: `SIREN ${patch.siren} déjà utilisé par « ${existing.name} »` },
      ]);
    }
    values.siren = patch.siren;
  }
  if (patch.communeCode !== undefined) {
    if (patch.communeCode === null && member.kind === 'commune') {
      errors.push({ path: 'communeCode', message: 'code INSEE obligatoire pour une commune' });
    } else if (patch.communeCode && !(await repo.findCommune(db, patch.communeCode))) {
      errors.push({
        path: 'communeCode',
        message: `code INSEE ${patch.communeCode} inconnu du référentiel territorial`,
      });
    } else values.communeCode = patch.communeCode;
  }
  if (patch.epciCode !== undefined) {
    const found = patch.epciCode ? await repo.findEpci(db, patch.epciCode) : null;
    if (patch.epciCode === null && member.kind === 'epci') {
      errors.push({ path: 'epciCode', message: 'code EPCI obligatoire pour un EPCI' });
    } else if (patch.epciCode && !found) {
      errors.push({ path: 'epciCode', message: `EPCI ${patch.epciCode} inconnu du référentiel territorial` });
    } else {
      values.epciCode = patch.epciCode;
      if (member.kind === 'epci' && found) values.epciType = found.type;
    }
  }
  if (patch.departementCode !== undefined) {
    if (patch.departementCode && !(await repo.departementExists(db, patch.departementCode))) {
      errors.push({ path: 'departementCode', message: `département ${patch.departementCode} inconnu` });
    } else values.departementCode = patch.departementCode;
  }
  if (patch.parentId !== undefined) {
    if (patch.parentId === memberId) {
      errors.push({ path: 'parentId', message: 'une structure ne peut pas être rattachée à elle-même' });
    } else if (patch.parentId && !(await repo.findMember(db, patch.parentId))) {
      errors.push({ path: 'parentId', message: 'structure de rattachement introuvable' });
    } else values.parentId = patch.parentId;
  }
  for (const field of ['siret', 'address', 'postalCode', 'city'] as const) {
    if (patch[field] !== undefined) values[field] = patch[field] ?? null;
  }
  if (errors.length > 0) rejectFieldErrors(errors);
  try {
    await repo.updateOrganisation(db, memberId, values);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('Une structure porte déjà ce SIREN.', [
        { path: 'body.siren', message: 'SIREN déjà utilisé' },
      ]);
    }
    throw error;
  }
  await recordAudit(db, {
    action: 'member.updated',
    ...source,
    memberId,
    targetType: 'organisation',
    targetId: memberId,
    details: { fields },
  });
  return getMember(db, memberId, true);
}

// Contacts ---------------------------------------------------------------------------------------

const presentContact = (c: repo.ContactRow): Contact => ({
  id: c.id,
  memberId: c.memberId,
  role: c.role as Contact['role'],
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  updatedAt: iso(c.updatedAt),
});

const CONTACT_NOT_FOUND = "Ce contact n'existe pas pour cette structure.";

export async function listContacts(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const rows = await repo.listContacts(db, memberId);
  return { items: rows.map(presentContact), total: rows.length, nextCursor: null };
}

export async function createContact(
  db: Executor,
  memberId: string,
  input: ContactInput,
  source: AuditSource,
) {
  await requireMember(db, memberId);
  const row = await repo.insertContact(db, {
    memberId,
    role: input.role,
    firstName: input.firstName,
    lastName: input.lastName,
    email: input.email ?? null,
    phone: input.phone ?? null,
  });
  await recordAudit(db, {
    action: 'member.contact_created',
    ...source,
    memberId,
    targetType: 'member_contact',
    targetId: row.id,
    details: { role: row.role },
  });
  return presentContact(row);
}

export async function updateContact(
  db: Executor,
  memberId: string,
  contactId: string,
  patch: ContactPatch,
  source: AuditSource,
) {
  await requireMember(db, memberId);
  const row = await repo.updateContact(db, memberId, contactId, patch);
  if (!row) throw notFound(CONTACT_NOT_FOUND);
  await recordAudit(db, {
    action: 'member.contact_updated',
    ...source,
    memberId,
    targetType: 'member_contact',
    targetId: contactId,
    details: { fields: Object.keys(patch) },
  });
  return presentContact(row);
}

export async function deleteContact(db: Executor, memberId: string, contactId: string, source: AuditSource) {
  await requireMember(db, memberId);
  if (!(await repo.deleteContact(db, memberId, contactId))) throw notFound(CONTACT_NOT_FOUND);
  await recordAudit(db, {
    action: 'member.contact_deleted',
    ...source,
    memberId,
    targetType: 'member_contact',
    targetId: contactId,
  });
}

// Documents --------------------------------------------------------------------------------------

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
  kind: d.kind as MemberDocument['kind'],
  title: d.title,
  fileName: d.fileName,
  mediaType: d.mediaType,
  sizeBytes: d.sizeBytes,
  sha256: d.sha256,
  documentDate: d.documentDate,
  createdAt: iso(d.createdAt),
});

export async function listDocuments(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const rows = await repo.listDocuments(db, memberId);
  return { items: rows.map(presentDocument), total: rows.length, nextCursor: null };
}

export interface UploadedFile {
  data: Buffer;
  fileName: string;
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
  const storageKey = `members/${memberId}/${id}.pdf`;
  await storage.put(storageKey, file.data);
  try {
    const row = await repo.insertDocument(db, {
      id,
      memberId,
      kind: fields.kind,
      title: fields.title,
      fileName: cleanFileName(file.fileName),
      mediaType: 'application/pdf',
      sizeBytes: file.data.length,
      sha256: crypto.createHash('sha256').update(file.data).digest('hex'),
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
  } catch (error) {
    // The transaction rolls back; do not leave an orphan file behind it.
    await storage.delete(storageKey).catch(() => {});
    throw error;
  }
}

function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== '\u007f' && ch !== '"')
    .join('')
    .trim()
    .slice(0, 200);
  return clean || 'document.pdf';
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

// Lifecycle --------------------------------------------------------------------------------------

export async function changeMembershipStatus(
  db: Executor,
  memberId: string,
  input: TransitionInput,
  decider: 'operator' | 'member',
  source: AuditSource,
) {
  const member = await requireMember(db, memberId, true);
  const from = member.status as MembershipStatus;
  const check = checkTransition(from, input.to, input);
  if (!check.ok) {
    if (check.reason === 'illegal') throw unprocessable(check.message);
    throw invalid(check.message, check.errors);
  }
  if (decider === 'member' && !check.byMember) {
    throw forbidden(
      "Cette étape est une décision de l'opérateur (comité syndical) : seul un administrateur de l'opérateur peut l'enregistrer.",
    );
  }
  if (input.documentId) {
    const document = await repo.findDocument(db, memberId, input.documentId);
    if (!document) {
      throw invalid(
        "Le document indiqué n'existe pas pour cette structure : déposez d'abord la délibération.",
        [{ path: 'body.documentId', message: 'document introuvable pour cette structure' }],
      );
    }
    if (
      (input.to === 'requested' || input.to === 'withdrawal_requested') &&
      document.kind !== 'deliberation'
    ) {
      throw invalid('Le document joint doit être une délibération.', [
        { path: 'body.documentId', message: "le document n'est pas une délibération" },
      ]);
    }
  }
  const event = await repo.insertMembershipEvent(db, {
    memberId,
    fromStatus: from,
    toStatus: input.to,
    effectiveOn: input.effectiveOn,
    decisionReference: input.decisionReference ?? null,
    documentId: input.documentId ?? null,
    note: input.note ?? null,
    actorUserId: source.actorUserId,
  });
  await repo.updateOrganisation(db, memberId, { status: input.to, statusChangedAt: now() });
  await recordAudit(db, {
    action: 'member.status_changed',
    ...source,
    memberId,
    targetType: 'membership_event',
    targetId: event.id,
    details: { from, to: input.to },
  });
  const history = await repo.listMembershipEvents(db, memberId);
  return presentEvent(history.find((e) => e.id === event.id)!);
}

function presentEvent(e: Awaited<ReturnType<typeof repo.listMembershipEvents>>[number]): MembershipEvent {
  return {
    id: e.id,
    memberId: e.memberId,
    fromStatus: e.fromStatus as MembershipStatus | null,
    toStatus: e.toStatus as MembershipStatus,
    effectiveOn: e.effectiveOn,
    decisionReference: e.decisionReference,
    document: e.documentId && e.documentTitle ? { id: e.documentId, title: e.documentTitle } : null,
    note: e.note,
    actor: e.actorId && e.actorName ? { id: e.actorId, displayName: e.actorName } : null,
    createdAt: iso(e.createdAt),
  };
}

export async function membershipHistory(db: Executor, memberId: string) {
  await requireMember(db, memberId);
  const rows = await repo.listMembershipEvents(db, memberId);
  return { items: rows.map(presentEvent), total: rows.length, nextCursor: null };
}

// Exports ----------------------------------------------------------------------------------------

export const EXPORT_MAX_ROWS = 100_000;

export async function exportRows(db: Executor, filters: MemberFilters) {
  return repo.exportMembers(db, filters, EXPORT_MAX_ROWS);
}

// For other modules ------------------------------------------------------------------------------

/** The member organisation (never the operator), or null. */
export function findMember(db: Executor, memberId: string) {
  return repo.findMember(db, memberId);
}

/** Members chosen by id, or by kind, département or EPCI (as the list filters them), by name. */
export function selectMembers(db: Executor, selection: repo.MemberSelection) {
  return repo.selectMembers(db, selection);
}
