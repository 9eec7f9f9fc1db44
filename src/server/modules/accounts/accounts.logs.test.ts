import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, login, request, type Session, type TestApp } from '../../test/app.js';
import { buildUser, TEST_PASSWORD } from '../../test/builders.js';
import { buildAccountsCast, tokenOf } from './accounts.test-support.js';

/**
 * Nothing secret reaches the logs: the app runs with the production logger options writing to a
 * buffer, flows that handle passwords, hashes, e-mail addresses and tokens run, and the whole output
 * is searched for them.
 */

// A lost race between two accepts (the account did not exist when checked, then did when inserted) is
// simulated by hiding the existing account from the check: the insert then fails on users.email with
// PostgreSQL's detail carrying the address, and drizzle's message carrying the argon2 hash.
const race = vi.hoisted(() => ({ hideExistingUser: false }));
vi.mock('./accounts.repository.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./accounts.repository.js')>();
  return {
    ...actual,
    // The real lookup runs (what it declares to RLS included); its answer is what the race hides.
    findUserByEmail: async (...args: Parameters<typeof actual.findUserByEmail>) => {
      const found = await actual.findUserByEmail(...args);
      return race.hideExistingUser ? null : found;
    },
  };
});

const PLANTED_PASSWORD = 'Planté-dans-les-journaux-42';
const NEW_PLANTED_PASSWORD = 'Nouveau-planté-dans-les-journaux-43';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
let adminA: Session;
const lines: string[] = [];
const logOutput = () => lines.join('');

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  t = await createTestApp({}, { logStream: stream });
  cast = await buildAccountsCast(t.database.db);
  adminA = await login(t.app, cast.adminA.email, TEST_PASSWORD);
});
afterAll(() => t?.close());

const lastTokenTo = (email: string) => {
  const mail = [...t.mail.delivered].reverse().find((m) => m.to === email);
  if (!mail) throw new Error(`no mail was sent to ${email}`);
  return tokenOf(mail.text);
};

describe('logs', () => {
  it('log a failed invitation accept (unique violation) without the password, its hash, the address or the token', async () => {
    const existing = await buildUser(t.database.db, { email: 'deja-inscrite@test.example' });
    const invited = await request(t.app, adminA, 'POST', `/api/v1/members/${cast.memberA.id}/invitations`, {
      email: existing.email,
      role: 'agent',
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const token = lastTokenTo(existing.email);
    expect(token).not.toBe('');
    const from = lines.length;
    race.hideExistingUser = true;
    const accepted = await request(t.app, null, 'POST', `/api/v1/invitations/${token}/accept`, {
      displayName: 'Déjà Inscrite',
      password: PLANTED_PASSWORD,
    }).finally(() => {
      race.hideExistingUser = false;
    });
    expect(accepted.statusCode, accepted.body).toBe(409);

    const written = lines.slice(from).join('');
    const entry = lines
      .slice(from)
      .map((line) => JSON.parse(line))
      .find((e) => e.msg === 'unique violation answered 409');
    // What helps: the statement's text, the SQLSTATE, the constraint and the table.
    expect(entry?.err.query).toMatch(/insert into "users"/i);
    const cause = entry?.err.cause;
    expect(cause).toMatchObject({ code: '23505' });
    expect(JSON.stringify(entry)).toMatch(/users_email/);
    // What must not be there: values.
    expect(JSON.stringify(entry)).not.toMatch(/detail|Key \(/);
    expect(written).not.toContain(PLANTED_PASSWORD);
    expect(written).not.toContain('$argon2');
    expect(written).not.toContain(existing.email);
    expect(written).not.toContain(token);
    // The request line shows the route, not the token.
    expect(written).toContain('/api/v1/invitations/[masqué]/accept');
  });

  it('hold no planted password, hash, address or token after logins, a password reset and an invitation', async () => {
    const user = await buildUser(t.database.db, {
      email: 'plantee@test.example',
      password: PLANTED_PASSWORD,
    });
    const session = await login(t.app, user.email, PLANTED_PASSWORD);
    const wrong = await request(t.app, null, 'POST', '/api/v1/auth/login', {
      email: user.email,
      password: `${PLANTED_PASSWORD}-faux`,
    });
    expect(wrong.statusCode).toBe(401);
    expect((await request(t.app, session, 'GET', '/api/v1/me')).statusCode).toBe(200);

    const asked = await request(t.app, null, 'POST', '/api/v1/auth/password-reset', { email: user.email });
    expect(asked.statusCode).toBe(202);
    await t.runJobs();
    const resetToken = lastTokenTo(user.email);
    const confirmed = await request(t.app, null, 'POST', '/api/v1/auth/password-reset/confirm', {
      token: resetToken,
      newPassword: NEW_PLANTED_PASSWORD,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    // A link opened in the browser carries its token in the query string.
    await request(t.app, null, 'GET', `/api/v1/me?jeton=${resetToken}`);

    await request(t.app, adminA, 'POST', `/api/v1/members/${cast.memberA.id}/invitations`, {
      email: 'nouvelle-invitee@test.example',
      role: 'reader',
    });
    const invitationToken = lastTokenTo('nouvelle-invitee@test.example');
    expect((await request(t.app, null, 'GET', `/api/v1/invitations/${invitationToken}`)).statusCode).toBe(
      200,
    );
    const joined = await request(t.app, null, 'POST', `/api/v1/invitations/${invitationToken}/accept`, {
      displayName: 'Nouvelle Invitée',
      password: PLANTED_PASSWORD,
    });
    expect(joined.statusCode, joined.body).toBe(200);

    const output = logOutput();
    expect(output).toContain('incoming request');
    for (const secret of [
      PLANTED_PASSWORD,
      NEW_PLANTED_PASSWORD,
      '$argon2',
      user.email,
      'nouvelle-invitee@test.example',
      resetToken,
      invitationToken,
      session.cookie.split('=')[1],
      session.csrfToken,
    ]) {
      expect(output).not.toContain(secret);
    }
  });
});
