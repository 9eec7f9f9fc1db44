import type { InvoiceStatus } from '../../../contracts/billing.js';
import type { Executor } from '../../platform/db/client.js';
import { emitEvent, emitEvents } from '../../platform/events/events.js';
import * as repo from './billing.repository.js';

/** Webhook events of billing (issue 16): one `invoice.issued` per invoice of an issued run. */
export async function emitInvoicesIssued(db: Executor, runId: string): Promise<void> {
  const rows = await repo.invoicesOfRun(db, runId);
  await emitEvents(
    db,
    rows.map((row) => ({
      type: 'invoice.issued' as const,
      memberId: row.memberId,
      data: {
        invoiceId: row.id,
        number: row.number,
        year: row.year,
        totalCents: row.totalCents,
        issuedOn: row.issuedOn,
      },
    })),
  );
}

/** `invoice.paid` when a payment brought an invoice from another status to paid. */
export async function emitIfPaid(
  db: Executor,
  invoice: { id: string; memberId: string; number: string; status: InvoiceStatus },
  status: InvoiceStatus,
): Promise<void> {
  if (status !== 'paid' || invoice.status === 'paid') return;
  await emitEvent(db, {
    type: 'invoice.paid',
    memberId: invoice.memberId,
    data: { invoiceId: invoice.id, number: invoice.number },
  });
}
