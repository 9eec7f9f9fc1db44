import { and, asc, count, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { MembershipStatus } from '../../../contracts/members.js';
import { communes, departements } from '../../kernel/territory.schema.js';
import type { Executor } from '../../platform/db/client.js';
import { toCount } from '../../platform/db/client.js';
import { isMember } from './members.repository.js';
import { organisations } from './members.schema.js';

/** The public statistics of the registry: active members per département and kind, people covered. */

const activeMember = and(isMember, eq(organisations.status, 'member'));

export function membersByDepartement(db: Executor, regions: string[]) {
  return db
    .select({ code: departements.code, name: departements.name, members: count(organisations.id) })
    .from(departements)
    .leftJoin(organisations, and(eq(organisations.departementCode, departements.code), activeMember))
    .where(or(inArray(departements.regionCode, regions), isNotNull(organisations.id)))
    .groupBy(departements.code, departements.name)
    .orderBy(asc(departements.code));
}

export function membersByKind(db: Executor) {
  return db
    .select({ kind: organisations.kind, count: count() })
    .from(organisations)
    .where(activeMember)
    .groupBy(organisations.kind)
    .orderBy(asc(organisations.kind));
}

/**
 * Inhabitants of the distinct communes covered by a member commune or by a member EPCI: adding
 * EPCI populations to their communes' would count the same people twice.
 */
export async function populationCovered(db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: sql`COALESCE(SUM(${communes.population}), 0)` })
    .from(communes)
    .where(
      or(
        inArray(
          communes.code,
          sql`(SELECT commune_code FROM organisations WHERE kind = 'commune' AND status = 'member')`,
        ),
        inArray(
          communes.epciCode,
          sql`(SELECT epci_code FROM organisations WHERE kind = 'epci' AND status = 'member')`,
        ),
      ),
    );
  return toCount(row?.n);
}

export function countByStatus(db: Executor, statuses: readonly MembershipStatus[]) {
  return db
    .select({ status: organisations.status, n: count() })
    .from(organisations)
    .where(and(isMember, inArray(organisations.status, statuses)))
    .groupBy(organisations.status);
}
