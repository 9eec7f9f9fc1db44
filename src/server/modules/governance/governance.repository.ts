import { and, asc, desc, eq, gte, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import { organisations } from '../../kernel/identity.schema.js';
import { type Executor, rowsOf, toCount } from '../../platform/db/client.js';
import { acts } from '../acts/acts.schema.js';
import { memberDocuments } from '../members/members.schema.js';
import {
  governanceAssemblies,
  governanceAttendance,
  governanceBallots,
  governanceColleges,
  governanceConvocations,
  governanceItems,
  governanceSeats,
  governanceSessions,
} from './governance.schema.js';

/**
 * Queries of assemblies. Every query on an organisation's rows names the organisation (`member_id`)
 * once the assembly is known; RLS (migration 0034) is the backstop. No business rule here.
 */

export type AssemblyRow = typeof governanceAssemblies.$inferSelect;
export type SeatRow = typeof governanceSeats.$inferSelect;
export type SessionRow = typeof governanceSessions.$inferSelect;
export type ItemRow = typeof governanceItems.$inferSelect;
export type ConvocationRow = typeof governanceConvocations.$inferSelect;
export type AttendanceRow = typeof governanceAttendance.$inferSelect;

/** Seats in office on `day`: their term has begun and not ended. */
export const inOfficeOn = (day: string): SQL =>
  sql`${governanceSeats.termStart} <= ${day} AND (${governanceSeats.termEnd} IS NULL OR ${governanceSeats.termEnd} >= ${day})`;

/** An organisation, the operator included (public columns of the kernel's table). */
export async function findOrganisation(db: Executor, organisationId: string) {
  const [row] = await db
    .select({ id: organisations.id, kind: organisations.kind, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return row ?? null;
}

export async function findAssembly(db: Executor, assemblyId: string) {
  const [row] = await db
    .select({
      assembly: governanceAssemblies,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
      population: organisations.population,
    })
    .from(governanceAssemblies)
    .innerJoin(organisations, eq(organisations.id, governanceAssemblies.memberId))
    .where(eq(governanceAssemblies.id, assemblyId));
  return row ?? null;
}

export async function insertAssembly(db: Executor, values: typeof governanceAssemblies.$inferInsert) {
  const [row] = await db.insert(governanceAssemblies).values(values).returning();
  return row;
}

/** Assemblies of these organisations, and those with these ids, with their holder's name. */
export async function listAssemblies(
  db: Executor,
  organisationIds: string[],
  assemblyIds: string[],
  day: string,
) {
  const conditions: SQL[] = [];
  if (organisationIds.length) conditions.push(inArray(governanceAssemblies.memberId, organisationIds));
  if (assemblyIds.length) conditions.push(inArray(governanceAssemblies.id, assemblyIds));
  if (!conditions.length) return [];
  return db
    .select({
      assembly: governanceAssemblies,
      organisationName: organisations.name,
      inOffice: sql<number>`(SELECT count(*)::int FROM governance_seats s WHERE s.assembly_id = ${governanceAssemblies.id}
        AND s.member_id = ${governanceAssemblies.memberId} AND s.kind = 'titular'
        AND s.term_start <= ${day} AND (s.term_end IS NULL OR s.term_end >= ${day}))`,
      nextSessionAt: sql<Date | string | null>`(SELECT min(x.starts_at) FROM governance_sessions x
        WHERE x.assembly_id = ${governanceAssemblies.id} AND x.member_id = ${governanceAssemblies.memberId}
        AND x.starts_at >= now())`,
    })
    .from(governanceAssemblies)
    .innerJoin(organisations, eq(organisations.id, governanceAssemblies.memberId))
    .where(or(...conditions))
    .orderBy(asc(organisations.name), asc(governanceAssemblies.name));
}

/** The operator's assemblies (its comité syndical, its bureau). */
export function listAssembliesOfOperator(db: Executor) {
  return db
    .select({
      id: governanceAssemblies.id,
      memberId: governanceAssemblies.memberId,
      kind: governanceAssemblies.kind,
    })
    .from(governanceAssemblies)
    .innerJoin(organisations, eq(organisations.id, governanceAssemblies.memberId))
    .where(eq(organisations.kind, 'operator'))
    .orderBy(asc(governanceAssemblies.createdAt));
}

/** The seats a member designated in an assembly (any term). */
export function designatedSeats(db: Executor, memberId: string, assemblyId: string, designatedBy: string) {
  return db
    .select()
    .from(governanceSeats)
    .where(
      and(
        eq(governanceSeats.memberId, memberId),
        eq(governanceSeats.assemblyId, assemblyId),
        eq(governanceSeats.designatedBy, designatedBy),
      ),
    );
}

/** The assemblies a user sits in (any seat). */
export async function seatedAssemblyIds(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: governanceSeats.assemblyId })
    .from(governanceSeats)
    .where(eq(governanceSeats.userId, userId));
  return rows.map((r) => r.id);
}

export async function userSitsIn(db: Executor, userId: string, assemblyId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: governanceSeats.id })
    .from(governanceSeats)
    .where(and(eq(governanceSeats.userId, userId), eq(governanceSeats.assemblyId, assemblyId)))
    .limit(1);
  return !!row;
}

