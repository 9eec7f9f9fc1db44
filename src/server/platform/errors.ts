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
