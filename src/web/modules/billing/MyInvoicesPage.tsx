import { useAuth } from '../../app/auth.js';
import { EmptyState, PageTitle, Pagination, QueryView, Table, useCursorPages } from '../../ui/index.js';
import { PAGE_SIZE, useInvoices } from './api.js';
import { invoiceColumns } from './components.js';

export function MyInvoicesPage() {
  const auth = useAuth();
  const memberId = auth.current?.id;
  const pages = useCursorPages(memberId ?? '');
  const invoices = useInvoices({ memberId }, pages.cursor, !!memberId);
  return (
    <>
      <PageTitle title="Mes factures" />
      <p className="lead">
        Les appels de cotisation et factures de votre structure, et les avoirs éventuels. Chaque document se
        télécharge au format PDF.
      </p>
      <QueryView query={invoices} loadingLabel="Chargement de vos factures…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune facture pour le moment.</EmptyState>
          ) : (
            <>
              <Table
                caption="Factures et avoirs de ma structure"
                rows={page.items}
                rowKey={(i) => i.id}
                columns={invoiceColumns({})}
              />
              <Pagination
                label="Pagination des factures"
                pageIndex={pages.pageIndex}
                pageSize={PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                totalIsExact={page.totalIsExact}
                totalIsEstimate={page.totalIsEstimate}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
    </>
  );
}
