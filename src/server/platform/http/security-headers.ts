import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers (content security policy, HSTS in production, nosniff…) on every answer,
 * set before any other hook runs, so answers sent early (the public cache, a refused session) carry
 * them too.
 *
 * Helmet's middleware is built once here. @fastify/helmet, used before, built it again for every
 * request (its CSP directives parsed and validated each time, ~40 µs of CPU per request idle) to allow
 * per-route options and CSP nonces, which Socle does not use.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    // Helmet calls `next()` without an error (it throws on a bad option, at build time above).
    apply(request.raw, reply.raw, done as (error?: unknown) => void);
  });
}
