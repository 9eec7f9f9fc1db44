import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const PRIVATE_CACHE_CONTROL = 'private, no-store';

/**
 * Whether an answer is private: a signed-in request to the API (what it answers may depend on who
 * asks, public routes included), a route that is not declared `access: 'public'`, or an answer setting
 * a cookie. Public answers (anonymous reads of public routes, static assets, the web app) are not.
 */
export function isPrivateAnswer(request: FastifyRequest, reply: FastifyReply): boolean {
  if (reply.hasHeader('set-cookie')) return true;
  const access = request.routeOptions.config?.access;
  if (access !== undefined && access !== 'public') return true;
  return request.actor !== null && request.url.startsWith('/api/');
}

/**
 * Every private answer carries `Cache-Control: private, no-store`: neither a shared cache (a proxy,
 * a CDN) nor the browser's disk keeps it, so the back button of a shared computer shows no one's
 * invoices after the session ended. A route that set its own `no-store` header keeps it.
 */
export function registerPrivateAnswers(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isPrivateAnswer(request, reply)) return payload;
    const own = reply.getHeader('cache-control');
    if (typeof own === 'string' && /\bno-store\b/.test(own)) return payload;
    reply.header('cache-control', PRIVATE_CACHE_CONTROL);
    return payload;
  });
}
