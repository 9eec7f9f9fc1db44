import {
  MEMBER_SELF_EDITABLE_FIELDS,
  type MemberDetail,
  type MemberFilters,
  type MemberInput,
  type MemberListQuery,
  type MemberPatch,
} from '../../../contracts/members.js';
import { searchKey } from '../../../contracts/search.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import { today } from '../../platform/clock.js';
import { type Executor, toCount } from '../../platform/db/client.js';
import { conflict, type FieldError, forbidden, invalid, notFound, uniqueOr } from '../../platform/errors.js';
import { emitEvent } from '../../platform/events/events.js';
import { insertMembershipEvent } from './members.lifecycle.repository.js';
import * as repo from './members.repository.js';
import type { CachedTotals } from './members.totals.js';

/**
 * The registry of member organisations: lists, the member page, creation and editing, exports.
 * Contacts, documents, the membership lifecycle and statistics have their own services
 * (members.<part>.service.ts).
 */

const OFFICIAL_POPULATION_KINDS = new Set(['commune', 'epci']);

export const MEMBER_NOT_FOUND = "Cette structure adhérente n'existe pas.";

/** The member's row, or 404; `forUpdate` locks it (status changes, edits). */
export async function requireMember(db: Executor, memberId: string, forUpdate = false) {
  const member = await repo.findMember(db, memberId, forUpdate);
  if (!member) throw notFound(MEMBER_NOT_FOUND);
  return member;
}

// List and detail --------------------------------------------------------------------------------

/**
 * `totals` may serve the count from memory while no organisation changed (see members.totals.ts);
 * otherwise the count is read with the page, in the same statement.
 */
export async function listMembers(db: Executor, query: MemberListQuery, totals?: CachedTotals) {
  const filters = {
    q: query.q,
    kind: query.kind,
    departement: query.departement,
    epci: query.epci,
    status: query.status,
  };
  const known = totals?.peek(JSON.stringify(filters));
  if (known?.cached) {
    const page = await repo.listMembers(db, query);
    return { items: page.items, ...(await known.cached), nextCursor: page.nextCursor };
  }
  const page = await repo.listMembers(db, query, { withTotal: true });
  const counted = page.total ?? (await repo.countMembers(db, filters));
  known?.remember(counted);
  return { items: page.items, ...counted, nextCursor: page.nextCursor };
}

export async function getMember(db: Executor, memberId: string, withPrivate: boolean): Promise<MemberDetail> {
  const row = await repo.findMemberDetail(db, memberId, withPrivate);
  if (!row) throw notFound(MEMBER_NOT_FOUND);
  let privatePart: MemberDetail['private'] = null;
  if (withPrivate && row.extras) {
    privatePart = {
      siret: row.siret,
      chorusServiceCode: row.chorusServiceCode,
      chorusServiceCodeRequired: row.chorusServiceCodeRequired,
      address: row.address,
      postalCode: row.postalCode,
      city: row.city,
      contacts: row.extras.contacts.map((c) => ({
        id: c.id,
        role: c.role,
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
    kind: repo.memberKind(row.kind),
    epciType: row.epciType,
    siren: row.siren,
    communeCode: row.communeCode,
    epciCode: row.epciCode,
    departementCode: row.departementCode,
    departementName: row.departementName,
    status: row.status,
    population: row.population,
    parent: row.parentId && row.parentName ? { id: row.parentId, name: row.parentName } : null,
    statusChangedAt: row.statusChangedAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    private: privatePart,
  };
}

// Create and update ------------------------------------------------------------------------------

/**
 * Checks a member input against the registry and the official territory and returns the row to
 * insert, or every problem found with its field name (prefixed with `body.` by `rejectFieldErrors`).
 */
async function prepareMember(
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
    if (!name) errors.push({ path: 'name', message: 'Le nom est obligatoire' });
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
      chorusServiceCode: input.chorusServiceCode ?? null,
      chorusServiceCodeRequired: input.chorusServiceCodeRequired ?? false,
      population,
      parentId: input.parentId ?? null,
      status: input.status ?? 'prospect',
    },
    errors: [],
  };
}

/** Another request registered the same SIREN between our check and our write. */
const sirenTaken = () =>
  conflict('Une structure porte déjà ce SIREN.', [{ path: 'body.siren', message: 'SIREN déjà utilisé' }]);

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
  const row = await uniqueOr(() => repo.insertOrganisation(db, prepared.values), sirenTaken);
  await insertMembershipEvent(db, {
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
      errors.push({ path: 'communeCode', message: 'La commune est obligatoire' });
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
  for (const field of ['siret', 'address', 'postalCode', 'city', 'chorusServiceCode'] as const) {
    if (patch[field] !== undefined) values[field] = patch[field] ?? null;
  }
  if (patch.chorusServiceCodeRequired !== undefined) {
    values.chorusServiceCodeRequired = patch.chorusServiceCodeRequired;
  }
  if (errors.length > 0) rejectFieldErrors(errors);
  await uniqueOr(() => repo.updateOrganisation(db, memberId, values), sirenTaken);
  await recordAudit(db, {
    action: 'member.updated',
    ...source,
    memberId,
    targetType: 'organisation',
    targetId: memberId,
    details: { fields },
  });
  await emitEvent(db, { type: 'member.updated', memberId, data: { fields } });
  return getMember(db, memberId, true);
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