// Colleges and seats -----------------------------------------------------------------------------

export function listColleges(db: Executor, memberId: string, assemblyId: string) {
  return db
    .select()
    .from(governanceColleges)
    .where(and(eq(governanceColleges.memberId, memberId), eq(governanceColleges.assemblyId, assemblyId)))
    .orderBy(asc(governanceColleges.name));
}

export async function insertCollege(db: Executor, values: typeof governanceColleges.$inferInsert) {
  const [row] = await db.insert(governanceColleges).values(values).returning();
  return row;
}

export function listSeats(db: Executor, memberId: string, assemblyId: string) {
  const designator = sql<
    string | null
  >`(SELECT o.name FROM organisations o WHERE o.id = ${governanceSeats.designatedBy})`;
  return db
    .select({
      seat: governanceSeats,
      designatedByName: designator,
      documentTitle: memberDocuments.title,
    })
    .from(governanceSeats)
    .leftJoin(memberDocuments, eq(memberDocuments.id, governanceSeats.designationDocumentId))
    .where(and(eq(governanceSeats.memberId, memberId), eq(governanceSeats.assemblyId, assemblyId)))
    .orderBy(desc(governanceSeats.kind), asc(governanceSeats.fullName), asc(governanceSeats.id));
}

export async function findSeat(db: Executor, memberId: string, assemblyId: string, seatId: string) {
  const [row] = await db
    .select()
    .from(governanceSeats)
    .where(
      and(
        eq(governanceSeats.memberId, memberId),
        eq(governanceSeats.assemblyId, assemblyId),
        eq(governanceSeats.id, seatId),
      ),
    );
  return row ?? null;
}

export async function insertSeats(db: Executor, values: (typeof governanceSeats.$inferInsert)[]) {
  if (!values.length) return [];
  return db.insert(governanceSeats).values(values).returning();
}

export async function updateSeat(
  db: Executor,
  memberId: string,
  seatId: string,
  values: Partial<typeof governanceSeats.$inferInsert>,
) {
  const [row] = await db
    .update(governanceSeats)
    .set(values)
    .where(and(eq(governanceSeats.memberId, memberId), eq(governanceSeats.id, seatId)))
    .returning();
  return row ?? null;
}

export async function deleteSeat(db: Executor, memberId: string, seatId: string) {
  const rows = await db
    .delete(governanceSeats)
    .where(and(eq(governanceSeats.memberId, memberId), eq(governanceSeats.id, seatId)))
    .returning({ id: governanceSeats.id });
  return rows.length > 0;
}

