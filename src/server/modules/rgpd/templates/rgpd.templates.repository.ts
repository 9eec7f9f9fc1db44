import { and, asc, count, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { MemberKind } from '../../../../contracts/members.js';
import type { TemplateFields } from '../../../../contracts/rgpd.js';
import { now } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { catalogueServices } from '../../catalogue/catalogue.schema.js';
import { subscriptions } from '../../subscriptions/subscriptions.schema.js';
import {
  rgpdProcessings,
  rgpdProcessors,
  rgpdServiceProcessors,
  rgpdServiceTemplates,
  rgpdTemplates,
  rgpdTemplateVersions,
} from '../rgpd.schema.js';

export type TemplateRow = typeof rgpdTemplates.$inferSelect;

// Templates ---------------------------------------------------------------------------------------

/** Processings following each template (as far as RLS lets the request see), by template id. */
export async function linkedCounts(db: Executor, templateIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (templateIds.length === 0) return counts;
  const rows = await db
    .select({ templateId: rgpdProcessings.templateId, n: count() })
    .from(rgpdProcessings)
    .where(inArray(rgpdProcessings.templateId, templateIds))
    .groupBy(rgpdProcessings.templateId);
  for (const r of rows) if (r.templateId) counts.set(r.templateId, Number(r.n));
  return counts;
}

export async function listTemplates(db: Executor, filter: { q?: string; kind?: MemberKind }) {
  const conditions: (SQL | undefined)[] = [];
  if (filter.q) {
    const like = `%${filter.q.replace(/[%_\\]/g, '\\$&')}%`;
    conditions.push(or(ilike(rgpdTemplates.name, like), ilike(rgpdTemplates.code, like)));
  }
  if (filter.kind) {
    conditions.push(
      sql`(cardinality(${rgpdTemplates.applicableKinds}) = 0 OR ${filter.kind} = ANY(${rgpdTemplates.applicableKinds}))`,
    );
  }
  return db
    .select()
    .from(rgpdTemplates)
    .where(and(...conditions))
    .orderBy(asc(rgpdTemplates.name), asc(rgpdTemplates.id));
}

export async function findTemplate(db: Executor, id: string): Promise<TemplateRow | null> {
  const [row] = await db.select().from(rgpdTemplates).where(eq(rgpdTemplates.id, id));
  return row ?? null;
}

export async function codeIsTaken(db: Executor, code: string): Promise<boolean> {
  const [row] = await db
    .select({ id: rgpdTemplates.id })
    .from(rgpdTemplates)
    .where(eq(rgpdTemplates.code, code));
  return !!row;
}

/** A new template at version 1, and that version's snapshot. */
export async function insertTemplate(
  db: Executor,
  values: {
    code: string;
    name: string;
    applicableKinds: MemberKind[];
    fields: TemplateFields;
    updatedBy: string | null;
  },
): Promise<string> {
  const [row] = await db
    .insert(rgpdTemplates)
    .values({ ...values, version: 1 })
    .returning({ id: rgpdTemplates.id });
  await db.insert(rgpdTemplateVersions).values({ templateId: row.id, version: 1, snapshot: values.fields });
  return row.id;
}

export async function updateTemplate(
  db: Executor,
  id: string,
  values: {
    name: string;
    applicableKinds: MemberKind[];
    fields: TemplateFields;
    version: number;
    updatedBy: string | null;
  },
): Promise<void> {
  await db
    .update(rgpdTemplates)
    .set({ ...values, updatedAt: now() })
    .where(eq(rgpdTemplates.id, id));
}

export async function insertTemplateVersion(
  db: Executor,
  templateId: string,
  version: number,
  snapshot: TemplateFields,
): Promise<void> {
  await db.insert(rgpdTemplateVersions).values({ templateId, version, snapshot });
}

// Catalogue link ----------------------------------------------------------------------------------

/** Subscriptions that make a member a service's user: requested or active. */
const LIVE_SUBSCRIPTION = ['requested', 'active'] as const;

export async function findService(db: Executor, serviceId: string) {
  const [row] = await db
    .select({ id: catalogueServices.id, name: catalogueServices.name })
    .from(catalogueServices)
    .where(eq(catalogueServices.id, serviceId));
  return row ?? null;
}

/** Templates implied by the services, by name, with the service implying each. */
export async function impliedTemplates(db: Executor, serviceIds: string[]) {
  if (serviceIds.length === 0) return [];
  return db
    .select({
      serviceId: rgpdServiceTemplates.serviceId,
      id: rgpdTemplates.id,
      code: rgpdTemplates.code,
      name: rgpdTemplates.name,
      kinds: rgpdTemplates.applicableKinds,
    })
    .from(rgpdServiceTemplates)
    .innerJoin(rgpdTemplates, eq(rgpdTemplates.id, rgpdServiceTemplates.templateId))
    .where(inArray(rgpdServiceTemplates.serviceId, serviceIds))
    .orderBy(asc(rgpdTemplates.name));
}

/** Processors implied by the services, by name, with the service implying each. */
export async function impliedProcessors(db: Executor, serviceIds: string[]) {
  if (serviceIds.length === 0) return [];
  return db
    .select({ serviceId: rgpdServiceProcessors.serviceId, id: rgpdProcessors.id, name: rgpdProcessors.name })
    .from(rgpdServiceProcessors)
    .innerJoin(rgpdProcessors, eq(rgpdProcessors.id, rgpdServiceProcessors.processorId))
    .where(inArray(rgpdServiceProcessors.serviceId, serviceIds))
    .orderBy(asc(rgpdProcessors.name));
}

/** Which of `ids` are templates of the library. */
export async function existingTemplateIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: rgpdTemplates.id })
    .from(rgpdTemplates)
    .where(inArray(rgpdTemplates.id, ids));
  return new Set(rows.map((r) => r.id));
}

/** Replaces the templates and processors a service implies. */
export async function replaceServiceImplied(
  db: Executor,
  serviceId: string,
  templateIds: string[],
  processorIds: string[],
): Promise<void> {
  await db.delete(rgpdServiceTemplates).where(eq(rgpdServiceTemplates.serviceId, serviceId));
  await db.delete(rgpdServiceProcessors).where(eq(rgpdServiceProcessors.serviceId, serviceId));
  if (templateIds.length) {
    await db
      .insert(rgpdServiceTemplates)
      .values(templateIds.map((templateId) => ({ serviceId, templateId })));
  }
  if (processorIds.length) {
    await db
      .insert(rgpdServiceProcessors)
      .values(processorIds.map((processorId) => ({ serviceId, processorId })));
  }
}

/** The services the member has a live subscription to. */
export async function subscribedServices(db: Executor, memberId: string) {
  return db
    .select({ id: catalogueServices.id, name: catalogueServices.name })
    .from(subscriptions)
    .innerJoin(catalogueServices, eq(catalogueServices.id, subscriptions.serviceId))
    .where(and(eq(subscriptions.memberId, memberId), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION])));
}

/** Which of `templateIds` the member's registry already follows. */
export async function templatesHeldBy(
  db: Executor,
  memberId: string,
  templateIds: string[],
): Promise<Set<string>> {
  if (templateIds.length === 0) return new Set();
  const rows = await db
    .select({ templateId: rgpdProcessings.templateId })
    .from(rgpdProcessings)
    .where(and(eq(rgpdProcessings.memberId, memberId), inArray(rgpdProcessings.templateId, templateIds)));
  return new Set(rows.flatMap((r) => (r.templateId ? [r.templateId] : [])));
}
