import type { FastifyInstance } from 'fastify';
import type { ChangeFeed, ChangeTopic } from '../changes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The answer to an anonymous GET of this route is public and depends only on its URL and on the
     * data of these topics: it may be served from memory until one of them changes.
     */
    publicCache?: readonly ChangeTopic[];
  }
  interface FastifyRequest {
    /** Set when this request's answer may be stored: the topics' stamp taken before reading. */
    publicCacheStamp: string | null;
  }
}

interface Entry {
  body: Buffer;
  contentType: string;
  stamp: string;
  expiresAt: number;
}

export interface PublicCacheOptions {
  /** Upper bound on an entry's life, whatever the notifications say; 0 disables the cache. */
  ttlMs: number;
  maxBytes: number;
}

export const CACHE_HEADER = 'x-socle-cache';

/**
 * Public answers (the members list and page, territory searches, as an anonymous visitor sees them)
 * are the same for every visitor until the data changes: keep the serialized body per URL, and serve
 * it while the stamp of the route's topics is unchanged (platform/changes.ts), for at most `ttlMs`.
 *
 * - Only anonymous GETs read or fill it; a signed-in user's answer may hold private fields and always
 *   goes to the database (with its tenant and RLS).
 * - Only 200 answers are stored, so validation errors and 404s are computed each time.
 * - Least recently used entries go first once the bodies exceed `maxBytes`.
 * - Any write request this process answers successfully changes every topic at once, so that a
 *   writer reads its own write; writes elsewhere arrive as database notifications.
 */
export function registerPublicCache(app: FastifyInstance, changes: ChangeFeed, options: PublicCacheOptions) {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const drop = (key: string, entry: Entry) => {
    entries.delete(key);
    bytes -= entry.body.length;
  };

  app.decorateRequest('publicCacheStamp', null);

  // Registered after the session hook: `request.actor` is known here.
  app.addHook('onRequest', async (request, reply) => {
    const topics = request.routeOptions.config.publicCache;
    if (options.ttlMs <= 0 || !topics || request.method !== 'GET' || request.actor || !changes.live) return;
    const stamp = changes.stamp(topics);
    const entry = entries.get(request.url);
    if (entry) {
      if (entry.stamp === stamp && entry.expiresAt > Date.now()) {
        // Most recently used last: re-insert.
        entries.delete(request.url);
        entries.set(request.url, entry);
        reply.header(CACHE_HEADER, 'hit').type(entry.contentType);
        return reply.send(entry.body);
      }
      drop(request.url, entry);
    }
    request.publicCacheStamp = stamp;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.publicCacheStamp !== null) {
      reply.header(CACHE_HEADER, 'miss');
      if (reply.statusCode === 200 && typeof payload === 'string') {
        const body = Buffer.from(payload);
        if (body.length <= options.maxBytes / 8) {
          const previous = entries.get(request.url);
          if (previous) drop(request.url, previous);
          entries.set(request.url, {
            body,
            contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
            stamp: request.publicCacheStamp,
            expiresAt: Date.now() + options.ttlMs,
          });
          bytes += body.length;
          for (const [key, oldest] of entries) {
            if (bytes <= options.maxBytes) break;
            drop(key, oldest);
          }
        }
      }
    } else if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 400) {
      changes.changedAll();
    }
    return payload;
  });
}
