import { INVOICE_KIND_LABELS } from '../../../contracts/billing.js';
import type { SearchHit } from '../../../contracts/search.js';
import type { SearchProvider } from '../../platform/search/search.js';
import { euros } from './billing.format.js';
import { listInvoices } from './billing.invoices.js';
import { invoiceReadScope } from './billing.policy.js';

/**
 * Invoices and credit notes by number (or their member's name): every member's for the finance team,
 * the member's own for its users, none for the others.
 */
export const invoicesSearch: SearchProvider = {
  kind: 'invoice',
  label: 'Factures',
  order: 20,
  async search(db, actor, q, limit) {
    const scope = invoiceReadScope(actor);
    if (scope === undefined) return [];
    const page = await listInvoices(db, { q, limit }, scope);
    return page.items.map(
      (i): SearchHit => ({
        kind: 'invoice',
        id: i.id,
        memberId: i.memberId,
        label: `${INVOICE_KIND_LABELS[i.kind]} ${i.number}`,
        detail: `${i.memberName} · ${euros(i.totalCents)}`,
      }),
    );
  },
};
