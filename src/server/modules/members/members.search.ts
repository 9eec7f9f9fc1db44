import { and, asc, eq, type SQL } from 'drizzle-orm';
import { MEMBER_KIND_LABELS } from '../../../contracts/members.js';
import type { SearchHit } from '../../../contracts/search.js';
import type { SearchProvider } from '../../platform/search/search.js';
import { filterConditions } from './members.repository.js';
import { organisations } from './members.schema.js';

/**
 * Structures by name, SIREN (or SIRET) and INSEE code, as the member lists search them. The
 * operator's people find every member; a member's users find their own structure only.
 */
export const membersSearch: SearchProvider = {
  kind: 'member',
  label: 'Structures',
  order: 10,
  async search(db, actor, q, limit) {
    if (!actor.current) return [];
    const conditions: SQL[] = filterConditions({ q });
    if (!actor.isOperator) conditions.push(eq(organisations.id, actor.current.organisationId));
    const rows = await db
      .select({
        id: organisations.id,
        name: organisations.name,
        kind: organisations.kind,
        siren: organisations.siren,
        communeCode: organisations.communeCode,
        departementCode: organisations.departementCode,
      })
      .from(organisations)
      .where(and(...conditions))
      .orderBy(asc(organisations.searchName), asc(organisations.id))
      .limit(limit);
    return rows.map(
      (r): SearchHit => ({
        kind: 'member',
        id: r.id,
        memberId: r.id,
        // Homonym communes (Allonnes) are told apart by their département.
        label: r.departementCode ? `${r.name} (${r.departementCode})` : r.name,
        detail: [
          MEMBER_KIND_LABELS[r.kind] ?? r.kind,
          `SIREN ${r.siren}`,
          r.communeCode ? `INSEE ${r.communeCode}` : null,
        ]
          .filter(Boolean)
          .join(' · '),
      }),
    );
  },
};
