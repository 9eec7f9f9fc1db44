import { and, asc, count, desc, eq, inArray, isNotNull, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { compactIdentifier } from '../../../contracts/identifiers.js';
import type {
  MemberFilters,
  MemberSort,
  MemberSummary,
  MembershipStatus,
} from '../../../contracts/members.js';
import { searchTerms } from '../../../contracts/search.js';
import { communes, departements, epci } from '../../kernel/territory.schema.js';
import type { Executor } from '../../platform/db/client.js';
import { toCount } from '../../platform/db/client.js';
import { invalid } from '../../platform/errors.js';
import { organisationUsers, users } from '../accounts/accounts.schema.js';
import {
  memberContacts,
  memberDocuments,
  membershipEvents,
  organisations,
  statusRank,
} from './members.schema.js';

export type OrganisationRow = typeof organisations.$inferSelect;
export type OrganisationInsert = typeof organisations.$inferInsert;
export type ContactRow = typeof memberContacts.$inferSelect;
export type DocumentRow = typeof memberDocuments.$inferSelect;

/**
 * Official population for communes and EPCI, entered population otherwise: database triggers copy the
 * official figure into organisations.population (migration 0016), so no join is needed to read or sort.
 */
const populationExpr = sql<number | null>`${organisations.population}`;

/** Lifecycle order; the same expression as organisations_status_rank_idx, so the sort uses it. */
const statusRankExpr = statusRank(organisations.status);

const summaryColumns = {
  id: organisations.id,
  name: organisations.name,
  kind: organisations.kind,
  epciType: organisations.epciType,
  siren: organisations.siren,
  communeCode: organisations.communeCode,
  epciCode: organisations.epciCode,
  departementCode: organisations.departementCode,
  status: organisations.status,
  population: populationExpr,
};

export type SummaryRow = MemberSummary;

interface SortKey {
  expr: SQL;
  /** SQL type the cursor's text value is cast back to. */
  type: 'text' | 'integer' | 'timestamptz';
}

const byName: SortKey = { expr: sql`${organisations.searchName}`, type: 'text' };
const SORT_KEYS: Record<string, SortKey[]> = {
  name: [byName],
  population: [{ expr: sql`COALESCE(${populationExpr}, -1)`, type: 'integer' }, byName],
  status: [{ expr: statusRankExpr, type: 'integer' }, byName],
  updatedAt: [{ expr: sql`${organisations.updatedAt}`, type: 'timestamptz' }],
};

/** Members only: the operator is an organisation but never listed as a member. */
export const isMember = ne(organisations.kind, 'operator');

/** WHERE conditions for the list filters (shared by items, count and exports). */
export function filterConditions(filters: Omit<MemberFilters, 'sort'>): SQL[] {
  const conditions: SQL[] = [isMember];
  if (filters.kind) conditions.push(eq(organisations.kind, filters.kind));
  if (filters.status) conditions.push(eq(organisations.status, filters.status));
  if (filters.departement) conditions.push(eq(organisations.departementCode, filters.departement));
  if (filters.epci) {
    // The EPCI itself, and every structure whose commune belongs to it (communes, their CCAS…).
    conditions.push(
      or(
        eq(organisations.epciCode, filters.epci),
        // `= ANY(ARRAY(…))` rather than `IN (…)`: the planner then ORs two index scans instead of
        // walking the whole name index through a hashed subplan (100 ms → 0.3 ms at 50,000 members).
        sql`${organisations.communeCode} = ANY(ARRAY(SELECT ${communes.code} FROM ${communes} WHERE ${communes.epciCode} = ${filters.epci}))`,
      )!,
    );
  }
  if (filters.q) {
    const alternatives: SQL[] = [];
    const terms = searchTerms(filters.q);
    if (terms.length > 0) {
      alternatives.push(and(...terms.map((t) => sql`${organisations.searchName} LIKE ${`%${t}%`}`))!);
    }
    const compact = compactIdentifier(filters.q).toUpperCase();
    if (/^\d{9}$/.test(compact)) alternatives.push(eq(organisations.siren, compact));
    if (/^\d{14}$/.test(compact)) alternatives.push(eq(organisations.siren, compact.slice(0, 9)));
    if (/^(\d{5}|2[AB]\d{3})$/.test(compact)) alternatives.push(eq(organisations.communeCode, compact));
    conditions.push(alternatives.length > 0 ? or(...alternatives)! : sql`false`);
  }
  return conditions;
}

function sortSpec(sort: MemberSort) {
  const descending = sort.startsWith('-');
  const keys = SORT_KEYS[descending ? sort.slice(1) : sort];
  return { descending, keys };
}

function encodeListCursor(sort: MemberSort, values: (string | null)[], id: string): string {
  return Buffer.from(JSON.stringify([sort, ...values, id])).toString('base64url');
}

function decodeListCursor(sort: MemberSort, cursor: string, keyCount: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== keyCount + 2 ||
    parsed[0] !== sort ||
    !parsed.slice(1).every((v) => typeof v === 'string') ||
    !/^[0-9a-f-]{36}$/i.test(parsed[parsed.length - 1])
  ) {
    throw invalid('Le paramètre cursor est invalide pour ce tri : repartez de la première page.', [
      { path: 'query.cursor', message: 'curseur invalide' },
    ]);
  }
  return parsed.slice(1) as string[];
}

