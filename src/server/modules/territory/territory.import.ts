import fs from 'node:fs';
import { createRequire } from 'node:module';
import { count, getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { searchKey } from '../../../contracts/search.js';
import { communes, departements, epci, regions, territoryImports } from '../../kernel/territory.schema.js';
import { type Db, rowsOf, type Tx, toCount } from '../../platform/db/client.js';

const require = createRequire(import.meta.url);

/** What one import did; also stored (without duration) as `counts` in territory_imports. */
export interface TerritoryImportReport {
  vintage: string;
  /** `all` or the region codes joined by commas. */
  scope: string;
  regions: number;
  departements: number;
  communes: number;
  epci: number;
  /** Sum of the imported communes' population (commune file). */
  population: number;
  /** Rows inserted or whose values changed; 0 on a second run with the same vintage. */
  written: { regions: number; departements: number; communes: number; epci: number };
  /** Rows of the scope missing from the data, newly marked abolished (never deleted). */
  abolished: { communes: number; epci: number };
  durationMs: number;
}

export interface SourceCommune {
  code: string;
  nom: string;
  type: string;
  departement: string;
  region: string;
  siren?: string;
  codesPostaux?: string[];
  population?: number;
}

export interface SourceEpci {
  code: string;
  nom: string;
  type: string;
  populationTotale: number;
  membres: { code: string }[];
}

/** The official files as @etalab/decoupage-administratif ships them (the fields read). */
export interface SourceData {
  vintage: string;
  regions: { code: string; nom: string }[];
  departements: { code: string; nom: string; region: string }[];
  communes: SourceCommune[];
  epci: SourceEpci[];
}

/**
 * The package's main entry reads files relative to the working directory and fails when required,
 * so its JSON files are read directly (not `require`d: the module cache would keep ~150 MB of parsed
 * objects for the life of the server). Read once per import, then released.
 */
const read = (file: string) => JSON.parse(fs.readFileSync(require.resolve(file), 'utf8'));

function loadSource(): SourceData {
  return {
    vintage: read('@etalab/decoupage-administratif/package.json').version,
    regions: read('@etalab/decoupage-administratif/data/regions.json'),
    departements: read('@etalab/decoupage-administratif/data/departements.json'),
    communes: read('@etalab/decoupage-administratif/data/communes.json'),
    epci: read('@etalab/decoupage-administratif/data/epci.json'),
  };
}

/** Region codes known to the official data, for callers that validate input (the CLI). */
export function knownRegionCodes(): string[] {
  return (read('@etalab/decoupage-administratif/data/regions.json') as SourceData['regions']).map(
    (r) => r.code,
  );
}

export class TerritoryScopeError extends Error {}

const BATCH_SIZE = 1000;

/**
 * Imports régions and départements (always all of them), the communes actuelles of the scope, and the
 * EPCI having at least one member commune in the scope. Idempotent upsert in one transaction: rows are
 * only rewritten when a value changed, rows of the scope missing from the data are marked abolished
 * (and un-marked when they come back), nothing is ever deleted so members stay linked.
 *
 * Population: communes take `population` from communes.json (the commune file); EPCI take
 * `populationTotale` from epci.json. The EPCI file's per-member figures, which differ slightly, are
 * not used, so a commune's population is the same wherever it is shown.
 *
 * Runs as the owner connection (reference data has no tenant).
 */
export async function importTerritory(
  db: Db,
  options: { regions: string[] | 'all' },
): Promise<TerritoryImportReport> {
  const started = performance.now();
  const source = loadSource();
  const scopeRegions = resolveScope(source, options.regions);
  const inScope = (region: string) => scopeRegions === null || scopeRegions.has(region);
  const scope = scopeRegions === null ? 'all' : [...scopeRegions].sort().join(',');
  const vintage = source.vintage;

  const currentCommunes = source.communes.filter((c) => c.type === 'commune-actuelle');
  const departementOf = new Map(currentCommunes.map((c) => [c.code, c.departement]));
  const regionOf = new Map(currentCommunes.map((c) => [c.code, c.region]));
  const scopeCommunes = currentCommunes.filter((c) => inScope(c.region));

  const epciOfCommune = new Map<string, string>();
  const epciRows: (typeof epci.$inferInsert)[] = [];
  for (const e of source.epci) {
    if (!e.membres.some((m) => inScope(regionOf.get(m.code) ?? ''))) continue;
    for (const m of e.membres) epciOfCommune.set(m.code, e.code);
    epciRows.push({
      code: e.code,
      name: e.nom,
      searchName: searchKey(e.nom),
      type: e.type,
      population: e.populationTotale,
      memberCount: e.membres.length,
      regionCodes: distinctSorted(e.membres.map((m) => regionOf.get(m.code))),
      departementCodes: distinctSorted(e.membres.map((m) => departementOf.get(m.code))),
      vintage,
    });
  }

  const communeRows: (typeof communes.$inferInsert)[] = scopeCommunes.map((c) => ({
    code: c.code,
    name: c.nom,
    searchName: searchKey(c.nom),
    departementCode: c.departement,
    regionCode: c.region,
    siren: c.siren ?? null,
    postalCodes: c.codesPostaux ?? [],
    population: c.population ?? null,
    epciCode: epciOfCommune.get(c.code) ?? null,
    vintage,
    abolishedAt: null,
  }));

  const report = await db.transaction(async (tx) => {
    // Concurrent imports (two instances starting at once) queue instead of interleaving.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('socle.territory_import'))`);

    const written = {
      regions: await upsertRegions(tx, source),
      departements: await upsertDepartements(tx, source),
      // EPCI before communes: communes reference them.
      epci: await upsertEpci(tx, epciRows),
      communes: await upsertCommunes(tx, communeRows),
    };
    const abolished = await markAbolished(
      tx,
      scopeRegions,
      communeRows.map((c) => c.code),
      epciRows.map((e) => e.code),
    );
    const result: TerritoryImportReport = {
      vintage,
      scope,
      regions: source.regions.length,
      departements: source.departements.length,
      communes: communeRows.length,
      epci: epciRows.length,
      population: communeRows.reduce((sum, c) => sum + (c.population ?? 0), 0),
      written,
      abolished,
      durationMs: 0,
    };
    result.durationMs = Math.round(performance.now() - started);
    const { durationMs, vintage: _v, scope: _s, ...counts } = result;
    await tx.insert(territoryImports).values({ vintage, scope, counts, durationMs });
    return result;
  });
  return report;
}

/**
 * Start-up hook: imports the configured regions only when no import was ever recorded, so a restart
 * costs one query. Re-importing (new vintage, wider scope) is the CLI's job.
 */
export async function ensureTerritory(db: Db, regionCodes: string[]): Promise<TerritoryImportReport | null> {
  const [row] = await db.select({ n: count() }).from(territoryImports);
  if (toCount(row?.n) > 0) return null;
  return importTerritory(db, { regions: regionCodes });
}

function resolveScope(source: SourceData, wanted: string[] | 'all'): Set<string> | null {
  if (wanted === 'all') return null;
  const known = new Set(source.regions.map((r) => r.code));
  const unknown = wanted.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw new TerritoryScopeError(
      `Code région inconnu : ${unknown.join(', ')}. Codes valides : ${[...known].sort().join(', ')}.`,
    );
  }
  if (wanted.length === 0) {
    throw new TerritoryScopeError('Indiquez au moins une région à importer.');
  }
  return new Set(wanted);
}

