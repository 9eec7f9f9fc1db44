import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import pretty from 'pino-pretty';
import type { Config } from '../config.js';

const MASK = '[masqué]';

const EMAIL = /[^\s@<>"'(),;:[\]]+@[^\s@<>"'(),;:[\]]+\.[^\s@<>"'(),;:[\]]+/g;
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
/** An argon2 hash wherever it appears ($argon2id$v=19$m=…$salt$hash). */
const ARGON2 = /\$argon2[a-z]*\$[^\s,;)"']*/gi;

/**
 * A message fit for logs and stored errors: a failed query's parameter values (drizzle appends them
 * after `params:`) dropped, e-mail addresses, argon2 hashes and URL credentials masked.
 */
export function scrubMessage(raw: string): string {
  const withoutParams = raw.replace(/\nparams: [\s\S]*$/, '\nparams: [masqués]');
  return withoutParams
    .replace(URL_CREDENTIALS, `$1${MASK}@`)
    .replace(EMAIL, '[adresse masquée]')
    .replace(ARGON2, '[empreinte masquée]');
}

/** What may be logged of an error: its kind, scrubbed message and stack, and SQL facts without values. */
const SAFE_FIELDS = [
  'code',
  'statusCode',
  'severity',
  'constraint',
  'table',
  'column',
  'schema',
  'dataType',
  'routine',
] as const;

interface SerializedError {
  type: string;
  message: string;
  stack: string;
  query?: string;
  cause?: SerializedError;
  [field: string]: unknown;
}

/**
 * pino's `err` serializer for every logger of the process. PostgreSQL's `detail` ("Key (email)=(…)
 * already exists", "Failing row contains (…)") and `where`, drizzle's `params`, and any other
 * property are left out: they carry the values of the failed statement (e-mails, password hashes).
 * The SQL text (placeholders only), the SQLSTATE code, the constraint and the table are kept.
 */
export function safeError(err: unknown, depth = 0): SerializedError {
  if (!(err instanceof Error)) return { type: typeof err, message: scrubMessage(String(err)), stack: '' };
  const source = err as Error & Record<string, unknown>;
  const out: SerializedError = {
    type: err.constructor?.name ?? 'Error',
    message: scrubMessage(err.message),
    stack: '',
  };
  if (err.stack) {
    // The stack opens with `name: message`: that part is replaced by the scrubbed message, the frames kept.
    const head = `${err.name}: ${err.message}`;
    out.stack = err.stack.startsWith(head)
      ? `${err.name}: ${out.message}${err.stack.slice(head.length)}`
      : scrubMessage(err.stack);
  }
  if (typeof source.query === 'string') out.query = source.query;
  for (const field of SAFE_FIELDS) {
    const value = source[field];
    if (typeof value === 'string' || typeof value === 'number') out[field] = value;
  }
  if (err.cause !== undefined && depth < 5) out.cause = safeError(err.cause, depth + 1);
  return out;
}

/** Query parameters whose value is a credential (reset and invitation links carry `jeton`). */
const SECRET_QUERY = /([?&](?:jeton|token|[a-z_]*password|mot_?de_?passe|secret)=)[^&#]*/gi;
/** Path segments that are credentials: an invitation's token (`/api/v1/invitations/<token>[/accept]`). */
const SECRET_PATH = /^(\/api\/v1\/invitations\/)[^/?#]+/;

/** A request URL as it may be written in a log line. */
export function maskUrl(url: string): string {
  return url.replace(SECRET_PATH, `$1${MASK}`).replace(SECRET_QUERY, `$1${MASK}`);
}

const serializers = {
  err: (err: unknown) => safeError(err),
  req: (req: FastifyRequest) => ({
    method: req.method,
    url: maskUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket ? req.socket.remotePort : undefined,
  }),
};

/**
 * pino options: readable in development, JSON in production. Cookies, CSRF tokens, authorization
 * headers and passwords are redacted; request bodies are never logged; errors go through safeError
 * and request lines through maskUrl. `stream` (tests) receives the JSON lines.
 */
export function loggerOptions(
  config: Config,
  stream?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  const redact = {
    paths: [
      'req.headers.cookie',
      'req.headers.authorization',
      'req.headers["x-csrf-token"]',
      'res.headers["set-cookie"]',
      '*.password',
      '*.newPassword',
      '*.passwordHash',
      '*.token',
    ],
    censor: MASK,
  };
  if (stream)
    return { level: config.LOG_LEVEL === 'silent' ? 'info' : config.LOG_LEVEL, redact, serializers, stream };
  if (config.LOG_LEVEL === 'silent') return false;
  if (config.isProduction) return { level: config.LOG_LEVEL, redact, serializers };
  return {
    level: config.LOG_LEVEL,
    redact,
    serializers,
    // One line per request in development (see `oneLineRequestLog`); errors keep their stack below.
    // Written in this thread: a pino transport would start a worker thread (~25 MB resident).
    stream: pretty({ translateTime: 'HH:MM:ss', ignore: 'pid,hostname,reqId', singleLine: true, sync: true }),
  };
}

/** Development logs: one line per request (Fastify's own two lines, incoming and completed, are off). */
export function wantsOneLineRequests(config: Config): boolean {
  return !config.isProduction && config.LOG_LEVEL !== 'silent';
}

/**
 * Fastify's request log lines (its extension point), one per request: `GET /api/v1/members?q=… 200 12 ms`,
 * the URL masked, at `error` when the request failed.
 */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = `${request.method} ${maskUrl(request.url)} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error) reply.log.error({ err: error }, line);
    else reply.log.info(line);
  }
}