/**
 * One page of members in keyset order: rows after the cursor's (sort keys…, id) tuple. A row
 * comparison `(a, b, id) > (…)` lets PostgreSQL walk the matching index instead of sorting.
 */
export async function listMembers(
  db: Executor,
  filters: MemberFilters & { limit: number; cursor?: string },
): Promise<{ items: SummaryRow[]; nextCursor: string | null }> {
  const { descending, keys } = sortSpec(filters.sort);
  const conditions = filterConditions(filters);
  if (filters.cursor) {
    const values = decodeListCursor(filters.sort, filters.cursor, keys.length);
    const left = sql.join([...keys.map((k) => k.expr), sql`${organisations.id}`], sql`, `);
    const right = sql.join(
      [
        ...keys.map((k, i) => sql`CAST(${values[i]} AS ${sql.raw(k.type)})`),
        sql`CAST(${values[keys.length]} AS uuid)`,
      ],
      sql`, `,
    );
    conditions.push(sql`(${left}) ${sql.raw(descending ? '<' : '>')} (${right})`);
  }
  const direction = descending ? desc : asc;
  const sortColumns = Object.fromEntries(keys.map((k, i) => [`sort${i}`, sql<string>`(${k.expr})::text`]));
  const rows = await db
    .select({ ...summaryColumns, ...sortColumns })
    .from(organisations)
    .where(and(...conditions))
    .orderBy(...keys.map((k) => direction(k.expr)), direction(organisations.id))
    .limit(filters.limit + 1);
  const hasMore = rows.length > filters.limit;
  const page = hasMore ? rows.slice(0, filters.limit) : rows;
  const items = page.map((row) => pickSummary(row));
  const last = page[page.length - 1] as Record<string, unknown> | undefined;
  const nextCursor =
    hasMore && last
      ? encodeListCursor(
          filters.sort,
          keys.map((_, i) => last[`sort${i}`] as string),
          last.id as string,
        )
      : null;
  return { items, nextCursor };
}

export async function countMembers(db: Executor, filters: Omit<MemberFilters, 'sort'>): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(organisations)
    .where(and(...filterConditions(filters)));
  return toCount(row?.n);
}

/** Every member matching the filters, with private columns, for the operator's exports. */
export async function exportMembers(db: Executor, filters: MemberFilters, max: number) {
  const { descending, keys } = sortSpec(filters.sort);
  const direction = descending ? desc : asc;
  return db
    .select({
      ...summaryColumns,
      epciName: epci.name,
      departementName: departements.name,
      siret: organisations.siret,
      address: organisations.address,
      postalCode: organisations.postalCode,
      city: organisations.city,
      statusChangedAt: organisations.statusChangedAt,
      updatedAt: organisations.updatedAt,
    })
    .from(organisations)
    .leftJoin(communes, eq(communes.code, organisations.communeCode))
    .leftJoin(epci, eq(epci.code, organisations.epciCode))
    .leftJoin(departements, eq(departements.code, organisations.departementCode))
    .where(and(...filterConditions(filters)))
    .orderBy(...keys.map((k) => direction(k.expr)), direction(organisations.id))
    .limit(max);
}

