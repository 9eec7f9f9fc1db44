import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { describeFieldError } from '../../../contracts/validation.js';
import {
  DomainError,
  type ErrorKind,
  type FieldError,
  isConnectionError,
  isUniqueViolation,
  sqlStateOf,
  unavailable,
} from '../errors.js';

/** The HTTP status of each kind of domain error. */
const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

export const statusOf = (error: DomainError) => STATUS[error.kind];

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** Every error leaves as application/problem+json; unexpected ones are logged without request bodies. */
export function registerProblemHandler(app: FastifyInstance) {
  app.setNotFoundHandler((request, reply) => {
    // A segment longer than the router's limit made its route not match; when a wildcard route (the
    // SPA fallback, present once the web app is built) matched instead, find-my-way never reported it
    // to frameworkErrors. Either way the answer is the 414 of frameworkProblem.
    if (hasOverlongSegment(request.url, app.initialConfig.maxParamLength ?? 100)) {
      return frameworkProblem(
        Object.assign(new Error('path segment too long'), {
          code: 'FST_ERR_MAX_PARAM_LENGTH',
        }) as FastifyError,
        request,
        reply,
      );
    }
    reply
      .code(404)
      .type(PROBLEM_TYPE)
      .send({
        type: 'about:blank',
        status: 404,
        title: 'Introuvable',
        detail: `Aucune ressource à ${request.url.split('?')[0]}.`,
      });
  });

  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (isUniqueViolation(error)) {
      // Two requests raced to create the same thing: the loser is told, never given a 500. The log
      // names the constraint and the table, never the values (platform/logger.ts safeError).
      request.log.info({ err: error }, 'unique violation answered 409');
      error = new DomainError(
        'conflict',
        'Conflit',
        'Cet élément vient d’être enregistré par ailleurs (valeur déjà utilisée). Rechargez la page puis réessayez.',
      );
    }
    const refused = refusedInput(error);
    if (refused) error = refused;
    if (isConnectionError(error)) {
      // The database went away under this request: it may be retried, the process stays up.
      request.log.warn({ sqlState: sqlStateOf(error) }, 'database unavailable');
      error = unavailable();
    }
    if (error instanceof DomainError) {
      const status = statusOf(error);
      if (status === 503) reply.header('retry-after', '5');
      return reply
        .code(status)
        .type(PROBLEM_TYPE)
        .send({
          type: 'about:blank',
          status,
          title: error.title,
          detail: error.detail,
          ...(error.errors ? { errors: error.errors } : {}),
          ...error.extra,
        });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      // One message per field: the first check that failed says what is wrong (a malformed date
      // is not also told its year is out of range).
      const byPath = new Map<string, FieldError>();
      for (const v of error.validation) {
        const path = [
          contextName(error.validationContext),
          ...String(v.instancePath).split('/').filter(Boolean),
        ].join('.');
        if (!byPath.has(path)) byPath.set(path, { path, message: v.message ?? 'valeur invalide' });
      }
      const errors = [...byPath.values()];
      return reply
        .code(400)
        .type(PROBLEM_TYPE)
        .send({
          type: 'about:blank',
          status: 400,
          title: 'Requête invalide',
          detail: errors.map((e) => describeFieldError(e.path, e.message)).join(' ; '),
          errors,
        });
    }
    if (isResponseSerializationError(error)) {
      request.log.error(
        { err: { message: error.message, issues: error.cause.issues } },
        'response does not match schema',
      );
      return reply.code(500).type(PROBLEM_TYPE).send({
        type: 'about:blank',
        status: 500,
        title: 'Erreur interne',
        detail: 'La réponse du serveur est invalide.',
      });
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).type(PROBLEM_TYPE).send({
        type: 'about:blank',
        status: 500,
        title: 'Erreur interne',
        detail: 'Une erreur inattendue est survenue. Réessayez ; si elle persiste, contactez le support.',
      });
    }
    return reply
      .code(status)
      .type(PROBLEM_TYPE)
      .send({
        type: 'about:blank',
        status,
        title: frenchTitle(status),
        detail: frenchDetail(error as FastifyError),
      });
  });
}

