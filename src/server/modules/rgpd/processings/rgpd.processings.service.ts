import type { MemberKind } from '../../../../contracts/members.js';
import type {
  Processing,
  ProcessingInput,
  ProcessingPatch,
  ProcessingStatus,
  ProcessingSummary,
  TemplateFields,
} from '../../../../contracts/rgpd.js';
import { type AuditSource, recordAudit } from '../../../platform/audit/audit.js';
import { type Actor, personOf, roleIn } from '../../../platform/auth/context.js';
import { today } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { conflict, type FieldError, forbidden, invalid, notFound } from '../../../platform/errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../../../platform/http/pagination.js';
import { knownProcessorIds } from '../processors/rgpd.processors.service.js';
import { REGISTRY_EDITORS_ONLY, rgpdPolicy } from '../rgpd.policy.js';
import { isRgpdEditor } from './rgpd.designation.repository.js';
import * as organisations from './rgpd.organisations.repository.js';
import * as repo from './rgpd.processings.repository.js';
import {
  applyReviewRule,
  completionOf,
  diffSnapshots,
  dpiaErrors,
  isDpiaRequired,
  legalBasisErrors,
  memberCompletion,
  normaliseSnapshot,
  type ProcessingSnapshot,
  reviewErrors,
  templateDifferences,
} from './rgpd.processings.rules.js';

type Joined = NonNullable<Awaited<ReturnType<typeof repo.findProcessing>>>;

const iso = (d: Date) => d.toISOString();

function summaryOf(j: Joined): ProcessingSummary {
  const r = j.row;
  return {
    id: r.id,
    memberId: r.memberId,
    name: r.name,
    purposes: r.purposes,
    legalBasis: r.legalBasis,
    status: r.status,
    completion: r.completion,
    dpiaRequired: isDpiaRequired(r.dpiaCriteria),
    dpiaStatus: r.dpiaStatus,
    department: r.department,
    lastReviewOn: r.lastReviewOn,
    nextReviewOn: r.nextReviewOn,
    isPublic: r.isPublic,
    templateId: r.templateId,
    templateUpdateAvailable:
      r.templateId !== null &&
      j.templateCurrentVersion !== null &&
      j.templateCurrentVersion > (r.templateVersion ?? 0),
    version: r.version,
    updatedAt: iso(r.updatedAt),
  };
}

function detailOf(j: Joined, processors: { id: string; name: string }[]): Processing {
  const snapshot = repo.snapshotOfRow(
    j.row,
    processors.map((p) => p.id),
  );
  return {
    ...summaryOf(j),
    ...repo.templateFieldsOfRow(j.row),
    dpiaNotRequiredReason: j.row.dpiaNotRequiredReason,
    templateVersion: j.row.templateVersion,
    templateName: j.templateName,
    processors,
    missingFields: completionOf(snapshot).missing,
    createdAt: iso(j.row.createdAt),
  };
}

export async function requireMember(db: Executor, memberId: string) {
  const member = await organisations.findMember(db, memberId);
  if (!member) throw notFound('Cette structure n’existe pas.');
  return member;
}

// Who edits a registry ----------------------------------------------------------------------------

/**
 * Registry writes: the DPO and the member admin by role; another user of the member only when it
 * holds the member `rgpd` role (a row of rgpd_editors, read in the request's transaction). The route
 * let through only those who could be editors (`registry:write` with the fact granted).
 */
export async function canEditRegistry(db: Executor, actor: Actor, memberId: string): Promise<boolean> {
  if (rgpdPolicy(actor, 'registry:write', memberId)) return true;
  if (roleIn(actor, memberId) === null) return false;
  const editor = await isRgpdEditor(db, memberId, actor.userId);
  return rgpdPolicy(actor, 'registry:write', memberId, { isRgpdEditor: editor });
}