function pickSummary(row: Record<keyof MemberSummary, unknown> & { population: unknown }): SummaryRow {
  return {
    id: row.id as string,
    name: row.name as string,
    kind: row.kind as MemberSummary['kind'],
    epciType: row.epciType as string | null,
    siren: row.siren as string,
    communeCode: row.communeCode as string | null,
    epciCode: row.epciCode as string | null,
    departementCode: row.departementCode as string | null,
    status: row.status as MemberSummary['status'],
    population: row.population === null ? null : Number(row.population),
  };
}

const parent = alias(organisations, 'parent');

export interface PrivateExtras {
  contacts: { id: string; role: string; firstName: string; lastName: string }[];
  usersCount: number;
  documentsCount: number;
}

/**
 * The member page in one statement; with `withPrivate`, its contacts and the numbers of users and
 * documents come as sub-selects of the same statement (each filtered by member and by RLS).
 */
export async function findMemberDetail(db: Executor, memberId: string, withPrivate = false) {
  const extras = withPrivate
    ? sql<PrivateExtras | string>`json_build_object(
        'contacts', COALESCE((
          SELECT json_agg(json_build_object(
            'id', c.id, 'role', c.role, 'firstName', c.first_name, 'lastName', c.last_name
          ) ORDER BY c.role, c.last_name, c.id)
          FROM ${memberContacts} c WHERE c.member_id = ${organisations.id}
        ), '[]'::json),
        'usersCount', (SELECT count(*) FROM ${organisationUsers} ou WHERE ou.member_id = ${organisations.id}),
        'documentsCount', (SELECT count(*) FROM ${memberDocuments} d WHERE d.member_id = ${organisations.id})
      )`
    : sql<null>`NULL`;
  const [row] = await db
    .select({
      ...summaryColumns,
      departementName: departements.name,
      parentId: parent.id,
      parentName: parent.name,
      statusChangedAt: organisations.statusChangedAt,
      createdAt: organisations.createdAt,
      updatedAt: organisations.updatedAt,
      siret: organisations.siret,
      address: organisations.address,
      postalCode: organisations.postalCode,
      city: organisations.city,
      extras,
    })
    .from(organisations)
    .leftJoin(departements, eq(departements.code, organisations.departementCode))
    .leftJoin(parent, eq(parent.id, organisations.parentId))
    .where(and(eq(organisations.id, memberId), isMember));
  if (!row) return null;
  // json comes back parsed from pg and PGlite alike; a string would mean a driver change.
  const extrasValue = typeof row.extras === 'string' ? (JSON.parse(row.extras) as PrivateExtras) : row.extras;
  return {
    ...row,
    population: row.population === null ? null : Number(row.population),
    extras: extrasValue ?? null,
  };
}

/** The member's row (never the operator's); `forUpdate` locks it for a status change. */
export async function findMember(
  db: Executor,
  memberId: string,
  forUpdate = false,
): Promise<OrganisationRow | null> {
  const query = db
    .select()
    .from(organisations)
    .where(and(eq(organisations.id, memberId), isMember));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function findOrganisationBySiren(db: Executor, siren: string) {
  const [row] = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.siren, siren));
  return row ?? null;
}

export async function findCommune(db: Executor, code: string) {
  const [row] = await db.select().from(communes).where(eq(communes.code, code));
  return row ?? null;
}

export async function findEpci(db: Executor, code: string) {
  const [row] = await db.select().from(epci).where(eq(epci.code, code));
  return row ?? null;
}

export async function departementExists(db: Executor, code: string): Promise<boolean> {
  const [row] = await db
    .select({ code: departements.code })
    .from(departements)
    .where(eq(departements.code, code));
  return !!row;
}

/** The département where most of the EPCI's communes lie (its seat's, in practice). */
export async function mainDepartementOfEpci(db: Executor, epciCode: string): Promise<string | null> {
  const [row] = await db
    .select({ code: communes.departementCode, n: count() })
    .from(communes)
    .where(eq(communes.epciCode, epciCode))
    .groupBy(communes.departementCode)
    .orderBy(desc(count()), asc(communes.departementCode))
    .limit(1);
  return row?.code ?? null;
}

export async function insertOrganisation(db: Executor, values: OrganisationInsert): Promise<OrganisationRow> {
  const [row] = await db.insert(organisations).values(values).returning();
  return row;
}

export async function updateOrganisation(
  db: Executor,
  memberId: string,
  values: Partial<OrganisationInsert>,
): Promise<void> {
  await db
    .update(organisations)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(organisations.id, memberId), isMember));
}

