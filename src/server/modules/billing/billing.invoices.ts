/**
 * Reading invoices and credit notes (lists, detail, what the PDF and the accounting exports need), and
 * the bookkeeping every change of an invoice recomputes: its status and the amount still due.
 */
import type {
  InvoiceDetail,
  InvoiceKind,
  InvoiceListQuery,
  InvoiceStatus,
  InvoiceSummary,
} from '../../../contracts/billing.js';
import type { Executor } from '../../platform/db/client.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import type { PdfParties } from './billing.pdf.js';
import * as repo from './billing.repository.js';

const toSummary = (row: {
  id: string;
  number: string;
  memberId: string;
  memberName: string;
  year: number;
  totalCents: number;
  paidCents: number;
  creditedCents: number;
  status: InvoiceStatus;
  issuedOn: string;
  dueOn: string;
  kind: InvoiceKind;
  call: number;
}): InvoiceSummary => ({
  id: row.id,
  number: row.number,
  memberId: row.memberId,
  memberName: row.memberName,
  year: row.year,
  totalCents: row.totalCents,
  paidCents: row.paidCents,
  creditedCents: row.creditedCents,
  status: row.status,
  issuedOn: row.issuedOn,
  dueOn: row.dueOn,
  kind: row.kind,
  call: row.call,
});

/**
 * A page of invoices and credit notes, newest first. `scope` is the member whose invoices the actor may
 * read (null: every member's, for the finance team).
 */
export async function listInvoices(db: Executor, query: InvoiceListQuery, scope: string | null) {
  if (scope && query.memberId && query.memberId !== scope) {
    throw forbidden('Vous ne pouvez consulter que les factures de votre structure.');
  }
  const filters = { ...query, memberId: scope ?? query.memberId };
  const cursor = decodeCursor(query.cursor);
  const { rows, total, totalIsExact } = await repo.listInvoices(db, filters, query.limit, cursor);
  const page = pageOf(rows, query.limit, (r) => encodeCursor(r.number, r.id));
  return { items: page.items.map(toSummary), total, totalIsExact, nextCursor: page.nextCursor };
}

export const amountDue = (i: {
  kind: InvoiceKind;
  totalCents: number;
  creditedCents: number;
  paidCents: number;
}) => (i.kind === 'invoice' ? Math.max(0, i.totalCents - i.creditedCents - i.paidCents) : 0);

/** `memberId` restricts to that member's invoices (a member's users); null for the operator. */
export async function invoiceDetail(
  db: Executor,
  id: string,
  memberId: string | null,
): Promise<InvoiceDetail> {
  const invoice = await repo.invoiceById(db, id, memberId);
  if (!invoice) throw notFound("Cette facture n'existe pas.");
  const [lines, paid, credits, original] = await Promise.all([
    repo.linesOf(db, invoice.id, invoice.memberId),
    repo.paymentsOf(db, invoice.id, invoice.memberId),
    repo.creditNotesOf(db, invoice.id, invoice.memberId),
    invoice.creditOf ? repo.invoiceById(db, invoice.creditOf, invoice.memberId) : Promise.resolve(null),
  ]);
  return {
    ...toSummary(invoice),
    creditOf: invoice.creditOf,
    creditOfNumber: original?.number ?? null,
    reason: invoice.reason,
    serviceCode: invoice.serviceCode,
    engagementNumber: invoice.engagementNumber,
    operatorName: invoice.operatorName,
    operatorSiret: invoice.operatorSiret,
    memberSiren: invoice.memberSiren,
    memberSiret: invoice.memberSiret,
    dueCents: amountDue(invoice),
    lines: lines.map((l) => ({
      id: l.id,
      position: l.position,
      serviceId: l.serviceId,
      serviceCode: l.serviceCode,
      creditOfLineId: l.creditOfLineId,
      label: l.label,
      quantity: l.quantity,
      unitCents: l.unitCents,
      totalCents: l.totalCents,
      explanation: l.explanation,
    })),
    payments: paid.map((p) => ({
      id: p.id,
      paidOn: p.paidOn,
      amountCents: p.amountCents,
      reference: p.reference,
    })),
    creditNotes: credits,
  };
}

/** The invoice and both parties' postal addresses, as the PDF prints them. */
export async function invoiceForPdf(
  db: Executor,
  id: string,
  scope: string | null,
): Promise<{ detail: InvoiceDetail; parties: PdfParties }> {
  const row = await repo.invoiceById(db, id, scope);
  if (!row) throw notFound("Cette facture n'existe pas.");
  return {
    detail: await invoiceDetail(db, row.id, row.memberId),
    parties: { operatorAddress: row.operatorAddress, memberAddress: row.memberAddress },
  };
}

/** Invoices and their lines issued in a period (and/or of a year), for the accounting exports. */
export async function exportInvoices(db: Executor, query: { from?: string; to?: string; year?: number }) {
  if (query.from && query.to && query.from > query.to) {
    throw invalid('La date de début doit précéder la date de fin.', [
      { path: 'query.from', message: 'période inversée' },
    ]);
  }
  return repo.exportRows(db, query);
}

/** What an invoice is after its totals changed (credit notes and payments only ever change those). */
export function statusOf(totalCents: number, creditedCents: number, paidCents: number): InvoiceStatus {
  const net = totalCents - creditedCents;
  if (net <= 0) return 'cancelled';
  if (paidCents >= net) return 'paid';
  return paidCents > 0 ? 'partly_paid' : 'issued';
}