export async function assertRegistryEditor(db: Executor, actor: Actor, memberId: string): Promise<void> {
  if (!(await canEditRegistry(db, actor, memberId))) throw forbidden(REGISTRY_EDITORS_ONLY);
}

// Registry ----------------------------------------------------------------------------------------

export async function listProcessings(
  db: Executor,
  memberId: string,
  query: { q?: string; status?: ProcessingStatus; limit: number; cursor?: string },
) {
  await requireMember(db, memberId);
  const { total, rows } = await repo.listProcessings(
    db,
    memberId,
    query,
    decodeCursor(query.cursor),
    query.limit,
  );
  const page = pageOf(rows, query.limit, (j) => encodeCursor(j.row.name, j.row.id));
  return { items: page.items.map(summaryOf), total, nextCursor: page.nextCursor };
}

export async function getProcessing(db: Executor, memberId: string, id: string): Promise<Processing> {
  const joined = await repo.findProcessing(db, memberId, id);
  if (!joined) throw notFound('Ce traitement n’existe pas dans le registre de cette structure.');
  const processors = await repo.processorsOf(db, memberId, [id]);
  return detailOf(joined, processors.get(id) ?? []);
}

/** Every processing of the member in full, by name (exports and the printable registry). */
export async function allProcessingDetails(db: Executor, memberId: string): Promise<Processing[]> {
  const rows = await repo.allProcessingsOf(db, memberId);
  const processors = await repo.processorsOf(
    db,
    memberId,
    rows.map((j) => j.row.id),
  );
  return rows.map((j) => detailOf(j, processors.get(j.row.id) ?? []));
}

/** Every rule a snapshot must satisfy before it is written; all problems are reported at once. */
async function validate(db: Executor, memberKind: MemberKind, s: ProcessingSnapshot): Promise<void> {
  const errors: FieldError[] = [
    ...legalBasisErrors(s.legalBasis, [memberKind]),
    ...dpiaErrors(s),
    ...reviewErrors(s),
  ];
  const known = await knownProcessorIds(db, s.processorIds);
  s.processorIds.forEach((id, i) => {
    if (!known.has(id))
      errors.push({ path: `body.processorIds.${i}`, message: 'sous-traitant inconnu de l’annuaire' });
  });
  if (errors.length > 0) throw invalid(errors.map((e) => e.message).join(' '), errors);
}

export async function createProcessing(
  db: Executor,
  memberId: string,
  input: ProcessingInput,
  actor: Actor,
): Promise<Processing> {
  await assertRegistryEditor(db, actor, memberId);
  const member = await requireMember(db, memberId);
  const snapshot = applyReviewRule(
    null,
    normaliseSnapshot(input),
    { lastReviewOn: input.lastReviewOn !== null, nextReviewOn: input.nextReviewOn !== null },
    today(),
  );
  await validate(db, member.kind, snapshot);
  const [created] = await repo.insertProcessings(
    db,
    [{ memberId, snapshot, completion: completionOf(snapshot).percent }],
    personOf(actor),
    (item) => diffSnapshots(null, item.snapshot),
  );
  return getProcessing(db, memberId, created.id);
}

/**
 * Writes a new state of a processing: validates, versions (snapshot + field diff) and recomputes the
 * stored completion. An unchanged state writes nothing and keeps the version number.
 */
