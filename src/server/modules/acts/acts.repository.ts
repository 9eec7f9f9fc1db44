import { and, asc, desc, eq, gte, inArray, isNotNull, like, lte, or, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { ActNature, ActStatus } from '../../../contracts/acts.js';
import { searchTerms } from '../../../contracts/search.js';
import { organisations } from '../../kernel/identity.schema.js';
import { type Executor, rowsOf, toCount } from '../../platform/db/client.js';
import {
  afterCursor,
  type CursorValue,
  cappedCount,
  cappedCountSql,
  cappedTotal,
  type ListTotal,
  TOTAL_CAP,
} from '../../platform/http/pagination.js';
import { actClassifications, actDocuments, actEvents, actMessages, acts } from './acts.schema.js';
import { PUBLICATION_ONLY_NATURES } from './publication/executory.js';

/** Queries of the acts register; every query on a member's rows names the member. */

export type ActRow = typeof acts.$inferSelect;
export type ActDocumentRow = typeof actDocuments.$inferSelect;
export type ActMessageRow = typeof actMessages.$inferSelect;
export type ActEventRow = typeof actEvents.$inferSelect;
export type ActListRow = ActRow & { correctedByActId: string | null };

/**
 * The act that corrects this one (the first, if ever several), visible to the reader. The outer row
 * is named with its table: in a one-table select drizzle writes `${acts.id}` as a bare `"id"`, which
 * inside this sub-select is `c.id` — the condition then compared each act with itself and scanned the
 * whole table on every read of one act.
 */
const correctedBy = (publishedOnly: boolean) =>
  sql<string | null>`(SELECT c.id FROM acts c WHERE c.corrects_act_id = "acts"."id"
    AND c.member_id = "acts"."member_id"${publishedOnly ? sql` AND c.published_at IS NOT NULL` : sql``}
    ORDER BY c.created_at LIMIT 1)`;

/**
 * `status = <value>` in a form no index serves, for statements that name the act by its id: the row
 * is then found by its primary key. With a bare `status = 'transmitting'` PostgreSQL read
 * acts_status_updated_idx (status, updated_at, id) instead, trusting statistics that saw no act in
 * that status — while a batch is in flight, thousands are, plus the dead entries of those that moved
 * on: 255 buffers per `UPDATE` instead of 4 (docs/PERFORMANCE.md, "Actes: one statement per step").
 */
const inStatus = (status: ActStatus) => sql`(status = ${status}) IS TRUE`;

export async function findAct(db: Executor, memberId: string, actId: string): Promise<ActListRow | null> {
  const [row] = await db
    .select({ act: acts, correctedByActId: correctedBy(false) })
    .from(acts)
    .where(and(eq(acts.memberId, memberId), eq(acts.id, actId)));
  return row ? { ...row.act, correctedByActId: row.correctedByActId } : null;
}

/** Locks the act's row for the rest of the transaction (transitions read, check, then write). */
export async function lockAct(db: Executor, memberId: string, actId: string): Promise<ActRow | null> {
  const [row] = await db
    .select()
    .from(acts)
    .where(and(eq(acts.memberId, memberId), eq(acts.id, actId)))
    .for('update');
  return row ?? null;
}

export async function insertAct(db: Executor, values: typeof acts.$inferInsert): Promise<ActRow> {
  const [row] = await db.insert(acts).values(values).returning();
  return row;
}

export async function updateAct(
  db: Executor,
  memberId: string,
  actId: string,
  values: Partial<typeof acts.$inferInsert>,
): Promise<ActRow> {
  const [row] = await db
    .update(acts)
    .set(values)
    .where(and(eq(acts.memberId, memberId), eq(acts.id, actId)))
    .returning();
  return row;
}

// Batch transmission -------------------------------------------------------------------------------

/**
 * The member's acts among `ids`, locked for the rest of the transaction in id order (two batches
 * sharing acts wait for each other instead of deadlocking), each with whether its main document is
 * there. The outer row is named with its table (see correctedBy).
 */
export async function lockActsForTransmission(db: Executor, memberId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      act: acts,
      hasMain: sql<boolean>`EXISTS (SELECT 1 FROM act_documents d WHERE d.member_id = "acts"."member_id"
        AND d.act_id = "acts"."id" AND d.role = 'main' AND d.message_id IS NULL)`,
    })
    .from(acts)
    .where(and(eq(acts.memberId, memberId), inArray(acts.id, [...ids])))
    .orderBy(asc(acts.id))
    .for('update');
}

