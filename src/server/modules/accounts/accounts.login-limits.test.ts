import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildUser, TEST_PASSWORD } from '../../test/builders.js';

/** Every password verification the login performs, counted through the module it calls. */
const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock('./password.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./password.js')>();
  return {
    ...original,
    verifyPassword: (passwordHash: string | null, password: string) => {
      verifications.count++;
      return original.verifyPassword(passwordHash, password);
    },
  };
});

const MAX_ATTEMPTS = 5;
const PARALLEL = 40;
let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;

describe('login limits under concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS), LOGIN_WINDOW_MINUTES: '15' });
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    verifications.count = 0;
  });

  const loginFrom = (ip: string, email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });

  it(`verifies at most ${MAX_ATTEMPTS} passwords of ${PARALLEL} parallel wrong logins for one account`, async () => {
    const user = await buildUser(t.database.db);
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () => loginFrom(freshIp(), user.email, 'wrong-password-123')),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(verifications.count).toBe(MAX_ATTEMPTS);
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_ATTEMPTS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(PARALLEL - MAX_ATTEMPTS);
    // The account stays blocked, even for its owner's right password.
    expect((await loginFrom(freshIp(), user.email, TEST_PASSWORD)).statusCode).toBe(429);
  });

  it('holds the per-address limit too: parallel wrong logins on many accounts from one address', async () => {
    const ip = freshIp();
    const perAddress = MAX_ATTEMPTS * 4;
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => loginFrom(ip, `inconnu-${i}@parallele.example`, 'x')),
    );
    expect(verifications.count).toBe(perAddress);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(PARALLEL - perAddress);
  });

  it('lets parallel right logins of one person in, and counts none of them as failures', async () => {
    const user = await buildUser(t.database.db);
    const answers = await Promise.all(
      Array.from({ length: MAX_ATTEMPTS - 1 }, () => loginFrom(freshIp(), user.email, TEST_PASSWORD)),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 200));
    const ip = freshIp();
    for (let i = 0; i < MAX_ATTEMPTS - 1; i++) {
      expect((await loginFrom(ip, user.email, 'wrong-password-123')).statusCode).toBe(401);
    }
    expect((await loginFrom(ip, user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });
});