function distinctSorted(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort();
}

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += BATCH_SIZE) out.push(rows.slice(i, i + BATCH_SIZE));
  return out;
}

/**
 * `SET col = excluded.col` for `columns`, and a WHERE that skips rows whose values are unchanged, so a
 * second run with the same data writes nothing and RETURNING counts only real changes.
 */
function upsertSet(table: PgTable, columns: PgColumn[]) {
  const tableName = getTableName(table);
  const wanted = new Set(columns);
  const set = Object.fromEntries(
    Object.entries(getTableColumns(table))
      .filter(([, column]) => wanted.has(column))
      .map(([property, column]) => [property, sql.raw(`excluded."${column.name}"`)]),
  );
  const current = columns.map((c) => `"${tableName}"."${c.name}"`).join(', ');
  const incoming = columns.map((c) => `excluded."${c.name}"`).join(', ');
  return { set, setWhere: sql.raw(`(${current}) IS DISTINCT FROM (${incoming})`) };
}

async function upsertRegions(tx: Tx, source: SourceData): Promise<number> {
  const rows = await tx
    .insert(regions)
    .values(source.regions.map((r) => ({ code: r.code, name: r.nom })))
    .onConflictDoUpdate({ target: regions.code, ...upsertSet(regions, [regions.name]) })
    .returning({ code: regions.code });
  return rows.length;
}

