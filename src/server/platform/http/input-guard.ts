import type { FastifyInstance } from 'fastify';
import { type FieldError, invalid } from '../errors.js';

const NUL = '\u0000';
const NUL_MESSAGE = 'caractère nul (U+0000) interdit';
/** Past this many, the answer names the first ones only. */
const MAX_REPORTED = 10;

/**
 * Where `value` holds a text containing a NUL byte, as `prefix.a.0.b` paths. PostgreSQL cannot store
 * NUL in text or jsonb; no field of the API has a use for it.
 */
export function nulPaths(value: unknown, prefix: string, out: string[] = []): string[] {
  if (out.length >= MAX_REPORTED) return out;
  if (typeof value === 'string') {
    if (value.includes(NUL)) out.push(prefix);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      nulPaths(item, `${prefix}.${i}`, out);
    });
  } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) out.push(`${prefix}.${key.replaceAll(NUL, '\\0')}`);
      nulPaths(item, `${prefix}.${key}`, out);
    }
  }
  return out;
}

/**
 * One rule for every route, before its own validation: a text with a NUL byte anywhere in the path
 * parameters, the query string or a JSON body is refused (400) with the fields named, the way the
 * zod validation names them (`body.name`, `query.q`, `params.memberId`). Uploads read their fields in
 * the handler; a NUL byte there reaches the database, which refuses it, and the problem handler
 * answers 400 as well (platform/http/problem.ts).
 */
export function registerInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const paths = [
      ...nulPaths(request.params, 'params'),
      ...nulPaths(request.query, 'query'),
      ...nulPaths(request.body, 'body'),
    ].slice(0, MAX_REPORTED);
    if (paths.length === 0) return;
    const errors: FieldError[] = paths.map((path) => ({ path, message: NUL_MESSAGE }));
    throw invalid(errors.map((e) => `${e.path} : ${e.message}`).join(' ; '), errors);
  });
}