/** The entries of the member's stored classification with these codes. */
export function classificationEntries(db: Executor, memberId: string, codes: readonly string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .select({ code: actClassifications.code, label: actClassifications.label })
    .from(actClassifications)
    .where(and(eq(actClassifications.memberId, memberId), inArray(actClassifications.code, [...codes])));
}

/**
 * Ready → transmitting for a set of the member's acts, in one statement; the acts whose
 * classification moved to the stored file's `classificationDate` take its label too.
 */
export async function markTransmitting(
  db: Executor,
  memberId: string,
  ids: readonly string[],
  values: { updatedBy: string | null; updatedAt: Date; classificationDate: string | null },
) {
  if (ids.length === 0) return;
  const moved = values.classificationDate;
  await db
    .update(acts)
    .set({
      status: 'transmitting',
      errorMessage: null,
      updatedBy: values.updatedBy,
      updatedAt: values.updatedAt,
      ...(moved
        ? {
            classificationDate: sql`CASE WHEN ${acts.classificationDate} IS DISTINCT FROM ${moved}::date
              THEN ${moved}::date ELSE ${acts.classificationDate} END`,
            classificationLabel: sql`CASE WHEN ${acts.classificationDate} IS DISTINCT FROM ${moved}::date
              THEN (SELECT k.label FROM act_classifications k WHERE k.member_id = "acts"."member_id"
                AND k.code = "acts"."classification") ELSE ${acts.classificationLabel} END`,
          }
        : {}),
    })
    .where(and(eq(acts.memberId, memberId), inArray(acts.id, [...ids]), inStatus('ready')));
}

/** Many history rows in one statement. */
export async function insertEvents(db: Executor, values: (typeof actEvents.$inferInsert)[]) {
  if (values.length > 0) await db.insert(actEvents).values(values);
}

export async function numberTaken(db: Executor, memberId: string, number: string, exceptId?: string) {
  const [row] = await db
    .select({ id: acts.id })
    .from(acts)
    .where(
      and(
        eq(acts.memberId, memberId),
        eq(acts.number, number),
        exceptId ? sql`${acts.id} <> ${exceptId}` : undefined,
      ),
    );
  return !!row;
}

export interface ActFilter {
  memberId?: string;
  status?: ActStatus;
  nature?: ActNature;
  classification?: string;
  q?: string;
  from?: string;
  to?: string;
  published?: boolean;
}

function filterOf(filter: ActFilter): SQL | undefined {
  const terms = filter.q ? searchTerms(filter.q) : [];
  return and(
    filter.memberId ? eq(acts.memberId, filter.memberId) : undefined,
    filter.status ? eq(acts.status, filter.status) : undefined,
    filter.nature ? eq(acts.nature, filter.nature) : undefined,
    filter.classification
      ? or(
          eq(acts.classification, filter.classification),
          like(acts.classification, `${filter.classification}.%`),
        )
      : undefined,
    ...terms.map((term) => like(acts.searchKey, `%${term}%`)),
    filter.from ? gte(acts.decidedOn, filter.from) : undefined,
    filter.to ? lte(acts.decidedOn, filter.to) : undefined,
    filter.published === true ? isNotNull(acts.publishedAt) : undefined,
    filter.published === false ? sql`${acts.publishedAt} IS NULL` : undefined,
  );
}

/** A page of acts, newest decisions first (decided_on, id descending). */
export async function listActs(
  db: Executor,
  filter: ActFilter,
  cursor: { sortValue: CursorValue; id: string } | null,
  limit: number,
): Promise<{ rows: (ActListRow & { memberName: string })[] } & ListTotal> {
  const where = filterOf(filter);
  const publishedOnly = filter.published === true;
  const [rows, counted] = await Promise.all([
    db
      .select({ act: acts, correctedByActId: correctedBy(publishedOnly), memberName: organisations.name })
      .from(acts)
      .innerJoin(organisations, eq(organisations.id, acts.memberId))
      .where(and(where, afterCursor(acts.decidedOn, acts.id, cursor, true)))
      .orderBy(desc(acts.decidedOn), desc(acts.id))
      .limit(limit + 1),
    cappedTotal(db, db.select({ one: sql`1` }).from(acts).where(where)),
  ]);
  return {
    rows: rows.map((r) => ({ ...r.act, correctedByActId: r.correctedByActId, memberName: r.memberName })),
    ...counted,
  };
}

