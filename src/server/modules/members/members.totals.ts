import type { FastifyInstance } from 'fastify';
import { cacheFor } from '../../platform/cache.js';
import type { ListTotal } from '../../platform/http/pagination.js';

/** Counts keyed by their filters, served from memory while no organisation changed (platform/changes.ts). */
export interface CachedTotals {
  /**
   * The count kept for `key`, if any; otherwise `remember` keeps the one the caller reads itself
   * (with the page, in the same statement). The stamp is taken here, before that read.
   */
  peek(key: string): { cached: Promise<ListTotal> | undefined; remember: (total: ListTotal) => void };
}

/** List totals of members, shared by every members route of one app. */
export function memberTotals(app: FastifyInstance): CachedTotals {
  const cache = cacheFor<ListTotal>(app, 'members.totals', app.config.LIST_TOTAL_CACHE_SECONDS * 1000);
  return {
    peek: (key) => {
      if (!app.changes.live) return { cached: undefined, remember: () => {} };
      const stamp = app.changes.stamp(['members']);
      return { cached: cache.peek(key, stamp), remember: (total) => cache.set(key, total, stamp) };
    },
  };
}
