import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import {
  INVOICE_STATUS_LABELS,
  INVOICE_STATUSES,
  type InvoiceStatus,
} from '../../../../contracts/billing.js';
import {
  Button,
  EmptyState,
  formatNumber,
  optionsOf,
  Pagination,
  QueryView,
  SelectField,
  Table,
  TextField,
  useCursorPages,
} from '../../../ui/index.js';
import { yearOf } from '../../pricing/money.js';
import { PAGE_SIZE, useInvoices } from '../api.js';
import { invoiceColumns } from '../components.js';
import { InvoiceDialog } from './InvoiceDialog.js';
import { yearOptions } from './years.js';

export function InvoicesSection() {
  const search = useSearch({ from: '/operateur/facturation' });
  const navigate = useNavigate();
  const year = search.annee ? yearOf(search.annee) : undefined;
  const status = (INVOICE_STATUSES as readonly string[]).includes(search.statut ?? '')
    ? (search.statut as InvoiceStatus)
    : undefined;
  const q = search.q?.trim() || undefined;
  const filters = { year, status, q };
  const pages = useCursorPages(JSON.stringify(filters));
  const invoices = useInvoices(filters, pages.cursor);
  const [open, setOpen] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: Record<string, string> = {};
    for (const key of ['q', 'annee', 'statut']) {
      const v = String(data.get(key) ?? '');
      if (v) next[key] = v;
    }
    navigate({ to: '/operateur/facturation', search: next });
  };
  return (
    <section aria-labelledby="factures-titre">
      <h2 id="factures-titre">Factures</h2>
      <search aria-label="Filtrer les factures">
        <form className="filters" onSubmit={submit} key={JSON.stringify(search)}>
          <TextField
            name="q"
            label="Numéro ou structure"
            hint="Ex. F-2026-000123, 123, Allonnes"
            defaultValue={search.q ?? ''}
          />
          <SelectField
            name="annee"
            label="Année"
            placeholder="Toutes"
            options={yearOptions()}
            defaultValue={search.annee ?? ''}
          />
          <SelectField
            name="statut"
            label="Statut"
            placeholder="Tous"
            options={optionsOf(INVOICE_STATUS_LABELS, INVOICE_STATUSES)}
            defaultValue={status ?? ''}
          />
          <div className="actions row">
            <Button type="submit">Filtrer</Button>
          </div>
        </form>
      </search>
      <QueryView query={invoices} loadingLabel="Chargement des factures…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              Aucune facture ne correspond à ces critères.{' '}
              {q || year || status ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => navigate({ to: '/operateur/facturation', search: {} })}
                >
                  Effacer les filtres
                </button>
              ) : (
                'Les factures naissent d’une campagne de facturation (ci-dessus).'
              )}
            </EmptyState>
          ) : (
            <>
              <p aria-live="polite">
                <strong>{formatNumber(page.total)}</strong> document{page.total > 1 ? 's' : ''}
              </p>
              <Table
                caption="Factures et avoirs"
                rows={page.items}
                rowKey={(i) => i.id}
                columns={invoiceColumns({
                  withMember: true,
                  number: (i) => (
                    <button type="button" className="link-button" onClick={() => setOpen(i.id)}>
                      {i.number}
                      <span className="sr-only"> — détail, paiement, avoir</span>
                    </button>
                  ),
                })}
              />
              <Pagination
                label="Pagination des factures"
                pageIndex={pages.pageIndex}
                pageSize={PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
      {open && <InvoiceDialog id={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