/**
 * The date an act became executory, in SQL: `executoryState` (publication/executory.ts) over the acts
 * row, for the public portal's statement; acts.test.ts checks both give the same date on every case.
 * Instants are read as Paris dates, as `parisDateOf` does; LEAST and GREATEST skip NULLs.
 */
export function executoryOnSql(row: {
  nature: SQL;
  transmissionRequired: SQL;
  acknowledgedAt: SQL;
  publishedAt: SQL;
  notifiedOn: SQL;
}): SQL {
  const paris = (instant: SQL) => sql`(${instant} AT TIME ZONE 'Europe/Paris')::date`;
  const notifiable = sql`NOT (${row.nature} IN (${sql.raw(PUBLICATION_ONLY_NATURES.map((n) => `'${n}'`).join(', '))}))`;
  const madeKnown = sql`LEAST(${paris(row.publishedAt)}, CASE WHEN ${notifiable} THEN ${row.notifiedOn} END)`;
  return sql`(CASE WHEN (${row.transmissionRequired} AND ${row.acknowledgedAt} IS NULL) OR ${madeKnown} IS NULL
    THEN NULL
    ELSE GREATEST(CASE WHEN ${row.transmissionRequired} THEN ${paris(row.acknowledgedAt)} END, ${madeKnown}) END)`;
}

