import { z } from 'zod';
import { cappedListOf, departementCode, listOf, paginationQuery } from './common.js';

/**
 * Region filter: two digits for metropolitan and overseas regions, three for the collectivités
 * d'outre-mer (975, 977, 978, 984, 986–989) that the official data lists as their own regions.
 */
export const territoryRegionCode = z.string().regex(/^\d{2,3}$/, 'code région invalide (2 ou 3 chiffres)');
export const communeCode = z
  .string()
  .regex(/^(\d{5}|2[AB]\d{3})$/, 'code INSEE invalide (5 caractères, 2A/2B pour la Corse)');
/** An EPCI's code is its SIREN. */
export const epciCode = z.string().regex(/^\d{9}$/, 'code EPCI invalide (SIREN à 9 chiffres)');

const searchText = z.string().trim().max(100, 'la recherche est limitée à 100 caractères');

export const communeListQuery = paginationQuery.extend({
  q: searchText.optional(),
  region: territoryRegionCode.optional(),
  departement: departementCode.optional(),
  epci: epciCode.optional(),
});
export type CommuneListQuery = z.infer<typeof communeListQuery>;

export const communeItem = z.object({
  code: z.string(),
  name: z.string(),
  departementCode: z.string(),
  regionCode: z.string(),
  postalCodes: z.array(z.string()),
  population: z.number().int().nullable(),
  epciCode: z.string().nullable(),
  epciName: z.string().nullable(),
  siren: z.string().nullable(),
});
export type CommuneItem = z.infer<typeof communeItem>;
/** Counted up to 1,000 when filtered, an estimate past it (listTotalFields); exact unfiltered. */
export const communeList = cappedListOf(communeItem);

export const communeDetail = communeItem.extend({
  departementName: z.string(),
  regionName: z.string(),
  epciType: z.string().nullable(),
  vintage: z.string(),
  /** Set when the commune left the official data (merged, abolished); its row is kept. */
  abolishedAt: z.string().nullable(),
});
export type CommuneDetail = z.infer<typeof communeDetail>;

export const communeParams = z.object({ code: communeCode });

export const epciListQuery = paginationQuery.extend({
  q: searchText.optional(),
  region: territoryRegionCode.optional(),
  departement: departementCode.optional(),
});
export type EpciListQuery = z.infer<typeof epciListQuery>;

export const epciItem = z.object({
  code: z.string(),
  name: z.string(),
  /** CC, CA, CU, METRO or MET69. */
  type: z.string(),
  population: z.number().int(),
  /** Every member commune, including those outside the imported regions. */
  memberCount: z.number().int(),
  departementCodes: z.array(z.string()),
  regionCodes: z.array(z.string()),
});
export type EpciItem = z.infer<typeof epciItem>;
export const epciList = listOf(epciItem);

export const epciDetail = epciItem.extend({
  vintage: z.string(),
  abolishedAt: z.string().nullable(),
  /** Member communes that were imported (those of the operator's regions), by name. */
  communes: z.array(
    z.object({ code: z.string(), name: z.string(), population: z.number().int().nullable() }),
  ),
});
export type EpciDetail = z.infer<typeof epciDetail>;

export const epciParams = z.object({ code: epciCode });

export const departementListQuery = z.object({ region: territoryRegionCode.optional() });

export const departementItem = z.object({
  code: z.string(),
  name: z.string(),
  regionCode: z.string(),
  /** Imported, current communes only. */
  communeCount: z.number().int(),
  population: z.number().int(),
});
export const departementList = z.object({ items: z.array(departementItem) });

export const regionItem = z.object({
  code: z.string(),
  name: z.string(),
  communeCount: z.number().int(),
  population: z.number().int(),
});
export const regionList = z.object({ items: z.array(regionItem) });
