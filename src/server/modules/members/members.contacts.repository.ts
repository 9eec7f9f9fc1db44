import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client.js';
import { memberContacts } from './members.schema.js';

/** A member's contacts (maire, DGS, référents, délégués): member-owned rows, always filtered by member. */

export type ContactRow = typeof memberContacts.$inferSelect;

export function listContacts(db: Executor, memberId: string): Promise<ContactRow[]> {
  return db
    .select()
    .from(memberContacts)
    .where(eq(memberContacts.memberId, memberId))
    .orderBy(asc(memberContacts.role), asc(memberContacts.lastName), asc(memberContacts.id));
}

export async function findContact(db: Executor, memberId: string, contactId: string) {
  const [row] = await db
    .select()
    .from(memberContacts)
    .where(and(eq(memberContacts.memberId, memberId), eq(memberContacts.id, contactId)));
  return row ?? null;
}

export async function insertContact(
  db: Executor,
  values: typeof memberContacts.$inferInsert,
): Promise<ContactRow> {
  const [row] = await db.insert(memberContacts).values(values).returning();
  return row;
}

export async function updateContact(
  db: Executor,
  memberId: string,
  contactId: string,
  values: Partial<typeof memberContacts.$inferInsert>,
): Promise<ContactRow | null> {
  const [row] = await db
    .update(memberContacts)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(memberContacts.memberId, memberId), eq(memberContacts.id, contactId)))
    .returning();
  return row ?? null;
}

export async function deleteContact(db: Executor, memberId: string, contactId: string): Promise<boolean> {
  const rows = await db
    .delete(memberContacts)
    .where(and(eq(memberContacts.memberId, memberId), eq(memberContacts.id, contactId)))
    .returning({ id: memberContacts.id });
  return rows.length > 0;
}
