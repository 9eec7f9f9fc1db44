import type { Executor } from '../../../platform/db/client.js';
import { conflict, notFound } from '../../../platform/errors.js';
import * as repo from './rgpd.processors.repository.js';

function present(row: repo.ProcessorRow, linked: number | string) {
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

/**
 * The shared directory. The link count is what the current request may see (RLS): the whole
 * operator's count for the DPO, the member's own links for a member.
 */
export async function listProcessors(db: Executor, query: { q?: string }) {
  const rows = await repo.listProcessors(db, query.q);
  return { items: rows.map((r) => present(r.row, r.linked)), total: rows.length, nextCursor: null };
}

export async function getProcessor(db: Executor, id: string) {
  const row = await repo.findProcessor(db, id);
  if (!row) throw notFound('Ce sous-traitant n’existe pas dans l’annuaire.');
  return present(row.row, row.linked);
}

export async function createProcessor(db: Executor, input: repo.ProcessorInsert) {
  return present(await repo.insertProcessor(db, input), 0);
}

export async function updateProcessor(db: Executor, id: string, patch: Partial<repo.ProcessorInsert>) {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (!(await repo.updateProcessor(db, id, defined))) {
    throw notFound('Ce sous-traitant n’existe pas dans l’annuaire.');
  }
  return getProcessor(db, id);
}

export async function deleteProcessor(db: Executor, id: string) {
  const current = await getProcessor(db, id);
  if (current.linkedProcessings > 0) {
    throw conflict(
      `Ce sous-traitant est lié à ${current.linkedProcessings} traitement(s) : retirez-le de ces traitements avant de le supprimer.`,
    );
  }
  await repo.deleteProcessor(db, id);
}

/** Which of `ids` are processors of the directory (to check the links a processing or service names). */
export function knownProcessorIds(db: Executor, ids: string[]): Promise<Set<string>> {
  return repo.existingProcessorIds(db, ids);
}
