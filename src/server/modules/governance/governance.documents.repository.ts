import { and, asc, eq, sql } from 'drizzle-orm';
import { type Executor, toCount } from '../../platform/db/client.js';
import { governanceItemDocuments, governanceItems } from './governance.schema.js';

/** Queries of agenda items' documents; every one names the organisation holding the assembly. */

export type ItemDocumentRow = typeof governanceItemDocuments.$inferSelect;

export async function findItem(db: Executor, memberId: string, sessionId: string, itemId: string) {
  const [row] = await db
    .select({ id: governanceItems.id })
    .from(governanceItems)
    .where(
      and(
        eq(governanceItems.memberId, memberId),
        eq(governanceItems.sessionId, sessionId),
        eq(governanceItems.id, itemId),
      ),
    );
  return row ?? null;
}

export async function countItemDocuments(db: Executor, memberId: string, itemId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(governanceItemDocuments)
    .where(and(eq(governanceItemDocuments.memberId, memberId), eq(governanceItemDocuments.itemId, itemId)));
  return toCount(row?.n);
}

export async function insertItemDocument(db: Executor, values: typeof governanceItemDocuments.$inferInsert) {
  const [row] = await db.insert(governanceItemDocuments).values(values).returning();
  if (!row) throw new Error('document insert returned nothing');
  return row;
}

export async function findItemDocument(
  db: Executor,
  memberId: string,
  sessionId: string,
  documentId: string,
) {
  const [row] = await db
    .select()
    .from(governanceItemDocuments)
    .where(
      and(
        eq(governanceItemDocuments.memberId, memberId),
        eq(governanceItemDocuments.sessionId, sessionId),
        eq(governanceItemDocuments.id, documentId),
      ),
    );
  return row ?? null;
}

/** A session's documents, by item then upload order. */
export function listSessionDocuments(db: Executor, memberId: string, sessionId: string) {
  return db
    .select()
    .from(governanceItemDocuments)
    .where(
      and(eq(governanceItemDocuments.memberId, memberId), eq(governanceItemDocuments.sessionId, sessionId)),
    )
    .orderBy(asc(governanceItemDocuments.createdAt), asc(governanceItemDocuments.id));
}

export async function listAllStorageKeys(db: Executor): Promise<string[]> {
  const rows = await db.select({ key: governanceItemDocuments.storageKey }).from(governanceItemDocuments);
  return rows.map((r) => r.key);
}
