import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communes } from '../../kernel/territory.schema.js';
import { encodeCursor } from '../../platform/http/pagination.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { importTerritory } from './territory.import.js';
import { parseTerritorySearch } from './territory.search.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // The sample seeded by createTestApp is too small for filters and pagination: take the whole region.
  await importTerritory(t.database.db, { regions: ['52'] });
});
afterAll(() => t.close());

const get = (url: string) => request(t.app, null, 'GET', url);
const codesOf = (body: { items: { code: string }[] }) => body.items.map((i) => i.code);

/** Follows nextCursor to the end; fails on a loop. */
async function allPages(url: string): Promise<{ code: string; name: string }[]> {
  const items: { code: string; name: string }[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const separator = url.includes('?') ? '&' : '?';
    const response = await get(cursor ? `${url}${separator}cursor=${cursor}` : url);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    items.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('pagination did not end');
}

describe('understanding a territory query', () => {
  it.each([
    ['', { kind: 'none' }],
    ['  85191 ', { kind: 'codeOrPostalCode', value: '85191' }],
    ['2a004', { kind: 'code', value: '2A004' }],
    ['85', { kind: 'codePrefix', value: '85' }],
    ['2B', { kind: 'codePrefix', value: '2B' }],
    ['248500589', { kind: 'siren', value: '248500589' }],
    ["Sables-d'Olonne", { kind: 'words', terms: ['sables', 'd', 'olonne'], key: 'sables d olonne' }],
    ['---', { kind: 'none' }],
  ])('reads %j', (q, expected) => {
    expect(parseTerritorySearch(q)).toEqual(expected);
  });
});

describe('GET /api/v1/territory/communes', () => {
  it('lists current communes by name for anonymous visitors, with their EPCI', async () => {
    const response = await get('/api/v1/territory/communes?limit=5');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.total).toBe(1228);
    expect(body.items).toHaveLength(5);
    expect(body.nextCursor).toEqual(expect.any(String));
    const names = body.items.map((i: { name: string }) => i.name);
    expect(names[0]).toBe('Abbaretz');
    const laRoche = (await get('/api/v1/territory/communes?q=85191')).json().items[0];
    expect(laRoche).toEqual({
      code: '85191',
      name: 'La Roche-sur-Yon',
      departementCode: '85',
      regionCode: '52',
      postalCodes: ['85000'],
      population: expect.any(Number),
      epciCode: '248500589',
      epciName: 'CA La Roche-sur-Yon - Agglomération',
      siren: expect.stringMatching(/^\d{9}$/),
    });
  });

  it.each([
    ['sables olonne', '85194'],
    ["Les Sables-d'Olonne", '85194'],
    ['LES SABLES D OLONNE', '85194'],
    ['roche yon', '85191'],
    ['Roché-sur-Yon', '85191'],
    ['la roche sur yon', '85191'],
    ['Sainte-Hermine', '85248'],
    ['sainte hermine', '85248'],
  ])('finds %j (accents, case, hyphens and missing words do not matter)', async (q, code) => {
    const response = await get(`/api/v1/territory/communes?q=${encodeURIComponent(q)}`);
    expect(response.statusCode).toBe(200);
    expect(codesOf(response.json())).toContain(code);
  });

  it('finds a commune by INSEE code, INSEE code prefix, postal code and SIREN', async () => {
    expect(codesOf((await get('/api/v1/territory/communes?q=85194')).json())).toEqual(['85194']);
    const prefix = (await get('/api/v1/territory/communes?q=8519&limit=200')).json();
    expect(prefix.total).toBe(9);
    expect(codesOf(prefix).every((c) => c.startsWith('8519'))).toBe(true);
    // 85100 is both an INSEE code (another commune) and Les Sables-d'Olonne's postal code.
    const postal = (await get('/api/v1/territory/communes?q=85100')).json();
    expect(codesOf(postal).sort()).toEqual(['85100', '85194']);
    expect(codesOf((await get('/api/v1/territory/communes?q=85180')).json())).toEqual(['85194']);
    const [sables] = await t.database.db.select().from(communes).where(eq(communes.code, '85194'));
    expect(codesOf((await get(`/api/v1/territory/communes?q=${sables.siren}`)).json())).toEqual(['85194']);
    expect((await get('/api/v1/territory/communes?q=99999')).json()).toEqual({
      items: [],
      total: 0,
      totalIsExact: true,
      nextCursor: null,
    });
  });

  it('puts the exact name first, then the other matches by name', async () => {
    const oudon = (await get('/api/v1/territory/communes?q=Oudon')).json();
    expect(oudon.items.map((i: { name: string }) => i.name)).toEqual(['Oudon', 'Beaulieu-sur-Oudon']);
  });

  it('pages through a search with the exact match first, without repeat or gap', async () => {
    const whole = (await get('/api/v1/territory/communes?q=le%20pin&limit=200')).json();
    expect(whole.items[0].name).toBe('Le Pin');
    expect(whole.total).toBeGreaterThan(3);
    const paged = await allPages('/api/v1/territory/communes?q=le%20pin&limit=1');
    expect(paged.map((i) => i.code)).toEqual(codesOf(whole));
  });

  it('pages through a département without repeat or gap, in name order', async () => {
    const paged = await allPages('/api/v1/territory/communes?departement=85&limit=37');
    const codes = paged.map((i) => i.code);
    expect(codes).toHaveLength(253);
    expect(new Set(codes).size).toBe(253);
    const rows = await t.database.db
      .select({ code: communes.code })
      .from(communes)
      .where(and(eq(communes.departementCode, '85'), isNull(communes.abolishedAt)))
      .orderBy(communes.searchName, communes.code);
    expect(codes).toEqual(rows.map((r) => r.code));
  });

  it('still answers the total on an empty page past the end', async () => {
    const past = encodeCursor('zzzz', '99999');
    expect((await get(`/api/v1/territory/communes?cursor=${past}`)).json()).toEqual({
      items: [],
      total: 1228,
      totalIsExact: true,
      nextCursor: null,
    });
    expect((await get(`/api/v1/territory/communes?departement=53&cursor=${past}`)).json().total).toBe(240);
    expect((await get(`/api/v1/territory/epci?region=52&cursor=${past}`)).json().total).toBe(71);
  });

  it('keeps the unfiltered total exact when communes are added or removed outside an import', async () => {
    const total = async () => (await get('/api/v1/territory/communes?limit=1')).json().total;
    await t.database.db.insert(communes).values({
      code: '85997',
      name: 'Commune de passage',
      searchName: 'commune de passage',
      departementCode: '85',
      regionCode: '52',
      vintage: 'test',
    });
    expect(await total()).toBe(1229);
    await t.database.db.delete(communes).where(eq(communes.code, '85997'));
    expect(await total()).toBe(1228);
  });

  it('filters by département, region and EPCI, alone or with a search', async () => {
    expect((await get('/api/v1/territory/communes?departement=53&limit=1')).json().total).toBe(240);
    // 1,228 matches: past the count cap (1,000), the planner's estimate (or « plus de 1 000 »).
    const region = (await get('/api/v1/territory/communes?region=52&limit=1')).json();
    expect(region.totalIsExact).toBe(false);
    if (region.totalIsEstimate) expect(region.total).toBeGreaterThan(1000);
    else expect(region.total).toBe(1000);
    expect((await get('/api/v1/territory/communes?departement=53&limit=1')).json().totalIsExact).toBe(true);
    expect((await get('/api/v1/territory/communes?region=11&limit=1')).json().total).toBe(0);
    const agglo = (await get('/api/v1/territory/communes?epci=248500589&limit=200')).json();
    expect(agglo.total).toBe(13);
    expect(agglo.items.every((i: { epciCode: string }) => i.epciCode === '248500589')).toBe(true);
    const saintIn85 = (await get('/api/v1/territory/communes?q=saint&departement=85&limit=200')).json();
    expect(saintIn85.total).toBeGreaterThan(10);
    expect(saintIn85.items.every((i: { departementCode: string }) => i.departementCode === '85')).toBe(true);
  });

  it('leaves abolished communes out of lists but still answers them by code', async () => {
    await t.database.db.insert(communes).values({
      code: '85998',
      name: 'Ancienne commune',
      searchName: 'ancienne commune',
      departementCode: '85',
      regionCode: '52',
      vintage: '5.0.0',
      abolishedAt: new Date('2025-01-01T00:00:00Z'),
    });
    expect((await get('/api/v1/territory/communes?q=ancienne%20commune')).json().total).toBe(0);
    expect((await get('/api/v1/territory/communes?limit=1')).json().total).toBe(1228);
    const response = await get('/api/v1/territory/communes/85998');
    expect(response.statusCode).toBe(200);
    expect(response.json().abolishedAt).toBe('2025-01-01T00:00:00.000Z');
  });

  it.each([
    ['region=5', 'query.region'],
    ['region=abc', 'query.region'],
    ['departement=999x', 'query.departement'],
    ['epci=123', 'query.epci'],
    ['limit=0', 'query.limit'],
    ['limit=201', 'query.limit'],
    ['limit=dix', 'query.limit'],
    ['cursor=nimportequoi', 'query.cursor'],
    [`q=${'a'.repeat(101)}`, 'query.q'],
  ])('refuses %s with a 400 problem naming %s', async (query, path) => {
    const response = await get(`/api/v1/territory/communes?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});

describe('GET /api/v1/territory/communes/{code}', () => {
  it('answers a commune with its département, region and EPCI', async () => {
    const response = await get('/api/v1/territory/communes/85194');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      code: '85194',
      name: "Les Sables-d'Olonne",
      departementName: 'Vendée',
      regionName: 'Pays de la Loire',
      epciCode: '200071165',
      epciType: 'CA',
      postalCodes: ['85100', '85180', '85340'],
      population: 49_603,
      vintage: '6.0.0',
      abolishedAt: null,
    });
  });

  it('answers 404 in French for an unknown code and 400 for a malformed one', async () => {
    const unknown = await get('/api/v1/territory/communes/99999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe("Aucune commune n'a le code INSEE 99999.");
    const malformed = await get('/api/v1/territory/communes/abc');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].path).toBe('params.code');
  });
});

describe('GET /api/v1/territory/epci', () => {
  it("lists the region's 71 EPCI, including those straddling its border", async () => {
    const body = (await get('/api/v1/territory/epci?region=52&limit=200')).json();
    expect(body.total).toBe(71);
    expect(body.nextCursor).toBeNull();
    expect(body.items.filter((e: { regionCodes: string[] }) => e.regionCodes.length > 1)).toHaveLength(4);
    const paged = await allPages('/api/v1/territory/epci?region=52&limit=10');
    expect(paged.map((e) => e.code)).toEqual(codesOf(body));
  });

  it('searches EPCI by name words, SIREN, or a member commune code', async () => {
    const byName = (await get('/api/v1/territory/epci?q=roche%20yon')).json();
    expect(byName.items[0]).toEqual({
      code: '248500589',
      name: 'CA La Roche-sur-Yon - Agglomération',
      type: 'CA',
      population: expect.any(Number),
      memberCount: 13,
      departementCodes: ['85'],
      regionCodes: ['52'],
    });
    expect(codesOf((await get('/api/v1/territory/epci?q=200071165')).json())).toEqual(['200071165']);
    expect(codesOf((await get('/api/v1/territory/epci?q=85191')).json())).toEqual(['248500589']);
    expect(codesOf((await get('/api/v1/territory/epci?q=85180')).json())).toEqual(['200071165']);
  });

  it('filters EPCI by département', async () => {
    const body = (await get('/api/v1/territory/epci?departement=85&limit=200')).json();
    expect(body.total).toBeGreaterThan(15);
    expect(body.items.every((e: { departementCodes: string[] }) => e.departementCodes.includes('85'))).toBe(
      true,
    );
  });

  it('refuses bad filters with a 400 problem naming the field', async () => {
    const response = await get('/api/v1/territory/epci?region=x&limit=500');
    expect(response.statusCode).toBe(400);
    const paths = response.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['query.region', 'query.limit']));
  });
});

describe('GET /api/v1/territory/epci/{code}', () => {
  it('answers an EPCI with its imported member communes by name', async () => {
    const response = await get('/api/v1/territory/epci/248500589');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.communes).toHaveLength(13);
    expect(body.communes).toContainEqual({
      code: '85191',
      name: 'La Roche-sur-Yon',
      population: expect.any(Number),
    });
    expect(body.memberCount).toBe(13);
  });

  it('answers 404 for an unknown SIREN and 400 for a malformed one', async () => {
    const unknown = await get('/api/v1/territory/epci/123456789');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().title).toBe('Introuvable');
    expect((await get('/api/v1/territory/epci/12')).statusCode).toBe(400);
  });
});

describe('GET /api/v1/territory/departements and /regions', () => {
  it('lists the départements of a region with their communes and population', async () => {
    const response = await get('/api/v1/territory/departements?region=52');
    expect(response.statusCode).toBe(200);
    const items = response.json().items;
    expect(items.map((d: { code: string; communeCount: number }) => [d.code, d.communeCount])).toEqual([
      ['44', 207],
      ['49', 176],
      ['53', 240],
      ['72', 352],
      ['85', 253],
    ]);
    expect(items.reduce((sum: number, d: { population: number }) => sum + d.population, 0)).toBe(3_907_156);
    expect(items[4]).toMatchObject({ name: 'Vendée', regionCode: '52' });
  });

  it('lists every département without a filter, and refuses a bad region', async () => {
    expect((await get('/api/v1/territory/departements')).json().items).toHaveLength(109);
    const bad = await get('/api/v1/territory/departements?region=pdl');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.region');
  });

  it('lists the regions with the imported communes they hold', async () => {
    const items = (await get('/api/v1/territory/regions')).json().items;
    expect(items).toHaveLength(26);
    expect(items.find((r: { code: string }) => r.code === '52')).toEqual({
      code: '52',
      name: 'Pays de la Loire',
      communeCount: 1228,
      population: 3_907_156,
    });
  });
});
