import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OPEN_LICENCE, openCatalogueSchema, openDataJsonSchema } from '../../../contracts/opendata.js';
import type { ChangeTopic } from '../../platform/changes.js';
import { CSV_TYPE, toCsv } from '../../platform/export/spreadsheet.js';
import { sendDownload } from '../../platform/http/download.js';
import { DATASETS, type DatasetDefinition, type LoadContext } from './opendata.datasets.js';
import { openCatalogue } from './opendata.service.js';

const TAGS = ['données ouvertes'];

/** What each dataset's public answers are cached on (platform/http/public-cache.ts); acts have no topic. */
const CACHE_TOPICS: Record<DatasetDefinition['id'], readonly ChangeTopic[] | undefined> = {
  adherents: ['members'],
  'catalogue-tarifs': ['pricing'],
  'regles-repartition': ['pricing'],
  deliberations: undefined,
  'disponibilite-services': ['status'],
};

/**
 * Open data (issue 16, section 5): the DCAT-style catalogue at /open-data and each dataset at a
 * stable address, /open-data/<dataset>.csv (UTF-8, `,`, RFC 4180) and /open-data/<dataset>.json.
 * Public, and cached as the other public answers are.
 */
export default async function opendataRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const context = (request: FastifyRequest): LoadContext => ({
    inTenant: (work) => request.inTenant(work),
    database: app.database,
    publicUrl: app.config.publicUrl,
  });

  r.get(
    '/open-data',
    {
      config: { access: 'public', publicCache: ['members', 'pricing'] },
      schema: {
        tags: TAGS,
        summary: 'Catalogue des jeux de données ouverts (DCAT), moissonnable par data.gouv.fr',
        response: { 200: openCatalogueSchema },
      },
    },
    async (request) => openCatalogue(context(request), app.config.OPERATOR_NAME),
  );

  for (const dataset of DATASETS) {
    const publicCache = CACHE_TOPICS[dataset.id];
    r.get(
      `/open-data/${dataset.id}.csv`,
      {
        config: { access: 'public', ...(publicCache ? { publicCache } : {}) },
        schema: {
          tags: TAGS,
          summary: `${dataset.title} (CSV, UTF-8, séparateur virgule, RFC 4180)`,
          response: { 200: z.any().describe('Fichier CSV') },
        },
      },
      async (request, reply) => {
        const rows = await dataset.load(context(request));
        const columns = dataset.fields.map((f) => ({
          header: f.name,
          width: 12,
          value: (row: (typeof rows)[number]) => row[f.name],
        }));
        return sendDownload(reply, {
          type: CSV_TYPE,
          filename: `${dataset.id}.csv`,
          body: toCsv(columns, rows, { dialect: 'rfc4180' }),
        });
      },
    );
    r.get(
      `/open-data/${dataset.id}.json`,
      {
        config: { access: 'public', ...(publicCache ? { publicCache } : {}) },
        schema: { tags: TAGS, summary: `${dataset.title} (JSON)`, response: { 200: openDataJsonSchema } },
      },
      async (request) => {
        const rows = await dataset.load(context(request));
        const modified = await dataset.modified(context(request));
        return {
          dataset: dataset.id,
          license: OPEN_LICENCE.url,
          modified,
          fields: dataset.fields,
          items: rows,
        };
      },
    );
  }
}
