import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { buildOperator, sessionAs } from '../../test/builders.js';
import { notificationsSettled } from '../../test/changes.js';
import { organisationUsers, sessions } from '../db/schema.js';
import { hashToken } from './session.js';

let t: TestApp;

beforeAll(async () => {
  // The actor cache is off by default in tests; this file is about it.
  t = await createTestApp({ ACTOR_CACHE_SECONDS: '60' });
});
afterAll(() => t?.close());

const tokenOf = (cookie: string) => cookie.replace('socle_session=', '');

const settled = () => notificationsSettled(t);

describe('cached session actors', () => {
  it('stop working as soon as the session is deleted behind the API (another process, SQL)', async () => {
    const operator = await buildOperator(t.database.db);
    const admin = await sessionAs(t, operator, 'admin');
    expect((await request(t.app, admin, 'GET', '/api/v1/me')).statusCode).toBe(200);
    expect((await request(t.app, admin, 'GET', '/api/v1/me')).statusCode).toBe(200);
    await t.database.db.delete(sessions).where(eq(sessions.id, hashToken(tokenOf(admin.cookie))));
    await settled();
    expect((await request(t.app, admin, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('lose a removed role at once', async () => {
    const operator = await buildOperator(t.database.db);
    const admin = await sessionAs(t, operator, 'admin');
    expect((await request(t.app, admin, 'GET', '/api/v1/audit-events')).statusCode).toBe(200);
    await t.database.db
      .update(organisationUsers)
      .set({ role: 'reader' })
      .where(eq(organisationUsers.userId, admin.userId));
    await settled();
    expect((await request(t.app, admin, 'GET', '/api/v1/audit-events')).statusCode).toBe(403);
  });

  it('are forgotten by a logout answered by this process, without waiting for the database', async () => {
    const operator = await buildOperator(t.database.db);
    const admin = await sessionAs(t, operator, 'admin');
    expect((await request(t.app, admin, 'GET', '/api/v1/me')).statusCode).toBe(200);
    expect((await request(t.app, admin, 'POST', '/api/v1/auth/logout')).statusCode).toBeLessThan(300);
    expect((await request(t.app, admin, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('are not kept for unknown tokens', async () => {
    const forged = { cookie: 'socle_session=forged-token', csrfToken: 'x', userId: 'nobody' };
    for (let i = 0; i < 3; i++) {
      expect((await request(t.app, forged, 'GET', '/api/v1/me')).statusCode).toBe(401);
    }
  });
});
