import { and, asc, desc, eq, inArray, isNull, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { TicketPriority, TicketStatus } from '../../../contracts/support.js';
import { organisations, users } from '../../kernel/identity.schema.js';
import type { Executor } from '../../platform/db/client.js';
import { rowsOf, toCount } from '../../platform/db/client.js';
import {
  afterCursor,
  cappedTotal,
  cursorInstant,
  decodeInstantCursor,
  encodeCursor,
  pageOf,
} from '../../platform/http/pagination.js';
import { folded } from '../../platform/search/fold.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { cyberIncidents } from '../cyber/cyber.schema.js';
import { hostingIncidents } from '../hosting/hosting.schema.js';
import {
  supportAttachments,
  supportMessages,
  supportServiceLevels,
  supportTicketLinks,
  supportTickets,
} from './support.schema.js';

const requester = alias(users, 'requester');
const assignee = alias(users, 'assignee');

const ticketColumns = {
  ticket: supportTickets,
  memberName: organisations.name,
  serviceName: catalogueServices.name,
  requesterName: requester.displayName,
  requesterEmail: requester.email,
  assigneeName: assignee.displayName,
  assigneeEmail: assignee.email,
};

export type TicketRow = typeof supportTickets.$inferSelect & {
  memberName: string;
  serviceName: string | null;
  requesterName: string | null;
  requesterEmail: string | null;
  assigneeName: string | null;
  assigneeEmail: string | null;
};

type Joined = {
  ticket: typeof supportTickets.$inferSelect;
  memberName: string;
  serviceName: string | null;
  requesterName: string | null;
  requesterEmail: string | null;
  assigneeName: string | null;
  assigneeEmail: string | null;
};
const flatten = ({ ticket, stamp: _, ...rest }: Joined & { stamp: string }): TicketRow => ({
  ...ticket,
  ...rest,
});

/** Tickets with their names joined, and `stamp`: the keyset cursor's text of `sortColumn`. */
function selectTickets(db: Executor, sortColumn: SQLWrapper = supportTickets.createdAt) {
  return db
    .select({ ...ticketColumns, stamp: cursorInstant(sortColumn) })
    .from(supportTickets)
    .innerJoin(organisations, eq(organisations.id, supportTickets.memberId))
    .leftJoin(catalogueServices, eq(catalogueServices.id, supportTickets.serviceId))
    .leftJoin(requester, eq(requester.id, supportTickets.requesterId))
    .leftJoin(assignee, eq(assignee.id, supportTickets.assigneeId));
}

/** The statuses the queue's partial indexes cover, written as a literal so the planner proves them. */
const ACTIVE = sql`${supportTickets.status} IN ('open', 'in_progress', 'waiting_member')`;

export async function serviceLevel(db: Executor, serviceId: string, priority: TicketPriority) {
  const [row] = await db
    .select()
    .from(supportServiceLevels)
    .where(and(eq(supportServiceLevels.serviceId, serviceId), eq(supportServiceLevels.priority, priority)));
  return row;
}

export async function insertTicket(db: Executor, values: typeof supportTickets.$inferInsert) {
  const [row] = await db
    .insert(supportTickets)
    .values(values)
    .returning({ id: supportTickets.id, number: supportTickets.number });
  if (!row) throw new Error('ticket not inserted');
  return row;
}

/**
 * One ticket; `memberId` null: whatever its member (the support team). `forUpdate` locks the row
 * against a concurrent change of its status or due dates.
 */
export async function findTicket(
  db: Executor,
  memberId: string | null,
  id: string,
  forUpdate = false,
): Promise<TicketRow | undefined> {
  const where = memberId
    ? and(eq(supportTickets.memberId, memberId), eq(supportTickets.id, id))
    : eq(supportTickets.id, id);
  if (forUpdate) {
    await db.select({ id: supportTickets.id }).from(supportTickets).where(where).for('update');
  }
  const [row] = await selectTickets(db).where(where);
  return row ? flatten(row) : undefined;
}

/** A ticket by its number; a merged duplicate answers the ticket it was merged into (mail replies go there). */
export async function findTicketByNumber(db: Executor, memberId: string, number: number) {
  const [row] = await db
    .select({ id: sql<string>`coalesce(${supportTickets.mergedIntoId}, ${supportTickets.id})` })
    .from(supportTickets)
    .where(and(eq(supportTickets.memberId, memberId), eq(supportTickets.number, number)));
  return row?.id;
}

export async function updateTicket(
  db: Executor,
  memberId: string,
  id: string,
  values: Partial<typeof supportTickets.$inferInsert>,
) {
  await db
    .update(supportTickets)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(supportTickets.memberId, memberId), eq(supportTickets.id, id)));
}

