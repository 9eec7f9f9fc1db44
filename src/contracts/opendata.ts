import { z } from 'zod';

/**
 * Open data (issue 16, section 5): the datasets Socle publishes under the Licence Ouverte / Open
 * Licence 2.0 (Etalab), each at a stable address in CSV (UTF-8, `,`, RFC 4180) and JSON, listed by a
 * DCAT-style catalogue that data.gouv.fr can harvest.
 */
export const OPEN_DATASETS = [
  'adherents',
  'catalogue-tarifs',
  'regles-repartition',
  'deliberations',
  'disponibilite-services',
] as const;
export type OpenDatasetId = (typeof OPEN_DATASETS)[number];

export const OPEN_LICENCE = {
  id: 'etalab-2.0',
  title: 'Licence Ouverte / Open Licence version 2.0 (Etalab)',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
} as const;

export const openFieldSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  type: z.enum(['string', 'integer', 'number', 'date']),
});
export type OpenField = z.infer<typeof openFieldSchema>;

const distributionSchema = z.object({
  format: z.enum(['CSV', 'JSON']),
  mediaType: z.string(),
  downloadURL: z.string(),
});

export const openDatasetSchema = z.object({
  identifier: z.enum(OPEN_DATASETS),
  title: z.string(),
  description: z.string(),
  keywords: z.array(z.string()),
  license: z.string(),
  /** Date of the last change of the data (AAAA-MM-JJ), null when there is none yet. */
  modified: z.string().nullable(),
  accrualPeriodicity: z.string(),
  /** The schema the files follow, when a published one exists (SCDL). */
  conformsTo: z.string().nullable(),
  fields: z.array(openFieldSchema),
  distributions: z.array(distributionSchema),
});
export type OpenDataset = z.infer<typeof openDatasetSchema>;

export const openCatalogueSchema = z.object({
  '@context': z.record(z.string(), z.string()),
  '@type': z.literal('dcat:Catalog'),
  title: z.string(),
  description: z.string(),
  publisher: z.object({ name: z.string() }),
  homepage: z.string(),
  license: z.object({ id: z.string(), title: z.string(), url: z.string() }),
  datasets: z.array(openDatasetSchema),
});
export type OpenCatalogue = z.infer<typeof openCatalogueSchema>;

/** A dataset's JSON distribution: its description and its rows, keyed by the fields' names. */
export const openDataJsonSchema = z.object({
  dataset: z.enum(OPEN_DATASETS),
  license: z.string(),
  modified: z.string().nullable(),
  fields: z.array(openFieldSchema),
  items: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
});
export type OpenDataJson = z.infer<typeof openDataJsonSchema>;
