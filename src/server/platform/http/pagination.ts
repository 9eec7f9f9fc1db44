import { and, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type Executor, rowsOf, toCount } from '../db/client.js';
import { invalid } from '../errors.js';

/**
 * Keyset pagination: the cursor carries the last row's sort value and id, so a page costs the same
 * at row 50 and at row 50,000, and rows inserted meanwhile neither repeat nor vanish.
 */
export type CursorValue = string | number | null;

export function encodeCursor(sortValue: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

/** The one answer to a cursor that cannot be read: start again from the first page. */
export const invalidCursor = () =>
  invalid('Le paramètre cursor est invalide : repartez de la première page.', [
    { path: 'query.cursor', message: 'curseur invalide' },
  ]);

export function decodeCursor(cursor: string | undefined): { sortValue: CursorValue; id: string } | null {
  if (!cursor) return null;
  try {
    const [sortValue, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof id !== 'string') throw new Error('bad id');
    return { sortValue, id };
  } catch {
    throw invalidCursor();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * decodeCursor for a keyset on (a text sort value, a uuid id), checked so that a forged cursor is a
 * 400 rather than a 500 from a SQL cast; `accepts` may check the sort value further.
 */
export function decodeTextCursor(
  cursor: string | undefined,
  accepts: (sortValue: string) => boolean = () => true,
): { sortValue: string; id: string } | null {
  const decoded = decodeCursor(cursor);
  if (!decoded) return null;
  const { sortValue, id } = decoded;
  if (!UUID.test(id) || typeof sortValue !== 'string' || !accepts(sortValue)) throw invalidCursor();
  return { sortValue, id };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** decodeTextCursor for a keyset on (an instant written by `cursorInstant`, a uuid id). */
export const decodeInstantCursor = (cursor: string | undefined) =>
  decodeTextCursor(cursor, (sortValue) => ISO_INSTANT.test(sortValue));

/**
 * WHERE clause for the rows after the cursor in ascending (sortColumn, idColumn) order.
 * For descending order pass `descending: true`. NULL sort values are not supported: sort on
 * coalesced expressions instead.
 */
export function afterCursor(
  sortColumn: SQLWrapper,
  idColumn: SQLWrapper,
  cursor: { sortValue: CursorValue; id: string } | null,
  descending = false,
): SQL | undefined {
  if (!cursor) return undefined;
  const op = descending ? sql.raw('<') : sql.raw('>');
  return or(
    sql`${sortColumn} ${op} ${cursor.sortValue}`,
    and(sql`${sortColumn} = ${cursor.sortValue}`, sql`${idColumn} ${op} ${cursor.id}`),
  );
}

/** Takes `limit + 1` rows and turns the extra one into `nextCursor`. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => string,
): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: cursorOf(items[items.length - 1]) };
}

/**
 * A timestamptz as an ISO string with microseconds, for cursors: a millisecond JavaScript Date would
 * skip or repeat rows written in the same millisecond.
 */
export const cursorInstant = (column: SQLWrapper) =>
  sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Lists count their matches exactly up to this many and no further: a page never counts 50,000 rows
 * to print a number nobody reads. Beyond, `totalIsExact` is false and the total is either the cap
 * (« plus de 1 000 ») or, for the lists that ask for it, the planner's estimate of the matching rows
 * (`totalIsEstimate`: « environ 6 500 »).
 */
export const TOTAL_CAP = 1_000;

/** A list's count, exact up to TOTAL_CAP (see cappedListOf in contracts/common.ts). */
export interface ListTotal {
  total: number;
  totalIsExact: boolean;
  /** Set (true) when `total` is the planner's estimate: never with `totalIsExact`. */
  totalIsEstimate?: boolean;
}

/** Two significant digits: an estimate is not shown more precise than it is (6,537 → 6,500). */
export function roundEstimate(n: number): number {
  if (n < 100) return Math.round(n);
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
}

/**
 * Whether a list past the cap asks the planner for an estimate. Only for tables whose every row the
 * reader sees (the member registry): under a tenant policy (`operator OR member_id = …`) the
 * planner cannot evaluate the policy's functions and estimates a fixed share of the whole table,
 * which could print « environ 300 000 » for a member who sees 1,500 rows. Those lists say « plus de
 * 1 000 ».
 */
export interface TotalOptions {
  estimate?: boolean;
}

/**
 * The count of `matching` (a list's rows without its ORDER BY and LIMIT) read up to `cap` + 1, as a
 * scalar sub-select: alone (cappedTotal) or inside a page's own statement, where PostgreSQL runs it
 * once (an InitPlan). cappedCount or totalFrom turn the number into a list total.
 */
export const cappedCountSql = (matching: SQLWrapper, cap = TOTAL_CAP): SQL<unknown> =>
  sql`(SELECT count(*) FROM (${matching} LIMIT ${cap + 1}) AS matching)`;

/** The rows a list would show (without its own ORDER BY and LIMIT), counted up to TOTAL_CAP. */
export async function cappedTotal(
  db: Executor,
  matching: SQLWrapper,
  options: TotalOptions = {},
): Promise<ListTotal> {
  const result = await db.execute(sql`SELECT ${cappedCountSql(matching)} AS n`);
  return totalFrom(db, toCount(rowsOf<{ n: unknown }>(result)[0]?.n), matching, options);
}

/** A count read up to `cap` + 1, as a list total without estimate: exact, or « plus de `cap` ». */
export const cappedCount = (counted: number, cap = TOTAL_CAP): ListTotal =>
  counted > cap ? { total: cap, totalIsExact: false } : { total: counted, totalIsExact: true };

/**
 * The list total of `counted`, a count of `matching` read up to TOTAL_CAP + 1 (by cappedTotal, or
 * inside a page's own statement): exact up to the cap; beyond it, with `estimate`, the planner's
 * estimate of `matching` — one EXPLAIN, planning only, nothing read — when that is above the cap.
 */
export async function totalFrom(
  db: Executor,
  counted: number,
  matching: SQLWrapper,
  options: TotalOptions = {},
): Promise<ListTotal> {
  if (counted <= TOTAL_CAP || !options.estimate) return cappedCount(counted);
  const estimate = roundEstimate(await plannedRows(db, matching));
  return estimate > TOTAL_CAP
    ? { total: estimate, totalIsExact: false, totalIsEstimate: true }
    : cappedCount(counted);
}

/** The planner's estimate of the rows `query` returns (EXPLAIN without ANALYZE: nothing is read). */
export async function plannedRows(db: Executor, query: SQLWrapper): Promise<number> {
  const result = await db.execute(sql`EXPLAIN (FORMAT JSON) ${query}`);
  const row = rowsOf<Record<string, unknown>>(result)[0];
  const value = row ? Object.values(row)[0] : undefined;
  // json comes back parsed from pg and PGlite alike; a string would mean a driver change.
  const plans = (typeof value === 'string' ? JSON.parse(value) : value) as
    | { Plan?: { 'Plan Rows'?: unknown } }[]
    | undefined;
  const rows = Number(plans?.[0]?.Plan?.['Plan Rows']);
  return Number.isFinite(rows) ? rows : 0;
}
