import { and, asc, count, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { ProcessingStatus, TemplateFields } from '../../../../contracts/rgpd.js';
import { searchKey } from '../../../../contracts/search.js';
import { users } from '../../../kernel/identity.schema.js';
import { now } from '../../../platform/clock.js';
import { type Executor, toCount } from '../../../platform/db/client.js';
import { afterCursor, type CursorValue } from '../../../platform/http/pagination.js';
import {
  rgpdProcessingProcessors,
  rgpdProcessings,
  rgpdProcessingVersions,
  rgpdProcessors,
  rgpdTemplates,
  rgpdTemplateVersions,
} from '../rgpd.schema.js';
import type { ProcessingSnapshot } from './rgpd.processings.rules.js';

export type ProcessingRow = typeof rgpdProcessings.$inferSelect;
type ProcessingInsert = typeof rgpdProcessings.$inferInsert;

/** Rows per INSERT: 31 columns × 1,000 stays well under PostgreSQL's 65,535 bind parameters. */
const CHUNK = 1000;

const summaryColumns = {
  row: rgpdProcessings,
  templateCurrentVersion: rgpdTemplates.version,
  templateName: rgpdTemplates.name,
};

export async function listProcessings(
  db: Executor,
  memberId: string,
  filter: { q?: string; status?: ProcessingStatus },
  cursor: { sortValue: CursorValue; id: string } | null,
  limit: number,
) {
  const conditions: (SQL | undefined)[] = [eq(rgpdProcessings.memberId, memberId)];
  if (filter.status) conditions.push(eq(rgpdProcessings.status, filter.status));
  if (filter.q) {
    const like = `%${filter.q.replace(/[%_\\]/g, '\\$&')}%`;
    conditions.push(or(ilike(rgpdProcessings.name, like), ilike(rgpdProcessings.purposes, like)));
  }
  const [{ n }] = await db
    .select({ n: count() })
    .from(rgpdProcessings)
    .where(and(...conditions));
  const rows = await db
    .select(summaryColumns)
    .from(rgpdProcessings)
    .leftJoin(rgpdTemplates, eq(rgpdTemplates.id, rgpdProcessings.templateId))
    .where(and(...conditions, afterCursor(rgpdProcessings.name, rgpdProcessings.id, cursor)))
    .orderBy(asc(rgpdProcessings.name), asc(rgpdProcessings.id))
    .limit(limit + 1);
  return { total: toCount(n), rows };
}

export async function allProcessingsOf(db: Executor, memberId: string) {
  return db
    .select(summaryColumns)
    .from(rgpdProcessings)
    .leftJoin(rgpdTemplates, eq(rgpdTemplates.id, rgpdProcessings.templateId))
    .where(eq(rgpdProcessings.memberId, memberId))
    .orderBy(asc(rgpdProcessings.name), asc(rgpdProcessings.id));
}

export async function findProcessing(db: Executor, memberId: string, id: string) {
  const [row] = await db
    .select(summaryColumns)
    .from(rgpdProcessings)
    .leftJoin(rgpdTemplates, eq(rgpdTemplates.id, rgpdProcessings.templateId))
    .where(and(eq(rgpdProcessings.memberId, memberId), eq(rgpdProcessings.id, id)));
  return row ?? null;
}

/** Processors linked to each processing, by processing id. */
export async function processorsOf(db: Executor, memberId: string, processingIds: string[]) {
  const byProcessing = new Map<string, { id: string; name: string }[]>();
  if (processingIds.length === 0) return byProcessing;
  const rows = await db
    .select({
      processingId: rgpdProcessingProcessors.processingId,
      id: rgpdProcessors.id,
      name: rgpdProcessors.name,
    })
    .from(rgpdProcessingProcessors)
    .innerJoin(rgpdProcessors, eq(rgpdProcessors.id, rgpdProcessingProcessors.processorId))
    .where(
      and(
        eq(rgpdProcessingProcessors.memberId, memberId),
        inArray(rgpdProcessingProcessors.processingId, processingIds),
      ),
    )
    .orderBy(asc(rgpdProcessors.name));
  for (const r of rows) {
    const list = byProcessing.get(r.processingId) ?? [];
    list.push({ id: r.id, name: r.name });
    byProcessing.set(r.processingId, list);
  }
  return byProcessing;
}

/** Column values of a snapshot (everything but the processor links). */
export function columnsOf(s: ProcessingSnapshot) {
  return {
    name: s.name,
    purposes: s.purposes,
    legalBasis: s.legalBasis,
    legalBasisJustification: s.legalBasisJustification,
    sensitiveData: s.sensitiveData,
    sensitiveException: s.sensitiveException,
    dataSubjects: s.dataSubjects,
    dataCategories: s.dataCategories,
    sources: s.sources,
    collectionMethod: s.collectionMethod,
    recipients: s.recipients,
    transfers: s.transfers,
    retention: s.retention,
    securityMeasures: s.securityMeasures,
    software: s.software,
    department: s.department,
    status: s.status,
    lastReviewOn: s.lastReviewOn,
    nextReviewOn: s.nextReviewOn,
    dpiaCriteria: s.dpiaCriteria,
    dpiaStatus: s.dpiaStatus,
    dpiaNotRequiredReason: s.dpiaNotRequiredReason,
    isPublic: s.isPublic,
  } satisfies Partial<ProcessingInsert>;
}

export function snapshotOfRow(row: ProcessingRow, processorIds: string[]): ProcessingSnapshot {
  return {
    ...templateFieldsOfRow(row),
    status: row.status,
    lastReviewOn: row.lastReviewOn,
    nextReviewOn: row.nextReviewOn,
    dpiaStatus: row.dpiaStatus,
    dpiaNotRequiredReason: row.dpiaNotRequiredReason,
    isPublic: row.isPublic,
    processorIds: [...processorIds].sort(),
  };
}

export function templateFieldsOfRow(row: ProcessingRow): TemplateFields {
  return {
    name: row.name,
    purposes: row.purposes,
    legalBasis: row.legalBasis,
    legalBasisJustification: row.legalBasisJustification,
    sensitiveData: row.sensitiveData,
    sensitiveException: row.sensitiveException,
    dataSubjects: row.dataSubjects,
    dataCategories: row.dataCategories,
    sources: row.sources,
    collectionMethod: row.collectionMethod,
    recipients: row.recipients,
    transfers: row.transfers,
    retention: row.retention,
    securityMeasures: row.securityMeasures,
    software: row.software,
    department: row.department,
    dpiaCriteria: row.dpiaCriteria,
  };
}

export interface NewProcessing {
  /** Given by seeds for stable ids; drawn at random otherwise. */
  id?: string;
  memberId: string;
  snapshot: ProcessingSnapshot;
  completion: number;
  templateId?: string | null;
  templateVersion?: number | null;
}

/**
 * Inserts processings with their first version and processor links, in chunks. Rows that would give
 * a member the same template twice are skipped (ON CONFLICT on the partial unique index), so a
 * concurrent application cannot duplicate them; the caller learns which were created.
 */
export async function insertProcessings(
  db: Executor,
  items: NewProcessing[],
  actorUserId: string | null,
  changesOf: (item: NewProcessing) => unknown[],
): Promise<{ id: string; memberId: string; index: number }[]> {
  const created: { id: string; memberId: string; index: number }[] = [];
  for (let start = 0; start < items.length; start += CHUNK) {
    const chunk = items.slice(start, start + CHUNK);
    const ids = chunk.map((item) => item.id ?? crypto.randomUUID());
    const inserted = await db
      .insert(rgpdProcessings)
      .values(
        chunk.map((item, i) => ({
          id: ids[i],
          memberId: item.memberId,
          templateId: item.templateId ?? null,
          templateVersion: item.templateVersion ?? null,
          ...columnsOf(item.snapshot),
          completion: item.completion,
        })),
      )
      .onConflictDoNothing({
        target: [rgpdProcessings.memberId, rgpdProcessings.templateId],
        where: sql`template_id IS NOT NULL`,
      })
      .returning({ id: rgpdProcessings.id, memberId: rgpdProcessings.memberId });
    const insertedIds = new Set(inserted.map((r) => r.id));
    const kept = chunk
      .map((item, i) => ({ item, id: ids[i], index: start + i }))
      .filter((k) => insertedIds.has(k.id));
    if (kept.length === 0) continue;
    await db.insert(rgpdProcessingVersions).values(
      kept.map((k) => ({
        memberId: k.item.memberId,
        processingId: k.id,
        version: 1,
        actorUserId,
        snapshot: k.item.snapshot as unknown as Record<string, unknown>,
        changes: changesOf(k.item) as { field: string; before: unknown; after: unknown }[],
      })),
    );
    const links = kept.flatMap((k) =>
      k.item.snapshot.processorIds.map((processorId) => ({
        memberId: k.item.memberId,
        processingId: k.id,
        processorId,
      })),
    );
    for (let l = 0; l < links.length; l += CHUNK * 3) {
      await db.insert(rgpdProcessingProcessors).values(links.slice(l, l + CHUNK * 3));
    }
    for (const k of kept) created.push({ id: k.id, memberId: k.item.memberId, index: k.index });
  }
  return created;
}

export async function updateProcessingRow(
  db: Executor,
  memberId: string,
  id: string,
  values: Partial<ProcessingInsert>,
) {
  await db
    .update(rgpdProcessings)
    .set({ ...values, updatedAt: now() })
    .where(and(eq(rgpdProcessings.memberId, memberId), eq(rgpdProcessings.id, id)));
}

export async function replaceProcessorLinks(
  db: Executor,
  memberId: string,
  processingId: string,
  processorIds: string[],
) {
  await db
    .delete(rgpdProcessingProcessors)
    .where(
      and(
        eq(rgpdProcessingProcessors.memberId, memberId),
        eq(rgpdProcessingProcessors.processingId, processingId),
      ),
    );
  if (processorIds.length > 0) {
    await db
      .insert(rgpdProcessingProcessors)
      .values(processorIds.map((processorId) => ({ memberId, processingId, processorId })));
  }
}

export async function insertVersion(
  db: Executor,
  values: typeof rgpdProcessingVersions.$inferInsert,
): Promise<void> {
  await db.insert(rgpdProcessingVersions).values(values);
}

export async function deleteProcessing(db: Executor, memberId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(rgpdProcessings)
    .where(and(eq(rgpdProcessings.memberId, memberId), eq(rgpdProcessings.id, id)))
    .returning({ id: rgpdProcessings.id });
  return rows.length > 0;
}

const versionColumns = {
  version: rgpdProcessingVersions.version,
  at: rgpdProcessingVersions.at,
  actorUserId: rgpdProcessingVersions.actorUserId,
  actorName: users.displayName,
  changes: rgpdProcessingVersions.changes,
};

export async function listVersions(db: Executor, memberId: string, processingId: string) {
  return db
    .select(versionColumns)
    .from(rgpdProcessingVersions)
    .leftJoin(users, eq(users.id, rgpdProcessingVersions.actorUserId))
    .where(
      and(
        eq(rgpdProcessingVersions.memberId, memberId),
        eq(rgpdProcessingVersions.processingId, processingId),
      ),
    )
    .orderBy(desc(rgpdProcessingVersions.version));
}

export async function findVersion(db: Executor, memberId: string, processingId: string, version: number) {
  const [row] = await db
    .select({ ...versionColumns, snapshot: rgpdProcessingVersions.snapshot })
    .from(rgpdProcessingVersions)
    .leftJoin(users, eq(users.id, rgpdProcessingVersions.actorUserId))
    .where(
      and(
        eq(rgpdProcessingVersions.memberId, memberId),
        eq(rgpdProcessingVersions.processingId, processingId),
        eq(rgpdProcessingVersions.version, version),
      ),
    );
  return row ?? null;
}

export async function findTemplateVersionSnapshot(db: Executor, templateId: string, version: number) {
  const [row] = await db
    .select({ snapshot: rgpdTemplateVersions.snapshot })
    .from(rgpdTemplateVersions)
    .where(and(eq(rgpdTemplateVersions.templateId, templateId), eq(rgpdTemplateVersions.version, version)));
  return row?.snapshot ?? null;
}

/** Members (among `memberIds`) that already hold a processing from `templateId`. */
export async function membersHoldingTemplate(db: Executor, templateId: string, memberIds: string[]) {
  const held = new Map<string, string>();
  for (let start = 0; start < memberIds.length; start += CHUNK * 5) {
    const rows = await db
      .select({ memberId: rgpdProcessings.memberId, id: rgpdProcessings.id })
      .from(rgpdProcessings)
      .where(
        and(
          eq(rgpdProcessings.templateId, templateId),
          inArray(rgpdProcessings.memberId, memberIds.slice(start, start + CHUNK * 5)),
        ),
      );
    for (const r of rows) held.set(r.memberId, r.id);
  }
  return held;
}

/** Members (among `memberIds`) that already hold a processing of that name (accent- and case-blind). */
export async function membersHoldingName(db: Executor, name: string, memberIds: string[]) {
  if (memberIds.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ memberId: rgpdProcessings.memberId, id: rgpdProcessings.id, name: rgpdProcessings.name })
    .from(rgpdProcessings)
    .where(inArray(rgpdProcessings.memberId, memberIds));
  const key = searchKey(name);
  return new Map(rows.filter((r) => searchKey(r.name) === key).map((r) => [r.memberId, r.id]));
}