/** `query.limit` reads better than Fastify's `querystring.limit` in a message meant for people. */
function contextName(context: string | undefined): string {
  return context === 'querystring' ? 'query' : (context ?? 'body');
}

function frenchTitle(status: number): string {
  if (status === 408) return 'Délai dépassé';
  if (status === 413) return 'Fichier trop volumineux';
  if (status === 415) return 'Type de contenu non pris en charge';
  if (status === 429) return 'Trop de requêtes';
  if (status === 431) return 'Requête trop longue';
  return 'Requête invalide';
}

function frenchDetail(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Le corps de la requête doit être un JSON valide.';
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Le fichier ou le corps de la requête dépasse la taille autorisée.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return "Ce type de contenu n'est pas accepté pour cette adresse.";
    default:
      return error.statusCode === 429
        ? 'Trop de requêtes : réessayez dans quelques instants.'
        : 'Requête invalide.';
  }
}

/**
 * Bad input that got past the schemas and was refused further down: the database's refusal of a NUL
 * byte (uploads read their fields in the handler, CSV files carry any bytes), or a multipart body the
 * parser cannot read (no boundary, cut short). The person gets a 400, not a 500.
 */
const NUL_STATES = new Set(['22021', '22P05']);
const BROKEN_MULTIPART =
  /^(Multipart: Boundary not found|Unexpected end of (form|multipart data)|Malformed part header|.* terminated early due to unexpected end of multipart data)/;

function refusedInput(error: unknown): DomainError | null {
  const state = sqlStateOf(error);
  if (state && NUL_STATES.has(state)) {
    return new DomainError(
      'invalid',
      'Requête invalide',
      'Un des textes envoyés contient un caractère nul (U+0000), qui n’est pas accepté : retirez-le puis réessayez.',
    );
  }
  const { message, code } = error as { message?: unknown; code?: unknown };
  if ((typeof message === 'string' && BROKEN_MULTIPART.test(message)) || code === 'FST_MP_PREMATURE_CLOSE') {
    return new DomainError(
      'invalid',
      'Requête invalide',
      'Le formulaire multipart/form-data envoyé est incomplet ou mal formé : renvoyez le fichier.',
      [{ path: 'body', message: 'multipart/form-data invalide' }],
    );
  }
  return null;
}

/** A path segment (decoded) longer than `max`: no route parameter accepts it. */
export function hasOverlongSegment(url: string, max: number): boolean {
  const path = url.split('?')[0];
  if (path.length <= max) return false;
  return path.split('/').some((segment) => {
    if (segment.length <= max) return false;
    try {
      return decodeURIComponent(segment).length > max;
    } catch {
      return true;
    }
  });
}

/**
 * Errors Fastify's router raises before any route runs (`frameworkErrors` option): a path parameter
 * longer than the router accepts (414), a malformed percent-encoding in the path (400).
 */
export function frameworkProblem(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const status = tooLong ? 414 : 400;
  return reply
    .code(status)
    .type(PROBLEM_TYPE)
    .send({
      type: 'about:blank',
      status,
      title: tooLong ? 'Adresse trop longue' : 'Requête invalide',
      detail: tooLong
        ? 'Un des éléments de l’adresse demandée est trop long.'
        : 'L’adresse demandée est mal formée.',
    });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (`clientErrorHandler` option): headers
 * or request line too large (a 100 kB query string: 431), a timeout (408), anything malformed (400).
 * Written on the socket as a French problem document, as Fastify's default does in English.
 */
export function clientErrorProblem(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'L’adresse ou les en-têtes de la requête sont trop longs (paramètres trop nombreux ou trop longs).',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'La requête a mis trop de temps à arriver.']
        : [400, 'La requête HTTP est mal formée.'];
  const body = JSON.stringify({ type: 'about:blank', status, title: frenchTitle(status), detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${PROBLEM_TYPE}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