export async function addAlertSent(db: Executor, memberId: string, id: string, key: string) {
  await db
    .update(supportTickets)
    .set({ alertsSent: sql`array_append(${supportTickets.alertsSent}, ${key})` })
    .where(and(eq(supportTickets.memberId, memberId), eq(supportTickets.id, id)));
}

/** A member's tickets, newest first; `requesterId` set: only that person's. */
export async function listMemberTickets(
  db: Executor,
  memberId: string,
  requesterId: string | null,
  query: { status?: TicketStatus; limit: number; cursor?: string },
) {
  const filters: (SQL | undefined)[] = [eq(supportTickets.memberId, memberId)];
  if (requesterId) filters.push(eq(supportTickets.requesterId, requesterId));
  if (query.status) filters.push(eq(supportTickets.status, query.status));
  const where = and(...filters);
  const cursor = decodeInstantCursor(query.cursor);
  const rows = await selectTickets(db)
    .where(and(where, afterCursor(supportTickets.createdAt, supportTickets.id, cursor, true)))
    .orderBy(desc(supportTickets.createdAt), desc(supportTickets.id))
    .limit(query.limit + 1);
  const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(supportTickets).where(where);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(String(r.stamp), r.ticket.id));
  return { items: page.items.map(flatten), nextCursor: page.nextCursor, total: toCount(total?.n) };
}

export interface QueueFilter {
  status: TicketStatus | 'active';
  priority?: TicketPriority;
  serviceId?: string;
  memberId?: string;
  assigneeId?: string;
  unassigned?: boolean;
  breached?: boolean;
  sort: 'due' | 'recent';
  limit: number;
  cursor?: string;
}

/**
 * The support team's queue over every member: active tickets by next deadline (index range scans on
 * the partial `support_tickets_queue_*` indexes), or newest first; counted up to TOTAL_CAP.
 */
export async function queue(db: Executor, query: QueueFilter, at: Date) {
  const filters: (SQL | undefined)[] = [
    query.status === 'active' ? ACTIVE : eq(supportTickets.status, query.status),
  ];
  if (query.priority) filters.push(eq(supportTickets.priority, query.priority));
  if (query.serviceId) filters.push(eq(supportTickets.serviceId, query.serviceId));
  if (query.memberId) filters.push(eq(supportTickets.memberId, query.memberId));
  if (query.assigneeId) filters.push(eq(supportTickets.assigneeId, query.assigneeId));
  if (query.unassigned) filters.push(isNull(supportTickets.assigneeId));
  if (query.breached) filters.push(sql`${supportTickets.nextDueAt} < ${at.toISOString()}::timestamptz`);
  const where = and(...filters);
  const cursor = decodeInstantCursor(query.cursor);
  const sortColumn = query.sort === 'due' ? supportTickets.nextDueAt : supportTickets.createdAt;
  const descending = query.sort === 'recent';
  const order = descending
    ? [desc(sortColumn), desc(supportTickets.id)]
    : [asc(sortColumn), asc(supportTickets.id)];
  const rows = await selectTickets(db, sortColumn)
    .where(and(where, afterCursor(sortColumn, supportTickets.id, cursor, descending)))
    .orderBy(...order)
    .limit(query.limit + 1);
  const total = await cappedTotal(db, db.select({ id: supportTickets.id }).from(supportTickets).where(where));
  const page = pageOf(rows, query.limit, (r) => encodeCursor(String(r.stamp), r.ticket.id));
  return { items: page.items.map(flatten), nextCursor: page.nextCursor, ...total };
}

export async function insertMessage(db: Executor, values: typeof supportMessages.$inferInsert) {
  await db.insert(supportMessages).values(values);
}

export async function messagesOf(db: Executor, memberId: string, ticketId: string, withInternal: boolean) {
  const filters = [eq(supportMessages.memberId, memberId), eq(supportMessages.ticketId, ticketId)];
  if (!withInternal) filters.push(eq(supportMessages.internal, false));
  return db
    .select({ message: supportMessages, authorName: users.displayName })
    .from(supportMessages)
    .leftJoin(users, eq(users.id, supportMessages.authorId))
    .where(and(...filters))
    .orderBy(asc(supportMessages.createdAt), asc(supportMessages.id));
}

