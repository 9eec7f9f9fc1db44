import { and, asc, count, desc, eq, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { compactIdentifier } from '../../../contracts/identifiers.js';
import type {
  ContactRole,
  MemberFilters,
  MemberKind,
  MemberSort,
  MemberSummary,
  OrganisationKind,
} from '../../../contracts/members.js';
import { searchTerms } from '../../../contracts/search.js';
import { organisationUsers } from '../../kernel/identity.schema.js';
import { communes, departements, epci } from '../../kernel/territory.schema.js';
import { type Executor, toCount } from '../../platform/db/client.js';
import { preparedStatement } from '../../platform/db/prepared.js';
import { invalid } from '../../platform/errors.js';
import {
  cappedCount,
  cappedCountSql,
  cappedTotal,
  type ListTotal,
  TOTAL_CAP,
  totalFrom,
} from '../../platform/http/pagination.js';
import { memberContacts, memberDocuments, organisations, statusRank } from './members.schema.js';

/**
 * The registry of organisations: member lists (keyset pages, filters shared with counts and exports),
 * the member page, and the territory lookups that creating or editing a member checks against.
 */

export type OrganisationRow = typeof organisations.$inferSelect;
export type OrganisationInsert = typeof organisations.$inferInsert;

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

/** The kind of a row read through `isMember`: never the operator's (which would be a bug here). */
export function memberKind(kind: OrganisationKind): MemberKind {
  if (kind === 'operator') throw new Error('the operator organisation was read as a member');
  return kind;
}

/** `a OR b…` of conditions known to be there (drizzle types `or()` as possibly undefined). */
const anyOf = (...conditions: SQL[]): SQL => or(...conditions) ?? sql`false`;
/** `a AND b…` of conditions known to be there. */
const allOf = (...conditions: SQL[]): SQL => and(...conditions) ?? sql`true`;

/** WHERE conditions for the list filters (shared by items, count and exports). */
export function filterConditions(
  filters: Omit<MemberFilters, 'sort'>,
  /**
   * `operator: true` leaves the operator in (the caller excludes it itself). `walk: true` tests the
   * name words on an expression the trigram index does not serve, so that the planner can only walk
   * the name index in order (listMembers, many matches).
   */
  options: { operator?: boolean; walk?: boolean } = {},
): SQL[] {
  const conditions: SQL[] = options.operator ? [] : [isMember];
  if (filters.kind) conditions.push(eq(organisations.kind, filters.kind));
  if (filters.status) conditions.push(eq(organisations.status, filters.status));
  if (filters.departement) conditions.push(eq(organisations.departementCode, filters.departement));
  if (filters.epci) {
    // The EPCI itself, and every structure whose commune belongs to it (communes, their CCAS…).
    conditions.push(
      anyOf(
        eq(organisations.epciCode, filters.epci),
        // `= ANY(ARRAY(…))` rather than `IN (…)`: the planner then ORs two index scans instead of
        // walking the whole name index through a hashed subplan (100 ms → 0.3 ms at 50,000 members).
        sql`${organisations.communeCode} = ANY(ARRAY(SELECT ${communes.code} FROM ${communes} WHERE ${communes.epciCode} = ${filters.epci}))`,
      ),
    );
  }
  if (filters.q) {
    const alternatives: SQL[] = [];
    const terms = searchTerms(filters.q);
    if (terms.length > 0) {
      const name = options.walk ? sql`(${organisations.searchName} || '')` : sql`${organisations.searchName}`;
      alternatives.push(allOf(...terms.map((t) => sql`${name} LIKE ${`%${t}%`}`)));
    }
    const compact = compactIdentifier(filters.q).toUpperCase();
    if (/^\d{9}$/.test(compact)) alternatives.push(eq(organisations.siren, compact));
    if (/^\d{14}$/.test(compact)) alternatives.push(eq(organisations.siren, compact.slice(0, 9)));
    if (/^(\d{5}|2[AB]\d{3})$/.test(compact)) alternatives.push(eq(organisations.communeCode, compact));
    conditions.push(anyOf(...alternatives));
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
  return parsed.slice(1).filter((v): v is string => typeof v === 'string');
}

/** `counted`: the capped count as a common table expression, read by several parts of a statement. */
const countedCte = (db: Executor, filters: Omit<MemberFilters, 'sort'>) =>
  db
    .$with('counted')
    .as(
      db
        .select({ n: sql<unknown>`count(*)`.as('n') })
        .from(sql`(${matchingMembers(db, filters)} LIMIT ${TOTAL_CAP + 1}) AS matching`),
    );

/**
 * One page of members in keyset order: rows after the cursor's (sort keys…, id) tuple. A row
 * comparison `(a, b, id) > (…)` lets PostgreSQL walk the matching index instead of sorting.
 */
export async function listMembers(
  db: Executor,
  filters: MemberFilters & { limit: number; cursor?: string },
  options: { withTotal?: boolean } = {},
): Promise<{ items: SummaryRow[]; nextCursor: string | null; total?: ListTotal }> {
  const { descending, keys } = sortSpec(filters.sort);
  // A search walks the sort index for its matches first (below): the operator is dropped after.
  const searching = !!filters.q;
  const conditions = filterConditions(filters, { operator: searching });
  const walkConditions = filterConditions(filters, { operator: searching, walk: true });
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
    const after = sql`(${left}) ${sql.raw(descending ? '<' : '>')} (${right})`;
    conditions.push(after);
    walkConditions.push(after);
  }
  const direction = descending ? desc : asc;
  const sortColumns = Object.fromEntries(keys.map((k, i) => [`sort${i}`, sql<string>`(${k.expr})::text`]));
  const order = [...keys.map((k) => direction(k.expr)), direction(organisations.id)];
  const pageIds = (where: SQL[]) =>
    db
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(...where))
      .orderBy(...order)
      .limit(filters.limit + 2);
  // The capped count rides along in the page's statement (run once: an InitPlan, or the `counted`
  // CTE below), one round trip for the page and its total. Its table-qualified columns bind to the
  // subquery's own FROM.
  const capped = cappedCountSql(matchingMembers(db, filters));
  let total = options.withTotal ? sql<unknown>`${capped}` : sql<unknown>`NULL`;
  let where: SQL | undefined = and(...conditions);
  let counted: ReturnType<typeof countedCte> | null = null;
  if (
    searching &&
    options.withTotal &&
    filters.sort === 'name' &&
    searchTerms(filters.q ?? '').length === 1
  ) {
    // A search by name: the page's ids are chosen first, then read by primary key (the operator, at
    // most one row, excluded after: the ids take one row more for it). Which plan is cheap depends on
    // how many names match, which the planner cannot tell (under RLS it ignores the statistics for
    // LIKE and guesses ~80 rows): a few (≤ TOTAL_CAP) are read through the trigram index and sorted;
    // many ("saint": 6,500) make the walk of the name index in order short (the substring tested on
    // each index entry, index-only, ~3,400 entries passed over for 52), where sorting them all is
    // not. The capped count, computed once (`counted`), chooses: each half's one-time filter runs
    // only one of them. One word only: with several, the planner multiplies its guesses for the walk
    // and would rather read the whole table and sort it.
    counted = countedCte(db, filters);
    const n = sql`(SELECT n FROM counted)`;
    total = sql<unknown>`${n}`;
    where = and(
      isMember,
      sql`${organisations.id} IN ((${pageIds([...conditions, sql`${n} <= ${TOTAL_CAP}`])}) UNION ALL (${pageIds([...walkConditions, sql`${n} > ${TOTAL_CAP}`])}))`,
    );
  } else if (searching) {
    // Other sorts: the page's ids by the planner's choice, then read by primary key (as above).
    where = and(isMember, inArray(organisations.id, pageIds(conditions)));
  }
  const rows = await (counted ? db.with(counted) : db)
    .select({ ...summaryColumns, ...sortColumns, total })
    .from(organisations)
    .where(where)
    .orderBy(...order)
    .limit(filters.limit + 1);
  const hasMore = rows.length > filters.limit;
  const page = hasMore ? rows.slice(0, filters.limit) : rows;
  const items = page.map((row) => pickSummary(row));
  const last = page.at(-1);
  const nextCursor =
    hasMore && last ? encodeListCursor(filters.sort, sortValuesOf(last, keys.length), last.id) : null;
  // Without a row there is no total to read: none match (first page), or the count is asked alone.
  if (!options.withTotal || rows.length === 0) {
    return {
      items,
      nextCursor,
      ...(options.withTotal && !filters.cursor ? { total: cappedCount(0) } : {}),
    };
  }
  // Beyond the cap, one more statement asks the planner for its estimate (see totalFrom): every
  // reader sees every organisation (policy organisations_public_read), so it is the reader's too.
  const n = toCount(rows[0].total);
  return {
    items,
    nextCursor,
    total: await totalFrom(db, n, matchingMembers(db, filters), { estimate: true }),
  };
}