/** Ends the terms of a member's delegates in an assembly still in office on `day` (a new designation). */
export async function endDesignatedSeats(
  db: Executor,
  memberId: string,
  assemblyId: string,
  designatedBy: string,
  endOn: string,
  day: string,
) {
  await db
    .update(governanceSeats)
    .set({ termEnd: endOn })
    .where(
      and(
        eq(governanceSeats.memberId, memberId),
        eq(governanceSeats.assemblyId, assemblyId),
        eq(governanceSeats.designatedBy, designatedBy),
        or(isNull(governanceSeats.termEnd), gte(governanceSeats.termEnd, day)),
        lte(governanceSeats.termStart, endOn),
      ),
    );
}

export async function countInOffice(db: Executor, memberId: string, assemblyId: string, day: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(governanceSeats)
    .where(
      and(
        eq(governanceSeats.memberId, memberId),
        eq(governanceSeats.assemblyId, assemblyId),
        eq(governanceSeats.kind, 'titular'),
        inOfficeOn(day),
      ),
    );
  return toCount(row?.n);
}

/** Seats in office on `day`, for attendance and convocations. */
export function seatsInOffice(db: Executor, memberId: string, assemblyId: string, day: string) {
  return db
    .select({
      seat: governanceSeats,
      voteWeight: sql<number>`coalesce((SELECT c.vote_weight FROM governance_colleges c WHERE c.id = ${governanceSeats.collegeId}), 1)`,
    })
    .from(governanceSeats)
    .where(
      and(
        eq(governanceSeats.memberId, memberId),
        eq(governanceSeats.assemblyId, assemblyId),
        inOfficeOn(day),
      ),
    )
    .orderBy(desc(governanceSeats.kind), asc(governanceSeats.fullName), asc(governanceSeats.id));
}

export function memberDocumentTitle(db: Executor, memberId: string, documentId: string) {
  return db
    .select({ id: memberDocuments.id, title: memberDocuments.title, kind: memberDocuments.kind })
    .from(memberDocuments)
    .where(and(eq(memberDocuments.memberId, memberId), eq(memberDocuments.id, documentId)));
}

// Sessions and items -----------------------------------------------------------------------------

export async function insertSession(db: Executor, values: typeof governanceSessions.$inferInsert) {
  const [row] = await db.insert(governanceSessions).values(values).returning();
  return row;
}

export async function insertItems(db: Executor, values: (typeof governanceItems.$inferInsert)[]) {
  if (!values.length) return [];
  return db.insert(governanceItems).values(values).returning();
}

export async function findSession(db: Executor, sessionId: string, forUpdate = false) {
  const query = db.select().from(governanceSessions).where(eq(governanceSessions.id, sessionId));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function updateSession(
  db: Executor,
  memberId: string,
  sessionId: string,
  values: Partial<typeof governanceSessions.$inferInsert>,
) {
  await db
    .update(governanceSessions)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(governanceSessions.memberId, memberId), eq(governanceSessions.id, sessionId)));
}

export function listSessions(
  db: Executor,
  memberId: string,
  assemblyId: string,
  when: 'upcoming' | 'past' | 'all',
  at: Date,
) {
  const filters: SQL[] = [
    eq(governanceSessions.memberId, memberId),
    eq(governanceSessions.assemblyId, assemblyId),
  ];
  if (when === 'upcoming') filters.push(gte(governanceSessions.startsAt, at));
  if (when === 'past') filters.push(sql`${governanceSessions.startsAt} < ${at.toISOString()}`);
  return db
    .select({
      session: governanceSessions,
      itemCount: sql<number>`(SELECT count(*)::int FROM governance_items i WHERE i.session_id = ${governanceSessions.id})`,
    })
    .from(governanceSessions)
    .where(and(...filters))
    .orderBy(when === 'upcoming' ? asc(governanceSessions.startsAt) : desc(governanceSessions.startsAt));
}