async function upsertDepartements(tx: Tx, source: SourceData): Promise<number> {
  const rows = await tx
    .insert(departements)
    .values(source.departements.map((d) => ({ code: d.code, name: d.nom, regionCode: d.region })))
    .onConflictDoUpdate({
      target: departements.code,
      ...upsertSet(departements, [departements.name, departements.regionCode]),
    })
    .returning({ code: departements.code });
  return rows.length;
}

async function upsertEpci(tx: Tx, rows: (typeof epci.$inferInsert)[]): Promise<number> {
  const columns = [
    epci.name,
    epci.searchName,
    epci.type,
    epci.population,
    epci.memberCount,
    epci.regionCodes,
    epci.departementCodes,
    epci.vintage,
    epci.abolishedAt,
  ];
  const clauses = upsertSet(epci, columns);
  let written = 0;
  for (const batch of chunks(rows)) {
    const result = await tx
      .insert(epci)
      .values(batch.map((r) => ({ ...r, abolishedAt: null })))
      .onConflictDoUpdate({ target: epci.code, ...clauses })
      .returning({ code: epci.code });
    written += result.length;
  }
  return written;
}

async function upsertCommunes(tx: Tx, rows: (typeof communes.$inferInsert)[]): Promise<number> {
  const columns = [
    communes.name,
    communes.searchName,
    communes.departementCode,
    communes.regionCode,
    communes.siren,
    communes.postalCodes,
    communes.population,
    communes.epciCode,
    communes.vintage,
    communes.abolishedAt,
  ];
  const clauses = upsertSet(communes, columns);
  let written = 0;
  for (const batch of chunks(rows)) {
    const result = await tx
      .insert(communes)
      .values(batch)
      .onConflictDoUpdate({ target: communes.code, ...clauses })
      .returning({ code: communes.code });
    written += result.length;
  }
  return written;
}

/**
 * A commune of the scope missing from the data was merged or abolished; an EPCI of the scope missing
 * from it was dissolved or no longer has a member in the scope. Their rows stay (organisations
 * reference them) with `abolished_at` set, which hides them from lists.
 */
async function markAbolished(
  tx: Tx,
  scopeRegions: Set<string> | null,
  communeCodes: string[],
  epciCodes: string[],
): Promise<{ communes: number; epci: number }> {
  const scopeArray = scopeRegions === null ? null : textArray([...scopeRegions]);
  const communeResult = await tx.execute(sql`
    UPDATE communes SET abolished_at = now()
    WHERE abolished_at IS NULL
      AND (${scopeArray}::text[] IS NULL OR region_code = ANY(${scopeArray}::text[]))
      AND NOT (code = ANY(${textArray(communeCodes)}::text[]))
    RETURNING code`);
  const epciResult = await tx.execute(sql`
    UPDATE epci SET abolished_at = now()
    WHERE abolished_at IS NULL
      AND (${scopeArray}::text[] IS NULL OR region_codes && ${scopeArray}::text[])
      AND NOT (code = ANY(${textArray(epciCodes)}::text[]))
    RETURNING code`);
  return { communes: rowsOf(communeResult).length, epci: rowsOf(epciResult).length };
}

/**
 * A PostgreSQL array literal sent as ONE parameter: drizzle would expand a JS array into one parameter
 * per element, and 35,000 of them is slow. Only ever given codes (digits and A/B), quoted anyway.
 */
function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
