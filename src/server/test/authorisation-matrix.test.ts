import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invitation, OrganisationUser } from '../../contracts/accounts.js';
import type { Contact } from '../../contracts/members.js';
import { WEB_DIST } from '../app.js';
import { organisationUsers } from '../platform/db/schema.js';
import { createTestApp, request, requestStream, type TestApp } from './app.js';
import { buildMatrixFixtures, type MatrixSessions, SECRET } from './authorisation-matrix.fixtures.js';
import {
  type ActorName,
  CAST,
  type Call,
  type Fixtures,
  isAllowed,
  type Method,
  mayKnowMemberA,
  OTHER_MEMBER,
  ROUTES,
  type RouteCase,
} from './authorisation-matrix.table.js';
import { multipart } from './bodies.js';

/**
 * The rule "every route has an authorisation test", made checkable: every route the app registers
 * has an entry in authorisation-matrix.table.ts saying who may call it, and each entry is proved by
 * calling the route as every person of a fixed cast, with the same request each time (writes carry
 * the CSRF header, so a 403 is the policy's):
 * - anonymous visitors get 401 and the people the table does not allow get 403 (or the 404 the code
 *   answers where it hides the resource), with the policy's problem, never the CSRF one;
 * - member B's people (its admin, and A's admin while acting for B) get nothing of member A: A's
 *   paths are refused, and A's resources reached through B's own paths are not found;
 * - a word planted in every piece of A's private data never reaches anyone outside A and the operator;
 * - the people the table allows are let through (the denials are not a route refusing everyone).
 * Denials run first, then a check that they changed nothing, then the allowed calls (which may write).
 * One app and one set of fixtures serve the whole matrix.
 */

const CSRF_DETAIL = /anti-CSRF/;

let t: TestApp;
let f: Fixtures;
let sessionsOf: MatrixSessions;

const entries = Object.entries(ROUTES).map(([key, entry]) => {
  const [method, route] = key.split(' ') as [Method, string];
  return { key, method, route, entry };
});
type Entry = (typeof entries)[number];
/** `it.each` rows named by the full `METHOD path` (object fields would be truncated in titles). */
const rows = (list: Entry[]) => list.map((e) => [e.key, e] as const);

function send(actor: ActorName, method: Method, call: Call): Promise<LightMyRequestResponse> {
  const session = actor === 'anonymous' ? null : sessionsOf[actor];
  if (call.multipart) {
    const body = multipart(call.multipart.fields, call.multipart.file);
    return request(t.app, session, method, call.url, body.payload, body.headers);
  }
  if (call.stream) return requestStream(t.app, session, call.url);
  return request(t.app, session, method, call.url, call.body);
}

const problemOf = (response: LightMyRequestResponse): { title?: string; detail?: string } => {
  try {
    return response.json();
  } catch {
    return {};
  }
};

/** What is wrong with `response` for a refusal with `status`, or null. */
function refusalMismatch(response: LightMyRequestResponse, status: number): string | null {
  if (response.statusCode !== status) {
    return `expected ${status}, got ${response.statusCode} ${response.body.slice(0, 160)}`;
  }
  const problem = problemOf(response);
  if (status === 401 && problem.title !== 'Authentification requise') return `401 titled ${problem.title}`;
  if (status === 403 && (problem.title !== 'Accès refusé' || CSRF_DETAIL.test(problem.detail ?? ''))) {
    return `403 that is not the policy's: ${problem.title} — ${problem.detail}`;
  }
  // The router's own 404 (no such route) would make a "not found" refusal meaningless.
  if (
    status === 404 &&
    (problem.title !== 'Introuvable' || problem.detail?.startsWith('Aucune ressource à'))
  ) {
    return `404 that is not the service's: ${problem.detail}`;
  }
  return null;
}

/** Member A's private data in a response to someone who may not know it. */
function leak(actor: ActorName, response: LightMyRequestResponse): string | null {
  return !mayKnowMemberA(actor) && response.body.includes(SECRET)
    ? `${actor} received member A's private data: ${response.body.slice(0, 160)}`
    : null;
}

const defaultOk = (method: Method) =>
  method === 'GET' ? [200] : method === 'POST' ? [201] : method === 'DELETE' ? [204] : [200];

/** Member-scoped: the member is in the path, or the resource belongs to member A. */
const isMemberScoped = (route: string, entry: RouteCase) =>
  route.includes(':memberId') || entry.otherMember !== undefined;

