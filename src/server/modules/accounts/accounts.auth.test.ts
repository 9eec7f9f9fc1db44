import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/db/schema.js';
import { createTestApp, login, request, type TestApp } from '../../test/app.js';
import { buildOrganisation, buildUser, TEST_PASSWORD } from '../../test/builders.js';
import { auditedAddress, buildAccountsCast, freshIp, loginFrom } from './accounts.test-support.js';

const MAX_ATTEMPTS = 3;

describe('login, logout and the current user', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS), LOGIN_WINDOW_MINUTES: '15' });
    cast = await buildAccountsCast(t.database.db);
  });
  afterAll(() => t.close());

  it('logs in with the right password and sets an httpOnly SameSite=Lax session cookie', async () => {
    const response = await loginFrom(t, freshIp(), cast.adminA.email, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'socle_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    const body = response.json();
    expect(body.user).toEqual({
      id: cast.adminA.id,
      email: cast.adminA.email,
      displayName: 'Anne Référente A',
    });
    expect(body.current).toMatchObject({ id: cast.memberA.id, role: 'admin', scopes: [] });
    expect(body.csrfToken).toHaveLength(43);
    const me = await t.app.inject({
      url: '/api/v1/me',
      headers: { cookie: `socle_session=${cookie?.value}` },
    });
    expect(me.json()).toEqual(body);
  });

  it('accepts the email in any case and with spaces around it', async () => {
    const response = await loginFrom(t, freshIp(), `  ${cast.agentA.email.toUpperCase()} `, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown email with the same French 401, and audits without the email', async () => {
    const ip = freshIp();
    const wrong = await loginFrom(t, ip, cast.readerA.email, 'not-the-password');
    const unknown = await loginFrom(t, freshIp(), 'personne@inconnu.example', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe('Adresse électronique ou mot de passe incorrect.');
    expect(unknown.json().detail).toBe(wrong.json().detail);
    expect(wrong.cookies).toHaveLength(0);
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.login.failed'));
    const mine = events.find((e) => e.ipAddress === ip);
    expect(mine).toMatchObject({ actorUserId: cast.readerA.id, details: { reason: 'wrong_password' } });
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain('personne@inconnu.example');
    expect(serialized).not.toContain('not-the-password');
  });

  it('refuses a login without a password with a validation problem naming the field', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: cast.adminA.email },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { path: string }) => e.path)).toContain('body.password');
  });

  it(`blocks an account after ${MAX_ATTEMPTS} failures with a 429 saying when to retry, even with the right password`, async () => {
    const user = await buildUser(t.database.db);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      expect((await loginFrom(t, freshIp(), user.email, 'wrong-password-123')).statusCode).toBe(401);
    }
    const blocked = await loginFrom(t, freshIp(), user.email, TEST_PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().detail).toMatch(/Réessayez dans 15 minutes/);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.login.blocked'));
    expect(events.some((e) => e.actorUserId === user.id)).toBe(true);
  });

  it('lets the account in again once the failures leave the window', async () => {
    const user = await buildUser(t.database.db);
    for (let i = 0; i < MAX_ATTEMPTS; i++) await loginFrom(t, freshIp(), user.email, 'wrong-password-123');
    expect((await loginFrom(t, freshIp(), user.email, TEST_PASSWORD)).statusCode).toBe(429);
    await t.database.db.execute(
      // The window is measured from each failure: age them all past it.
      sql`UPDATE login_attempts SET attempted_at = attempted_at - interval '16 minutes'`,
    );
    expect((await loginFrom(t, freshIp(), user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('blocks an address that fails on many accounts', async () => {
    const ip = freshIp();
    for (let i = 0; i < MAX_ATTEMPTS * 4; i++) {
      expect((await loginFrom(t, ip, `inconnu-${i}@test.example`, 'wrong-password-123')).statusCode).toBe(
        401,
      );
    }
    expect((await loginFrom(t, ip, cast.adminB.email, TEST_PASSWORD)).statusCode).toBe(429);
    expect((await loginFrom(t, freshIp(), cast.adminB.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For by default: a client cannot choose the address that is limited and audited', async () => {
    const ip = freshIp();
    expect(await auditedAddress(t, ip, '203.0.113.50')).toEqual([ip]);
    for (let i = 0; i < MAX_ATTEMPTS * 4; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `rotation-${i}@test.example`, password: 'wrong-password-123' },
        remoteAddress: ip,
        headers: { 'x-forwarded-for': `203.0.113.${100 + i}` },
      });
      expect(response.statusCode).toBe(401);
    }
    expect((await loginFrom(t, ip, cast.adminB.email, TEST_PASSWORD)).statusCode).toBe(429);
  });

  it('forgets earlier failures of an account after a successful login', async () => {
    const user = await buildUser(t.database.db);
    for (let i = 0; i < MAX_ATTEMPTS - 1; i++)
      await loginFrom(t, freshIp(), user.email, 'wrong-password-123');
    expect((await loginFrom(t, freshIp(), user.email, TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < MAX_ATTEMPTS - 1; i++)
      await loginFrom(t, freshIp(), user.email, 'wrong-password-123');
    expect((await loginFrom(t, freshIp(), user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('logs in again over a live session without a CSRF token, and ends the old session', async () => {
    const first = await login(t.app, cast.agentA.email, TEST_PASSWORD);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: cast.agentA.email, password: TEST_PASSWORD },
      headers: { cookie: first.cookie },
    });
    expect(again.statusCode).toBe(200);
    expect((await request(t.app, first, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('answers /me with 401 when anonymous', async () => {
    const response = await request(t.app, null, 'GET', '/api/v1/me');
    expect(response.statusCode).toBe(401);
    expect(response.json().title).toBe('Authentification requise');
  });

  it('logs out: the session is deleted and the cookie cleared', async () => {
    const session = await login(t.app, cast.agentA.email, TEST_PASSWORD);
    const response = await request(t.app, session, 'POST', '/api/v1/auth/logout');
    expect(response.statusCode).toBe(204);
    const cleared = response.cookies.find((c) => c.name === 'socle_session');
    expect(cleared?.value).toBe('');
    expect((await request(t.app, session, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('refuses a logout without the CSRF header with 403, keeping the session', async () => {
    const session = await login(t.app, cast.agentA.email, TEST_PASSWORD);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: session.cookie },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toMatch(/anti-CSRF/);
    expect((await request(t.app, session, 'GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('answers an anonymous logout with 204', async () => {
    expect((await request(t.app, null, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
  });

  describe('switching the current organisation', () => {
    it('lists every organisation of a secrétaire serving two communes and switches between them', async () => {
      const communeX = await buildOrganisation(t.database.db, { name: 'Commune X' });
      const communeY = await buildOrganisation(t.database.db, { name: 'Commune Y' });
      const secretaire = await buildUser(t.database.db, {
        roles: [
          { organisation: communeY, role: 'agent' },
          { organisation: communeX, role: 'admin' },
        ],
      });
      const session = await login(t.app, secretaire.email, TEST_PASSWORD);
      const me = (await request(t.app, session, 'GET', '/api/v1/me')).json();
      expect(me.organisations.map((o: { name: string }) => o.name)).toEqual(['Commune X', 'Commune Y']);
      expect(me.current.id).toBe(communeX.id);

      const switched = await request(t.app, session, 'POST', '/api/v1/me/current-organisation', {
        organisationId: communeY.id,
      });
      expect(switched.statusCode).toBe(200);
      expect(switched.json().current).toMatchObject({ id: communeY.id, role: 'agent' });
      expect((await request(t.app, session, 'GET', '/api/v1/me')).json().current.id).toBe(communeY.id);
    });

    it('lists the operator first for a person of the operator', async () => {
      const session = await login(t.app, cast.operatorDpo.email, TEST_PASSWORD);
      const me = (await request(t.app, session, 'GET', '/api/v1/me')).json();
      expect(me.current).toMatchObject({ kind: 'operator', role: 'agent', scopes: ['dpo'] });
    });

    it('refuses an organisation where the person has no role (403)', async () => {
      const session = await login(t.app, cast.adminA.email, TEST_PASSWORD);
      const response = await request(t.app, session, 'POST', '/api/v1/me/current-organisation', {
        organisationId: cast.memberB.id,
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().detail).toMatch(/pas de rôle dans cette structure/);
    });

    it('refuses an invalid organisation id (400) and anonymous people (401)', async () => {
      const session = await login(t.app, cast.adminA.email, TEST_PASSWORD);
      const invalid = await request(t.app, session, 'POST', '/api/v1/me/current-organisation', {
        organisationId: 'abc',
      });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().errors[0].path).toBe('body.organisationId');
      const anonymous = await request(t.app, null, 'POST', '/api/v1/me/current-organisation', {
        organisationId: cast.memberA.id,
      });
      expect(anonymous.statusCode).toBe(401);
    });
  });

  describe('changing one’s password', () => {
    it('changes the password and closes the other sessions, keeping this one', async () => {
      const user = await buildUser(t.database.db, { roles: [{ organisation: cast.memberA, role: 'agent' }] });
      const here = await login(t.app, user.email, TEST_PASSWORD);
      const elsewhere = await login(t.app, user.email, TEST_PASSWORD);
      const response = await request(t.app, here, 'POST', '/api/v1/me/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: 'un-nouveau-mot-de-passe',
      });
      expect(response.statusCode).toBe(200);
      expect((await request(t.app, here, 'GET', '/api/v1/me')).statusCode).toBe(200);
      expect((await request(t.app, elsewhere, 'GET', '/api/v1/me')).statusCode).toBe(401);
      expect((await loginFrom(t, freshIp(), user.email, TEST_PASSWORD)).statusCode).toBe(401);
      expect((await loginFrom(t, freshIp(), user.email, 'un-nouveau-mot-de-passe')).statusCode).toBe(200);
    });

    it('refuses a wrong current password with a message on that field', async () => {
      const session = await login(t.app, cast.readerA.email, TEST_PASSWORD);
      const response = await request(t.app, session, 'POST', '/api/v1/me/password', {
        currentPassword: 'pas-le-bon-mot-de-passe',
        newPassword: 'un-nouveau-mot-de-passe',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([
        { path: 'body.currentPassword', message: 'Le mot de passe actuel est incorrect.' },
      ]);
    });

    it('refuses a new password shorter than 12 characters, naming the field in French', async () => {
      const session = await login(t.app, cast.readerA.email, TEST_PASSWORD);
      const response = await request(t.app, session, 'POST', '/api/v1/me/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: 'court',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([
        {
          path: 'body.newPassword',
          message: 'Le nouveau mot de passe doit contenir au moins 12 caractères.',
        },
      ]);
    });

    it('refuses anonymous people (401) and writes without the CSRF header (403)', async () => {
      const body = { currentPassword: TEST_PASSWORD, newPassword: 'un-nouveau-mot-de-passe' };
      expect((await request(t.app, null, 'POST', '/api/v1/me/password', body)).statusCode).toBe(401);
      const session = await login(t.app, cast.readerA.email, TEST_PASSWORD);
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        payload: body,
        headers: { cookie: session.cookie },
      });
      expect(response.statusCode).toBe(403);
    });
  });
});
