import crypto from 'node:crypto';
import { asc, count, desc, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { compactIdentifier } from '../../../contracts/identifiers.js';
import type { MemberImportField, MemberImportLine } from '../../../contracts/members-import.js';
import { searchKey } from '../../../contracts/search.js';
import { communes, departements, epci } from '../../kernel/territory.schema.js';
import type { CsvRow, ParsedCsv } from '../../platform/csv/reader.js';
import type { Executor } from '../../platform/db/client.js';
import { type ColumnMap, padDigits } from './members.import.columns.js';
import { memberContacts, membershipEvents, organisations } from './members.schema.js';

/**
 * The members import's database work: the official data and registered organisations a file names,
 * fetched in a few batched queries before validation, and the all-or-nothing write of the good lines.
 */

// ---------------------------------------------------------------------------------------------
// References: what the file names, fetched in batches
// ---------------------------------------------------------------------------------------------

export interface ImportReferences {
  communes: Map<
    string,
    {
      name: string;
      departementCode: string;
      population: number | null;
      siren: string | null;
      epciCode: string | null;
      abolished: boolean;
    }
  >;
  epci: Map<
    string,
    {
      name: string;
      type: string;
      population: number;
      departementCodes: string[];
      /** Where most of its communes lie. */
      mainDepartementCode: string | null;
      abolished: boolean;
    }
  >;
  /** Code → name, every département (a small table). */
  departements: Map<string, string>;
  /** SIREN → already registered organisation. */
  registered: Map<string, { id: string; name: string }>;
}

export interface ReferenceKeys {
  communeCodes: string[];
  epciCodes: string[];
  sirens: string[];
}

/** The codes a file mentions, so that references are fetched in a few batched queries. */
export function referenceKeys(parsed: ParsedCsv, columns: ColumnMap): ReferenceKeys {
  const communeCodes = new Set<string>();
  const epciCodes = new Set<string>();
  const sirens = new Set<string>();
  const cell = (row: CsvRow, field: MemberImportField) => {
    const i = columns.index[field];
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };
  for (const row of parsed.rows) {
    const commune = padDigits(cell(row, 'communeCode').toUpperCase(), 5);
    if (commune) communeCodes.add(commune);
    const siren = compactIdentifier(cell(row, 'siren'));
    const epciCode = compactIdentifier(cell(row, 'epciCode')) || siren;
    if (epciCode) epciCodes.add(epciCode);
    if (siren) sirens.add(siren);
    const parent = compactIdentifier(cell(row, 'parentSiren'));
    if (parent) sirens.add(parent);
  }
  return { communeCodes: [...communeCodes], epciCodes: [...epciCodes], sirens: [...sirens] };
}

export const emptyReferences = (): ImportReferences => ({
  communes: new Map(),
  epci: new Map(),
  departements: new Map(),
  registered: new Map(),
});

const LOOKUP_CHUNK = 5_000;
const INSERT_CHUNK = 2_000;

const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export async function loadReferences(db: Executor, keys: ReferenceKeys): Promise<ImportReferences> {
  const refs = emptyReferences();
  for (const row of await db
    .select({ code: departements.code, name: departements.name })
    .from(departements)) {
    refs.departements.set(row.code, row.name);
  }
  for (const codes of chunks(keys.communeCodes, LOOKUP_CHUNK)) {
    const rows = await db
      .select({
        code: communes.code,
        name: communes.name,
        departementCode: communes.departementCode,
        population: communes.population,
        siren: communes.siren,
        epciCode: communes.epciCode,
        abolishedAt: communes.abolishedAt,
      })
      .from(communes)
      .where(inArray(communes.code, codes));
    for (const { code, abolishedAt, ...rest } of rows)
      refs.communes.set(code, { ...rest, abolished: !!abolishedAt });
  }
  for (const codes of chunks(keys.epciCodes, LOOKUP_CHUNK)) {
    const rows = await db
      .select({
        code: epci.code,
        name: epci.name,
        type: epci.type,
        population: epci.population,
        departementCodes: epci.departementCodes,
        abolishedAt: epci.abolishedAt,
      })
      .from(epci)
      .where(inArray(epci.code, codes));
    const main = new Map<string, string>();
    if (rows.length > 0) {
      const spread = await db
        .select({ epciCode: communes.epciCode, departementCode: communes.departementCode, n: count() })
        .from(communes)
        .where(
          inArray(
            communes.epciCode,
            rows.map((r) => r.code),
          ),
        )
        .groupBy(communes.epciCode, communes.departementCode)
        .orderBy(desc(count()), asc(communes.departementCode));
      for (const row of spread)
        if (row.epciCode && !main.has(row.epciCode)) main.set(row.epciCode, row.departementCode);
    }
    for (const { code, abolishedAt, ...rest } of rows) {
      refs.epci.set(code, { ...rest, mainDepartementCode: main.get(code) ?? null, abolished: !!abolishedAt });
    }
  }
  for (const sirens of chunks(keys.sirens, LOOKUP_CHUNK)) {
    const rows = await db
      .select({ id: organisations.id, name: organisations.name, siren: organisations.siren })
      .from(organisations)
      .where(inArray(organisations.siren, sirens));
    for (const row of rows) refs.registered.set(row.siren, { id: row.id, name: row.name });
  }
  return refs;
}

// ---------------------------------------------------------------------------------------------
// The all-or-nothing write
// ---------------------------------------------------------------------------------------------

/**
 * Inserts rows sent as one JSON parameter per batch (`json_to_recordset`) rather than as thousands of
 * bound values: half the time on PGlite, and far from PostgreSQL's 65,535-parameter limit. Rows are
 * keyed by the table's property names; rows of one batch may reference each other (a parent and its
 * CCAS) because foreign keys are checked at the end of the statement.
 */
async function bulkInsert<T extends PgTable>(
  db: Executor,
  table: T,
  rows: Partial<Record<keyof T['_']['columns'] & string, unknown>>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const target = sql.join(
    keys.map((k) => sql.identifier(columns[k].name)),
    sql`, `,
  );
  const picked = sql.join(
    keys.map((k) => sql.identifier(k)),
    sql`, `,
  );
  const shape = sql.join(
    keys.map((k) => sql`${sql.identifier(k)} ${sql.raw(columns[k].getSQLType())}`),
    sql`, `,
  );
  for (const batch of chunks(rows, INSERT_CHUNK)) {
    await db.execute(
      sql`INSERT INTO ${table} (${target}) SELECT ${picked} FROM json_to_recordset(${JSON.stringify(batch)}::json) AS x(${shape})`,
    );
  }
}

/**
 * Writes every line (members, their contact, the initial step of their history). The caller runs it
 * in the transaction that validated the file, so a failure leaves nothing written.
 */
export async function insertMembers(
  db: Executor,
  lines: MemberImportLine[],
  refs: ImportReferences,
  actorUserId: string | null,
  effectiveOn: string,
): Promise<number> {
  const withIds = lines.map((line) => ({ line, id: crypto.randomUUID() }));
  const idOf = new Map(withIds.map(({ line, id }) => [line.siren, id]));
  const bySiren = new Map(lines.map((l) => [l.siren, l]));
  // Parents inside the file are written before their children so each batch's foreign keys hold.
  const depth = new Map<string, number>();
  const depthOf = (line: MemberImportLine): number => {
    const known = depth.get(line.siren);
    if (known !== undefined) return known;
    const parent = line.parentSiren ? bySiren.get(line.parentSiren) : undefined;
    const d = parent ? depthOf(parent) + 1 : 0;
    depth.set(line.siren, d);
    return d;
  };
  const ordered = withIds.sort((a, b) => depthOf(a.line) - depthOf(b.line) || a.line.line - b.line.line);

  await bulkInsert(
    db,
    organisations,
    ordered.map(({ line: l, id }) => ({
      id,
      kind: l.kind,
      epciType: l.epciType,
      name: l.name,
      searchName: searchKey(l.name),
      siren: l.siren,
      siret: l.siret,
      communeCode: l.communeCode,
      epciCode: l.epciCode,
      departementCode: l.departementCode,
      address: l.address,
      postalCode: l.postalCode,
      city: l.city,
      // Read from the territory tables for communes and EPCI, so that a new vintage updates it.
      population: l.kind === 'commune' || l.kind === 'epci' ? null : l.population,
      parentId: l.parentSiren
        ? (idOf.get(l.parentSiren) ?? refs.registered.get(l.parentSiren)?.id ?? null)
        : null,
      status: l.status,
    })),
  );
  await bulkInsert(
    db,
    memberContacts,
    ordered.flatMap(({ line, id }) => (line.contact ? [{ memberId: id, ...line.contact }] : [])),
  );
  await bulkInsert(
    db,
    membershipEvents,
    ordered.map(({ line, id }) => ({
      memberId: id,
      toStatus: line.status,
      effectiveOn,
      note: 'Import CSV',
      actorUserId,
    })),
  );
  return ordered.length;
}