/** An instant as `Date.toISOString()` writes it (milliseconds, `Z`); NULL stays NULL. */
const isoInstant = (instant: SQL) =>
  sql`to_char(${instant} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * publicActSchema's fields but `documentUrl`, in its order, named as it names them: row_to_json of a
 * row of them is the act's JSON as JSON.stringify writes it. Rendered to text once: a request builds
 * only its filters (drizzle's rendering of these ~40 fragments cost more Node CPU than its filters).
 */
const PUBLIC_ACT_FIELDS = (() => {
  const fields = sql`${acts.id} AS "id", ${acts.memberId} AS "memberId", ${acts.nature} AS "nature",
    ${acts.classification} AS "classification", ${acts.classificationLabel} AS "classificationLabel",
    ${acts.number} AS "number", ${acts.decidedOn} AS "decidedOn", ${acts.subject} AS "subject",
    ${acts.sessionOn} AS "sessionOn", ${acts.prefectureId} AS "prefectureId",
    ${isoInstant(sql`${acts.acknowledgedAt}`)} AS "acknowledgedAt",
    ${isoInstant(sql`${acts.publishedAt}`)} AS "publishedAt", ${acts.publishedSha256} AS "sha256",
    ${executoryOnSql({
      nature: sql`${acts.nature}`,
      transmissionRequired: sql`${acts.transmissionRequired}`,
      acknowledgedAt: sql`${acts.acknowledgedAt}`,
      publishedAt: sql`${acts.publishedAt}`,
      notifiedOn: sql`${acts.notifiedOn}`,
    })} AS "executoryOn",
    ${acts.correctsActId} AS "correctsActId", ${correctedBy(true)} AS "correctedByActId"`;
  const rendered = new PgDialect().sqlToQuery(fields);
  if (rendered.params.length > 0) throw new Error('PUBLIC_ACT_FIELDS: no parameter expected');
  return sql.raw(rendered.sql);
})();

/** One page of the public portal, as publicActsPage reads it. */
export interface PublicActsPage {
  /** Each act of the page (at most `limit`) as the JSON text of publicActSchema, in page order. */
  items: string[];
  /** The last act of the page when more follow (the next page's cursor), else null. */
  last: { decidedOn: string; id: string } | null;
  total: ListTotal;
}

/**
 * The public portal's page in one statement (issue #11 §6): whether the register's holder exists
 * (no row: 404), the member's published acts matching the filters after the cursor, newest decisions
 * first, each already written as the JSON of publicActSchema (`documentUrl` built from
 * `documentPrefix`), and how many match. The page walks acts_member_published_idx (member,
 * decided_on, id) backwards from the keyset, the filters tested on the member's rows. The count,
 * up to `cap`, is an uncorrelated sub-select (an InitPlan) that PostgreSQL runs only when its CASE
 * branch is reached: a first page holding every match (most members' registers, most searches) is its
 * own count. Node then only joins the texts.
 */
export async function publicActsPage(
  db: Executor,
  memberId: string,
  filter: Omit<ActFilter, 'memberId' | 'published' | 'status'>,
  cursor: { sortValue: string; id: string } | null,
  limit: number,
  documentPrefix: string,
  cap = TOTAL_CAP,
): Promise<PublicActsPage | null> {
  const where = filterOf({ ...filter, memberId, published: true });
  const after = cursor
    ? sql`(${acts.decidedOn}, ${acts.id}) < (${cursor.sortValue}::date, ${cursor.id}::uuid)`
    : undefined;
  const counted = cappedCountSql(sql`SELECT 1 FROM acts WHERE ${where}`, cap);
  const total = cursor ? counted : sql`CASE WHEN count(p.id) OVER () > ${limit} THEN ${counted} END`;
  const result = await db.execute(sql`
    SELECT ${total} AS total, p.id, to_char(p."decidedOn", 'YYYY-MM-DD') AS decided_on,
      row_to_json(p)::text AS item
    FROM organisations o
    LEFT JOIN (
      SELECT ${PUBLIC_ACT_FIELDS},
        ${documentPrefix}::text || ${acts.memberId} || '/acts/' || ${acts.id} || '/document' AS "documentUrl"
      FROM acts
      WHERE ${and(where, after)}
      ORDER BY ${acts.decidedOn} DESC, ${acts.id} DESC
      LIMIT ${limit + 1}
    ) AS p ON true
    WHERE o.id = ${memberId}
    ORDER BY p."decidedOn" DESC, p.id DESC`);
  const rows = rowsOf<{ total: unknown; id: string | null; decided_on: string; item: string }>(result);
  if (rows.length === 0) return null;
  const acted = rows[0].id === null ? [] : rows;
  const more = acted.length > limit;
  const page = more ? acted.slice(0, limit) : acted;
  const last = page.at(-1);
  // NULL when the first page holds every match (the count was not run).
  const n = rows[0].total === null ? acted.length : toCount(rows[0].total);
  return {
    items: page.map((r) => r.item),
    last: more && last ? { decidedOn: last.decided_on, id: last.id as string } : null,
    total: cappedCount(n, cap),
  };
}

/** The operator's view: transmissions (acts that left draft) by latest change. */
export async function listTransmissions(
  db: Executor,
  filter: { status?: ActStatus; memberId?: string },
  cursor: { sortValue: CursorValue; id: string } | null,
  limit: number,
) {
  const where = and(
    filter.status ? eq(acts.status, filter.status) : inArray(acts.status, TRANSMISSION_STATUSES),
    filter.memberId ? eq(acts.memberId, filter.memberId) : undefined,
  );
  const updated = sql`to_char(${acts.updatedAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const [rows, counted] = await Promise.all([
    db
      .select({
        act: acts,
        correctedByActId: correctedBy(false),
        memberName: organisations.name,
        updatedAtMicros: sql<string>`${updated}`,
      })
      .from(acts)
      .innerJoin(organisations, eq(organisations.id, acts.memberId))
      .where(and(where, afterCursor(sql`${updated}`, acts.id, cursor, true)))
      .orderBy(desc(acts.updatedAt), desc(acts.id))
      .limit(limit + 1),
    cappedTotal(db, db.select({ one: sql`1` }).from(acts).where(where)),
  ]);
  return {
    rows: rows.map((r) => ({
      ...r.act,
      correctedByActId: r.correctedByActId,
      memberName: r.memberName,
      updatedAtMicros: r.updatedAtMicros,
    })),
    ...counted,
  };
}
const TRANSMISSION_STATUSES: ActStatus[] = ['transmitting', 'acknowledged', 'error', 'cancelled'];

export async function countByStatus(db: Executor) {
  const rows = await db.select({ status: acts.status, n: sql`count(*)` }).from(acts).groupBy(acts.status);
  return rows.map((r) => ({ status: r.status, count: toCount(r.n) }));
}

export async function transmittedByMonth(db: Executor, since: Date) {
  const month = sql<string>`to_char(${acts.transmittedAt} AT TIME ZONE 'Europe/Paris', 'YYYY-MM')`;
  const rows = await db
    .select({ month, n: sql`count(*)` })
    .from(acts)
    .where(gte(acts.transmittedAt, since))
    .groupBy(month)
    .orderBy(month);
  return rows.map((r) => ({ month: r.month, count: toCount(r.n) }));
}

/**
 * Published deliberations for open data (SCDL), oldest first; one member or all. With each, the
 * label of its sub-matière (the level-2 entry of the member's classification, `7.1` for `7.1.2`).
 */
export async function publishedForExport(db: Executor, memberId: string | null, max: number) {
  const subMatiere = sql<string | null>`COALESCE(
    (SELECT k.label FROM act_classifications k WHERE k.member_id = ${acts.memberId}
      AND k.code = substring(${acts.classification} from '^[0-9]+[.][0-9]+')),
    CASE WHEN ${acts.classification} ~ '^[0-9]+[.][0-9]+$' THEN ${acts.classificationLabel} END)`;
  return db
    .select({
      act: acts,
      memberName: organisations.name,
      siret: organisations.siret,
      subMatiereLabel: subMatiere,
    })
    .from(acts)
    .innerJoin(organisations, eq(organisations.id, acts.memberId))
    .where(
      and(
        isNotNull(acts.publishedAt),
        eq(acts.nature, 'DE'),
        memberId ? eq(acts.memberId, memberId) : undefined,
      ),
    )
    .orderBy(asc(acts.decidedOn), asc(acts.id))
    .limit(max);
}

/** Deliberations of one council session (any status), by number. */
export async function sessionDeliberations(db: Executor, memberId: string, sessionOn: string) {
  return db
    .select()
    .from(acts)
    .where(and(eq(acts.memberId, memberId), eq(acts.sessionOn, sessionOn), eq(acts.nature, 'DE')))
    .orderBy(asc(acts.number));
}

// Documents ----------------------------------------------------------------------------------------

export function listDocuments(db: Executor, memberId: string, actId: string): Promise<ActDocumentRow[]> {
  return db
    .select()
    .from(actDocuments)
    .where(and(eq(actDocuments.memberId, memberId), eq(actDocuments.actId, actId)))
    .orderBy(asc(actDocuments.createdAt), asc(actDocuments.id));
}

export async function findDocument(db: Executor, memberId: string, actId: string, documentId: string) {
  const [row] = await db
    .select()
    .from(actDocuments)
    .where(
      and(
        eq(actDocuments.memberId, memberId),
        eq(actDocuments.actId, actId),
        eq(actDocuments.id, documentId),
      ),
    );
  return row ?? null;
}

export async function insertDocument(db: Executor, values: typeof actDocuments.$inferInsert) {
  const [row] = await db.insert(actDocuments).values(values).returning();
  return row;
}

// Events and messages ------------------------------------------------------------------------------

export async function insertEvent(db: Executor, values: typeof actEvents.$inferInsert) {
  await db.insert(actEvents).values(values);
}

export function listEvents(db: Executor, memberId: string, actId: string) {
  return db
    .select({
      status: actEvents.status,
      label: actEvents.label,
      at: actEvents.at,
      actorLabel: actEvents.actorLabel,
      userName: sql<
        string | null
      >`(SELECT u.display_name FROM users u WHERE u.id = ${actEvents.actorUserId})`,
    })
    .from(actEvents)
    .where(and(eq(actEvents.memberId, memberId), eq(actEvents.actId, actId)))
    .orderBy(asc(actEvents.at), asc(actEvents.id));
}

export function listMessages(db: Executor, memberId: string, actId: string) {
  return db
    .select()
    .from(actMessages)
    .where(and(eq(actMessages.memberId, memberId), eq(actMessages.actId, actId)))
    .orderBy(asc(actMessages.receivedAt), asc(actMessages.id));
}

export async function findMessage(db: Executor, memberId: string, actId: string, messageId: string) {
  const [row] = await db
    .select()
    .from(actMessages)
    .where(
      and(eq(actMessages.memberId, memberId), eq(actMessages.actId, actId), eq(actMessages.id, messageId)),
    );
  return row ?? null;
}

export async function insertMessage(db: Executor, values: typeof actMessages.$inferInsert) {
  const [row] = await db.insert(actMessages).values(values).returning();
  return row;
}

export async function updateMessage(
  db: Executor,
  memberId: string,
  messageId: string,
  values: Partial<typeof actMessages.$inferInsert>,
) {
  await db
    .update(actMessages)
    .set(values)
    .where(and(eq(actMessages.memberId, memberId), eq(actMessages.id, messageId)));
}

export async function knownMessageIds(db: Executor, memberId: string, actId: string) {
  const rows = await db
    .select({ externalId: actMessages.externalId })
    .from(actMessages)
    .where(and(eq(actMessages.memberId, memberId), eq(actMessages.actId, actId)));
  return new Set(rows.flatMap((r) => (r.externalId ? [r.externalId] : [])));
}

// Classification -----------------------------------------------------------------------------------

export function listClassification(db: Executor, memberId: string) {
  return db
    .select()
    .from(actClassifications)
    .where(eq(actClassifications.memberId, memberId))
    .orderBy(asc(actClassifications.code));
}

export async function findClassification(db: Executor, memberId: string, code: string) {
  const [row] = await db
    .select()
    .from(actClassifications)
    .where(and(eq(actClassifications.memberId, memberId), eq(actClassifications.code, code)));
  return row ?? null;
}

/** The date of the member's stored classification, or null when never fetched. */
export async function classificationDateOf(db: Executor, memberId: string) {
  const [row] = await db
    .select({ date: sql<string | null>`max(${actClassifications.classificationDate})` })
    .from(actClassifications)
    .where(eq(actClassifications.memberId, memberId));
  return row?.date ?? null;
}

export async function replaceClassification(
  db: Executor,
  memberId: string,
  rows: (typeof actClassifications.$inferInsert)[],
) {
  await db.delete(actClassifications).where(eq(actClassifications.memberId, memberId));
  if (rows.length > 0) await db.insert(actClassifications).values(rows);
}

// Organisations (kernel) ---------------------------------------------------------------------------

export async function memberIdentity(db: Executor, memberId: string) {
  const [row] = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      siren: organisations.siren,
      departementCode: organisations.departementCode,
      kind: organisations.kind,
    })
    .from(organisations)
    .where(eq(organisations.id, memberId));
  return row ?? null;
}