/** Addresses of the support team: operator admins and agents holding the `support` scope. */
export async function supportTeamEmails(db: Executor): Promise<string[]> {
  const rows = rowsOf<{ email: string }>(
    await db.execute(sql`
      SELECT DISTINCT lower(u.email) AS email
      FROM organisation_users ou JOIN users u ON u.id = ou.user_id
      JOIN organisations o ON o.id = ou.member_id AND o.kind = 'operator'
      WHERE u.is_active AND (ou.role = 'admin' OR 'support' = ANY(ou.scopes))
      ORDER BY 1`),
  );
  return rows.map((r) => r.email);
}

/** Whether the user belongs to the support team (operator admin, or agent with the `support` scope). */
export async function isSupportAgent(db: Executor, userId: string): Promise<boolean> {
  const rows = rowsOf<{ ok: boolean }>(
    await db.execute(sql`
      SELECT true AS ok FROM organisation_users ou
      JOIN organisations o ON o.id = ou.member_id AND o.kind = 'operator'
      WHERE ou.user_id = ${userId} AND (ou.role = 'admin' OR 'support' = ANY(ou.scopes)) LIMIT 1`),
  );
  return rows.length > 0;
}

/** Tickets resolved before `before` the member neither confirmed nor reopened: closed by the daily job. */
export async function resolvedBefore(db: Executor, before: Date) {
  return db
    .select({ id: supportTickets.id, memberId: supportTickets.memberId })
    .from(supportTickets)
    .where(
      and(
        eq(supportTickets.status, 'resolved'),
        sql`${supportTickets.resolvedAt} < ${before.toISOString()}::timestamptz`,
      ),
    )
    .limit(1000);
}

/**
 * The SLA figures of a set of tickets `t` (one aggregate row): the medians and 90th percentiles come
 * from one percentile_cont over an array of fractions, so each duration is sorted once, not twice;
 * durations in seconds by date_part (float8), not extract (numeric since PostgreSQL 14, then cast:
 * a third of the report's time).
 */
const SLA_AGGREGATES = sql`
  count(*)::int AS opened,
  count(t.first_responded_at)::int AS responded,
  count(*) FILTER (WHERE t.first_responded_at <= t.first_response_due_at)::int AS responded_in_time,
  count(t.resolved_at)::int AS resolved,
  count(*) FILTER (WHERE t.resolved_at <= t.resolution_due_at)::int AS resolved_in_time,
  percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY date_part('epoch', t.first_responded_at - t.created_at)) AS response_hours,
  percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY date_part('epoch', t.resolved_at - t.created_at)) AS resolution_hours,
  avg(t.satisfaction)::float8 AS satisfaction_average,
  count(t.satisfaction)::int AS satisfaction_answers,
  coalesce(sum(t.satisfaction), 0)::int AS satisfaction_sum`;

/** The aggregates of SLA_AGGREGATES, computed as `r`, in the report's columns (hours). */
const SLA_COLUMNS = sql`
  r.opened, r.responded, r.responded_in_time, r.resolved, r.resolved_in_time,
  (r.response_hours)[1] / 3600 AS response_median, (r.response_hours)[2] / 3600 AS response_p90,
  (r.resolution_hours)[1] / 3600 AS resolution_median, (r.resolution_hours)[2] / 3600 AS resolution_p90,
  r.satisfaction_average, r.satisfaction_answers, r.satisfaction_sum`;

export interface SlaFiguresRow {
  opened: number;
  responded: number;
  responded_in_time: number;
  resolved: number;
  resolved_in_time: number;
  response_median: number | null;
  response_p90: number | null;
  resolution_median: number | null;
  resolution_p90: number | null;
  satisfaction_average: number | null;
  satisfaction_answers: number;
  /** The answers' sum: what a year's average is merged from (support.report.ts). */
  satisfaction_sum: number;
}

export type MonthServiceRow = SlaFiguresRow & {
  month: string;
  service_id: string | null;
  service_name: string | null;
};
export type EquityRow = SlaFiguresRow & { departement_code: string | null; kind: string };
export type ReportPeriod = { month: string; from: Date; to: Date };

export const byMonthAndService = (a: MonthServiceRow, b: MonthServiceRow) =>
  a.month.localeCompare(b.month) || (a.service_name ?? '').localeCompare(b.service_name ?? '');
export const byDepartementAndKind = (
  a: { departement_code: string | null; kind: string },
  b: { departement_code: string | null; kind: string },
) => (a.departement_code ?? '~').localeCompare(b.departement_code ?? '~') || a.kind.localeCompare(b.kind);