// Contacts ---------------------------------------------------------------------------------------

export function listContacts(db: Executor, memberId: string): Promise<ContactRow[]> {
  return db
    .select()
    .from(memberContacts)
    .where(eq(memberContacts.memberId, memberId))
    .orderBy(asc(memberContacts.role), asc(memberContacts.lastName), asc(memberContacts.id));
}

export async function findContact(db: Executor, memberId: string, contactId: string) {
  const [row] = await db
    .select()
    .from(memberContacts)
    .where(and(eq(memberContacts.memberId, memberId), eq(memberContacts.id, contactId)));
  return row ?? null;
}

export async function insertContact(
  db: Executor,
  values: typeof memberContacts.$inferInsert,
): Promise<ContactRow> {
  const [row] = await db.insert(memberContacts).values(values).returning();
  return row;
}

export async function updateContact(
  db: Executor,
  memberId: string,
  contactId: string,
  values: Partial<typeof memberContacts.$inferInsert>,
): Promise<ContactRow | null> {
  const [row] = await db
    .update(memberContacts)
    .set({ ...values, updatedAt: sql`now()` })
    .where(and(eq(memberContacts.memberId, memberId), eq(memberContacts.id, contactId)))
    .returning();
  return row ?? null;
}

export async function deleteContact(db: Executor, memberId: string, contactId: string): Promise<boolean> {
  const rows = await db
    .delete(memberContacts)
    .where(and(eq(memberContacts.memberId, memberId), eq(memberContacts.id, contactId)))
    .returning({ id: memberContacts.id });
  return rows.length > 0;
}

// Documents --------------------------------------------------------------------------------------

export function listDocuments(db: Executor, memberId: string): Promise<DocumentRow[]> {
  return db
    .select()
    .from(memberDocuments)
    .where(eq(memberDocuments.memberId, memberId))
    .orderBy(desc(memberDocuments.createdAt), desc(memberDocuments.id));
}

export async function findDocument(db: Executor, memberId: string, documentId: string) {
  const [row] = await db
    .select()
    .from(memberDocuments)
    .where(and(eq(memberDocuments.memberId, memberId), eq(memberDocuments.id, documentId)));
  return row ?? null;
}

export async function insertDocument(
  db: Executor,
  values: typeof memberDocuments.$inferInsert,
): Promise<DocumentRow> {
  const [row] = await db.insert(memberDocuments).values(values).returning();
  return row;
}

// Membership history -----------------------------------------------------------------------------

export async function insertMembershipEvent(db: Executor, values: typeof membershipEvents.$inferInsert) {
  const [row] = await db.insert(membershipEvents).values(values).returning();
  return row;
}

export function listMembershipEvents(db: Executor, memberId: string) {
  return db
    .select({
      id: membershipEvents.id,
      memberId: membershipEvents.memberId,
      fromStatus: membershipEvents.fromStatus,
      toStatus: membershipEvents.toStatus,
      effectiveOn: membershipEvents.effectiveOn,
      decisionReference: membershipEvents.decisionReference,
      documentId: memberDocuments.id,
      documentTitle: memberDocuments.title,
      note: membershipEvents.note,
      actorId: users.id,
      actorName: users.displayName,
      createdAt: membershipEvents.createdAt,
    })
    .from(membershipEvents)
    .leftJoin(users, eq(users.id, membershipEvents.actorUserId))
    .leftJoin(
      memberDocuments,
      and(
        eq(memberDocuments.id, membershipEvents.documentId),
        eq(memberDocuments.memberId, membershipEvents.memberId),
      ),
    )
    .where(eq(membershipEvents.memberId, memberId))
    .orderBy(desc(membershipEvents.createdAt), desc(membershipEvents.id));
}

// Statistics -------------------------------------------------------------------------------------

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

/**
 * Members chosen by id, or by the list filters, by name then id, with what other modules' rules read
 * (for their bulk actions).
 */
export function selectMembers(db: Executor, selection: MemberSelection) {
  const conditions =
    'ids' in selection ? [isMember, inArray(organisations.id, selection.ids)] : filterConditions(selection);
  return db
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      status: organisations.status,
    })
    .from(organisations)
    .where(and(...conditions))
    .orderBy(asc(organisations.searchName), asc(organisations.id));
}

export type MemberSelection = { ids: string[] } | Pick<MemberFilters, 'kind' | 'departement' | 'epci'>;
