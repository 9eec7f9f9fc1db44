import { ACT_NATURE_LABELS } from '../../../contracts/acts.js';
import { shortDate } from '../../../contracts/french.js';
import type { SearchHit } from '../../../contracts/search.js';
import type { SearchProvider } from '../../platform/search/search.js';
import { actsPolicy } from './acts.policy.js';
import { searchActs } from './acts.repository.js';

const SUBJECT_SHOWN = 90;

/**
 * Acts by number or words of their subject: every member's for the operator's demat team, the
 * member's own for its users (as its register lists them), none for the others.
 */
export const actsSearch: SearchProvider = {
  kind: 'act',
  label: 'Actes',
  order: 40,
  async search(db, actor, q, limit) {
    let memberId: string | null = null;
    if (!actsPolicy(actor, 'acts:overview')) {
      const current = actor.current?.organisationId ?? null;
      if (!current || actor.isOperator || !actsPolicy(actor, 'acts:read', current)) return [];
      memberId = current;
    }
    const rows = await searchActs(db, memberId, q, limit);
    return rows.map(
      (r): SearchHit => ({
        kind: 'act',
        id: r.id,
        memberId: r.memberId,
        label: `${r.number} — ${r.subject.length > SUBJECT_SHOWN ? `${r.subject.slice(0, SUBJECT_SHOWN - 1)}…` : r.subject}`,
        detail: `${r.memberName} · ${ACT_NATURE_LABELS[r.nature]} · ${shortDate(r.decidedOn)}`,
      }),
    );
  },
};
