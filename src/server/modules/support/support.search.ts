import type { SearchHit } from '../../../contracts/search.js';
import { searchTerms } from '../../../contracts/search.js';
import { TICKET_STATUS_LABELS, ticketReference } from '../../../contracts/support.js';
import type { SearchProvider } from '../../platform/search/search.js';
import { supportPolicy } from './support.policy.js';
import { searchTickets } from './support.repository.js';

const NUMBER = /^\s*(?:t\s*-?\s*)?0*(\d{1,9})\s*$/i;

/**
 * Support tickets by number, or by words of their subject within the member's own tickets: every
 * member's (by number) for the support team, the member's for its admins, their own for its other
 * users, none for the others.
 */
export const ticketsSearch: SearchProvider = {
  kind: 'ticket',
  label: 'Demandes d’assistance',
  order: 50,
  async search(db, actor, q, limit) {
    const match = NUMBER.exec(q);
    const query = { number: match ? Number(match[1]) : null, terms: searchTerms(q) };
    let filter: { memberId: string | null; requesterId: string | null };
    if (supportPolicy(actor, 'support:operate')) {
      filter = { memberId: null, requesterId: null };
    } else {
      const current = actor.current?.organisationId ?? null;
      if (!current || actor.isOperator || !supportPolicy(actor, 'support:tickets', current)) return [];
      const seesAll = supportPolicy(actor, 'support:member-all', current);
      filter = { memberId: current, requesterId: seesAll ? null : actor.userId };
    }
    const rows = await searchTickets(db, filter, query, limit);
    return rows.map(
      (r): SearchHit => ({
        kind: 'ticket',
        id: r.id,
        memberId: r.memberId,
        label: `${ticketReference(r.number)} — ${r.subject}`,
        detail: `${r.memberName} · ${TICKET_STATUS_LABELS[r.status]}`,
      }),
    );
  },
};
