import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { InvoiceKind, InvoiceStatus } from '../../../contracts/billing.js';
import { searchTerms } from '../../../contracts/search.js';
import { organisations } from '../../kernel/identity.schema.js';
import { type Executor, rowsOf, toCount } from '../../platform/db/client.js';
import { afterCursor, cappedTotal, type decodeCursor } from '../../platform/http/pagination.js';
import { arrayLiteral } from './billing.bulk.js';
import { billingRuns, invoiceLines, invoiceSequences, invoices, payments } from './billing.schema.js';

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;

/**
 * Takes `count` numbers of `year`'s sequence and returns the first. The row stays locked until the
 * transaction ends: a concurrent issuer waits, and a rollback returns the numbers.
 */
export async function takeNumbers(db: Executor, year: number, count: number): Promise<number> {
  const [row] = await db
    .insert(invoiceSequences)
    .values({ year, lastNumber: count })
    .onConflictDoUpdate({
      target: invoiceSequences.year,
      set: { lastNumber: sql`${invoiceSequences.lastNumber} + ${count}` },
    })
    .returning({ lastNumber: invoiceSequences.lastNumber });
  return row.lastNumber - count + 1;
}

export const invoiceNumber = (year: number, sequence: number) =>
  `F-${year}-${String(sequence).padStart(6, '0')}`;

/** Transaction-level advisory lock on the year's issuing: false when another run holds it. */
export async function tryLockIssuing(db: Executor, year: number): Promise<boolean> {
  const [row] = rowsOf<{ locked: boolean }>(
    await db.execute(sql`SELECT pg_try_advisory_xact_lock(${0x50c1e}::int, ${year}::int) AS locked`),
  );
  return row.locked === true;
}

export async function invoicedMembers(db: Executor, year: number): Promise<Set<string>> {
  const rows = await db
    .select({ memberId: invoices.memberId })
    .from(invoices)
    .where(and(eq(invoices.year, year), eq(invoices.kind, 'invoice')));
  return new Set(rows.map((r) => r.memberId));
}

/** What a member was invoiced for a year: its last call, and the net amount per service (null: fee). */
export interface InvoicedMember {
  lastCall: number;
  /** Invoice lines minus credit note lines, by service id ('' for the membership fee). */
  netCents: Map<string, number>;
}

/**
 * Every member invoiced for `year`, with its last call number and what it was invoiced per service,
 * net of credit notes (a credit line counts for the service of the line it credits).
 */
export async function invoicedAmounts(db: Executor, year: number): Promise<Map<string, InvoicedMember>> {
  const calls = rowsOf<{ member_id: string; last_call: number }>(
    await db.execute(sql`
      SELECT member_id, max(call)::int AS last_call FROM invoices
      WHERE year = ${year} AND kind = 'invoice' GROUP BY member_id`),
  );
  const result = new Map<string, InvoicedMember>();
  for (const row of calls) result.set(row.member_id, { lastCall: row.last_call, netCents: new Map() });
  if (result.size === 0) return result;
  // One row per member, `service:net` pairs joined by commas ('' for the fee): a million lines make
  // 50,000 rows to parse instead of a million.
  const amounts = rowsOf<{ member_id: string; items: string }>(
    await db.execute(sql`
      SELECT member_id, string_agg(COALESCE(service_id::text, '') || ':' || net, ',') AS items
      FROM (
        SELECT l.member_id, COALESCE(l.service_id, credited.service_id) AS service_id,
          sum(l.total_cents)::bigint AS net
        FROM invoices i
        JOIN invoice_lines l ON l.invoice_id = i.id
        LEFT JOIN invoice_lines credited ON credited.id = l.credit_of_line_id
        WHERE i.year = ${year}
        GROUP BY 1, 2
      ) per_service
      GROUP BY member_id`),
  );
  for (const row of amounts) {
    const net = result.get(row.member_id)?.netCents;
    if (!net) continue;
    for (const item of row.items.split(',')) {
      const colon = item.indexOf(':');
      net.set(item.slice(0, colon), Number(item.slice(colon + 1)));
    }
  }
  return result;
}

/** What an invoice records of a party (the operator or a member). */
const partyColumns = {
  id: organisations.id,
  name: organisations.name,
  siren: organisations.siren,
  siret: organisations.siret,
  chorusServiceCode: organisations.chorusServiceCode,
  address: organisations.address,
  postalCode: organisations.postalCode,
  city: organisations.city,
};

export async function operatorParty(db: Executor) {
  const [row] = await db.select(partyColumns).from(organisations).where(eq(organisations.kind, 'operator'));
  return row ?? null;
}

export async function memberParties(db: Executor, ids: string[]) {
  const result = new Map<
    string,
    {
      name: string;
      siren: string;
      siret: string | null;
      chorusServiceCode: string | null;
      address: string | null;
    }
  >();
  const rows = await db
    .select(partyColumns)
    .from(organisations)
    .where(sql`${organisations.id} = ANY(${arrayLiteral(ids, 0, ids.length, false)}::uuid[])`);
  for (const r of rows) {
    result.set(r.id, {
      name: r.name,
      siren: r.siren,
      siret: r.siret,
      chorusServiceCode: r.chorusServiceCode,
      address: postalAddress(r),
    });
  }
  return result;
}