export async function registryCounts(db: Executor, memberId: string, today: string) {
  const [row] = await db
    .select({
      processings: count(),
      completionSum: sql<number>`COALESCE(SUM(${rgpdProcessings.completion}), 0)`,
      validated: sql<number>`COUNT(*) FILTER (WHERE ${rgpdProcessings.status} = 'validated')`,
      dpiaRequiredNotDone: sql<number>`COUNT(*) FILTER (WHERE cardinality(${rgpdProcessings.dpiaCriteria}) >= 2 AND ${rgpdProcessings.dpiaStatus} IN ('not_started', 'in_progress'))`,
      dueForReview: sql<number>`COUNT(*) FILTER (WHERE ${rgpdProcessings.nextReviewOn} <= ${today})`,
      templateUpdates: sql<number>`COUNT(*) FILTER (WHERE ${rgpdTemplates.version} > COALESCE(${rgpdProcessings.templateVersion}, 0))`,
    })
    .from(rgpdProcessings)
    .leftJoin(rgpdTemplates, eq(rgpdTemplates.id, rgpdProcessings.templateId))
    .where(eq(rgpdProcessings.memberId, memberId));
  return {
    processings: toCount(row.processings),
    completionSum: toCount(row.completionSum),
    validated: toCount(row.validated),
    dpiaRequiredNotDone: toCount(row.dpiaRequiredNotDone),
    dueForReview: toCount(row.dueForReview),
    templateUpdates: toCount(row.templateUpdates),
  };
}

export async function publicProcessingsOf(db: Executor, memberId: string) {
  return db
    .select()
    .from(rgpdProcessings)
    .where(and(eq(rgpdProcessings.memberId, memberId), eq(rgpdProcessings.isPublic, true)))
    .orderBy(asc(rgpdProcessings.name), asc(rgpdProcessings.id));
}