export function listItems(db: Executor, memberId: string, sessionId: string) {
  return db
    .select({
      item: governanceItems,
      actNumber: acts.number,
      actPublishedAt: acts.publishedAt,
      decisionMemberName: organisations.name,
      decisionSessionStartsAt: sql<Date | null>`(SELECT d.starts_at FROM governance_sessions d
        WHERE d.id = ${governanceItems.decisionSessionId})`.mapWith(governanceSessions.startsAt),
    })
    .from(governanceItems)
    .leftJoin(acts, eq(acts.id, governanceItems.actId))
    .leftJoin(organisations, eq(organisations.id, governanceItems.decisionMemberId))
    .where(and(eq(governanceItems.memberId, memberId), eq(governanceItems.sessionId, sessionId)))
    .orderBy(asc(governanceItems.position));
}

export async function lockItem(db: Executor, memberId: string, sessionId: string, itemId: string) {
  const [row] = await db
    .select()
    .from(governanceItems)
    .where(
      and(
        eq(governanceItems.memberId, memberId),
        eq(governanceItems.sessionId, sessionId),
        eq(governanceItems.id, itemId),
      ),
    )
    .for('update');
  return row ?? null;
}

export async function updateItem(
  db: Executor,
  memberId: string,
  itemId: string,
  values: Partial<typeof governanceItems.$inferInsert>,
) {
  const [row] = await db
    .update(governanceItems)
    .set(values)
    .where(and(eq(governanceItems.memberId, memberId), eq(governanceItems.id, itemId)))
    .returning();
  return row;
}

export function listBallots(db: Executor, memberId: string, itemIds: string[]) {
  if (!itemIds.length) return Promise.resolve([]);
  return db
    .select({
      itemId: governanceBallots.itemId,
      seatId: governanceBallots.seatId,
      choice: governanceBallots.choice,
      fullName: governanceSeats.fullName,
    })
    .from(governanceBallots)
    .innerJoin(governanceSeats, eq(governanceSeats.id, governanceBallots.seatId))
    .where(and(eq(governanceBallots.memberId, memberId), inArray(governanceBallots.itemId, itemIds)))
    .orderBy(asc(governanceSeats.fullName));
}

export async function insertBallots(db: Executor, values: (typeof governanceBallots.$inferInsert)[]) {
  if (values.length) await db.insert(governanceBallots).values(values);
}

// Attendance -------------------------------------------------------------------------------------

export function listAttendance(db: Executor, memberId: string, sessionId: string) {
  return db
    .select()
    .from(governanceAttendance)
    .where(and(eq(governanceAttendance.memberId, memberId), eq(governanceAttendance.sessionId, sessionId)));
}

/** Replaces the lines given (upsert per seat), in one statement. */
export async function upsertAttendance(db: Executor, values: (typeof governanceAttendance.$inferInsert)[]) {
  if (!values.length) return;
  await db
    .insert(governanceAttendance)
    .values(values)
    .onConflictDoUpdate({
      target: [governanceAttendance.sessionId, governanceAttendance.seatId],
      set: {
        status: sql`excluded.status`,
        proxySeatId: sql`excluded.proxy_seat_id`,
        recordedAt: sql`excluded.recorded_at`,
      },
    });
}

/** Present in person at a session: what the quorum counts (titular and substitutes sitting). */
export async function countPresent(db: Executor, memberId: string, sessionId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(governanceAttendance)
    .where(
      and(
        eq(governanceAttendance.memberId, memberId),
        eq(governanceAttendance.sessionId, sessionId),
        eq(governanceAttendance.status, 'present'),
      ),
    );
  return toCount(row?.n);
}

// Convocations -----------------------------------------------------------------------------------

export function listConvocations(db: Executor, memberId: string, sessionId: string, seatIds?: string[]) {
  const filters: SQL[] = [
    eq(governanceConvocations.memberId, memberId),
    eq(governanceConvocations.sessionId, sessionId),
  ];
  if (seatIds) filters.push(seatIds.length ? inArray(governanceConvocations.seatId, seatIds) : sql`false`);
  return db
    .select({
      convocation: governanceConvocations,
      fullName: governanceSeats.fullName,
      seatKind: governanceSeats.kind,
    })
    .from(governanceConvocations)
    .innerJoin(governanceSeats, eq(governanceSeats.id, governanceConvocations.seatId))
    .where(and(...filters))
    .orderBy(desc(governanceSeats.kind), asc(governanceSeats.fullName));
}