/**
 * Members whose invoice Chorus Pro would reject: no SIRET, or no service code where their Chorus Pro
 * structure requires one (organisations are public reference rows, not member-owned: the operator's
 * run reads them all). Few in practice, so the whole set is cheaper than a lookup per draft.
 */
export async function membersIncompleteForChorus(
  db: Executor,
): Promise<Map<string, { siret: boolean; serviceCode: boolean }>> {
  const rows = await db
    .select({
      id: organisations.id,
      siret: sql<boolean>`${organisations.siret} IS NULL OR ${organisations.siret} = ''`,
      serviceCode: sql<boolean>`${organisations.chorusServiceCodeRequired} AND ${organisations.chorusServiceCode} IS NULL`,
    })
    .from(organisations)
    .where(
      sql`${organisations.kind} <> 'operator' AND (${organisations.siret} IS NULL OR ${organisations.siret} = ''
        OR (${organisations.chorusServiceCodeRequired} AND ${organisations.chorusServiceCode} IS NULL))`,
    );
  return new Map(rows.map((r) => [r.id, { siret: r.siret, serviceCode: r.serviceCode }]));
}

export const postalAddress = (r: {
  address: string | null;
  postalCode: string | null;
  city: string | null;
}) => [r.address, [r.postalCode, r.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || null;

export async function insertRun(db: Executor, values: typeof billingRuns.$inferInsert) {
  await db.insert(billingRuns).values(values);
}

export async function finishRun(db: Executor, id: string) {
  await db.update(billingRuns).set({ finishedAt: sql`clock_timestamp()` }).where(eq(billingRuns.id, id));
}

/** The invoice, locked for the update of its payment or credit bookkeeping. */
export async function invoiceForUpdate(db: Executor, id: string, memberId: string | null) {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, id), memberId ? eq(invoices.memberId, memberId) : undefined))
    .for('update');
  return row ?? null;
}

export async function invoiceById(db: Executor, id: string, memberId: string | null) {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, id), memberId ? eq(invoices.memberId, memberId) : undefined));
  return row ?? null;
}

export async function linesOf(db: Executor, invoiceId: string, memberId: string) {
  return db
    .select()
    .from(invoiceLines)
    .where(and(eq(invoiceLines.invoiceId, invoiceId), eq(invoiceLines.memberId, memberId)))
    .orderBy(asc(invoiceLines.position));
}

/** Amount already credited per line of the invoice (positive). */
export async function creditedByLine(db: Executor, invoiceId: string, memberId: string) {
  const rows = rowsOf<{ line_id: string; credited: unknown }>(
    await db.execute(sql`
      SELECT l.credit_of_line_id AS line_id, -SUM(l.total_cents) AS credited
      FROM invoice_lines l JOIN invoices c ON c.id = l.invoice_id
      WHERE c.credit_of = ${invoiceId} AND c.member_id = ${memberId} AND l.member_id = ${memberId}
      GROUP BY l.credit_of_line_id`),
  );
  return new Map(rows.map((r) => [r.line_id, toCount(r.credited)]));
}

export async function paymentsOf(db: Executor, invoiceId: string, memberId: string) {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.invoiceId, invoiceId), eq(payments.memberId, memberId)))
    .orderBy(asc(payments.paidOn), asc(payments.createdAt));
}

export async function creditNotesOf(db: Executor, invoiceId: string, memberId: string) {
  return db
    .select({
      id: invoices.id,
      number: invoices.number,
      totalCents: invoices.totalCents,
      issuedOn: invoices.issuedOn,
    })
    .from(invoices)
    .where(and(eq(invoices.creditOf, invoiceId), eq(invoices.memberId, memberId)))
    .orderBy(asc(invoices.number));
}

export async function updateBookkeeping(
  db: Executor,
  id: string,
  values: { status: InvoiceStatus; paidCents: number; creditedCents: number },
) {
  await db
    .update(invoices)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(invoices.id, id));
}

export interface InvoiceFilters {
  year?: number;
  memberId?: string;
  status?: InvoiceStatus;
  kind?: InvoiceKind;
  /** Part of the number (« 2026-000123 », « 123 »), or words of the member's name. */
  q?: string;
}

/** The invoice number contains `q`, or the member's name contains each of its words. */
function textCondition(q: string): SQL | undefined {
  const compact = q.trim().toUpperCase().replace(/\s+/g, '');
  const terms = searchTerms(q);
  const alternatives: SQL[] = [];
  if (compact) alternatives.push(sql`${invoices.number} LIKE ${`%${compact.replace(/[\\%_]/g, '\\$&')}%`}`);
  if (terms.length > 0) {
    const nameMatches = sql.join(
      terms.map((t) => sql`${organisations.searchName} LIKE ${`%${t}%`}`),
      sql` AND `,
    );
    alternatives.push(
      sql`${invoices.memberId} = ANY(ARRAY(SELECT ${organisations.id} FROM ${organisations} WHERE ${nameMatches}))`,
    );
  }
  return alternatives.length > 0 ? sql`(${sql.join(alternatives, sql` OR `)})` : undefined;
}

