/** One problem+json answer from the API (RFC 9457). */
export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: { path: string; message: string }[];
  /** The whole answer, for endpoints that add their own fields (the import report). */
  body?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status() {
    return this.problem.status;
  }
}

let csrfToken: string | null = null;

/** Set from `GET /api/v1/me`; every write sends it back (synchronizer token bound to the session). */
export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function toProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = await response.json();
      return {
        status: response.status,
        title: body.title ?? 'Erreur',
        detail: body.detail ?? body.message,
        errors: Array.isArray(body.errors)
          ? body.errors.filter((e: { path?: unknown }) => typeof e?.path === 'string')
          : undefined,
        body,
      };
    } catch {
      // fall through to the generic problem
    }
  }
  return {
    status: response.status,
    title: response.status >= 500 ? 'Erreur du serveur' : 'Erreur',
    detail:
      response.status >= 500
        ? 'Le serveur ne répond pas correctement. Réessayez dans quelques instants.'
        : `La requête a échoué (code ${response.status}).`,
  };
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await send(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(await toProblem(response));
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? response.json() : response.text()) as Promise<T>;
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError({
      status: 0,
      title: 'Serveur injoignable',
      detail: 'Impossible de joindre le serveur : vérifiez votre connexion puis réessayez.',
    });
  }
}

/**
 * The ETag of each answer `getIfChanged` gave, kept with the answer object itself: a request whose
 * answer the page dropped (react-query discards a refetch that a newer invalidation cancelled) must
 * not lend its ETag to the older answer still shown, or every later request would get « 304 » and
 * the page would keep the older answer. The queries that use it turn react-query's structural
 * sharing off, so the object they hold is the one answered (or the one a page set itself, which has
 * no ETag and is asked for in full once).
 */
const etags = new WeakMap<object, string>();

/**
 * A GET for a page that polls: sends the ETag of the answer it already has (`previous`) and, when the
 * server says « 304 Not Modified », gives that same object back (nothing re-renders). Private answers
 * are `no-store`, so the browser keeps no copy: the conditional request is made here.
 */
async function getIfChanged<T extends object>(path: string, previous: T | undefined): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const etag = previous ? etags.get(previous) : undefined;
  if (etag) headers['if-none-match'] = etag;
  const response = await send(path, { method: 'GET', headers, credentials: 'same-origin' });
  if (response.status === 304 && previous !== undefined) return previous;
  if (!response.ok) throw new ApiError(await toProblem(response));
  const data = (await response.json()) as T;
  const received = response.headers.get('etag');
  if (received) etags.set(data, received);
  return data;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  getIfChanged,
  post: <T>(path: string, body?: unknown, query?: Query) =>
    request<T>('POST', withQuery(path, query), body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/**
 * Lists answer `{items, total, nextCursor}` everywhere; capped ones add `totalIsExact` and, when the
 * total is an estimate, `totalIsEstimate` (contracts/common.ts listTotalFields).
 */
export interface Page<T> {
  items: T[];
  total: number;
  totalIsExact?: boolean;
  totalIsEstimate?: boolean;
  nextCursor: string | null;
}

/** Field errors keyed by input name: `body.siren` → `siren`, `ligne 3 / siren` stays as is. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.problem.errors ?? []) {
    const key = e.path.replace(/^(body|query|params)\./, '');
    if (!out[key]) out[key] = e.message;
  }
  return out;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail ?? error.problem.title;
  return 'Une erreur inattendue est survenue.';
}
