import { and, asc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { SearchHit } from '../../../../contracts/search.js';
import { organisations } from '../../../kernel/identity.schema.js';
import type { SearchProvider } from '../../../platform/search/search.js';
import { rgpdPolicy } from '../rgpd.policy.js';
import { rgpdProcessings } from '../rgpd.schema.js';

/**
 * Processings of the Art. 30 registries by name: every member's for the DPO team, the member's own
 * registry for its users.
 */
export const processingsSearch: SearchProvider = {
  kind: 'processing',
  label: 'Traitements RGPD',
  order: 30,
  async search(db, actor, q, limit) {
    const conditions: SQL[] = [];
    if (rgpdPolicy(actor, 'registry:copyAcrossMembers')) {
      // The DPO team reads every registry.
    } else if (
      actor.current &&
      !actor.isOperator &&
      rgpdPolicy(actor, 'registry:read', actor.current.organisationId)
    ) {
      conditions.push(eq(rgpdProcessings.memberId, actor.current.organisationId));
    } else {
      return [];
    }
    const like = `%${q.replace(/[%_\\]/g, '\\$&')}%`;
    const text = or(ilike(rgpdProcessings.name, like), ilike(rgpdProcessings.purposes, like));
    if (text) conditions.push(text);
    const rows = await db
      .select({
        id: rgpdProcessings.id,
        memberId: rgpdProcessings.memberId,
        name: rgpdProcessings.name,
        memberName: organisations.name,
        departementCode: organisations.departementCode,
      })
      .from(rgpdProcessings)
      .innerJoin(organisations, eq(organisations.id, rgpdProcessings.memberId))
      .where(and(...conditions))
      .orderBy(asc(rgpdProcessings.name), asc(rgpdProcessings.id))
      .limit(limit);
    return rows.map(
      (r): SearchHit => ({
        kind: 'processing',
        id: r.id,
        memberId: r.memberId,
        label: r.name,
        detail: r.departementCode ? `${r.memberName} (${r.departementCode})` : r.memberName,
      }),
    );
  },
};
