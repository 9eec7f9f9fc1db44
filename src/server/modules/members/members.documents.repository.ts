import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client.js';
import { memberDocuments } from './members.schema.js';

/** A member's documents (délibérations, conventions…): metadata rows; the files are in object storage. */

export type DocumentRow = typeof memberDocuments.$inferSelect;

export function listDocuments(db: Executor, memberId: string): Promise<DocumentRow[]> {
  return db
    .select()
    .from(memberDocuments)
    .where(eq(memberDocuments.memberId, memberId))
    .orderBy(desc(memberDocuments.createdAt), desc(memberDocuments.id));
}

export async function findDocument(db: Executor, memberId: string, documentId: string) {
  const [row] = await db
    .select()
    .from(memberDocuments)
    .where(and(eq(memberDocuments.memberId, memberId), eq(memberDocuments.id, documentId)));
  return row ?? null;
}

export async function insertDocument(
  db: Executor,
  values: typeof memberDocuments.$inferInsert,
): Promise<DocumentRow> {
  const [row] = await db.insert(memberDocuments).values(values).returning();
  return row;
}

/**
 * Every document's storage key, all members together: the start-up storage sweep
 * (platform/storage/sweep.ts) keeps these files. Run as the operator.
 */
export async function listAllStorageKeys(db: Executor): Promise<string[]> {
  const rows = await db.select({ key: memberDocuments.storageKey }).from(memberDocuments);
  return rows.map((r) => r.key);
}
