import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import {
  buildOperator,
  buildOrganisation,
  buildUser,
  sessionAs,
  TEST_PASSWORD,
} from '../../test/builders.js';
import { isConnectionError } from '../errors.js';
import { rowsOf } from './client.js';
import { SYSTEM_OPERATOR, withTenant } from './tenancy.js';

/**
 * PostgreSQL only: an administrator (or a failover) terminates the app's connections while requests
 * are waiting on them. The requests in flight get a 503 problem, never a 500; the process does not
 * crash (no uncaught exception: a checked-out connection's 'error' event is heard); and the app
 * serves normally afterwards, on new connections. Requests are held in flight deterministically by a
 * table lock taken from a separate connection.
 */
describe.skipIf(process.env.SOCLE_TEST_DB !== 'postgres')('losing the database connections', () => {
  let t: TestApp;
  let admin: pg.Client;
  let opAdmin: Session;
  let memberId: string;
  const loginEmail = 'perte-connexion@test.example';
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    t = await createTestApp();
    const db = t.database.db;
    const operator = await buildOperator(db);
    memberId = (await buildOrganisation(db)).id;
    opAdmin = await sessionAs(t, operator, 'admin');
    await buildUser(db, { email: loginEmail });
    const [{ name }] = rowsOf<{ name: string }>(await db.execute(sql`SELECT current_database() AS name`));
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    url.pathname = `/${name}`;
    admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  });

  /** Every backend of the test database but the admin's own. */
  const terminateAppConnections = async () => {
    // Inside the admin's transaction, pg_stat_activity is a snapshot: take a fresh one.
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n FROM (
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()
       ) terminated`,
    );
    return rows[0].n as number;
  };

  const waitForLockWaiters = async (count: number) => {
    for (let i = 0; i < 200; i++) {
      await admin.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (rows[0].n >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`fewer than ${count} requests waiting on the lock`);
  };

  /** Holds `table` locked while `requests` start, terminates the app's connections, then unlocks. */
  async function terminateWhileWaiting(table: string, requests: () => Promise<LightMyRequestResponse>[]) {
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    try {
      const inFlight = requests();
      await waitForLockWaiters(inFlight.length);
      expect(await terminateAppConnections()).toBeGreaterThanOrEqual(inFlight.length);
      return await Promise.all(inFlight);
    } finally {
      await admin.query('ROLLBACK');
    }
  }

  const expectUnavailable = (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({
      status: 503,
      detail: expect.stringMatching(/^La base de données est momentanément indisponible/),
    });
  };

  /** The pool drops the dead connections it held; then everything answers as usual. */
  async function expectServingAgain() {
    let ready = 0;
    for (let i = 0; i < 20 && ready !== 200; i++) {
      ready = (await t.app.inject({ url: '/ready' })).statusCode;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(200);
    const responses = await Promise.all([
      request(t.app, opAdmin, 'GET', '/api/v1/me'),
      request(t.app, opAdmin, 'GET', `/api/v1/members/${memberId}/contacts`),
      request(t.app, null, 'GET', '/api/v1/members?limit=5'),
      request(t.app, null, 'POST', '/api/v1/auth/login', { email: loginEmail, password: TEST_PASSWORD }),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
  }

  it('a tenant transaction whose connection is terminated answers 503, and the app recovers', async () => {
    const responses = await terminateWhileWaiting('member_contacts', () => [
      request(t.app, opAdmin, 'GET', `/api/v1/members/${memberId}/contacts`),
      request(t.app, opAdmin, 'POST', `/api/v1/members/${memberId}/contacts`, {
        role: 'dgs_secretaire',
        firstName: 'Camille',
        lastName: 'Coupure',
      }),
    ]);
    for (const response of responses) expectUnavailable(response);
    expect(uncaught).toEqual([]);
    await expectServingAgain();
  });

  it('a connection terminated between two queries of a transaction fails the transaction, not the process', async () => {
    const outcome = withTenant(t.database.db, SYSTEM_OPERATOR, async (tx) => {
      await tx.execute(sql`SELECT 1`);
      await terminateAppConnections();
      // The connection is checked out and idle: its 'error' event arrives with no query running.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return tx.execute(sql`SELECT 1`);
    });
    const error = await outcome.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isConnectionError(error), String(error)).toBe(true);
    expect(uncaught).toEqual([]);
    await expectServingAgain();
  });

  it('the session lookup and login answer 503 while the database is gone, never 500', async () => {
    const responses = await terminateWhileWaiting('users', () => [
      request(t.app, opAdmin, 'GET', '/api/v1/me'),
      request(t.app, null, 'POST', '/api/v1/auth/login', { email: loginEmail, password: TEST_PASSWORD }),
    ]);
    for (const response of responses) expectUnavailable(response);
    expect(uncaught).toEqual([]);
    await expectServingAgain();
  });

  it('under load, terminations give only 2xx or 503 problems, and the process keeps serving', async () => {
    const calls = [
      () => request(t.app, opAdmin, 'GET', '/api/v1/me'),
      () => request(t.app, opAdmin, 'GET', `/api/v1/members/${memberId}/contacts`),
      () => request(t.app, null, 'GET', '/api/v1/members?limit=20'),
      () => t.app.inject({ url: '/ready' }),
    ];
    const seen: LightMyRequestResponse[] = [];
    let running = true;
    const worker = async (offset: number) => {
      for (let i = offset; running; i++) seen.push(await calls[i % calls.length]());
    };
    const workers = [0, 1, 2, 3, 4, 5].map(worker);
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await terminateAppConnections();
    }
    running = false;
    await Promise.all(workers);
    const wrong = seen
      .filter((r) => !(r.statusCode < 300 || r.statusCode === 503))
      .map((r) => `${r.statusCode} ${r.body.slice(0, 200)}`);
    expect(wrong).toEqual([]);
    for (const r of seen.filter((r) => r.statusCode === 503 && !r.body.includes('"status":"unavailable"'))) {
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect(seen.length).toBeGreaterThan(20);
    expect(uncaught).toEqual([]);
    await expectServingAgain();
  });
});