/** Acknowledged acts still under the legality check (acknowledged since `since`): their messages are followed. */
export async function actsUnderCheck(db: Executor, since: Date) {
  const rows = await db
    .select({ id: acts.id, memberId: acts.memberId, transactionId: acts.transactionId })
    .from(acts)
    .where(
      and(eq(acts.status, 'acknowledged'), gte(acts.acknowledgedAt, since), isNotNull(acts.transactionId)),
    );
  return rows.flatMap((r) => (r.transactionId ? [{ ...r, transactionId: r.transactionId }] : []));
}

/** Members whose classification was fetched once: the daily job keeps it current. */
export function membersWithClassification(db: Executor) {
  return db
    .selectDistinct({ memberId: actClassifications.memberId, siren: organisations.siren })
    .from(actClassifications)
    .innerJoin(organisations, eq(organisations.id, actClassifications.memberId));
}

/**
 * Acts left in `transmitting` since before `before` with no send or poll queued (their job died after
 * its last attempt): the daily job resumes them.
 */
export function stalledTransmissions(db: Executor, before: Date) {
  return db
    .select({ id: acts.id, memberId: acts.memberId, transactionId: acts.transactionId })
    .from(acts)
    .where(
      and(
        eq(acts.status, 'transmitting'),
        sql`${acts.updatedAt} < ${before}`,
        sql`NOT EXISTS (SELECT 1 FROM jobs j WHERE j.state IN ('pending', 'running')
          AND j.name IN ('acts.transmit', 'acts.poll') AND j.payload->>'actId' = ${acts.id}::text)`,
      ),
    );
}

