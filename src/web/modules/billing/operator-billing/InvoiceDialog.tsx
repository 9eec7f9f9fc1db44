import { Button, formatDate, ModalDialog, QueryView, Table } from '../../../ui/index.js';
import { formatCents } from '../../pricing/money.js';
import { useInvoice } from '../api.js';
import { InvoiceStatusBadge, PdfLink } from '../components.js';
import { CreditNoteForm } from './CreditNoteForm.js';
import { PaymentForm } from './PaymentForm.js';

export function InvoiceDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const invoice = useInvoice(id);
  return (
    <ModalDialog
      title={invoice.data ? `Facture ${invoice.data.number}` : 'Facture'}
      isOpen
      onOpenChange={(o) => !o && onClose()}
    >
      <QueryView query={invoice} loadingLabel="Chargement de la facture…">
        {(inv) => (
          <>
            <dl className="dl">
              <dt>Structure</dt>
              <dd>
                {inv.memberName} (SIRET {inv.memberSiret ?? '—'})
              </dd>
              <dt>Statut</dt>
              <dd>
                <InvoiceStatusBadge status={inv.status} />
              </dd>
              <dt>Montant</dt>
              <dd>{formatCents(inv.totalCents)}</dd>
              <dt>Payé</dt>
              <dd>{formatCents(inv.paidCents)}</dd>
              <dt>Crédité</dt>
              <dd>{formatCents(inv.creditedCents)}</dd>
              <dt>Reste dû</dt>
              <dd>{formatCents(inv.dueCents)}</dd>
              {inv.creditOfNumber && (
                <>
                  <dt>Avoir sur</dt>
                  <dd>{inv.creditOfNumber}</dd>
                </>
              )}
              <dt>Document</dt>
              <dd>
                <PdfLink invoice={inv} />
              </dd>
            </dl>
            <Table
              caption="Lignes"
              rows={inv.lines}
              rowKey={(l) => l.id}
              columns={[
                { key: 'label', header: 'Libellé', rowHeader: true, render: (l) => l.label },
                { key: 'total', header: 'Montant', numeric: true, render: (l) => formatCents(l.totalCents) },
              ]}
            />
            {inv.payments.length > 0 && (
              <Table
                caption="Paiements reçus"
                rows={inv.payments}
                rowKey={(p) => p.id}
                columns={[
                  { key: 'date', header: 'Date', rowHeader: true, render: (p) => formatDate(p.paidOn) },
                  {
                    key: 'amount',
                    header: 'Montant',
                    numeric: true,
                    render: (p) => formatCents(p.amountCents),
                  },
                  { key: 'ref', header: 'Référence', render: (p) => p.reference || '—' },
                ]}
              />
            )}
            {inv.creditNotes.length > 0 && (
              <Table
                caption="Avoirs émis"
                rows={inv.creditNotes}
                rowKey={(c) => c.id}
                columns={[
                  { key: 'number', header: 'Numéro', rowHeader: true, render: (c) => c.number },
                  { key: 'date', header: 'Émis le', render: (c) => formatDate(c.issuedOn) },
                  {
                    key: 'amount',
                    header: 'Montant',
                    numeric: true,
                    render: (c) => formatCents(c.totalCents),
                  },
                ]}
              />
            )}
            {inv.kind === 'invoice' && inv.status !== 'cancelled' && (
              <>
                {inv.dueCents > 0 && <PaymentForm invoice={inv} />}
                <CreditNoteForm invoice={inv} />
              </>
            )}
          </>
        )}
      </QueryView>
      <div className="form-actions">
        <Button variant="secondary" onClick={onClose}>
          Fermer
        </Button>
      </div>
    </ModalDialog>
  );
}