/** Inserts the convocations not yet made; answers the rows created (never a recipient twice). */
export async function insertConvocations(
  db: Executor,
  values: (typeof governanceConvocations.$inferInsert)[],
) {
  if (!values.length) return [];
  return db
    .insert(governanceConvocations)
    .values(values)
    .onConflictDoNothing({
      target: [
        governanceConvocations.memberId,
        governanceConvocations.sessionId,
        governanceConvocations.seatId,
      ],
    })
    .returning();
}

export async function findConvocation(db: Executor, convocationId: string) {
  const [row] = await db
    .select()
    .from(governanceConvocations)
    .where(eq(governanceConvocations.id, convocationId));
  return row ?? null;
}

export async function setConvocationToken(db: Executor, tokenHash: string) {
  await db.execute(sql`SELECT set_config('app.convocation_token', ${tokenHash}, true)`);
}

export async function findConvocationByToken(db: Executor, tokenHash: string) {
  const [row] = await db
    .select()
    .from(governanceConvocations)
    .where(eq(governanceConvocations.tokenHash, tokenHash))
    .for('update');
  return row ?? null;
}

export async function updateConvocation(
  db: Executor,
  convocationId: string,
  values: Partial<typeof governanceConvocations.$inferInsert>,
) {
  await db.update(governanceConvocations).set(values).where(eq(governanceConvocations.id, convocationId));
}

export async function setOutboxIds(
  db: Executor,
  memberId: string,
  pairs: { id: string; outboxMailId: string | null }[],
) {
  if (!pairs.length) return;
  const values = sql.join(
    pairs.map((p) => sql`(${p.id}::uuid, ${p.outboxMailId}::uuid)`),
    sql`, `,
  );
  await db.execute(sql`UPDATE governance_convocations c SET outbox_mail_id = v.outbox_id
    FROM (VALUES ${values}) AS v(id, outbox_id) WHERE c.id = v.id AND c.member_id = ${memberId}`);
}

/** Records the sending date once (a retried job finds it set). */
export async function markConvocationSent(db: Executor, convocationId: string, at: Date) {
  await db
    .update(governanceConvocations)
    .set({ sentAt: at })
    .where(and(eq(governanceConvocations.id, convocationId), isNull(governanceConvocations.sentAt)));
}

// The official's space ---------------------------------------------------------------------------

export function seatsOfUser(db: Executor, userId: string) {
  return db
    .select({
      seat: governanceSeats,
      assembly: governanceAssemblies,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
      collegeName: governanceColleges.name,
    })
    .from(governanceSeats)
    .innerJoin(governanceAssemblies, eq(governanceAssemblies.id, governanceSeats.assemblyId))
    .innerJoin(organisations, eq(organisations.id, governanceAssemblies.memberId))
    .leftJoin(governanceColleges, eq(governanceColleges.id, governanceSeats.collegeId))
    .where(eq(governanceSeats.userId, userId))
    .orderBy(asc(governanceAssemblies.name));
}

export function sessionsOfAssemblies(
  db: Executor,
  assemblyIds: string[],
  from: Date | null,
  until: Date | null,
) {
  if (!assemblyIds.length) return Promise.resolve([]);
  const filters: SQL[] = [inArray(governanceSessions.assemblyId, assemblyIds)];
  if (from) filters.push(gte(governanceSessions.startsAt, from));
  if (until) filters.push(sql`${governanceSessions.startsAt} < ${until.toISOString()}`);
  return db
    .select({
      session: governanceSessions,
      assemblyName: governanceAssemblies.name,
      itemCount: sql<number>`(SELECT count(*)::int FROM governance_items i WHERE i.session_id = ${governanceSessions.id})`,
    })
    .from(governanceSessions)
    .innerJoin(governanceAssemblies, eq(governanceAssemblies.id, governanceSessions.assemblyId))
    .where(and(...filters))
    .orderBy(from ? asc(governanceSessions.startsAt) : desc(governanceSessions.startsAt))
    .limit(50);
}