/**
 * The live report, every ticket of `periods` read (support.report.ts serves closed months from its
 * summary instead, and compares against this in its test).
 * The tickets opened in `periods` (whole months, Paris time) per month and service, and
 * per département and member kind. Set-based, in two statements that never sort the whole period:
 * - per month (`periods`, Paris months, bounds computed by the service): one index-only range scan
 *   of the month on `support_tickets_report_created_idx` (created_at, covering the columns the
 *   figures read; migration support_report_idx), grouped by service — twelve small sorts for a year
 *   instead of one over every ticket;
 * - per département and kind: for each pair, its members' tickets of the period through
 *   `support_tickets_report_member_idx` (member_id, created_at, covering), one aggregate each.
 * The percentiles sort each group's durations only. work_mem is raised for this transaction so that
 * those sorts stay in memory (a month of a million-ticket year: ~85,000 rows).
 */
export async function yearReport(db: Executor, periods: ReportPeriod[]) {
  const first = periods[0];
  const last = periods.at(-1);
  if (!first || !last) return { months: [], equity: [] };
  await raiseWorkMem(db);
  const months = await monthServiceFigures(db, periods);
  const equity = await equityFigures(db, first.from, last.to);
  return { months, equity };
}

/** Sorts of a month's durations stay in memory (a month of a million-ticket year: ~85,000 rows). */
export async function raiseWorkMem(db: Executor) {
  await db.execute(sql`SELECT set_config('work_mem', '64MB', true)`);
}

/** Per month of `periods` and service, exact (the first half of yearReport). */
export async function monthServiceFigures(db: Executor, periods: ReportPeriod[]): Promise<MonthServiceRow[]> {
  if (periods.length === 0) return [];
  // One branch per month with its bounds as constants: under row security the planner turns only
  // those (not bounds computed per row of a series) into the index's range.
  const perMonth = sql.join(
    periods.map(
      (p) => sql`(SELECT ${p.month}::text AS month, t.service_id, ${SLA_AGGREGATES}
        FROM support_tickets t
        WHERE t.created_at >= ${p.from.toISOString()}::timestamptz AND t.created_at < ${p.to.toISOString()}::timestamptz
        GROUP BY t.service_id)`,
    ),
    sql` UNION ALL `,
  );
  return rowsOf<MonthServiceRow>(
    await db.execute(sql`
      SELECT r.month, r.service_id, c.name AS service_name, ${SLA_COLUMNS}
      FROM (${perMonth}) r
      LEFT JOIN catalogue_services c ON c.id = r.service_id`),
  ).sort(byMonthAndService);
}

/** Per département and member kind over [from, to), exact (the second half of yearReport). */
export async function equityFigures(db: Executor, from: Date, to: Date): Promise<EquityRow[]> {
  return rowsOf<EquityRow>(
    await db.execute(sql`
      SELECT g.departement_code, g.kind, ${SLA_COLUMNS}
      FROM (SELECT DISTINCT departement_code, kind FROM organisations) g
      CROSS JOIN LATERAL (
        SELECT ${SLA_AGGREGATES}
        FROM organisations o JOIN support_tickets t ON t.member_id = o.id
        WHERE o.kind = g.kind AND o.departement_code IS NOT DISTINCT FROM g.departement_code
          AND t.created_at >= ${from.toISOString()}::timestamptz AND t.created_at < ${to.toISOString()}::timestamptz) r
      WHERE r.opened > 0`),
  ).sort(byDepartementAndKind);
}

/**
 * The response and resolution times of [from, to) per département and member kind, as histograms:
 * `bucket` is floor(ln(1 + seconds) / ln(growth)) (support.report.ts reads a bucket back as its
 * middle), `n` the tickets in it.
 */
export async function equityHistograms(db: Executor, from: Date, to: Date, growth: number) {
  const histogram = (end: SQL) => sql`
    SELECT o.departement_code, o.kind,
      floor(ln(1 + greatest(date_part('epoch', ${end} - t.created_at), 0)) / ln(${growth}::float8))::int AS bucket,
      count(*)::int AS n
    FROM support_tickets t JOIN organisations o ON o.id = t.member_id
    WHERE t.created_at >= ${from.toISOString()}::timestamptz AND t.created_at < ${to.toISOString()}::timestamptz
      AND ${end} IS NOT NULL
    GROUP BY 1, 2, 3`;
  type Row = { departement_code: string | null; kind: string; bucket: number; n: number };
  const response = rowsOf<Row>(await db.execute(histogram(sql`t.first_responded_at`)));
  const resolution = rowsOf<Row>(await db.execute(histogram(sql`t.resolved_at`)));
  return { response, resolution };
}