/** Every key the register points to: the acts' files and their published copies (the storage sweep). */
export async function listAllStorageKeys(db: Executor): Promise<string[]> {
  const [files, published] = await Promise.all([
    db.select({ key: actDocuments.storageKey }).from(actDocuments),
    db.select({ key: acts.publishedStorageKey }).from(acts).where(isNotNull(acts.publishedStorageKey)),
  ]);
  return [...files.map((r) => r.key), ...published.flatMap((r) => (r.key ? [r.key] : []))];
}

/** The Paris date of the latest publication, or null when nothing is published (open data). */
export async function lastPublishedOn(db: Executor): Promise<string | null> {
  const [row] = await db
    .select({
      on: sql<string | null>`to_char(max(${acts.publishedAt}) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')`,
    })
    .from(acts)
    .where(isNotNull(acts.publishedAt));
  return row?.on ?? null;
}

/**
 * The global search's acts: by number or words of the subject (the trigram index), one member's or
 * every member's (the operator's demat team), newest decisions first.
 */
export async function searchActs(db: Executor, memberId: string | null, q: string, limit: number) {
  return db
    .select({
      id: acts.id,
      memberId: acts.memberId,
      memberName: organisations.name,
      number: acts.number,
      nature: acts.nature,
      subject: acts.subject,
      decidedOn: acts.decidedOn,
    })
    .from(acts)
    .innerJoin(organisations, eq(organisations.id, acts.memberId))
    .where(filterOf({ q, memberId: memberId ?? undefined }))
    .orderBy(desc(acts.decidedOn), desc(acts.id))
    .limit(limit);
}

