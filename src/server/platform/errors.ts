/**
 * Domain errors: what services and policies throw. They know nothing of HTTP; platform/http/problem.ts
 * is the one place that turns them into RFC 9457 problem+json answers (status from `kind`).
 */

export interface FieldError {
  /** Where the problem is: `body.siren`, `query.limit`, `ligne 12 / siren`… */
  path: string;
  message: string;
}

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

/** An error a person can act on: a French title, a French detail, the fields at fault. */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    /** Extra members of the answer (an import's report, a retry delay…). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? title);
  }
}

export const invalid = (detail: string, errors?: FieldError[]) =>
  new DomainError('invalid', 'Requête invalide', detail, errors);
/** One field at fault, named by its path. */
export const invalidField = (path: string, message: string) =>
  invalid(`${path} : ${message}`, [{ path, message }]);
export const unauthenticated = (detail = 'Connectez-vous pour accéder à cette ressource.') =>
  new DomainError('unauthenticated', 'Authentification requise', detail);
export const forbidden = (detail = "Votre rôle ne permet pas d'effectuer cette action.") =>
  new DomainError('forbidden', 'Accès refusé', detail);
export const notFound = (detail = "La ressource demandée n'existe pas.") =>
  new DomainError('not_found', 'Introuvable', detail);
export const conflict = (detail: string, errors?: FieldError[]) =>
  new DomainError('conflict', 'Conflit', detail, errors);
export const unprocessable = (detail: string, errors?: FieldError[]) =>
  new DomainError('unprocessable', 'Action impossible', detail, errors);
export const tooManyAttempts = (detail: string) =>
  new DomainError('rate_limited', 'Trop de tentatives', detail);
export const unavailable = (
  detail = 'La base de données est momentanément indisponible : réessayez dans quelques instants.',
) => new DomainError('unavailable', 'Service momentanément indisponible', detail);

/** PostgreSQL's unique_violation, whichever driver raised it (drizzle wraps it in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23505';
}

export function sqlStateOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The database went away or refuses connections: an administrator or a failover ended the session
 * (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now), the connection broke (class
 * 08), the server has no free connection slot (53300), or the socket failed (refused, reset, timed
 * out, closed under a query). Nothing the request did wrong: the problem handler answers 503.
 */
const CONNECTION_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end/;

export function isConnectionError(error: unknown): boolean {
  // drizzle wraps the driver's error in `cause`; a refused dual-stack connect is an AggregateError.
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, message, errors, cause } = e as {
      code?: unknown;
      message?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') {
      if (CONNECTION_STATES.has(code) || code.startsWith('08') || SOCKET_CODES.has(code)) return true;
    }
    // drizzle's own message quotes the statement's parameters: only the driver's message counts.
    const quotesParams = typeof message === 'string' && message.startsWith('Failed query:');
    if (typeof message === 'string' && !quotesParams && CONNECTION_MESSAGES.test(message)) return true;
    if (Array.isArray(errors) && errors.some(isConnectionError)) return true;
    e = cause;
  }
  return false;
}

/**
 * Runs `work`; a unique violation it raises becomes `toError()` (a conflict naming what is taken).
 * Any other unique violation still becomes a generic 409 in the problem handler, never a 500.
 */
export async function uniqueOr<T>(work: () => Promise<T>, toError: () => DomainError): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw toError();
    throw error;
  }
}