/**
 * The global search's tickets: by number (« T-000123 », « 123 ») for whoever may read them, and by
 * words of the subject (accents and case ignored) within one member's tickets only — across every
 * member that would be a scan of the whole table for each search.
 */
export async function searchTickets(
  db: Executor,
  filter: { memberId: string | null; requesterId: string | null },
  q: { number: number | null; terms: string[] },
  limit: number,
) {
  const t = supportTickets;
  const byNumber = q.number !== null ? eq(t.number, q.number) : undefined;
  const byWords =
    filter.memberId && q.terms.length > 0
      ? and(...q.terms.map((term) => sql`${folded(sql`${supportTickets.subject}`)} LIKE ${`%${term}%`}`))
      : undefined;
  if (!byNumber && !byWords) return [];
  return db
    .select({
      id: t.id,
      memberId: t.memberId,
      memberName: organisations.name,
      number: t.number,
      subject: t.subject,
      status: t.status,
    })
    .from(t)
    .innerJoin(organisations, eq(organisations.id, t.memberId))
    .where(
      and(
        filter.memberId ? eq(t.memberId, filter.memberId) : undefined,
        filter.requesterId ? eq(t.requesterId, filter.requesterId) : undefined,
        byNumber && byWords ? sql`(${byNumber} OR ${byWords})` : (byNumber ?? byWords),
      ),
    )
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(limit);
}

// Desk: attachments, merges, links (issue 14) -----------------------------------------------------

export async function insertMessageReturning(db: Executor, values: typeof supportMessages.$inferInsert) {
  const [row] = await db.insert(supportMessages).values(values).returning({ id: supportMessages.id });
  if (!row) throw new Error('message not inserted');
  return row.id;
}

/** The messages of several tickets of one member (a ticket and the duplicates merged into it). */
export async function messagesOfTickets(
  db: Executor,
  memberId: string,
  ticketIds: string[],
  withInternal: boolean,
) {
  const filters = [eq(supportMessages.memberId, memberId), inArray(supportMessages.ticketId, ticketIds)];
  if (!withInternal) filters.push(eq(supportMessages.internal, false));
  return db
    .select({ message: supportMessages, authorName: users.displayName })
    .from(supportMessages)
    .leftJoin(users, eq(users.id, supportMessages.authorId))
    .where(and(...filters))
    .orderBy(asc(supportMessages.createdAt), asc(supportMessages.id));
}

export type AttachmentRow = typeof supportAttachments.$inferSelect;

export async function insertAttachment(db: Executor, values: typeof supportAttachments.$inferInsert) {
  await db.insert(supportAttachments).values(values);
}

export async function attachmentsOf(
  db: Executor,
  memberId: string,
  ticketIds: string[],
  withInternal: boolean,
): Promise<AttachmentRow[]> {
  const filters = [
    eq(supportAttachments.memberId, memberId),
    inArray(supportAttachments.ticketId, ticketIds),
  ];
  if (!withInternal) filters.push(eq(supportAttachments.internal, false));
  return db
    .select()
    .from(supportAttachments)
    .where(and(...filters))
    .orderBy(asc(supportAttachments.createdAt), asc(supportAttachments.fileName), asc(supportAttachments.id));
}

/** Every stored file an attachment row points to (the start-up storage sweep keeps those). */
export async function listAllAttachmentKeys(db: Executor): Promise<string[]> {
  const rows = await db.select({ key: supportAttachments.storageKey }).from(supportAttachments);
  return rows.map((r) => r.key);
}

/** The duplicates merged into a ticket, oldest first. */
export async function mergedInto(db: Executor, memberId: string, ticketId: string) {
  return db
    .select({
      id: supportTickets.id,
      number: supportTickets.number,
      subject: supportTickets.subject,
      description: supportTickets.description,
      requesterId: supportTickets.requesterId,
      requesterName: requester.displayName,
      createdAt: supportTickets.createdAt,
    })
    .from(supportTickets)
    .leftJoin(requester, eq(requester.id, supportTickets.requesterId))
    .where(and(eq(supportTickets.memberId, memberId), eq(supportTickets.mergedIntoId, ticketId)))
    .orderBy(asc(supportTickets.createdAt), asc(supportTickets.id));
}

