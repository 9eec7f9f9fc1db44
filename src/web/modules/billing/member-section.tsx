import { Link } from '@tanstack/react-router';
import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import { EmptyState, Pagination, QueryView, Table, useCursorPages } from '../../ui/index.js';
import { formatCents } from '../pricing/money.js';
import { PAGE_SIZE, useInvoices } from './api.js';
import { invoiceColumns } from './components.js';

/** The member's invoices and credit notes, with what was paid and what is still due. */
function Invoices({ member, view }: MemberSectionProps) {
  const pages = useCursorPages(member.id);
  const invoices = useInvoices({ memberId: member.id }, pages.cursor);
  return (
    <section aria-labelledby="factures-titre">
      <h2 id="factures-titre">Factures et paiements</h2>
      <QueryView query={invoices} loadingLabel="Chargement des factures…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              Aucune facture émise pour cette structure : les factures naissent des campagnes de facturation
              annuelles.{' '}
              {view === 'operator' && <Link to="/operateur/facturation">Aller à la facturation</Link>}
            </EmptyState>
          ) : (
            <>
              <p>
                Reste à payer sur cette page :{' '}
                <strong>
                  {formatCents(
                    page.items
                      .filter((i) => i.kind === 'invoice' && i.status !== 'cancelled')
                      .reduce((sum, i) => sum + Math.max(0, i.totalCents - i.creditedCents - i.paidCents), 0),
                  )}
                </strong>
              </p>
              <Table
                caption={`Factures et avoirs de ${member.name}`}
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
    </section>
  );
}

registerMemberSection({
  id: 'factures',
  label: 'Factures',
  order: 80,
  visible: ({ auth, view }) => view === 'member' || auth.isFinance,
  Component: Invoices,
});
