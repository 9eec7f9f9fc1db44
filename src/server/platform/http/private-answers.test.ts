import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, request, requestStream, type TestApp } from '../../test/app.js';
import { buildMatrixFixtures, type MatrixSessions } from '../../test/authorisation-matrix.fixtures.js';
import { CAST, type Fixtures, isAllowed, ROUTES } from '../../test/authorisation-matrix.table.js';
import { buildUser, TEST_PASSWORD } from '../../test/builders.js';
import { PRIVATE_CACHE_CONTROL } from './private-answers.js';

/**
 * Answers behind a session are never kept by a cache (`Cache-Control: private, no-store`); public
 * answers read anonymously keep theirs. Every GET route of the authorisation matrix is called.
 */

let t: TestApp;
let f: Fixtures;
let sessionsOf: MatrixSessions;

beforeAll(async () => {
  // The public cache on, as in production: answers it serves go through the same rule.
  t = await createTestApp({ PUBLIC_CACHE_SECONDS: '300' });
  ({ f, sessionsOf } = await buildMatrixFixtures(t));
});
afterAll(() => t?.close());

const gets = Object.entries(ROUTES)
  .filter(([key]) => key.startsWith('GET /api/'))
  .map(([key, entry]) => [key, entry] as const);

describe('Cache-Control', () => {
  it.each(gets)('%s: private, no-store for a signed-in caller it lets through', async (_key, entry) => {
    const actor = CAST.find((name) => name !== 'anonymous' && isAllowed(entry.access, name));
    if (!actor || actor === 'anonymous') throw new Error('no signed-in actor is allowed');
    const call = entry.call(f);
    const response = call.stream
      ? await requestStream(t.app, sessionsOf[actor], call.url)
      : await request(t.app, sessionsOf[actor], 'GET', call.url);
    expect(response.statusCode, response.body).toBeLessThan(500);
    // A stream also asks proxies not to transform (buffer) it.
    if (call.stream) expect(response.headers['cache-control']).toBe(`${PRIVATE_CACHE_CONTROL}, no-transform`);
    else expect(response.headers['cache-control']).toBe(PRIVATE_CACHE_CONTROL);
  });

  it('names the answers the issue listed: /me, an invoice PDF, a registry export', async () => {
    for (const [key, actor] of [
      ['GET /api/v1/me', 'adminA'],
      ['GET /api/v1/invoices/:id/pdf', 'opAdmin'],
      ['GET /api/v1/members/:memberId/registry.csv', 'adminA'],
    ] as const) {
      const response = await request(t.app, sessionsOf[actor], 'GET', ROUTES[key].call(f).url);
      expect(response.statusCode, `${key}: ${response.body}`).toBe(200);
      expect(response.headers['cache-control'], key).toBe(PRIVATE_CACHE_CONTROL);
    }
  });

  it('refusals of private routes are not kept either (401 to a visitor)', async () => {
    const response = await request(t.app, null, 'GET', '/api/v1/me');
    expect(response.statusCode).toBe(401);
    expect(response.headers['cache-control']).toBe(PRIVATE_CACHE_CONTROL);
  });

  it('the answer that sets the session cookie is private', async () => {
    const user = await buildUser(t.database.db);
    const response = await request(t.app, null, 'POST', '/api/v1/auth/login', {
      email: user.email,
      password: TEST_PASSWORD,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['set-cookie']).toBeDefined();
    expect(response.headers['cache-control']).toBe(PRIVATE_CACHE_CONTROL);
    await login(t.app, user.email, TEST_PASSWORD);
  });

  it.each(gets.filter(([, entry]) => entry.access.public))(
    '%s: read anonymously, keeps its caching (no private, no-store)',
    async (_key, entry) => {
      // Twice: the second answer may come from the public cache.
      for (let i = 0; i < 2; i++) {
        const response = await request(t.app, null, 'GET', entry.call(f).url);
        expect(response.statusCode, response.body).toBeLessThan(500);
        expect(response.headers['cache-control'] ?? '').not.toMatch(/no-store|private/);
      }
    },
  );
});