async function writeNextState(
  db: Executor,
  member: { id: string; kind: MemberKind },
  current: Joined,
  currentSnapshot: ProcessingSnapshot,
  next: ProcessingSnapshot,
  actorUserId: string | null,
  extra: { templateVersion?: number } = {},
) {
  await validate(db, member.kind, next);
  const changes = diffSnapshots(currentSnapshot, next);
  const templateVersionChanges =
    extra.templateVersion !== undefined && extra.templateVersion !== current.row.templateVersion;
  if (changes.length === 0 && !templateVersionChanges) return;
  const version = current.row.version + 1;
  await repo.updateProcessingRow(db, member.id, current.row.id, {
    ...repo.columnsOf(next),
    completion: completionOf(next).percent,
    version,
    ...(extra.templateVersion !== undefined ? { templateVersion: extra.templateVersion } : {}),
  });
  if (changes.some((c) => c.field === 'processorIds')) {
    await repo.replaceProcessorLinks(db, member.id, current.row.id, next.processorIds);
  }
  if (templateVersionChanges) {
    changes.push({
      field: 'templateVersion',
      before: current.row.templateVersion,
      after: extra.templateVersion,
    });
  }
  await repo.insertVersion(db, {
    memberId: member.id,
    processingId: current.row.id,
    version,
    actorUserId,
    snapshot: next as unknown as Record<string, unknown>,
    changes,
  });
}

async function loadForWrite(db: Executor, memberId: string, id: string) {
  const member = await requireMember(db, memberId);
  const current = await repo.findProcessing(db, memberId, id);
  if (!current) throw notFound('Ce traitement n’existe pas dans le registre de cette structure.');
  const processors = await repo.processorsOf(db, memberId, [id]);
  const snapshot = repo.snapshotOfRow(
    current.row,
    (processors.get(id) ?? []).map((p) => p.id),
  );
  return { member, current, snapshot };
}

export async function updateProcessing(
  db: Executor,
  memberId: string,
  id: string,
  patch: ProcessingPatch,
  actor: Actor,
): Promise<Processing> {
  await assertRegistryEditor(db, actor, memberId);
  const { member, current, snapshot } = await loadForWrite(db, memberId, id);
  const { version, ...changes } = patch;
  if (version !== undefined && version !== current.row.version) {
    throw conflict(
      `Ce traitement a été modifié entre-temps (version ${current.row.version}, vous éditiez la version ${version}) : rechargez-le avant d’enregistrer.`,
    );
  }
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const next = applyReviewRule(
    snapshot,
    normaliseSnapshot({ ...snapshot, ...defined } as ProcessingSnapshot),
    { lastReviewOn: 'lastReviewOn' in defined, nextReviewOn: 'nextReviewOn' in defined },
    today(),
  );
  await writeNextState(db, member, current, snapshot, next, personOf(actor));
  return getProcessing(db, memberId, id);
}

export async function deleteProcessing(
  db: Executor,
  memberId: string,
  id: string,
  actor: Actor,
  source: AuditSource,
): Promise<void> {
  await assertRegistryEditor(db, actor, memberId);
  await requireMember(db, memberId);
  if (!(await repo.deleteProcessing(db, memberId, id)))
    throw notFound('Ce traitement n’existe pas dans le registre de cette structure.');
  await recordAudit(db, {
    ...source,
    action: 'rgpd.processing.delete',
    memberId,
    targetType: 'rgpd_processing',
    targetId: id,
  });
}

export async function listVersions(db: Executor, memberId: string, id: string) {
  await getProcessing(db, memberId, id);
  const rows = await repo.listVersions(db, memberId, id);
  return {
    items: rows.map((r) => ({ ...r, at: iso(r.at), changes: r.changes })),
    total: rows.length,
    nextCursor: null,
  };
}

export async function getVersion(db: Executor, memberId: string, id: string, version: number) {
  const row = await repo.findVersion(db, memberId, id, version);
  if (!row) throw notFound(`La version ${version} de ce traitement n’existe pas.`);
  return { ...row, at: iso(row.at) };
}

// Template updates --------------------------------------------------------------------------------

