import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { globalSearchQuerySchema, globalSearchSchema } from '../../../contracts/search.js';
import { actorOf } from '../http/access.js';

/**
 * GET /api/v1/search?q=: one search box for everything a signed-in person may see. Each module's
 * provider filters by the actor (see SearchProvider), so the route itself only requires a session.
 */
export default async function searchRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/search',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Recherche'],
        summary:
          'Recherche globale : structures (nom, SIREN, code INSEE), factures (numéro), traitements RGPD… ' +
          'limitée à ce que la personne connectée peut voir',
        querystring: globalSearchQuerySchema,
        response: { 200: globalSearchSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { q, limit } = request.query;
      const groups = await request.inTenant((tx) => fastify.searchProviders.search(tx, actor, q, limit));
      return { q, groups };
    },
  );
}