/** The members matching the filters (one column), for counts. */
const matchingMembers = (db: Executor, filters: Omit<MemberFilters, 'sort'>) =>
  db
    .select({ one: sql`1` })
    .from(organisations)
    .where(and(...filterConditions(filters)));

/** The members matching the filters, counted up to TOTAL_CAP. */
export function countMembers(db: Executor, filters: Omit<MemberFilters, 'sort'>): Promise<ListTotal> {
  return cappedTotal(db, matchingMembers(db, filters), { estimate: true });
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

/** The `sort0`, `sort1`… columns of a page's last row: the cursor's key values. */
function sortValuesOf(row: Record<string, unknown>, count: number): (string | null)[] {
  return Array.from({ length: count }, (_, i) => {
    const value = row[`sort${i}`];
    return typeof value === 'string' ? value : null;
  });
}

type SummarySelect = Omit<MemberSummary, 'kind' | 'population'> & {
  kind: OrganisationKind;
  population: number | string | null;
};

function pickSummary(row: SummarySelect): SummaryRow {
  return {
    id: row.id,
    name: row.name,
    kind: memberKind(row.kind),
    epciType: row.epciType,
    siren: row.siren,
    communeCode: row.communeCode,
    epciCode: row.epciCode,
    departementCode: row.departementCode,
    status: row.status,
    population: row.population === null ? null : Number(row.population),
  };
}

const parent = alias(organisations, 'parent');

export interface PrivateExtras {
  contacts: { id: string; role: ContactRole; firstName: string; lastName: string }[];
  usersCount: number;
  documentsCount: number;
}

/**
 * The member page in one statement; with `withPrivate`, its contacts and the numbers of users and
 * documents come as sub-selects of the same statement (each filtered by member and by RLS). Its SQL is
 * built once per variant (platform/db/prepared.ts): the page is read on every visit.
 */
const memberDetailStatement = (withPrivate: boolean) =>
  preparedStatement(withPrivate ? 'socle_member_detail_private' : 'socle_member_detail', (db) => {
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
    return db
      .select({
        ...summaryColumns,
        departementName: departements.name,
        parentId: parent.id,
        parentName: parent.name,
        statusChangedAt: organisations.statusChangedAt,
        createdAt: organisations.createdAt,
        updatedAt: organisations.updatedAt,
        siret: organisations.siret,
        chorusServiceCode: organisations.chorusServiceCode,
        chorusServiceCodeRequired: organisations.chorusServiceCodeRequired,
        address: organisations.address,
        postalCode: organisations.postalCode,
        city: organisations.city,
        extras,
      })
      .from(organisations)
      .leftJoin(departements, eq(departements.code, organisations.departementCode))
      .leftJoin(parent, eq(parent.id, organisations.parentId))
      .where(and(eq(organisations.id, sql.placeholder('memberId')), isMember));
  });
const memberDetail = { public: memberDetailStatement(false), private: memberDetailStatement(true) };

export async function findMemberDetail(db: Executor, memberId: string, withPrivate = false) {
  const [row] = await memberDetail[withPrivate ? 'private' : 'public'](db, { memberId });
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
