import { and, asc, eq, gt, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { communes, departements, epci, regions, territoryCounters } from '../../kernel/territory.schema.js';
import { type Executor, rowsOf, toCount } from '../../platform/db/client.js';
import {
  afterCursor,
  type CursorValue,
  cappedCountSql,
  type ListTotal,
  totalFrom,
} from '../../platform/http/pagination.js';
import type { TerritorySearch } from './territory.search.js';

/** Reference data: no member_id to filter on; the tables are readable by every tenant. */

type Cursor = { sortValue: CursorValue; id: string } | null;

export interface CommuneFilters {
  search: TerritorySearch;
  region?: string;
  departement?: string;
  epci?: string;
}

export interface EpciFilters {
  search: TerritorySearch;
  region?: string;
  departement?: string;
}

/**
 * Keyset order by (search_name, code). With a word search, rows whose name equals the query come
 * first; they all share that search_name, so the cursor's sort value tells which group it is in.
 */
function nameKeyset(searchName: PgColumn, code: PgColumn, exactKey: string | null, cursor: Cursor) {
  if (exactKey === null) {
    return { after: afterCursor(searchName, code, cursor), orderBy: [asc(searchName), asc(code)] };
  }
  const orderBy = [sql`${searchName} <> ${exactKey}`, asc(searchName), asc(code)];
  if (!cursor) return { after: undefined, orderBy };
  if (cursor.sortValue === exactKey) {
    return {
      after: or(and(eq(searchName, exactKey), gt(code, cursor.id)), ne(searchName, exactKey)),
      orderBy,
    };
  }
  return { after: and(ne(searchName, exactKey), afterCursor(searchName, code, cursor)), orderBy };
}

/**
 * The page and its total come back in one statement: the total is an uncorrelated subquery (run once,
 * as an InitPlan) repeated on every row, which saves a round trip per request. Inside it, the
 * table-qualified columns of `where` bind to the subquery's own FROM. An empty page after a cursor
 * carries no total, so only then is it queried on its own.
 */
async function withTotal<T extends { total: unknown }>(
  tx: Executor,
  rows: T[],
  hasCursor: boolean,
  total: SQL,
): Promise<{ rows: Omit<T, 'total'>[]; total: number }> {
  if (rows.length === 0) {
    if (!hasCursor) return { rows: [], total: 0 };
    return {
      rows: [],
      total: toCount(rowsOf<{ n: unknown }>(await tx.execute(sql`SELECT ${total} AS n`))[0]?.n),
    };
  }
  return { rows: rows.map(({ total: _total, ...row }) => row), total: toCount(rows[0].total) };
}

function wordsMatch(searchName: PgColumn, terms: string[]): SQL | undefined {
  // Terms come from searchTerms(): only [a-z0-9], so no LIKE wildcard can sneak in. The trigram
  // index on search_name serves these contains-matches.
  return and(...terms.map((term) => sql`${searchName} LIKE ${`%${term}%`}`));
}

function communeSearchCondition(search: TerritorySearch): SQL | undefined {
  switch (search.kind) {
    case 'none':
      return undefined;
    case 'codeOrPostalCode':
      return or(
        eq(communes.code, search.value),
        sql`${communes.postalCodes} @> ARRAY[${search.value}]::text[]`,
      );
    case 'code':
      return eq(communes.code, search.value);
    case 'siren':
      return eq(communes.siren, search.value);
    case 'codePrefix':
      return sql`${communes.code} LIKE ${`${search.value}%`}`;
    case 'words':
      return wordsMatch(communes.searchName, search.terms);
  }
}

function communeConditions(filters: CommuneFilters): SQL | undefined {
  return and(
    isNull(communes.abolishedAt),
    communeSearchCondition(filters.search),
    filters.region ? eq(communes.regionCode, filters.region) : undefined,
    filters.departement ? eq(communes.departementCode, filters.departement) : undefined,
    filters.epci ? eq(communes.epciCode, filters.epci) : undefined,
  );
}

const communeColumns = {
  code: communes.code,
  name: communes.name,
  searchName: communes.searchName,
  departementCode: communes.departementCode,
  regionCode: communes.regionCode,
  postalCodes: communes.postalCodes,
  population: communes.population,
  epciCode: communes.epciCode,
  // A scalar subquery rather than a join: PostgreSQL evaluates it after ORDER BY … LIMIT, so a broad
  // search ("saint", 4,000+ matches) looks up 51 EPCI names instead of joining every match.
  epciName: sql<string | null>`(SELECT ${epci.name} FROM ${epci} WHERE ${epci.code} = ${communes.epciCode})`,
  siren: communes.siren,
};

/**
 * A page of communes and its total: every current commune from the territory's counter (exact), a
 * filter's matches counted up to TOTAL_CAP and past it the planner's estimate (the reference tables
 * have no row policy: every reader sees every commune, so the estimate is the reader's too).
 */
export async function findCommunes(
  tx: Executor,
  filters: CommuneFilters,
  limit: number,
  cursor: Cursor,
): Promise<{ rows: Awaited<ReturnType<typeof communeRows>>['rows']; total: ListTotal }> {
  const where = communeConditions(filters);
  const unfiltered =
    filters.search.kind === 'none' && !filters.region && !filters.departement && !filters.epci;
  const total = unfiltered
    ? sql`(SELECT coalesce(max(value), 0) FROM ${territoryCounters} WHERE name = 'current_communes')`
    : cappedCountSql(sql`SELECT 1 FROM ${communes} WHERE ${where}`);
  const { rows, total: counted } = await communeRows(tx, filters, where, total, limit, cursor);
  if (unfiltered) return { rows, total: { total: counted, totalIsExact: true } };
  const matching = tx.select({ one: sql`1` }).from(communes).where(where);
  return { rows, total: await totalFrom(tx, counted, matching, { estimate: true }) };
}

async function communeRows(
  tx: Executor,
  filters: CommuneFilters,
  where: SQL | undefined,
  total: SQL,
  limit: number,
  cursor: Cursor,
) {
  const exactKey = filters.search.kind === 'words' ? filters.search.key : null;
  const keyset = nameKeyset(communes.searchName, communes.code, exactKey, cursor);
  const rows = await tx
    .select({ ...communeColumns, total: sql<unknown>`${total}` })
    .from(communes)
    .where(exactKey === null ? and(where, keyset.after) : wordsPage(tx, where, keyset.after, exactKey, limit))
    .orderBy(...keyset.orderBy)
    .limit(limit + 1);
  return withTotal(tx, rows, !!cursor, total);
}

/**
 * The codes of a word search's page. Its order (the name equal to the query first) is no index's, so
 * the statement would sort every match ("saint": 4,400 communes) to keep 51; instead the page is
 * taken from two index-ordered halves of at most `limit + 1` rows each — the exact name by code, the
 * other names by (search_name, code) walking the name index — which the outer query merges.
 */
function wordsPage(tx: Executor, where: SQL | undefined, after: SQL | undefined, key: string, limit: number) {
  const exact = tx
    .select({ code: communes.code })
    .from(communes)
    .where(and(where, after, eq(communes.searchName, key)))
    .orderBy(asc(communes.code))
    .limit(limit + 1);
  const others = tx
    .select({ code: communes.code })
    .from(communes)
    .where(and(where, after, ne(communes.searchName, key)))
    .orderBy(asc(communes.searchName), asc(communes.code))
    .limit(limit + 1);
  return sql`${communes.code} IN ((${exact}) UNION ALL (${others}))`;
}

export async function findCommune(tx: Executor, code: string) {
  const [row] = await tx
    .select({
      ...communeColumns,
      departementName: departements.name,
      regionName: regions.name,
      epciType: epci.type,
      vintage: communes.vintage,
      abolishedAt: communes.abolishedAt,
    })
    .from(communes)
    .innerJoin(departements, eq(departements.code, communes.departementCode))
    .innerJoin(regions, eq(regions.code, communes.regionCode))
    .leftJoin(epci, eq(epci.code, communes.epciCode))
    .where(eq(communes.code, code));
  return row ?? null;
}

/** EPCI searched by a commune code or postal code are those the matching communes belong to. */
function epciSearchCondition(search: TerritorySearch): SQL | undefined {
  switch (search.kind) {
    case 'none':
      return undefined;
    case 'siren':
      return eq(epci.code, search.value);
    case 'words':
      return wordsMatch(epci.searchName, search.terms);
    default:
      return sql`${epci.code} IN (SELECT ${communes.epciCode} FROM ${communes} WHERE ${communeSearchCondition(search)})`;
  }
}

function epciConditions(filters: EpciFilters): SQL | undefined {
  return and(
    isNull(epci.abolishedAt),
    epciSearchCondition(filters.search),
    filters.region ? sql`${epci.regionCodes} @> ARRAY[${filters.region}]::text[]` : undefined,
    filters.departement ? sql`${epci.departementCodes} @> ARRAY[${filters.departement}]::text[]` : undefined,
  );
}

const epciColumns = {
  code: epci.code,
  name: epci.name,
  searchName: epci.searchName,
  type: epci.type,
  population: epci.population,
  memberCount: epci.memberCount,
  departementCodes: epci.departementCodes,
  regionCodes: epci.regionCodes,
};

export async function findEpcis(tx: Executor, filters: EpciFilters, limit: number, cursor: Cursor) {
  const where = epciConditions(filters);
  const total = sql`(SELECT count(*) FROM ${epci} WHERE ${where})`;
  const exactKey = filters.search.kind === 'words' ? filters.search.key : null;
  const keyset = nameKeyset(epci.searchName, epci.code, exactKey, cursor);
  const rows = await tx
    .select({ ...epciColumns, total: sql<unknown>`${total}` })
    .from(epci)
    .where(and(where, keyset.after))
    .orderBy(...keyset.orderBy)
    .limit(limit + 1);
  return withTotal(tx, rows, !!cursor, total);
}

export async function findEpci(tx: Executor, code: string) {
  const [row] = await tx
    .select({ ...epciColumns, vintage: epci.vintage, abolishedAt: epci.abolishedAt })
    .from(epci)
    .where(eq(epci.code, code));
  return row ?? null;
}

export function findEpciMembers(tx: Executor, code: string) {
  return tx
    .select({ code: communes.code, name: communes.name, population: communes.population })
    .from(communes)
    .where(and(eq(communes.epciCode, code), isNull(communes.abolishedAt)))
    .orderBy(asc(communes.searchName), asc(communes.code));
}

interface AreaRow {
  code: string;
  name: string;
  region_code?: string;
  commune_count: unknown;
  population: unknown;
}

/** Counts and population cover the imported, current communes. */
export async function listDepartements(tx: Executor, region?: string) {
  const rows = rowsOf<AreaRow>(
    await tx.execute(sql`
      SELECT d.code, d.name, d.region_code, coalesce(s.commune_count, 0) AS commune_count,
             coalesce(s.population, 0) AS population
      FROM ${departements} d
      LEFT JOIN (
        SELECT departement_code, count(*) AS commune_count, sum(population) AS population
        FROM ${communes} WHERE abolished_at IS NULL GROUP BY departement_code
      ) s ON s.departement_code = d.code
      WHERE ${region ?? null}::text IS NULL OR d.region_code = ${region ?? null}::text
      ORDER BY d.code`),
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    regionCode: r.region_code as string,
    communeCount: toCount(r.commune_count),
    population: toCount(r.population),
  }));
}

export async function listRegions(tx: Executor) {
  const rows = rowsOf<AreaRow>(
    await tx.execute(sql`
      SELECT r.code, r.name, coalesce(s.commune_count, 0) AS commune_count,
             coalesce(s.population, 0) AS population
      FROM ${regions} r
      LEFT JOIN (
        SELECT region_code, count(*) AS commune_count, sum(population) AS population
        FROM ${communes} WHERE abolished_at IS NULL GROUP BY region_code
      ) s ON s.region_code = r.code
      ORDER BY r.code`),
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    communeCount: toCount(r.commune_count),
    population: toCount(r.population),
  }));
}
