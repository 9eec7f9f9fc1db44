import type { FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../../contracts/common.js';

/**
 * What the OpenAPI document says of every operation besides what its route declares (issue 16,
 * section 4), derived in one place so that every route, present or to come, gets it without a word in
 * its routes file:
 * - a stable `operationId` from the method and the path (`GET /api/v1/members/:memberId/webhooks` →
 *   `getMembersByMemberIdWebhooks`), unless the route names one itself;
 * - its problem+json error answers: 400 when it reads parameters, a query or a body (validation);
 *   401 unless it is public; 403 when its access is a rule (a policy); 404 when its path names a
 *   resource; 409 and 422 for writes (a conflict, a business rule). A status the route documents
 *   itself is kept as it is.
 * The routes' own schemas stay untouched: this runs on the document only (the swagger `transform`).
 */

const PROBLEM_TYPE = 'application/problem+json';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Requête invalide : les champs en cause sont nommés (problem+json, en français)',
  401: 'Non connecté',
  403: "Le rôle de la personne connectée ne permet pas l'action",
  404: "La ressource n'existe pas (ou n'est pas visible de la personne connectée)",
  409: "Conflit avec l'état actuel (doublon, modification concurrente)",
  422: "Règle métier non respectée (l'explication est dans `detail`)",
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `GET /api/v1/members/:memberId/inventory.:format` → `getMembersByMemberIdInventoryByFormat`. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v\d+/, '')
    .split(/[^A-Za-z0-9:]+/)
    .flatMap((segment) => segment.split(/(?=:)/))
    .filter(Boolean)
    .flatMap((segment) => (segment.startsWith(':') ? ['by', segment.slice(1)] : segment.split(/(?=[A-Z])/)));
  const capitalised = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return `${method.toLowerCase()}${capitalised.join('')}`;
}

/** The error statuses an operation may answer, from its access, path, schemas and method. */
export function errorStatusesOf(
  route: Pick<RouteOptions, 'config' | 'url'>,
  method: string,
  schema: FastifySchema,
) {
  const statuses: number[] = [];
  const access = route.config?.access;
  if (schema.params || schema.querystring || schema.body) statuses.push(400);
  if (access !== undefined && access !== 'public') statuses.push(401);
  if (typeof access === 'function') statuses.push(403);
  if (route.url.includes(':')) statuses.push(404);
  if (WRITES.has(method)) statuses.push(409, 422);
  return statuses;
}

const problemResponse = (status: number) => ({
  description: ERROR_DESCRIPTIONS[status] ?? 'Erreur',
  content: { [PROBLEM_TYPE]: { schema: problemSchema } },
});

const noContent = (method: string) =>
  z.null().meta({ description: method === 'DELETE' ? 'Fait (pas de contenu)' : 'Réponse (voir le résumé)' });

/**
 * Who may call an operation, as the document says it (what `/api/docs` offers to authorise): nobody
 * needs to for a public one; a route of a module an API token's scopes name (`config.module`) takes
 * the session cookie or a bearer token; any other (accounts, audit, outbox, jobs) the session only.
 */
export function securityOf(route: Pick<RouteOptions, 'config'>): Record<string, string[]>[] {
  const access = route.config?.access;
  if (access === 'public') return [];
  return route.config?.module ? [{ bearer: [] }, { session: [] }] : [{ session: [] }];
}

/**
 * The swagger `transform`: operationId, security and error answers added, then the zod schemas turned
 * to JSON.
 */
export const openApiTransform: typeof jsonSchemaTransform = (input) => {
  const { route, url } = input;
  const method = [route.method].flat()[0]?.toString().toUpperCase() ?? 'GET';
  const schema = { ...input.schema } as FastifySchema & {
    operationId?: string;
    hide?: boolean;
    security?: Record<string, string[]>[];
  };
  if (!schema.hide) {
    schema.operationId ??= operationIdOf(method, url);
    schema.security ??= securityOf(route);
    const response: Record<string, unknown> = { ...((schema.response as Record<string, unknown>) ?? {}) };
    if (!Object.keys(response).some((code) => code.startsWith('2'))) {
      response[method === 'DELETE' ? '204' : '200'] = noContent(method);
    }
    for (const status of errorStatusesOf(route, method, schema)) {
      response[status] ??= problemResponse(status);
    }
    schema.response = response;
  }
  return jsonSchemaTransform({ ...input, schema });
};