// Transmission jobs --------------------------------------------------------------------------------
//
// `acts.transmit` and `acts.poll` run once per act, ten thousand at a time for a council season: each
// step is one statement on the job runner's owner connection (which sees every member's rows, as the
// system does), its SQL text fixed so the driver prepares it once. A write checks the act's state in
// its own `WHERE` (the row is locked by the `UPDATE`, and re-checked if another transaction changed it
// meanwhile) and writes the history row and the next job from the `UPDATE`'s output: all or nothing,
// and nothing when the act has moved on.

/** What `acts.transmit` needs to build the envelope, in one statement. */
export interface TransmissionSource {
  status: ActStatus;
  transactionId: string | null;
  nature: ActNature;
  classification: string;
  number: string;
  decidedOn: string;
  subject: string;
  /** The act's classification date, else the member's stored classification's, else null. */
  classificationDate: string | null;
  siren: string | null;
  departementCode: string | null;
  /** Files of the act itself (not of messages), oldest first: the main document and the annexes. */
  documents: { role: 'main' | 'annex'; fileName: string; mediaType: string; storageKey: string }[];
}

export async function transmissionSource(
  db: Executor,
  memberId: string,
  actId: string,
): Promise<TransmissionSource | null> {
  const [row] = rowsOf<{
    status: ActStatus;
    transaction_id: string | null;
    nature: ActNature;
    classification: string;
    number: string;
    decided_on: string;
    subject: string;
    classification_date: string | null;
    siren: string | null;
    departement_code: string | null;
    documents: TransmissionSource['documents'] | string;
  }>(
    await db.execute(sql`
      SELECT a.status, a.transaction_id, a.nature, a.classification, a.number, a.decided_on::text AS decided_on,
        a.subject, COALESCE(a.classification_date, (SELECT max(k.classification_date) FROM act_classifications k
          WHERE k.member_id = a.member_id))::text AS classification_date,
        o.siren, o.departement_code,
        (SELECT COALESCE(json_agg(json_build_object('role', d.role, 'fileName', d.file_name,
            'mediaType', d.media_type, 'storageKey', d.storage_key) ORDER BY d.created_at, d.id), '[]')
          FROM act_documents d WHERE d.member_id = a.member_id AND d.act_id = a.id AND d.message_id IS NULL
            AND d.role IN ('main', 'annex')) AS documents
      FROM acts a JOIN organisations o ON o.id = a.member_id
      WHERE a.member_id = ${memberId} AND a.id = ${actId}`),
  );
  if (!row) return null;
  return {
    status: row.status,
    transactionId: row.transaction_id,
    nature: row.nature,
    classification: row.classification,
    number: row.number,
    decidedOn: row.decided_on,
    subject: row.subject,
    classificationDate: row.classification_date,
    siren: row.siren,
    departementCode: row.departement_code,
    documents: typeof row.documents === 'string' ? JSON.parse(row.documents) : row.documents,
  };
}