export function pastItemsOfAssemblies(db: Executor, assemblyIds: string[], before: Date) {
  if (!assemblyIds.length) return Promise.resolve([]);
  return db
    .select({
      item: governanceItems,
      session: governanceSessions,
      assemblyName: governanceAssemblies.name,
      actNumber: acts.number,
      publishedAt: acts.publishedAt,
    })
    .from(governanceItems)
    .innerJoin(governanceSessions, eq(governanceSessions.id, governanceItems.sessionId))
    .innerJoin(governanceAssemblies, eq(governanceAssemblies.id, governanceSessions.assemblyId))
    .leftJoin(acts, eq(acts.id, governanceItems.actId))
    .where(
      and(
        inArray(governanceSessions.assemblyId, assemblyIds),
        sql`${governanceSessions.startsAt} < ${before.toISOString()}`,
        sql`${governanceItems.status} <> 'pending'`,
      ),
    )
    .orderBy(desc(governanceSessions.startsAt), asc(governanceItems.position))
    .limit(100);
}

/** Members by département and kind (organisations are public). */
export async function membersByDepartement(db: Executor) {
  const result = await db.execute(sql`SELECT departement_code AS departement, kind, count(*)::int AS count
    FROM organisations WHERE kind <> 'operator' AND status IN ('member', 'withdrawal_requested')
    GROUP BY departement_code, kind ORDER BY departement_code NULLS LAST, kind`);
  return rowsOf<{ departement: string | null; kind: string; count: number }>(result);
}

// The sitting's live state (polled by every official's page) -------------------------------------

/**
 * A session with what deciding who may read it needs, in one indexed statement: its assembly's
 * organisation and whether `userId` holds a seat in it. The polled answers' access check.
 */
export async function findSessionAccess(db: Executor, sessionId: string, userId: string, lock = false) {
  const [row] = rowsOf<{
    id: string;
    member_id: string;
    assembly_id: string;
    status: SessionRow['status'];
    starts_at: Date | string;
    second_convocation_of: string | null;
    revision: number | string;
    organisation_kind: string;
    seated: boolean;
  }>(
    await db.execute(sql`SELECT s.id, s.member_id, s.assembly_id, s.status, s.starts_at,
        s.second_convocation_of, s.revision, o.kind AS organisation_kind,
        EXISTS (SELECT 1 FROM governance_seats st WHERE st.user_id = ${userId}
          AND st.assembly_id = s.assembly_id) AS seated
      FROM governance_sessions s
      JOIN organisations o ON o.id = s.member_id
      WHERE s.id = ${sessionId}${lock ? sql` FOR UPDATE OF s` : sql``}`),
  );
  if (!row) return null;
  return {
    id: row.id,
    memberId: row.member_id,
    assemblyId: row.assembly_id,
    status: row.status,
    startsAt: new Date(row.starts_at),
    secondConvocationOf: row.second_convocation_of,
    revision: Number(row.revision),
    operatorHeld: row.organisation_kind === 'operator',
    seated: row.seated === true,
  };
}

/**
 * What the quorum counts and the items' states, in one statement: titulars in office on `day`, the
 * titulars present, the substitutes present for a titular in office who is not (one per titular:
 * `presentForQuorum` in SQL), and each item's status.
 */
