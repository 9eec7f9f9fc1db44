import type {
  CommuneDetail,
  CommuneItem,
  CommuneListQuery,
  EpciDetail,
  EpciItem,
  EpciListQuery,
} from '../../../contracts/territory.js';
import type { Executor } from '../../platform/db/client.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, pageOf } from '../../platform/http/pagination.js';
import * as repository from './territory.repository.js';
import { parseTerritorySearch } from './territory.search.js';

export async function listCommunes(tx: Executor, query: CommuneListQuery) {
  const { rows, total } = await repository.findCommunes(
    tx,
    {
      search: parseTerritorySearch(query.q),
      region: query.region,
      departement: query.departement,
      epci: query.epci,
    },
    query.limit,
    decodeCursor(query.cursor),
  );
  const page = pageOf(rows, query.limit, (row) => encodeCursor(row.searchName, row.code));
  return { items: page.items.map(toCommuneItem), ...total, nextCursor: page.nextCursor };
}

export async function getCommune(tx: Executor, code: string): Promise<CommuneDetail> {
  const row = await repository.findCommune(tx, code);
  if (!row) throw notFound(`Aucune commune n'a le code INSEE ${code}.`);
  return {
    ...toCommuneItem(row),
    departementName: row.departementName,
    regionName: row.regionName,
    epciType: row.epciType,
    vintage: row.vintage,
    abolishedAt: row.abolishedAt?.toISOString() ?? null,
  };
}

export async function listEpci(tx: Executor, query: EpciListQuery) {
  const { rows, total } = await repository.findEpcis(
    tx,
    { search: parseTerritorySearch(query.q), region: query.region, departement: query.departement },
    query.limit,
    decodeCursor(query.cursor),
  );
  const page = pageOf(rows, query.limit, (row) => encodeCursor(row.searchName, row.code));
  return { items: page.items.map(toEpciItem), total, nextCursor: page.nextCursor };
}

export async function getEpci(tx: Executor, code: string): Promise<EpciDetail> {
  const row = await repository.findEpci(tx, code);
  if (!row) throw notFound(`Aucun EPCI n'a le SIREN ${code}.`);
  return {
    ...toEpciItem(row),
    vintage: row.vintage,
    abolishedAt: row.abolishedAt?.toISOString() ?? null,
    communes: await repository.findEpciMembers(tx, code),
  };
}

export async function listDepartements(tx: Executor, region?: string) {
  return { items: await repository.listDepartements(tx, region) };
}

export async function listRegions(tx: Executor) {
  return { items: await repository.listRegions(tx) };
}

function toCommuneItem(row: CommuneItem): CommuneItem {
  return {
    code: row.code,
    name: row.name,
    departementCode: row.departementCode,
    regionCode: row.regionCode,
    postalCodes: row.postalCodes,
    population: row.population,
    epciCode: row.epciCode,
    epciName: row.epciName,
    siren: row.siren,
  };
}

function toEpciItem(row: EpciItem): EpciItem {
  return {
    code: row.code,
    name: row.name,
    type: row.type,
    population: row.population,
    memberCount: row.memberCount,
    departementCodes: row.departementCodes,
    regionCodes: row.regionCodes,
  };
}
