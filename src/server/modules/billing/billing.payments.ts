/**
 * Payments received, recorded one by one by the finance team (the treasury's CSV is imported by
 * billing.import.ts). Only the bookkeeping columns of the invoice change.
 */
import type { InvoiceDetail, PaymentInput } from '../../../contracts/billing.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/client.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import { emitIfPaid } from './billing.events.js';
import { euros } from './billing.format.js';
import { amountDue, invoiceDetail, statusOf } from './billing.invoices.js';
import * as repo from './billing.repository.js';

/** Records a payment on an invoice and in the audit log; returns the invoice. */
export async function recordPayment(
  db: Executor,
  invoiceId: string,
  input: Required<PaymentInput>,
  source: AuditSource,
): Promise<InvoiceDetail> {
  const invoice = await repo.invoiceForUpdate(db, invoiceId, null);
  if (!invoice) throw notFound("Cette facture n'existe pas.");
  checkPayable(invoice, input.amountCents, 'body.amountCents');
  await repo.insertPayment(db, {
    invoiceId: invoice.id,
    memberId: invoice.memberId,
    paidOn: input.paidOn,
    amountCents: input.amountCents,
    reference: input.reference,
    actorUserId: source.actorUserId,
  });
  const paidCents = invoice.paidCents + input.amountCents;
  const status = statusOf(invoice.totalCents, invoice.creditedCents, paidCents);
  await repo.updateBookkeeping(db, invoice.id, { paidCents, creditedCents: invoice.creditedCents, status });
  await emitIfPaid(db, invoice, status);
  await recordAudit(db, {
    action: 'billing.payment_recorded',
    ...source,
    memberId: invoice.memberId,
    targetType: 'invoice',
    targetId: invoice.id,
    details: { amountCents: input.amountCents },
  });
  return invoiceDetail(db, invoice.id, invoice.memberId);
}

/** Throws when `amount` cannot be paid on this invoice; returns nothing otherwise. */
function checkPayable(invoice: repo.InvoiceRow, amountCents: number, path: string): void {
  if (invoice.kind !== 'invoice') {
    throw unprocessable(`${invoice.number} est un avoir : on n'enregistre de paiement que sur une facture.`, [
      { path, message: 'pièce non payable' },
    ]);
  }
  if (invoice.status === 'cancelled') {
    throw unprocessable(`La facture ${invoice.number} est annulée : aucun paiement n'est attendu.`, [
      { path, message: 'facture annulée' },
    ]);
  }
  const due = amountDue(invoice);
  if (amountCents > due) {
    throw unprocessable(
      `Le paiement (${euros(amountCents)}) dépasse le reste à payer de la facture ${invoice.number} (${euros(due)}).`,
      [{ path, message: 'montant supérieur au reste à payer' }],
    );
  }
}
