import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client.js';
import { users } from '../accounts/accounts.schema.js';
import { memberDocuments, membershipEvents } from './members.schema.js';

/** The dated, attributed history of a membership: one row per step, with its document and author. */

export async function insertMembershipEvent(db: Executor, values: typeof membershipEvents.$inferInsert) {
  const [row] = await db.insert(membershipEvents).values(values).returning();
  return row;
}

export function listMembershipEvents(db: Executor, memberId: string) {
  return db
    .select({
      id: membershipEvents.id,
      memberId: membershipEvents.memberId,
      fromStatus: membershipEvents.fromStatus,
      toStatus: membershipEvents.toStatus,
      effectiveOn: membershipEvents.effectiveOn,
      decisionReference: membershipEvents.decisionReference,
      documentId: memberDocuments.id,
      documentTitle: memberDocuments.title,
      note: membershipEvents.note,
      actorId: users.id,
      actorName: users.displayName,
      createdAt: membershipEvents.createdAt,
    })
    .from(membershipEvents)
    .leftJoin(users, eq(users.id, membershipEvents.actorUserId))
    .leftJoin(
      memberDocuments,
      and(
        eq(memberDocuments.id, membershipEvents.documentId),
        eq(memberDocuments.memberId, membershipEvents.memberId),
      ),
    )
    .where(eq(membershipEvents.memberId, memberId))
    .orderBy(desc(membershipEvents.createdAt), desc(membershipEvents.id));
}