export async function liveState(
  db: Executor,
  memberId: string,
  assemblyId: string,
  sessionId: string,
  day: string,
) {
  const [row] = rowsOf<{
    in_office: number | string;
    titulars_present: number | string;
    substitutes_sitting: number | string;
    items: { id: string; status: ItemRow['status']; voted_at: string | null }[] | string;
  }>(
    await db.execute(sql`WITH seats AS (
        SELECT st.id, st.kind, st.substitute_for FROM governance_seats st
        WHERE st.member_id = ${memberId} AND st.assembly_id = ${assemblyId}
          AND st.term_start <= ${day} AND (st.term_end IS NULL OR st.term_end >= ${day})
      ), present AS (
        SELECT a.seat_id FROM governance_attendance a
        WHERE a.member_id = ${memberId} AND a.session_id = ${sessionId} AND a.status = 'present'
      )
      SELECT
        (SELECT count(*) FROM seats WHERE seats.kind = 'titular') AS in_office,
        (SELECT count(*) FROM seats JOIN present p ON p.seat_id = seats.id
          WHERE seats.kind = 'titular') AS titulars_present,
        (SELECT count(DISTINCT sub.substitute_for) FROM seats sub JOIN present p ON p.seat_id = sub.id
          WHERE sub.kind = 'substitute' AND sub.substitute_for IN (SELECT id FROM seats)
            AND sub.substitute_for NOT IN (SELECT seat_id FROM present)) AS substitutes_sitting,
        (SELECT coalesce(json_agg(json_build_object('id', i.id, 'status', i.status, 'voted_at', i.voted_at)
            ORDER BY i.position), '[]'::json)
          FROM governance_items i WHERE i.member_id = ${memberId} AND i.session_id = ${sessionId}) AS items`),
  );
  const items = typeof row?.items === 'string' ? JSON.parse(row.items) : (row?.items ?? []);
  return {
    inOffice: toCount(row?.in_office),
    present: toCount(row?.titulars_present) + toCount(row?.substitutes_sitting),
    items: (items as { id: string; status: ItemRow['status']; voted_at: string | null }[]).map((i) => ({
      id: i.id,
      status: i.status,
      votedAt: i.voted_at ? new Date(i.voted_at).toISOString() : null,
    })),
  };
}

/**
 * What attendance checks need, in one statement: the seats in office on `day` (id, kind, titular
 * replaced; no names, no weights) and the session's recorded lines.
 */
export async function attendanceCheckRows(
  db: Executor,
  memberId: string,
  assemblyId: string,
  sessionId: string,
  day: string,
) {
  const rows = rowsOf<{
    seat_id: string;
    kind: SeatRow['kind'] | null;
    substitute_for: string | null;
    status: AttendanceRow['status'] | null;
    proxy_seat_id: string | null;
  }>(
    await db.execute(sql`SELECT st.id AS seat_id, st.kind, st.substitute_for, NULL AS status, NULL::uuid AS proxy_seat_id
      FROM governance_seats st
      WHERE st.member_id = ${memberId} AND st.assembly_id = ${assemblyId}
        AND st.term_start <= ${day} AND (st.term_end IS NULL OR st.term_end >= ${day})
      UNION ALL
      SELECT a.seat_id, NULL, NULL, a.status, a.proxy_seat_id FROM governance_attendance a
      WHERE a.member_id = ${memberId} AND a.session_id = ${sessionId}`),
  );
  const seats: Pick<SeatRow, 'id' | 'kind' | 'substituteFor'>[] = [];
  const lines: { seatId: string; status: AttendanceRow['status']; proxySeatId: string | null }[] = [];
  for (const r of rows) {
    if (r.kind) seats.push({ id: r.seat_id, kind: r.kind, substituteFor: r.substitute_for });
    else if (r.status) lines.push({ seatId: r.seat_id, status: r.status, proxySeatId: r.proxy_seat_id });
  }
  return { seats, lines };
}

/** The second convocation prepared for a session closed without quorum. */
export async function findReconvened(db: Executor, memberId: string, assemblyId: string, sessionId: string) {
  const [row] = await db
    .select({
      id: governanceSessions.id,
      startsAt: governanceSessions.startsAt,
      status: governanceSessions.status,
    })
    .from(governanceSessions)
    .where(
      and(
        eq(governanceSessions.memberId, memberId),
        eq(governanceSessions.assemblyId, assemblyId),
        eq(governanceSessions.secondConvocationOf, sessionId),
      ),
    )
    .orderBy(asc(governanceSessions.createdAt))
    .limit(1);
  return row ?? null;
}