/** The transaction an act in `transmitting` is followed by (null when it is not transmitting). */
export async function transmittingTransaction(db: Executor, memberId: string, actId: string) {
  const [row] = rowsOf<{ transaction_id: string | null }>(
    await db.execute(sql`SELECT transaction_id FROM acts
      WHERE member_id = ${memberId} AND id = ${actId} AND ${inStatus('transmitting')}`),
  );
  return row?.transaction_id ?? null;
}

/**
 * The tiers answered a transaction id: stored with the date sent, the history row and the job that
 * follows it (`next`, an INSERT of jobInsert reading `sent`), in one statement — only while the act
 * is transmitting without a transaction (a job run twice records the first answer only). True when
 * recorded.
 */
export async function recordSent(
  db: Executor,
  act: { memberId: string; actId: string },
  sent: { transactionId: string; at: Date; label: string; actorLabel: string },
  next: (source: SQL) => SQL,
): Promise<boolean> {
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`
      WITH sent AS (
        UPDATE acts SET transaction_id = ${sent.transactionId}, transmitted_at = ${sent.at}, updated_at = ${sent.at}
        WHERE member_id = ${act.memberId} AND id = ${act.actId} AND ${inStatus('transmitting')}
          AND transaction_id IS NULL
        RETURNING member_id, id),
      history AS (
        INSERT INTO act_events (member_id, act_id, status, label, at, actor_label)
        SELECT member_id, id, NULL, ${sent.label}, ${sent.at}, ${sent.actorLabel} FROM sent),
      queued AS (${next(sql`sent`)})
      SELECT count(*)::int AS n FROM sent`),
  );
  return toCount(rows[0]?.n) > 0;
}

/**
 * The prefecture acknowledged: status, identifier and date stored, the history row and the
 * `act.acknowledged` webhook event (`event`: eventsFromCall over the rows given) in one statement —
 * only while the act is transmitting under that transaction. Whether it was recorded, and the number
 * of webhook deliveries queued.
 */
export async function recordAcknowledged(
  db: Executor,
  act: { memberId: string; actId: string; transactionId: string },
  ack: { prefectureId: string | null; at: Date; updatedAt: Date; label: string; actorLabel: string },
  event: (rows: SQL) => SQL,
): Promise<{ recorded: boolean; queued: number }> {
  const [row] = rowsOf<{ n: number; queued: number }>(
    await db.execute(sql`
      WITH ack AS (
        UPDATE acts SET status = 'acknowledged', prefecture_id = ${ack.prefectureId}::text, acknowledged_at = ${ack.at},
          error_message = NULL, updated_at = ${ack.updatedAt}
        WHERE member_id = ${act.memberId} AND id = ${act.actId} AND ${inStatus('transmitting')}
          AND transaction_id = ${act.transactionId}
        RETURNING member_id, id, number, nature, prefecture_id),
      history AS (
        INSERT INTO act_events (member_id, act_id, status, label, at, actor_label)
        SELECT member_id, id, 'acknowledged', ${ack.label}, ${ack.at}, ${ack.actorLabel} FROM ack)
      SELECT (SELECT count(*) FROM ack)::int AS n, ${event(sql`
        SELECT member_id, jsonb_build_object('actId', id, 'number', number, 'nature', nature,
          'prefectureId', prefecture_id, 'acknowledgedAt', ${ack.at.toISOString()}::text) AS data
        FROM ack`)} AS queued`),
  );
  return { recorded: toCount(row?.n) > 0, queued: toCount(row?.queued) };
}

/** Queues `job` (an INSERT of jobInsert) if the act is still transmitting under that transaction. */
export async function queueWhileTransmitting(
  db: Executor,
  act: { memberId: string; actId: string; transactionId: string },
  job: (source: SQL) => SQL,
): Promise<void> {
  await db.execute(
    job(sql`acts WHERE member_id = ${act.memberId} AND id = ${act.actId} AND ${inStatus('transmitting')}
      AND transaction_id = ${act.transactionId}`),
  );
}