export async function ticketNumber(db: Executor, memberId: string, id: string) {
  const [row] = await db
    .select({ number: supportTickets.number, requesterId: supportTickets.requesterId })
    .from(supportTickets)
    .where(and(eq(supportTickets.memberId, memberId), eq(supportTickets.id, id)));
  return row;
}

/** Moves the pointers of tickets merged into `from` to `to` (a merge of a ticket that had merges). */
export async function repointMerged(db: Executor, memberId: string, from: string, to: string) {
  await db
    .update(supportTickets)
    .set({ mergedIntoId: to, updatedAt: sql`now()` })
    .where(and(eq(supportTickets.memberId, memberId), eq(supportTickets.mergedIntoId, from)));
}

export interface LinkRow {
  id: string;
  cyberIncidentId: string | null;
  hostingIncidentId: string | null;
  cyberTitle: string | null;
  cyberStatus: string | null;
  cyberDetectedAt: Date | null;
  hostingTitle: string | null;
  hostingState: string | null;
  hostingStartedAt: Date | null;
  hostingResolvedAt: Date | null;
}

export async function linksOf(db: Executor, memberId: string, ticketId: string): Promise<LinkRow[]> {
  return db
    .select({
      id: supportTicketLinks.id,
      cyberIncidentId: supportTicketLinks.cyberIncidentId,
      hostingIncidentId: supportTicketLinks.hostingIncidentId,
      cyberTitle: cyberIncidents.title,
      cyberStatus: cyberIncidents.status,
      cyberDetectedAt: cyberIncidents.detectedAt,
      hostingTitle: hostingIncidents.title,
      hostingState: hostingIncidents.state,
      hostingStartedAt: hostingIncidents.startedAt,
      hostingResolvedAt: hostingIncidents.resolvedAt,
    })
    .from(supportTicketLinks)
    .leftJoin(
      cyberIncidents,
      and(
        eq(cyberIncidents.id, supportTicketLinks.cyberIncidentId),
        eq(cyberIncidents.memberId, supportTicketLinks.memberId),
      ),
    )
    .leftJoin(hostingIncidents, eq(hostingIncidents.id, supportTicketLinks.hostingIncidentId))
    .where(and(eq(supportTicketLinks.memberId, memberId), eq(supportTicketLinks.ticketId, ticketId)))
    .orderBy(asc(supportTicketLinks.createdAt), asc(supportTicketLinks.id));
}

export async function insertLink(db: Executor, values: typeof supportTicketLinks.$inferInsert) {
  const [row] = await db
    .insert(supportTicketLinks)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: supportTicketLinks.id });
  return row?.id ?? null;
}

export async function deleteLink(db: Executor, memberId: string, ticketId: string, linkId: string) {
  const rows = await db
    .delete(supportTicketLinks)
    .where(
      and(
        eq(supportTicketLinks.memberId, memberId),
        eq(supportTicketLinks.ticketId, ticketId),
        eq(supportTicketLinks.id, linkId),
      ),
    )
    .returning({ id: supportTicketLinks.id });
  return rows.length > 0;
}

export async function findCyberIncident(db: Executor, memberId: string, id: string) {
  const [row] = await db
    .select({ id: cyberIncidents.id })
    .from(cyberIncidents)
    .where(and(eq(cyberIncidents.memberId, memberId), eq(cyberIncidents.id, id)));
  return row;
}

export async function findHostingIncident(db: Executor, id: string) {
  const [row] = await db
    .select({ id: hostingIncidents.id })
    .from(hostingIncidents)
    .where(eq(hostingIncidents.id, id));
  return row;
}

/** What a ticket may be linked to: the member's latest cyber incidents and the latest status incidents. */
export async function linkCandidates(db: Executor, memberId: string, limit: number) {
  const cyber = await db
    .select({
      id: cyberIncidents.id,
      title: cyberIncidents.title,
      status: cyberIncidents.status,
      detectedAt: cyberIncidents.detectedAt,
    })
    .from(cyberIncidents)
    .where(eq(cyberIncidents.memberId, memberId))
    .orderBy(desc(cyberIncidents.detectedAt))
    .limit(limit);
  const hosting = await db
    .select({
      id: hostingIncidents.id,
      title: hostingIncidents.title,
      state: hostingIncidents.state,
      startedAt: hostingIncidents.startedAt,
      resolvedAt: hostingIncidents.resolvedAt,
    })
    .from(hostingIncidents)
    .orderBy(desc(hostingIncidents.startedAt))
    .limit(limit);
  return { cyber, hosting };
}
