import { createRequire } from 'node:module';
import { searchKey } from '../../contracts/search.js';
import type { SourceData, SourceEpci } from '../modules/territory/territory.import.js';
import type { Db } from '../platform/db/client.js';
import { communes, departements, epci, regions } from '../platform/db/schema.js';

const require = createRequire(import.meta.url);

/** Real communes of Pays de la Loire used by tests; their EPCI come along. */
export const SAMPLE = {
  laRocheSurYon: '85191',
  lesSablesDOlonne: '85194',
  nantes: '44109',
  aiguillon: '85001',
  aizenay: '85003',
  epciLaRoche: '248500589',
  epciSables: '200071165',
  epciNantes: '244400404',
} as const;

/**
 * Inserts a slice of the official data (@etalab/decoupage-administratif) so that tests need not
 * import the whole region: the 5 départements of region 52, the sample communes and their EPCI.
 */
export async function seedTerritorySample(db: Db) {
  const vintage = 'test';
  const allCommunes: SourceData['communes'] = require('@etalab/decoupage-administratif/data/communes.json');
  const allEpci: SourceData['epci'] = require('@etalab/decoupage-administratif/data/epci.json');
  const allDepartements: SourceData['departements'] = require('@etalab/decoupage-administratif/data/departements.json');
  const codes = new Set<string>([
    SAMPLE.laRocheSurYon,
    SAMPLE.lesSablesDOlonne,
    SAMPLE.nantes,
    SAMPLE.aiguillon,
    SAMPLE.aizenay,
  ]);
  const sampleCommunes = allCommunes.filter((c) => c.type === 'commune-actuelle' && codes.has(c.code));
  const epciOf = new Map<string, SourceEpci>();
  for (const e of allEpci) for (const m of e.membres) if (codes.has(m.code)) epciOf.set(m.code, e);

  await db.insert(regions).values({ code: '52', name: 'Pays de la Loire' }).onConflictDoNothing();
  await db
    .insert(departements)
    .values(
      allDepartements
        .filter((d) => d.region === '52')
        .map((d) => ({ code: d.code, name: d.nom, regionCode: '52' })),
    )
    .onConflictDoNothing();
  const sampleEpci = [...new Map([...epciOf.values()].map((e) => [e.code, e])).values()];
  await db
    .insert(epci)
    .values(
      sampleEpci.map((e) => ({
        code: e.code,
        name: e.nom,
        searchName: searchKey(e.nom),
        type: e.type,
        population: e.populationTotale,
        memberCount: e.membres.length,
        regionCodes: ['52'],
        departementCodes: [...new Set<string>(e.membres.map((m) => m.code.slice(0, 2)))].sort(),
        vintage,
      })),
    )
    .onConflictDoNothing();
  await db
    .insert(communes)
    .values(
      sampleCommunes.map((c) => ({
        code: c.code,
        name: c.nom,
        searchName: searchKey(c.nom),
        departementCode: c.departement,
        regionCode: c.region,
        siren: c.siren,
        postalCodes: c.codesPostaux ?? [],
        population: c.population ?? null,
        epciCode: epciOf.get(c.code)?.code ?? null,
        vintage,
      })),
    )
    .onConflictDoNothing();
}
