import { asc, count, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../platform/db/client.js';
import { conflict, notFound } from '../../../platform/errors.js';
import { rgpdProcessingProcessors, rgpdProcessors } from '../rgpd.schema.js';

type ProcessorRow = typeof rgpdProcessors.$inferSelect;
type ProcessorInsert = typeof rgpdProcessors.$inferInsert;

const linkedCount = count(rgpdProcessingProcessors.processingId);

function present(row: ProcessorRow, linked: number | string) {
  return {
    id: row.id,
    name: row.name,
    siren: row.siren,
    contractClausesChecked: row.contractClausesChecked,
    ownRegistry: row.ownRegistry,
    dpoContact: row.dpoContact,
    transfersOutsideEu: row.transfersOutsideEu,
    transferDetails: row.transferDetails,
    isOperator: row.isOperator,
    linkedProcessings: Number(linked),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function select(db: Executor, where?: SQL) {
  return db
    .select({ row: rgpdProcessors, linked: linkedCount })
    .from(rgpdProcessors)
    .leftJoin(rgpdProcessingProcessors, eq(rgpdProcessingProcessors.processorId, rgpdProcessors.id))
    .where(where)
    .groupBy(rgpdProcessors.id)
    .orderBy(asc(rgpdProcessors.name), asc(rgpdProcessors.id));
}

/**
 * The shared directory. The link count is what the current request may see (RLS): the whole
 * operator's count for the DPO, the member's own links for a member.
 */
export async function listProcessors(db: Executor, query: { q?: string }) {
  const like = query.q ? `%${query.q.replace(/[%_\\]/g, '\\$&')}%` : null;
  const rows = await select(
    db,
    like ? or(ilike(rgpdProcessors.name, like), ilike(rgpdProcessors.dpoContact, like)) : undefined,
  );
  return { items: rows.map((r) => present(r.row, r.linked)), total: rows.length, nextCursor: null };
}

export async function getProcessor(db: Executor, id: string) {
  const [row] = await select(db, eq(rgpdProcessors.id, id));
  if (!row) throw notFound('Ce sous-traitant n’existe pas dans l’annuaire.');
  return present(row.row, row.linked);
}

export async function createProcessor(db: Executor, input: ProcessorInsert) {
  const [row] = await db.insert(rgpdProcessors).values(input).returning();
  return present(row, 0);
}

export async function updateProcessor(db: Executor, id: string, patch: Partial<ProcessorInsert>) {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const rows = await db
    .update(rgpdProcessors)
    .set({ ...defined, updatedAt: new Date() })
    .where(eq(rgpdProcessors.id, id))
    .returning({ id: rgpdProcessors.id });
  if (rows.length === 0) throw notFound('Ce sous-traitant n’existe pas dans l’annuaire.');
  return getProcessor(db, id);
}

export async function deleteProcessor(db: Executor, id: string) {
  const current = await getProcessor(db, id);
  if (current.linkedProcessings > 0) {
    throw conflict(
      `Ce sous-traitant est lié à ${current.linkedProcessings} traitement(s) : retirez-le de ces traitements avant de le supprimer.`,
    );
  }
  await db.delete(rgpdProcessors).where(eq(rgpdProcessors.id, id));
}
