import {
  INVOICE_KIND_LABELS,
  INVOICE_STATUS_LABELS,
  type InvoiceStatus,
  type InvoiceSummary,
} from '../../../contracts/billing.js';
import { Badge, type BadgeTone, type Column, formatDate } from '../../ui/index.js';
import { formatCents } from '../pricing/money.js';
import { invoicePdfUrl } from './api.js';

const TONES: Record<InvoiceStatus, BadgeTone> = {
  issued: 'info',
  partly_paid: 'warning',
  paid: 'success',
  cancelled: 'default',
};

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  return <Badge tone={TONES[status]}>{INVOICE_STATUS_LABELS[status]}</Badge>;
}

export function PdfLink({ invoice }: { invoice: Pick<InvoiceSummary, 'id' | 'number' | 'kind'> }) {
  return (
    <a href={invoicePdfUrl(invoice.id)} download={`${invoice.number}.pdf`} type="application/pdf">
      PDF
      <span className="sr-only">
        {' '}
        {`de ${INVOICE_KIND_LABELS[invoice.kind].toLowerCase()} ${invoice.number}`}
      </span>
    </a>
  );
}

/** Columns shared by the member's and the operator's invoice lists. */
export function invoiceColumns(options: {
  number?: (invoice: InvoiceSummary) => React.ReactNode;
  withMember?: boolean;
}): Column<InvoiceSummary>[] {
  const columns: Column<InvoiceSummary>[] = [
    {
      key: 'number',
      header: 'Numéro',
      rowHeader: true,
      render: (i) => (options.number ? options.number(i) : i.number),
    },
  ];
  if (options.withMember) columns.push({ key: 'member', header: 'Structure', render: (i) => i.memberName });
  columns.push(
    { key: 'kind', header: 'Type', render: (i) => INVOICE_KIND_LABELS[i.kind] },
    { key: 'issued', header: 'Émise le', render: (i) => formatDate(i.issuedOn) },
    { key: 'due', header: 'Échéance', render: (i) => (i.kind === 'invoice' ? formatDate(i.dueOn) : '—') },
    { key: 'total', header: 'Montant', numeric: true, render: (i) => formatCents(i.totalCents) },
    { key: 'paid', header: 'Payé', numeric: true, render: (i) => formatCents(i.paidCents) },
    { key: 'status', header: 'Statut', render: (i) => <InvoiceStatusBadge status={i.status} /> },
    { key: 'pdf', header: 'Document', render: (i) => <PdfLink invoice={i} /> },
  );
  return columns;
}