// ---------------------------------------------------------------------------------------------------
// Registered routes

/**
 * Every `METHOD path` the app registers, read from Fastify's route tree (it lists every route, hidden
 * from OpenAPI or not). HEAD twins of GET routes, the Swagger UI assets, and the web app's static
 * files and fallback (present only once the SPA is built) are left out.
 */
function registeredRoutes(app: FastifyInstance): string[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes = new Set<string>();
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    stack.length = match[1].length / 4;
    stack.push(match[2]);
    const url = stack.join('');
    for (const method of match[3]?.split(', ') ?? []) {
      if (method === 'HEAD' || url.startsWith('/api/docs')) continue;
      if (method === 'GET' && (url === '/' || url === '/*' || isStaticFile(url))) continue;
      if (!app.hasRoute({ method: method as Method, url })) {
        throw new Error(`misread route tree: ${method} ${url} is not a route`);
      }
      routes.add(`${method} ${url}`);
    }
  }
  return [...routes].sort();
}

const isStaticFile = (url: string) => {
  const file = path.join(WEB_DIST, url);
  return file.startsWith(WEB_DIST) && fs.existsSync(file) && fs.statSync(file).isFile();
};

beforeAll(async () => {
  // With the production caches on (public answers, session actors, totals): a cached answer or
  // actor must never let anyone through that the database and the policies would refuse.
  t = await createTestApp({
    PUBLIC_CACHE_SECONDS: '300',
    ACTOR_CACHE_SECONDS: '60',
    LIST_TOTAL_CACHE_SECONDS: '300',
    // The webhooks the matrix registers point at loopback's port 9 (authorisation-matrix.table.ts).
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  });
  ({ f, sessionsOf } = await buildMatrixFixtures(t));
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------------------------------

describe('the authorisation matrix', () => {
  it('has exactly one entry per registered route', () => {
    const registered = registeredRoutes(t.app);
    const missing = registered.filter((route) => !(route in ROUTES));
    const stale = Object.keys(ROUTES).filter((route) => !registered.includes(route));
    expect(
      { missing, stale },
      'add the missing routes to authorisation-matrix.table.ts, remove the stale ones',
    ).toEqual({ missing: [], stale: [] });
  });

  it('reads the route tree completely (every OpenAPI operation is among the routes read)', () => {
    const registered = new Set(registeredRoutes(t.app));
    const documented = Object.entries(t.app.swagger().paths ?? {}).flatMap(([url, operations]) =>
      Object.keys(operations ?? {}).map(
        (method) => `${method.toUpperCase()} ${url.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    expect(documented.length).toBeGreaterThan(100);
    expect(documented.filter((route) => !registered.has(route))).toEqual([]);
  });

  it('tells a CSRF refusal from a policy refusal', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/members/${f.A}/contacts`,
      payload: { role: 'maire_president', firstName: 'Sans', lastName: 'Jeton' },
      headers: { cookie: sessionsOf.adminA.cookie },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toMatch(CSRF_DETAIL);
  });

  it('refuses something to someone on every route that is not public', () => {
    const unrefused = entries
      .filter(({ entry }) => !entry.access.public && entry.access.token !== 'anyone')
      .filter(({ entry }) => CAST.every((actor) => isAllowed(entry.access, actor)))
      .map(({ key }) => key);
    expect(unrefused).toEqual([]);
  });
});

describe('refusals: anonymous visitors and the wrong roles', () => {
  const refusable = entries.filter(({ entry }) => !entry.access.public);
  it.each(rows(refusable))('%s', async (_key, { method, route, entry }) => {
    const problems: string[] = [];
    if (entry.forged) {
      for (const actor of ['anonymous', 'adminA'] as const) {
        const response = await send(actor, method, entry.forged.call(f));
        const mismatch = refusalMismatch(response, entry.forged.status);
        if (mismatch) problems.push(`${actor} with a forged token: ${mismatch}`);
      }
    }
    for (const actor of CAST) {
      if (isAllowed(entry.access, actor)) continue;
      if (OTHER_MEMBER.includes(actor) && isMemberScoped(route, entry)) continue; // below, with A's data
      const response = await send(actor, method, entry.call(f));
      const expected = actor === 'anonymous' ? 401 : (entry.denied ?? 403);
      const mismatch = refusalMismatch(response, expected) ?? leak(actor, response);
      if (mismatch) problems.push(`${actor}: ${mismatch}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('another member: member B’s people get nothing of member A', () => {
  const scoped = entries.filter(
    ({ route, entry }) => (isMemberScoped(route, entry) && !entry.access.public) || entry.foreign,
  );
  it.each(rows(scoped))('%s', async (_key, { method, route, entry }) => {
    const problems: string[] = [];
    for (const actor of OTHER_MEMBER) {
      if (!isMemberScoped(route, entry) || isAllowed(entry.access, actor)) continue;
      const response = await send(actor, method, entry.call(f));
      const mismatch =
        refusalMismatch(response, entry.otherMember ?? entry.denied ?? 403) ?? leak(actor, response);
      if (mismatch) problems.push(`${actor} on member A: ${mismatch}`);
    }
    if (entry.foreign) {
      const actor = entry.foreign.as ?? 'adminB';
      const response = await send(actor, method, entry.foreign.call(f));
      const mismatch = refusalMismatch(response, entry.foreign.status) ?? leak(actor, response);
      if (mismatch) problems.push(`A's resource through B: ${mismatch}`);
    }
    expect(problems).toEqual([]);
  });

  it('the refusals changed nothing of member A', async () => {
    const a = `/api/v1/members/${f.A}`;
    const get = async (url: string, as: ActorName = 'opAdmin') => {
      const response = await send(as, 'GET', { url });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      return response.json();
    };
    const contacts: Contact[] = (await get(`${a}/contacts`)).items;
    expect(contacts.map((c) => c.lastName).sort()).toEqual([`${SECRET}-Ancien`, `${SECRET}-Contact`]);
    expect(contacts.every((c) => c.phone === null)).toBe(true);
    const users: OrganisationUser[] = (await get(`${a}/users`)).items;
    expect(users.find((u) => u.userId === f.users.readerA)?.role).toBe('reader');
    expect(users.map((u) => u.userId)).toContain(f.users.removableA);
    expect((await get(`${a}/rgpd/editors`, 'opDpo')).items).toHaveLength(2);
    const invitations: Invitation[] = (await get(`${a}/invitations`)).items;
    expect(invitations.map((i) => i.id)).toContain(f.invitationA);
    const processing = await get(`${a}/processings/${f.processingA}`, 'opDpo');
    expect(processing).toMatchObject({ name: `${SECRET}-Paie`, department: null, version: 1 });
    expect((await get(`${a}/processings`, 'opDpo')).total).toBe(3);
    expect((await get(`${a}/rights-requests/${f.rightsRequestA}`, 'opDpo')).status).toBe('received');
    expect((await get(`${a}/breaches/${f.breachA}`, 'opDpo')).measures).toBeNull();
    const subscription = await get(`${a}/subscriptions/${f.subscriptions.units}`);
    expect(subscription.units).toBe(5);
    expect((await get(`${a}/subscriptions/${f.subscriptions.active}`)).status).toBe('active');
    expect((await get(a)).private.city).toBeNull();
    expect((await get(`/api/v1/invoices/${f.invoiceA}`, 'opFinance')).payments).toEqual([]);
    expect((await get('/api/v1/rgpd/processors', 'opDpo')).total).toBe(2);
    const editor = await t.database.db
      .select()
      .from(organisationUsers)
      .where(eq(organisationUsers.userId, f.users.opAgent));
    expect(editor[0].scopes).toEqual(['support']);
  });
});

describe('the people the table allows are let through', () => {
  it.each(rows(entries))('%s', async (_key, { method, entry }) => {
    const problems: string[] = [];
    const actors = CAST.filter((actor) => isAllowed(entry.access, actor));
    const probed = entry.probe ? actors.filter((actor) => entry.probe?.includes(actor)) : actors;
    expect(probed.length, 'nobody to probe').toBeGreaterThan(0);
    const ok = entry.ok ?? defaultOk(method);
    let succeeded = false;
    for (const actor of probed) {
      const response = await send(actor, method, entry.call(f));
      succeeded ||= response.statusCode < 300;
      if (!ok.includes(response.statusCode)) {
        problems.push(
          `${actor}: expected ${ok.join(' or ')}, got ${response.statusCode} ${response.body.slice(0, 200)}`,
        );
      }
      const leaked = leak(actor, response);
      if (leaked) problems.push(leaked);
    }
    if (ok.some((status) => status < 300) && !succeeded) problems.push('no allowed actor succeeded');
    expect(problems).toEqual([]);
  });
});
