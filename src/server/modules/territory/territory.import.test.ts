import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTerritoryImportArgs, UsageError } from '../../cli/territory-import.js';
import { communes, epci, territoryImports } from '../../kernel/territory.schema.js';
import { type Database, rowsOf, toCount } from '../../platform/db/client.js';
import { organisations } from '../../platform/db/schema.js';
import { buildOrganisation } from '../../test/builders.js';
import { openTestDatabase } from '../../test/database.js';
import { ensureTerritory, importTerritory, TerritoryScopeError } from './territory.import.js';

const onPostgres = process.env.SOCLE_TEST_DB === 'postgres';

async function countWhere(database: Database, query: ReturnType<typeof sql>): Promise<number> {
  return toCount(rowsOf<{ n: unknown }>(await database.db.execute(query))[0]?.n);
}

describe('territory import of Pays de la Loire (region 52)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('is done at start-up when no import was ever recorded, and only then', async () => {
    const first = await ensureTerritory(database.db, ['52']);
    expect(first?.communes).toBe(1228);
    expect(await ensureTerritory(database.db, ['52'])).toBeNull();
  });

  it('imports the official facts: 1,228 communes, population 3,907,156, 71 EPCI, all départements', async () => {
    const report = await importTerritory(database.db, { regions: ['52'] });
    expect(report).toMatchObject({
      vintage: '6.0.0',
      scope: '52',
      regions: 26,
      departements: 109,
      communes: 1228,
      epci: 71,
      population: 3_907_156,
    });
    const byDepartement = rowsOf<{ departement_code: string; n: unknown }>(
      await database.db.execute(
        sql`SELECT departement_code, count(*) AS n FROM communes GROUP BY departement_code ORDER BY 1`,
      ),
    ).map((r) => [r.departement_code, toCount(r.n)]);
    expect(byDepartement).toEqual([
      ['44', 207],
      ['49', 176],
      ['53', 240],
      ['72', 352],
      ['85', 253],
    ]);
    expect(await countWhere(database, sql`SELECT sum(population) AS n FROM communes`)).toBe(3_907_156);
    expect(await countWhere(database, sql`SELECT count(*) AS n FROM epci`)).toBe(71);
    expect(await countWhere(database, sql`SELECT count(*) AS n FROM departements`)).toBe(109);
  });

  it('links communes to their EPCI and computes EPCI regions and départements from all members', async () => {
    const [laRoche] = await database.db.select().from(communes).where(eq(communes.code, '85191'));
    expect(laRoche).toMatchObject({
      name: 'La Roche-sur-Yon',
      searchName: 'la roche sur yon',
      departementCode: '85',
      regionCode: '52',
      epciCode: '248500589',
      postalCodes: ['85000'],
      vintage: '6.0.0',
      abolishedAt: null,
    });
    // L'Île-d'Yeu belongs to no EPCI.
    const [yeu] = await database.db.select().from(communes).where(eq(communes.code, '85113'));
    expect(yeu.epciCode).toBeNull();
    const [agglo] = await database.db.select().from(epci).where(eq(epci.code, '248500589'));
    expect(agglo).toMatchObject({
      type: 'CA',
      memberCount: 13,
      regionCodes: ['52'],
      departementCodes: ['85'],
    });
    // Four EPCI straddle the region's border: their other region comes from their members.
    const straddling = await database.db
      .select({ code: epci.code, regionCodes: epci.regionCodes })
      .from(epci)
      .where(sql`cardinality(${epci.regionCodes}) > 1`);
    expect(straddling).toHaveLength(4);
    for (const e of straddling) expect(e.regionCodes).toContain('52');
  });

  it('changes nothing on a second run with the same data, and records each run', async () => {
    const before = await countWhere(database, sql`SELECT count(*) AS n FROM territory_imports`);
    const report = await importTerritory(database.db, { regions: ['52'] });
    expect(report.written).toEqual({ regions: 0, departements: 0, communes: 0, epci: 0 });
    expect(report.abolished).toEqual({ communes: 0, epci: 0 });
    const imports = await database.db.select().from(territoryImports);
    expect(imports).toHaveLength(before + 1);
    expect(imports.every((i) => i.vintage === '6.0.0' && i.scope === '52')).toBe(true);
  });

  it('brings an older vintage up to date: names, populations and the vintage are rewritten', async () => {
    await database.db
      .update(communes)
      .set({ name: 'Ancien nom', searchName: 'ancien nom', population: 1, vintage: '5.0.0' })
      .where(eq(communes.code, '85194'));
    await database.db.update(epci).set({ population: 2, vintage: '5.0.0' }).where(eq(epci.code, '200071165'));
    const report = await importTerritory(database.db, { regions: ['52'] });
    expect(report.written.communes).toBe(1);
    expect(report.written.epci).toBe(1);
    const [sables] = await database.db.select().from(communes).where(eq(communes.code, '85194'));
    expect(sables).toMatchObject({ name: "Les Sables-d'Olonne", population: 49_603, vintage: '6.0.0' });
    const [agglo] = await database.db.select().from(epci).where(eq(epci.code, '200071165'));
    expect(agglo.vintage).toBe('6.0.0');
    expect(agglo.population).toBeGreaterThan(2);
  });

  it('marks a commune gone from the data as abolished, keeps its row and its members, and revives returning ones', async () => {
    await database.db.insert(communes).values({
      code: '85999',
      name: 'Commune fusionnée',
      searchName: 'commune fusionnee',
      departementCode: '85',
      regionCode: '52',
      vintage: '5.0.0',
    });
    const member = await buildOrganisation(database.db, { kind: 'commune', communeCode: '85999' });
    await database.db.update(communes).set({ abolishedAt: new Date() }).where(eq(communes.code, '85191'));

    const report = await importTerritory(database.db, { regions: ['52'] });
    expect(report.abolished.communes).toBe(1);
    const [gone] = await database.db.select().from(communes).where(eq(communes.code, '85999'));
    expect(gone.abolishedAt).toBeInstanceOf(Date);
    const [stillLinked] = await database.db
      .select()
      .from(organisations)
      .where(eq(organisations.id, member.id));
    expect(stillLinked.communeCode).toBe('85999');
    const [back] = await database.db.select().from(communes).where(eq(communes.code, '85191'));
    expect(back.abolishedAt).toBeNull();

    const again = await importTerritory(database.db, { regions: ['52'] });
    expect(again.abolished.communes).toBe(0);
  });

  it('leaves other regions alone when importing one region', async () => {
    const report = await importTerritory(database.db, { regions: ['53'] });
    expect(report.communes).toBeGreaterThan(1000);
    expect(report.abolished).toEqual({ communes: 0, epci: 0 });
    expect(
      await countWhere(
        database,
        sql`SELECT count(*) AS n FROM communes WHERE region_code = '52' AND abolished_at IS NULL`,
      ),
    ).toBe(1228);
  });

  it('refuses an unknown region with a French message', async () => {
    await expect(importTerritory(database.db, { regions: ['99'] })).rejects.toThrow(TerritoryScopeError);
    await expect(importTerritory(database.db, { regions: ['99'] })).rejects.toThrow(
      /Code région inconnu : 99/,
    );
  });
});

