import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { MemberKind, OrganisationKind } from '../../../../contracts/members.js';
import { organisations } from '../../../kernel/identity.schema.js';
import type { Executor } from '../../../platform/db/client.js';
import { memberContacts } from '../../members/members.schema.js';

/**
 * Organisations as registries see them: the members (never the operator) a registry belongs to or
 * drafts are created for, and the controller a printed registry names.
 */

/** Rows a WHERE already kept to members (not the operator), typed as such. */
function asMembers<T extends { kind: OrganisationKind }>(
  rows: T[],
): (Omit<T, 'kind'> & { kind: MemberKind })[] {
  return rows.flatMap((r) => (r.kind === 'operator' ? [] : [{ ...r, kind: r.kind }]));
}

export async function findMember(db: Executor, memberId: string) {
  const [row] = asMembers(
    await db
      .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
      .from(organisations)
      .where(and(eq(organisations.id, memberId), sql`${organisations.kind} <> 'operator'`)),
  );
  return row ?? null;
}

/** The controller as the printed registry names it: the organisation and its legal representative. */
export async function findRegistryHolder(db: Executor, memberId: string) {
  const [org] = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      siren: organisations.siren,
      address: organisations.address,
      postalCode: organisations.postalCode,
      city: organisations.city,
    })
    .from(organisations)
    .where(eq(organisations.id, memberId));
  if (!org) return null;
  const [representative] = await db
    .select({ firstName: memberContacts.firstName, lastName: memberContacts.lastName })
    .from(memberContacts)
    .where(and(eq(memberContacts.memberId, memberId), eq(memberContacts.role, 'maire_president')))
    .orderBy(asc(memberContacts.createdAt))
    .limit(1);
  return { ...org, representative: representative ?? null };
}

export async function findMembers(db: Executor, memberIds: string[]) {
  if (memberIds.length === 0) return [];
  return asMembers(
    await db
      .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
      .from(organisations)
      .where(and(inArray(organisations.id, memberIds), sql`${organisations.kind} <> 'operator'`)),
  );
}

/** Members chosen by territory: only those in the membership (accepted up to withdrawal requested). */
export async function membersByTerritory(
  db: Executor,
  filter: { departement?: string; kind?: MemberKind; epciCode?: string },
) {
  const conditions: SQL[] = [
    sql`${organisations.kind} <> 'operator'`,
    inArray(organisations.status, ['accepted', 'member', 'withdrawal_requested']),
  ];
  if (filter.departement) conditions.push(eq(organisations.departementCode, filter.departement));
  if (filter.kind) conditions.push(eq(organisations.kind, filter.kind));
  if (filter.epciCode) conditions.push(eq(organisations.epciCode, filter.epciCode));
  return asMembers(
    await db
      .select({ id: organisations.id, name: organisations.name, kind: organisations.kind })
      .from(organisations)
      .where(and(...conditions))
      .orderBy(asc(organisations.searchName), asc(organisations.id)),
  );
}
