import { asc, count, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import { now } from '../../../platform/clock.js';
import type { Executor } from '../../../platform/db/client.js';
import { rgpdProcessingProcessors, rgpdProcessors } from '../rgpd.schema.js';

export type ProcessorRow = typeof rgpdProcessors.$inferSelect;
export type ProcessorInsert = typeof rgpdProcessors.$inferInsert;

const linkedCount = count(rgpdProcessingProcessors.processingId);

/** Processors with the number of processings linked to each (as far as RLS lets the request see). */
async function select(db: Executor, where?: SQL) {
  return db
    .select({ row: rgpdProcessors, linked: linkedCount })
    .from(rgpdProcessors)
    .leftJoin(rgpdProcessingProcessors, eq(rgpdProcessingProcessors.processorId, rgpdProcessors.id))
    .where(where)
    .groupBy(rgpdProcessors.id)
    .orderBy(asc(rgpdProcessors.name), asc(rgpdProcessors.id));
}

export async function listProcessors(db: Executor, q: string | undefined) {
  const like = q ? `%${q.replace(/[%_\\]/g, '\\$&')}%` : null;
  return select(
    db,
    like ? or(ilike(rgpdProcessors.name, like), ilike(rgpdProcessors.dpoContact, like)) : undefined,
  );
}

export async function findProcessor(db: Executor, id: string) {
  const [row] = await select(db, eq(rgpdProcessors.id, id));
  return row ?? null;
}

export async function insertProcessor(db: Executor, values: ProcessorInsert): Promise<ProcessorRow> {
  const [row] = await db.insert(rgpdProcessors).values(values).returning();
  return row;
}

/** Whether a row was updated. */
export async function updateProcessor(
  db: Executor,
  id: string,
  values: Partial<ProcessorInsert>,
): Promise<boolean> {
  const rows = await db
    .update(rgpdProcessors)
    .set({ ...values, updatedAt: now() })
    .where(eq(rgpdProcessors.id, id))
    .returning({ id: rgpdProcessors.id });
  return rows.length > 0;
}

export async function deleteProcessor(db: Executor, id: string): Promise<void> {
  await db.delete(rgpdProcessors).where(eq(rgpdProcessors.id, id));
}

/** Which of `ids` are in the directory. */
export async function existingProcessorIds(db: Executor, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: rgpdProcessors.id })
    .from(rgpdProcessors)
    .where(inArray(rgpdProcessors.id, ids));
  return new Set(rows.map((r) => r.id));
}
