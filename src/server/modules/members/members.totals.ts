import type { FastifyInstance } from 'fastify';
import { cacheFor } from '../../platform/cache.js';
import type { ListTotal } from '../../platform/http/pagination.js';

/** Counts keyed by their filters, served from memory while no organisation changed (platform/changes.ts). */
export interface CachedTotals {
  get(key: string, count: () => Promise<ListTotal>): Promise<ListTotal>;
}

/** List totals of members, shared by every members route of one app. */
export function memberTotals(app: FastifyInstance): CachedTotals {
  const cache = cacheFor<ListTotal>(app, 'members.totals', app.config.LIST_TOTAL_CACHE_SECONDS * 1000);
  return {
    get: (key, count) => (app.changes.live ? cache.get(key, count, app.changes.stamp(['members'])) : count()),
  };
}