function filterWhere(f: InvoiceFilters): SQL | undefined {
  return and(
    f.year !== undefined ? eq(invoices.year, f.year) : undefined,
    f.memberId ? eq(invoices.memberId, f.memberId) : undefined,
    f.status ? eq(invoices.status, f.status) : undefined,
    f.kind ? eq(invoices.kind, f.kind) : undefined,
    f.q ? textCondition(f.q) : undefined,
  );
}

/** Newest number first (numbers are chronological), keyset on (number, id). */
export async function listInvoices(
  db: Executor,
  f: InvoiceFilters,
  limit: number,
  cursor: ReturnType<typeof decodeCursor>,
) {
  const where = filterWhere(f);
  const [rows, total] = await Promise.all([
    db
      .select({
        id: invoices.id,
        number: invoices.number,
        memberId: invoices.memberId,
        memberName: invoices.memberName,
        year: invoices.year,
        totalCents: invoices.totalCents,
        paidCents: invoices.paidCents,
        creditedCents: invoices.creditedCents,
        status: invoices.status,
        issuedOn: invoices.issuedOn,
        dueOn: invoices.dueOn,
        kind: invoices.kind,
        call: invoices.call,
      })
      .from(invoices)
      .where(and(where, afterCursor(invoices.number, invoices.id, cursor, true)))
      .orderBy(desc(invoices.number), desc(invoices.id))
      .limit(limit + 1),
    // Counted up to TOTAL_CAP: the finance team's unfiltered list holds every invoice ever issued.
    cappedTotal(db, db.select({ one: sql`1` }).from(invoices).where(where)),
  ]);
  return { rows, ...total };
}

/** Invoices and their lines issued in a period, for the accounting exports. */
export async function exportRows(db: Executor, f: { from?: string; to?: string; year?: number }) {
  return rowsOf<{
    number: string;
    kind: InvoiceKind;
    year: number;
    issued_on: string;
    due_on: string;
    status: InvoiceStatus;
    member_name: string;
    member_siren: string;
    member_siret: string | null;
    service_code: string | null;
    engagement_number: string | null;
    invoice_total: number;
    paid_cents: number;
    credited_cents: number;
    credit_of_number: string | null;
    position: number;
    line_service_code: string | null;
    label: string;
    line_total: number;
  }>(
    await db.execute(sql`
      SELECT i.number, i.kind, i.year, i.issued_on::text AS issued_on, i.due_on::text AS due_on, i.status,
        i.member_name, i.member_siren, i.member_siret, i.service_code, i.engagement_number,
        i.total_cents AS invoice_total, i.paid_cents, i.credited_cents, o.number AS credit_of_number,
        l.position, l.service_code AS line_service_code, l.label, l.total_cents AS line_total
      FROM invoices i
      JOIN invoice_lines l ON l.invoice_id = i.id AND l.member_id = i.member_id
      LEFT JOIN invoices o ON o.id = i.credit_of
      WHERE (${f.from ?? null}::date IS NULL OR i.issued_on >= ${f.from ?? null}::date)
        AND (${f.to ?? null}::date IS NULL OR i.issued_on <= ${f.to ?? null}::date)
        AND (${f.year ?? null}::int IS NULL OR i.year = ${f.year ?? null}::int)
      ORDER BY i.number, l.position`),
  );
}

/** `lock`: the rows stay locked until the transaction ends (their bookkeeping is about to change). */
export async function invoicesByNumbers(db: Executor, numbers: string[], lock: boolean) {
  if (numbers.length === 0) return [];
  const query = db.select().from(invoices).where(inArray(invoices.number, numbers)).orderBy(asc(invoices.id));
  return lock ? query.for('update') : query;
}

export async function existingPayments(db: Executor, invoiceIds: string[]) {
  if (invoiceIds.length === 0) return [];
  return db
    .select({
      invoiceId: payments.invoiceId,
      paidOn: payments.paidOn,
      amountCents: payments.amountCents,
      reference: payments.reference,
    })
    .from(payments)
    .where(inArray(payments.invoiceId, invoiceIds));
}

export async function insertPayment(db: Executor, values: typeof payments.$inferInsert) {
  await db.insert(payments).values(values);
}

/** The invoices a billing run issued: what its `invoice.issued` events name (webhooks). */
export function invoicesOfRun(db: Executor, runId: string) {
  return db
    .select({
      id: invoices.id,
      memberId: invoices.memberId,
      number: invoices.number,
      year: invoices.year,
      totalCents: invoices.totalCents,
      issuedOn: invoices.issuedOn,
    })
    .from(invoices)
    .where(eq(invoices.billingRunId, runId));
}
