/**
 * Writing many rows at once: rows sent column by column as PostgreSQL arrays and unnested by one
 * `INSERT … SELECT` per batch (a billing run writes ~1 M invoice lines). `COPY` is not an option:
 * PostgreSQL refuses `COPY FROM` under RLS.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/client.js';

type Scalar = string | number | null;

/**
 * `values[from..to)` as a PostgreSQL array literal, sent as one text parameter and cast by the
 * statement (`$1::uuid[]`). Text elements are quoted (only `"` and `\` need escaping inside quotes);
 * numbers, UUIDs and ISO dates never need quoting. Building the literal is a join, and the server
 * parses it with the type's own input function: far cheaper, on both sides, than JSON or the
 * driver's per-element array serialisation.
 */
export function arrayLiteral(values: readonly Scalar[], from: number, to: number, quoted: boolean): string {
  const parts: Scalar[] = values.slice(from, to);
  for (let i = 0; i < parts.length; i++) {
    const v = parts[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (quoted) {
      const text = v as string;
      parts[i] =
        text.includes('"') || text.includes('\\') ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
    }
  }
  return `{${parts.join(',')}}`;
}

/**
 * Runs the statements `next()` yields one after the other, building each one while the database
 * executes the previous one (Node and the database each have a core to work on).
 */
async function pipelined(db: Executor, next: () => SQL | null) {
  let running: Promise<unknown> | null = null;
  try {
    for (let statement = next(); statement; statement = next()) {
      if (running) await running;
      running = db.execute(statement);
    }
  } catch (error) {
    // Never leave a statement running unobserved: its failure would be an unhandled rejection.
    await running?.catch(() => {});
    throw error;
  }
  await running;
}

const array = (values: readonly Scalar[], type: string, from = 0, to = values.length) =>
  sql`${arrayLiteral(values, from, to, type === 'text')}::${sql.raw(type)}[]`;

/** A column to insert: one value per row (`values`), or the same `value` for every row. */
export type InsertColumn =
  | { name: string; type: string; values: readonly Scalar[] }
  | { name: string; type: string; value: Scalar };

/**
 * Inserts `rowCount` rows given column by column: one `INSERT … SELECT FROM unnest($1::type[], …)`
 * statement per `batchSize` rows, one array parameter per varying column, constants bound once.
 * Table and column names are the caller's constants, never input.
 */
export async function insertColumns(
  db: Executor,
  table: string,
  rowCount: number,
  columns: InsertColumn[],
  batchSize = 50_000,
) {
  const names = sql.raw(columns.map((c) => c.name).join(', '));
  const varying = columns.filter((c) => 'values' in c);
  const shape = sql.raw(varying.map((c) => c.name).join(', '));
  const picked = sql.join(
    columns.map((c) => ('values' in c ? sql.raw(`x.${c.name}`) : sql`${c.value}::${sql.raw(c.type)}`)),
    sql`, `,
  );
  if (varying.length === 0) {
    // Constants only: exactly one row.
    if (rowCount !== 1) throw new RangeError('insertColumns: constant columns make exactly one row');
    await db.execute(sql`INSERT INTO ${sql.raw(table)} (${names}) SELECT ${picked}`);
    return;
  }
  let from = 0;
  await pipelined(db, () => {
    if (from >= rowCount) return null;
    const to = Math.min(rowCount, from + batchSize);
    const arrays = sql.join(
      varying.map((c) => array(c.values, c.type, from, to)),
      sql`, `,
    );
    from = to;
    return sql`INSERT INTO ${sql.raw(table)} (${names}) SELECT ${picked} FROM unnest(${arrays}) AS x(${shape})`;
  });
}

/** The lines of a billing run, column by column, in invoice order. */
export interface IssuedLines {
  /** The invoices, in the order of their lines, and their members. */
  invoiceIds: readonly string[];
  memberIds: readonly string[];
  /** Index of each invoice's first line, plus the line count at the end (length invoices + 1). */
  firstLines: readonly number[];
  /** What the lines of one source (a service, or the fee) share, indexed by `lines.sources`. */
  sources: {
    serviceIds: readonly (string | null)[];
    serviceCodes: readonly (string | null)[];
    rules: readonly (string | null)[];
  };
  lines: {
    ids: readonly string[];
    positions: readonly number[];
    sources: readonly number[];
    labels: readonly string[];
    cents: readonly number[];
    /** explanation = the source's rule + detail. */
    details: readonly string[];
  };
}

/**
 * Inserts a billing run's lines, ~`batchSize` per statement (whole invoices). What lines repeat is sent
 * once per statement and picked by index: the invoice and member ids (once per invoice of the batch),
 * and the service id, code and explanation rule (once per source). A million lines then cost a third
 * of the bytes to build, send and parse.
 */
export async function insertIssuedLines(db: Executor, input: IssuedLines, batchSize = 50_000) {
  const { invoiceIds, memberIds, firstLines, sources, lines } = input;
  const serviceIds = array(sources.serviceIds, 'uuid');
  const serviceCodes = array(sources.serviceCodes, 'text');
  const rules = array(sources.rules, 'text');
  let first = 0;
  await pipelined(db, () => {
    if (first >= invoiceIds.length) return null;
    let last = first + 1;
    while (last < invoiceIds.length && firstLines[last + 1] - firstLines[first] <= batchSize) last++;
    const from = firstLines[first];
    const to = firstLines[last];
    // 1-based positions, in the batch's invoices and in the sources.
    const invoiceOf = new Array<number>(to - from);
    for (let k = first; k < last; k++)
      invoiceOf.fill(k - first + 1, firstLines[k] - from, firstLines[k + 1] - from);
    const sourceOf = new Array<number>(to - from);
    for (let i = from; i < to; i++) sourceOf[i - from] = lines.sources[i] + 1;
    const statement = sql`
      INSERT INTO invoice_lines (id, invoice_id, member_id, position, service_id, service_code, label,
        quantity, unit_cents, total_cents, explanation)
      SELECT x.id, (${array(invoiceIds, 'uuid', first, last)})[x.invoice],
        (${array(memberIds, 'uuid', first, last)})[x.invoice], x.position,
        (${serviceIds})[x.source], (${serviceCodes})[x.source], x.label, 1, x.cents, x.cents,
        (${rules})[x.source] || x.detail
      FROM unnest(${array(lines.ids, 'uuid', from, to)}, ${array(invoiceOf, 'int')},
        ${array(lines.positions, 'int', from, to)}, ${array(sourceOf, 'int')},
        ${array(lines.labels, 'text', from, to)}, ${array(lines.cents, 'int', from, to)},
        ${array(lines.details, 'text', from, to)})
        AS x(id, invoice, position, source, label, cents, detail)`;
    first = last;
    return statement;
  });
}
