import { and, desc, eq, inArray, isNotNull, notExists, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client.js';
import { governanceMinutes, governanceSessions } from './governance.schema.js';

/** Queries of procès-verbaux; every one names the organisation holding the assembly. */

export type MinutesRow = typeof governanceMinutes.$inferSelect;

export async function findMinutes(db: Executor, memberId: string, sessionId: string, forUpdate = false) {
  const query = db
    .select()
    .from(governanceMinutes)
    .where(and(eq(governanceMinutes.memberId, memberId), eq(governanceMinutes.sessionId, sessionId)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

/** The adopted procès-verbal with the date of the session that adopted it. */
export async function findMinutesWithAdopter(db: Executor, memberId: string, sessionId: string) {
  const [row] = await db
    .select({ minutes: governanceMinutes, adopterStartsAt: governanceSessions.startsAt })
    .from(governanceMinutes)
    .innerJoin(governanceSessions, eq(governanceSessions.id, governanceMinutes.adoptedBySessionId))
    .where(and(eq(governanceMinutes.memberId, memberId), eq(governanceMinutes.sessionId, sessionId)));
  return row ?? null;
}

export async function insertMinutes(db: Executor, values: typeof governanceMinutes.$inferInsert) {
  const [row] = await db.insert(governanceMinutes).values(values).returning();
  if (!row) throw new Error('minutes insert returned nothing');
  return row;
}

export async function markMinutesPublished(
  db: Executor,
  memberId: string,
  sessionId: string,
  at: Date,
  userId: string | null,
) {
  await db
    .update(governanceMinutes)
    .set({ publishedAt: at, publishedBy: userId })
    .where(and(eq(governanceMinutes.memberId, memberId), eq(governanceMinutes.sessionId, sessionId)));
}

/** A published procès-verbal of the organisation (RLS lets anyone read published ones only). */
export async function findPublishedMinutes(db: Executor, memberId: string, sessionId: string) {
  const [row] = await db
    .select()
    .from(governanceMinutes)
    .where(
      and(
        eq(governanceMinutes.memberId, memberId),
        eq(governanceMinutes.sessionId, sessionId),
        isNotNull(governanceMinutes.publishedAt),
      ),
    );
  return row ?? null;
}

/** The published procès-verbaux of these sessions of the organisation. */
export function publishedMinutesOf(db: Executor, memberId: string, sessionIds: string[]) {
  if (!sessionIds.length) return Promise.resolve([]);
  return db
    .select()
    .from(governanceMinutes)
    .where(
      and(
        eq(governanceMinutes.memberId, memberId),
        inArray(governanceMinutes.sessionId, sessionIds),
        isNotNull(governanceMinutes.publishedAt),
      ),
    );
}

/** The assembly's closed sessions whose procès-verbal is not adopted yet, the latest first. */
export function sessionsAwaitingMinutes(db: Executor, memberId: string, assemblyId: string) {
  return db
    .select({ id: governanceSessions.id, startsAt: governanceSessions.startsAt })
    .from(governanceSessions)
    .where(
      and(
        eq(governanceSessions.memberId, memberId),
        eq(governanceSessions.assemblyId, assemblyId),
        eq(governanceSessions.status, 'closed'),
        notExists(
          db
            .select({ one: sql`1` })
            .from(governanceMinutes)
            .where(eq(governanceMinutes.sessionId, governanceSessions.id)),
        ),
      ),
    )
    .orderBy(desc(governanceSessions.startsAt))
    .limit(50);
}

export async function listAllStorageKeys(db: Executor): Promise<string[]> {
  const rows = await db.select({ key: governanceMinutes.storageKey }).from(governanceMinutes);
  return rows.map((r) => r.key);
}
