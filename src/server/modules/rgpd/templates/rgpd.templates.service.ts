import { and, asc, count, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import {
  type ApplyReport,
  type MemberTarget,
  TEMPLATE_FIELD_NAMES,
  type TemplateFields,
  templateFieldsSchema,
} from '../../../../contracts/rgpd.js';
import type { Executor } from '../../../platform/db/client.js';
import { conflict, invalid, notFound } from '../../../platform/errors.js';
import * as repo from '../processings/rgpd.processings.repository.js';
import { isDpiaRequired, legalBasisErrors, sameValue } from '../processings/rgpd.processings.rules.js';
import { createForMembers, resolveTargets } from '../processings/rgpd.processings.service.js';
import { rgpdProcessings, rgpdTemplates, rgpdTemplateVersions } from '../rgpd.schema.js';

type TemplateRow = typeof rgpdTemplates.$inferSelect;

/** Only the known fields, completed with defaults: what a template stores and versions. */
export const fieldsOfTemplate = (value: unknown): TemplateFields => templateFieldsSchema.parse(value ?? {});

function summaryOf(row: TemplateRow, linked: number) {
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

async function linkedCounts(db: Executor, templateIds: string[]) {
  if (templateIds.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ templateId: rgpdProcessings.templateId, n: count() })
    .from(rgpdProcessings)
    .where(inArray(rgpdProcessings.templateId, templateIds))
    .groupBy(rgpdProcessings.templateId);
  return new Map(rows.map((r) => [r.templateId as string, Number(r.n)]));
}

export async function listTemplates(db: Executor, query: { q?: string; kind?: string }) {
  const conditions: (SQL | undefined)[] = [];
  if (query.q) {
    const like = `%${query.q.replace(/[%_\\]/g, '\\$&')}%`;
    conditions.push(or(ilike(rgpdTemplates.name, like), ilike(rgpdTemplates.code, like)));
  }
  if (query.kind) {
    conditions.push(
      sql`(cardinality(${rgpdTemplates.applicableKinds}) = 0 OR ${query.kind} = ANY(${rgpdTemplates.applicableKinds}))`,
    );
  }
  const rows = await db
    .select()
    .from(rgpdTemplates)
    .where(and(...conditions))
    .orderBy(asc(rgpdTemplates.name), asc(rgpdTemplates.id));
  const linked = await linkedCounts(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => summaryOf(r, linked.get(r.id) ?? 0)),
    total: rows.length,
    nextCursor: null,
  };
}

async function requireTemplate(db: Executor, id: string): Promise<TemplateRow> {
  const [row] = await db.select().from(rgpdTemplates).where(eq(rgpdTemplates.id, id));
  if (!row) throw notFound('Ce modèle de traitement n’existe pas.');
  return row;
}

export async function getTemplate(db: Executor, id: string) {
  const row = await requireTemplate(db, id);
  const linked = await linkedCounts(db, [id]);
  return { ...summaryOf(row, linked.get(id) ?? 0), fields: fieldsOfTemplate(row.fields) };
}

function checkLegalBasis(fields: TemplateFields, kinds: string[]) {
  const errors = legalBasisErrors(fields.legalBasis, kinds, 'body.fields.legalBasis');
  if (errors.length > 0) throw invalid(errors[0].message, errors);
}

export async function createTemplate(
  db: Executor,
  input: { code: string; name: string; applicableKinds: string[]; fields: TemplateFields },
  actorUserId: string | null,
) {
  const fields = fieldsOfTemplate(input.fields);
  checkLegalBasis(fields, input.applicableKinds);
  const [existing] = await db
    .select({ id: rgpdTemplates.id })
    .from(rgpdTemplates)
    .where(eq(rgpdTemplates.code, input.code));
  if (existing)
    throw conflict(`Un modèle porte déjà le code « ${input.code} ».`, [
      { path: 'body.code', message: 'code déjà utilisé' },
    ]);
  const [row] = await db
    .insert(rgpdTemplates)
    .values({
      code: input.code,
      name: input.name,
      applicableKinds: input.applicableKinds,
      fields,
      version: 1,
      updatedBy: actorUserId,
    })
    .returning();
  await db.insert(rgpdTemplateVersions).values({ templateId: row.id, version: 1, snapshot: fields });
  return getTemplate(db, row.id);
}

/**
 * Changing the fields publishes a new version (kept in rgpd_template_versions, the base of the merge
 * offered to linked processings); renaming the template or its kinds alone does not.
 */
export async function updateTemplate(
  db: Executor,
  id: string,
  patch: { name?: string; applicableKinds?: string[]; fields?: Partial<TemplateFields> },
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
  await db
    .update(rgpdTemplates)
    .set({
      name: patch.name ?? row.name,
      applicableKinds: kinds,
      fields: next,
      version,
      updatedAt: new Date(),
      updatedBy: actorUserId,
    })
    .where(eq(rgpdTemplates.id, id));
  if (fieldsChanged) {
    await db.insert(rgpdTemplateVersions).values({ templateId: id, version, snapshot: next });
  }
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
  actorUserId: string | null,
): Promise<ApplyReport> {
  const row = await requireTemplate(db, id);
  const targets = target.memberIds
    ? await resolveTargets(db, target.memberIds)
    : await repo.membersByTerritory(db, target);
  const heldBy = await repo.membersHoldingTemplate(
    db,
    id,
    targets.filter((t) => t.kind !== null).map((t) => t.id),
  );
  return createForMembers(
    db,
    targets,
    {
      fields: fieldsOfTemplate(row.fields),
      templateId: row.id,
      templateVersion: row.version,
      applicableKinds: row.applicableKinds,
      heldBy,
    },
    actorUserId,
  );
}