describe('territory:import command-line arguments', () => {
  it('accepts --all, --regions and nothing (the configured regions)', () => {
    expect(parseTerritoryImportArgs(['--all']).regions).toBe('all');
    expect(parseTerritoryImportArgs(['--regions', '52,53']).regions).toEqual(['52', '53']);
    expect(parseTerritoryImportArgs(['--regions=52']).regions).toEqual(['52']);
    expect(parseTerritoryImportArgs([]).regions).toBeNull();
  });

  it.each([
    [['--all', '--regions', '52'], /pas les deux/],
    [['--regions', '5x'], /codes région séparés par des virgules/],
    [['--regions', '99'], /Code région inconnu : 99/],
    [['--everything'], /option inconnue --everything/],
    [['52'], /argument inattendu 52/],
  ])('refuses %j with a French explanation', (argv, message) => {
    expect(() => parseTerritoryImportArgs(argv)).toThrow(UsageError);
    expect(() => parseTerritoryImportArgs(argv)).toThrow(message);
  });
});

// The one full-France import of the suite; slow on PGlite, so it runs on PostgreSQL only.
describe.runIf(onPostgres)('territory import of all of France (PostgreSQL)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('imports 34,969 communes and 1,255 EPCI, nearly all linked to their EPCI', async () => {
    const report = await importTerritory(database.db, { regions: 'all' });
    expect(report).toMatchObject({ scope: 'all', communes: 34_969, epci: 1255 });
    expect(await countWhere(database, sql`SELECT count(*) AS n FROM communes`)).toBe(34_969);
    expect(
      await countWhere(database, sql`SELECT count(*) AS n FROM communes WHERE epci_code IS NOT NULL`),
    ).toBeGreaterThan(34_000);
  }, 60_000);
});
