import type { FastifyInstance } from 'fastify';
import { cacheFor, type TtlCache } from '../../platform/cache.js';

/** List totals of members, shared by every members route of one app (one cache per database). */
export function memberTotals(app: FastifyInstance): TtlCache<number> {
  return cacheFor<number>(app.database, 'members.totals', app.config.LIST_TOTAL_CACHE_SECONDS * 1000);
}

/** Any successful write through the members routes may change a total: forget them all. */
export function clearTotalsOnWrite(app: FastifyInstance, totals: TtlCache<number>) {
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && reply.statusCode < 400) totals.clear();
  });
}
