import type { MemberKind } from '../../../../contracts/members.js';
import {
  type ApplyReport,
  type MemberTarget,
  TEMPLATE_FIELD_NAMES,
  type TemplateFields,
  templateFieldsSchema,
} from '../../../../contracts/rgpd.js';
import { type AuditSource, recordAudit } from '../../../platform/audit/audit.js';
import type { Executor } from '../../../platform/db/client.js';
import { conflict, invalid, notFound } from '../../../platform/errors.js';
import {
  createForMembers,
  membersHoldingTemplate,
  resolveTargets,
  targetsByTerritory,
} from '../processings/rgpd.drafts.service.js';
import { isDpiaRequired, legalBasisErrors, sameValue } from '../processings/rgpd.processings.rules.js';
import * as repo from './rgpd.templates.repository.js';

/** Only the known fields, completed with defaults: what a template stores and versions. */
export const fieldsOfTemplate = (value: unknown): TemplateFields => templateFieldsSchema.parse(value ?? {});

function summaryOf(row: repo.TemplateRow, linked: number) {
  const fields = fieldsOfTemplate(row.fields);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    version: row.version,
    applicableKinds: row.applicableKinds,
    purposes: fields.purposes,
    legalBasis: fields.legalBasis,
    dpiaRequired: isDpiaRequired(fields.dpiaCriteria),
    linkedProcessings: linked,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listTemplates(db: Executor, query: { q?: string; kind?: MemberKind }) {
  const rows = await repo.listTemplates(db, query);
  const linked = await repo.linkedCounts(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => summaryOf(r, linked.get(r.id) ?? 0)),
    total: rows.length,
    nextCursor: null,
  };
}

export async function requireTemplate(db: Executor, id: string): Promise<repo.TemplateRow> {
  const row = await repo.findTemplate(db, id);
  if (!row) throw notFound('Ce modèle de traitement n’existe pas.');
  return row;
}

export async function getTemplate(db: Executor, id: string) {
  const row = await requireTemplate(db, id);
  const linked = await repo.linkedCounts(db, [id]);
  return { ...summaryOf(row, linked.get(id) ?? 0), fields: fieldsOfTemplate(row.fields) };
}

function checkLegalBasis(fields: TemplateFields, kinds: MemberKind[]) {
  const errors = legalBasisErrors(fields.legalBasis, kinds, 'body.fields.legalBasis');
  if (errors.length > 0) throw invalid(errors[0].message, errors);
}

export async function createTemplate(
  db: Executor,
  input: { code: string; name: string; applicableKinds: MemberKind[]; fields: TemplateFields },
  actorUserId: string | null,
) {
  const fields = fieldsOfTemplate(input.fields);
  checkLegalBasis(fields, input.applicableKinds);
  if (await repo.codeIsTaken(db, input.code))
    throw conflict(`Un modèle porte déjà le code « ${input.code} ».`, [
      { path: 'body.code', message: 'code déjà utilisé' },
    ]);
  const id = await repo.insertTemplate(db, {
    code: input.code,
    name: input.name,
    applicableKinds: input.applicableKinds,
    fields,
    updatedBy: actorUserId,
  });
  return getTemplate(db, id);
}

/**
 * Changing the fields publishes a new version (kept in rgpd_template_versions, the base of the merge
 * offered to linked processings); renaming the template or its kinds alone does not.
 */
export async function updateTemplate(
  db: Executor,
  id: string,
  patch: { name?: string; applicableKinds?: MemberKind[]; fields?: Partial<TemplateFields> },
  actorUserId: string | null,
) {
  const row = await requireTemplate(db, id);
  const current = fieldsOfTemplate(row.fields);
  const definedFields = Object.fromEntries(
    Object.entries(patch.fields ?? {}).filter(([, v]) => v !== undefined),
  );
  const next = fieldsOfTemplate({ ...current, ...definedFields });
  const kinds = patch.applicableKinds ?? row.applicableKinds;
  checkLegalBasis(next, kinds);
  const fieldsChanged = TEMPLATE_FIELD_NAMES.some((f) => !sameValue(current[f], next[f]));
  const version = fieldsChanged ? row.version + 1 : row.version;
  await repo.updateTemplate(db, id, {
    name: patch.name ?? row.name,
    applicableKinds: kinds,
    fields: next,
    version,
    updatedBy: actorUserId,
  });
  if (fieldsChanged) await repo.insertTemplateVersion(db, id, version, next);
  return getTemplate(db, id);
}

/**
 * Creates a linked draft processing from the template for every targeted member, in the caller's
 * transaction, and reports each member's outcome.
 */
export async function applyTemplate(
  db: Executor,
  id: string,
  target: MemberTarget,
  source: AuditSource,
): Promise<ApplyReport> {
  const row = await requireTemplate(db, id);
  const targets = target.memberIds
    ? await resolveTargets(db, target.memberIds)
    : await targetsByTerritory(db, target);
  const heldBy = await membersHoldingTemplate(
    db,
    id,
    targets.filter((t) => t.kind !== null).map((t) => t.id),
  );
  const report = await createForMembers(
    db,
    targets,
    {
      fields: fieldsOfTemplate(row.fields),
      templateId: row.id,
      templateVersion: row.version,
      applicableKinds: row.applicableKinds,
      heldBy,
    },
    source.actorUserId,
  );
  await recordAudit(db, {
    ...source,
    action: 'rgpd.template.apply',
    targetType: 'rgpd_template',
    targetId: id,
    details: { created: report.created, skipped: report.skipped },
  });
  return report;
}
