import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { IncidentStatus } from '../../../contracts/cyber.js';
import { organisations, users } from '../../kernel/identity.schema.js';
import type { Executor } from '../../platform/db/client.js';
import { toCount } from '../../platform/db/client.js';
import {
  afterCursor,
  cursorInstant,
  decodeInstantCursor,
  encodeCursor,
  pageOf,
} from '../../platform/http/pagination.js';
import { cyberIncidentEvents, cyberIncidents, cyberProfiles } from './cyber.schema.js';

export type IncidentRow = typeof cyberIncidents.$inferSelect & { memberName: string };
export type ProfileRow = typeof cyberProfiles.$inferSelect;

export async function findProfile(db: Executor, memberId: string): Promise<ProfileRow | undefined> {
  const [row] = await db.select().from(cyberProfiles).where(eq(cyberProfiles.memberId, memberId));
  return row;
}

export async function upsertProfile(db: Executor, values: typeof cyberProfiles.$inferInsert) {
  const { memberId: _, ...set } = values;
  await db
    .insert(cyberProfiles)
    .values(values)
    .onConflictDoUpdate({ target: cyberProfiles.memberId, set: { ...set, updatedAt: sql`now()` } });
}

const incidentColumns = { incident: cyberIncidents, memberName: organisations.name };

export async function insertIncident(
  db: Executor,
  values: typeof cyberIncidents.$inferInsert,
): Promise<string> {
  const [row] = await db.insert(cyberIncidents).values(values).returning({ id: cyberIncidents.id });
  if (!row) throw new Error('incident not inserted');
  return row.id;
}

export async function findIncident(
  db: Executor,
  memberId: string,
  id: string,
): Promise<IncidentRow | undefined> {
  const [row] = await db
    .select(incidentColumns)
    .from(cyberIncidents)
    .innerJoin(organisations, eq(organisations.id, cyberIncidents.memberId))
    .where(and(eq(cyberIncidents.memberId, memberId), eq(cyberIncidents.id, id)));
  return row ? { ...row.incident, memberName: row.memberName } : undefined;
}

export async function updateIncident(
  db: Executor,
  memberId: string,
  id: string,
  values: Partial<typeof cyberIncidents.$inferInsert>,
) {
  await db
    .update(cyberIncidents)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(cyberIncidents.memberId, memberId), eq(cyberIncidents.id, id)));
}

export async function addReminderSent(db: Executor, memberId: string, id: string, key: string) {
  await db
    .update(cyberIncidents)
    .set({ remindersSent: sql`array_append(${cyberIncidents.remindersSent}, ${key})` })
    .where(and(eq(cyberIncidents.memberId, memberId), eq(cyberIncidents.id, id)));
}

/** Incidents newest detection first; `memberId` null: every member (the cyber team). */
export async function listIncidents(
  db: Executor,
  memberId: string | null,
  query: { status?: IncidentStatus; breachId?: string; limit: number; cursor?: string },
) {
  const filters: (SQL | undefined)[] = [];
  if (memberId) filters.push(eq(cyberIncidents.memberId, memberId));
  if (query.status) filters.push(eq(cyberIncidents.status, query.status));
  if (query.breachId) filters.push(eq(cyberIncidents.breachId, query.breachId));
  const where = and(...filters);
  const cursor = decodeInstantCursor(query.cursor);
  const rows = await db
    .select({ ...incidentColumns, stamp: cursorInstant(cyberIncidents.detectedAt) })
    .from(cyberIncidents)
    .innerJoin(organisations, eq(organisations.id, cyberIncidents.memberId))
    .where(and(where, afterCursor(cursorInstant(cyberIncidents.detectedAt), cyberIncidents.id, cursor, true)))
    .orderBy(desc(cyberIncidents.detectedAt), desc(cyberIncidents.id))
    .limit(query.limit + 1);
  const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(cyberIncidents).where(where);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.stamp, r.incident.id));
  return {
    items: page.items.map((r) => ({ ...r.incident, memberName: r.memberName })),
    nextCursor: page.nextCursor,
    total: toCount(total?.n),
  };
}

export async function openIncidents(db: Executor): Promise<IncidentRow[]> {
  const rows = await db
    .select(incidentColumns)
    .from(cyberIncidents)
    .innerJoin(organisations, eq(organisations.id, cyberIncidents.memberId))
    .where(sql`${cyberIncidents.status} <> 'closed'`)
    .orderBy(asc(cyberIncidents.detectedAt))
    .limit(200);
  return rows.map((r) => ({ ...r.incident, memberName: r.memberName }));
}

export async function insertEvent(db: Executor, values: typeof cyberIncidentEvents.$inferInsert) {
  await db.insert(cyberIncidentEvents).values(values);
}

export async function eventsOf(db: Executor, memberId: string, incidentId: string) {
  return db
    .select({ event: cyberIncidentEvents, by: users.displayName })
    .from(cyberIncidentEvents)
    .leftJoin(users, eq(users.id, cyberIncidentEvents.createdBy))
    .where(and(eq(cyberIncidentEvents.memberId, memberId), eq(cyberIncidentEvents.incidentId, incidentId)))
    .orderBy(asc(cyberIncidentEvents.at), asc(cyberIncidentEvents.createdAt));
}