async function templateUpdateOf(db: Executor, memberId: string, id: string) {
  const loaded = await loadForWrite(db, memberId, id);
  const { current } = loaded;
  const templateId = current.row.templateId;
  const toVersion = current.templateCurrentVersion;
  if (!templateId || toVersion === null) {
    throw notFound('Ce traitement n’est lié à aucun modèle.');
  }
  const proposed = await repo.findTemplateVersionSnapshot(db, templateId, toVersion);
  if (!proposed) throw notFound('La version proposée de ce modèle est introuvable.');
  const base =
    current.row.templateVersion !== null
      ? await repo.findTemplateVersionSnapshot(db, templateId, current.row.templateVersion)
      : null;
  const available = toVersion > (current.row.templateVersion ?? 0);
  const differences = available
    ? templateDifferences(base, proposed, repo.templateFieldsOfRow(current.row))
    : [];
  return { ...loaded, templateId, toVersion, proposed, available, differences };
}

export async function getTemplateUpdate(db: Executor, memberId: string, id: string) {
  const u = await templateUpdateOf(db, memberId, id);
  return {
    templateId: u.templateId,
    templateName: u.current.templateName ?? '',
    fromVersion: u.current.row.templateVersion,
    toVersion: u.toVersion,
    available: u.available,
    differences: u.differences,
  };
}

/**
 * Accepts some proposed fields (each takes the template's value) and, when `dismiss` is set or
 * nothing is left to decide, marks the template version as followed so the update stops showing.
 */
export async function decideTemplateUpdate(
  db: Executor,
  memberId: string,
  id: string,
  decision: { accept: string[]; dismiss: boolean },
  actor: Actor,
): Promise<Processing> {
  await assertRegistryEditor(db, actor, memberId);
  const u = await templateUpdateOf(db, memberId, id);
  if (!u.available) throw conflict('Aucune mise à jour du modèle n’est en attente pour ce traitement.');
  const offered = new Set(u.differences.map((d) => d.field as string));
  const errors = decision.accept
    .map((field, i) => ({ field, i }))
    .filter(({ field }) => !offered.has(field))
    .map(({ field, i }) => ({
      path: `body.accept.${i}`,
      message: `le champ ${field} ne fait pas partie des différences proposées`,
    }));
  if (errors.length > 0) throw invalid(errors.map((e) => e.message).join(' ; '), errors);
  const accepted = Object.fromEntries(
    decision.accept.map((field) => [field, u.proposed[field as keyof TemplateFields]]),
  );
  const next = normaliseSnapshot({ ...u.snapshot, ...accepted });
  const remaining = u.differences.filter((d) => !decision.accept.includes(d.field));
  const done = decision.dismiss || remaining.length === 0;
  await writeNextState(db, u.member, u.current, u.snapshot, next, personOf(actor), {
    templateVersion: done ? u.toVersion : undefined,
  });
  return getProcessing(db, memberId, id);
}

/** The registry's figures, and whether `actor` may edit it (the page shows its actions or not). */
export async function registrySummary(db: Executor, memberId: string, actor: Actor) {
  await requireMember(db, memberId);
  const canEdit = await canEditRegistry(db, actor, memberId);
  const counts = await repo.registryCounts(db, memberId, today());
  return {
    memberId,
    processings: counts.processings,
    completion: counts.processings === 0 ? 0 : memberCompletion([counts.completionSum / counts.processings]),
    validated: counts.validated,
    dpiaRequiredNotDone: counts.dpiaRequiredNotDone,
    dueForReview: counts.dueForReview,
    templateUpdatesAvailable: counts.templateUpdates,
    canEdit,
  };
}

export async function publicRegistry(db: Executor, memberId: string) {
  const member = await requireMember(db, memberId);
  const rows = await repo.publicProcessingsOf(db, memberId);
  const processors = await repo.processorsOf(
    db,
    memberId,
    rows.map((r) => r.id),
  );
  return {
    member,
    processings: rows.map((r) => ({
      id: r.id,
      name: r.name,
      purposes: r.purposes,
      legalBasis: r.legalBasis,
      dataSubjects: r.dataSubjects.map((d) => d.category),
      dataCategories: r.dataCategories,
      recipients: r.recipients,
      transfers: r.transfers,
      retention: r.retention,
      processors: (processors.get(r.id) ?? []).map((p) => p.name),
    })),
  };
}
