import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionLive } from '../../../contracts/governance.js';
import { createSession } from '../../platform/auth/session.js';
import { today, useClock } from '../../platform/clock.js';
import { governanceSeats, organisationUsers } from '../../platform/db/schema.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildSignedInCast, buildUser, sessionAs } from '../../test/builders.js';
import { TOO_MANY_STREAMS_SESSION } from './governance.live.js';
import { buildAssembly, buildSeats, buildSession } from './governance.test-support.js';

/**
 * The sitting's live state pushed as server-sent events (`GET …/live/events`), over a real HTTP
 * listener read with fetch: the state on connect and after each change (the database's notification,
 * one read for every stream), the refusals of `/live`, the per-session limit (503 in French), the
 * stream's end when the client goes, and `app.close()` ending the open streams instead of waiting;
 * then, on an app checking its readers every second and ending streams after four, a stream cut
 * once its reader's seat is removed or their role withdrawn, and a stream ended at its lifetime.
 */

let t: TestApp;
let base: string;
let secretary: Session;
let official: Session;
let stranger: Session;
let comite: Awaited<ReturnType<typeof buildAssembly>>;
let titulars: Awaited<ReturnType<typeof buildSeats>>;
let restoreClock: (() => void) | null = null;
let closed = false;
const opened: AbortController[] = [];

const v1 = '/api/v1/governance';
const MONDAY = new Date('2026-03-02T10:00:00+01:00');

async function signedInWithoutOrganisation(userId: string, app: TestApp = t): Promise<Session> {
  const { token } = await createSession(app.database.db, userId, null, 1);
  return { cookie: `socle_session=${token}`, csrfToken: '', userId };
}

/**
 * Opens the stream as `who` (on the app listening at `at`); `next()` gives each event's data parsed
 * (null once the stream ended, or fails after `ms`); `raw()` is every byte received so far.
 */
async function connect(sessionId: string, who: Session | null, at = base) {
  const abort = new AbortController();
  opened.push(abort);
  const response = await fetch(`${at}${v1}/sessions/${sessionId}/live/events`, {
    // Not kept alive: a test client's pooled connection would hold the server's close (keep-alive
    // timeout), which is no business of the streams'.
    headers: { connection: 'close', ...(who ? { cookie: who.cookie, accept: 'text/event-stream' } : {}) },
    signal: abort.signal,
  });
  // A refusal's body is read at once (an unread body keeps the client's connection busy).
  const problem = response.status === 200 ? null : await response.json();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const decoder = new TextDecoder();
  let buffer = '';
  let raw = '';
  const events: string[] = [];
  let ended = false;
  const next = async (ms = 5000): Promise<SessionLive | null> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const event = events.shift();
      if (event !== undefined) return JSON.parse(event);
      if (ended) return null;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('no event in time');
      if (!reader) reader = response.body?.getReader();
      // A read outlives a timeout: the next call waits for the same one (no chunk dropped).
      if (!pending) pending = reader?.read();
      const chunk = await Promise.race([
        pending,
        new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), remaining)),
      ]);
      if (chunk === 'late') continue;
      pending = undefined;
      if (!chunk || chunk.done) {
        ended = true;
        continue;
      }
      const text = decoder.decode(chunk.value, { stream: true });
      raw += text;
      buffer += text;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (data) events.push(data);
        end = buffer.indexOf('\n\n');
      }
    }
  };
  return { response, problem, next, raw: () => raw, close: () => abort.abort() };
}

beforeAll(async () => {
  t = await createTestApp({ GOVERNANCE_LIVE_STREAMS_PER_SESSION: '3' });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = address;
  const cast = await buildSignedInCast(t);
  const db = t.database.db;
  secretary = await sessionAs(t, cast.operator, 'agent', ['governance'], 'Sam Secrétaire');
  comite = await buildAssembly(db, { memberId: cast.operator.id, name: 'Comité syndical' });
  titulars = await buildSeats(db, comite, 5, { prefix: 'Délégué' });
  const elu = await buildUser(db, {
    displayName: 'Élue en direct',
    email: `elue-${crypto.randomUUID()}@test.example`,
  });
  await db.update(governanceSeats).set({ userId: elu.id }).where(eq(governanceSeats.id, titulars[1].id));
  official = await signedInWithoutOrganisation(elu.id);
  stranger = await signedInWithoutOrganisation((await buildUser(db)).id);
});
afterEach(() => {
  restoreClock?.();
  restoreClock = null;
});
afterAll(async () => {
  for (const abort of opened) abort.abort();
  if (!closed) await t?.close();
});

describe("the sitting's live stream", () => {
  it('sends the live state on connect, then after each attendance change', async () => {
    restoreClock = useClock(MONDAY);
    const { session } = await buildSession(t.database.db, comite, {
      startsAt: new Date('2026-03-02T09:00:00+01:00'),
      items: [{ title: 'Point en direct' }],
    });
    const stream = await connect(session.id, official);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get('cache-control')).toMatch(/no-store/);
    const first = await stream.next();
    expect(first).toMatchObject({
      id: session.id,
      quorum: { inOffice: 5, required: 3, present: 0, reached: false },
    });
    // Two pages on the same sitting: both get the change, from one read.
    const second = await connect(session.id, secretary);
    expect((await second.next())?.revision).toBe(first?.revision);

    const put = await request(t.app, secretary, 'PUT', `${v1}/sessions/${session.id}/attendance`, {
      entries: titulars.slice(0, 3).map((seat) => ({ seatId: seat.id, status: 'present' })),
    });
    expect(put.statusCode, put.body).toBe(200);
    const changed = await stream.next();
    expect(changed?.quorum).toEqual({ inOffice: 5, required: 3, present: 3, reached: true });
    expect(changed?.revision).toBeGreaterThan(first?.revision ?? 0);
    // The same state as GET …/live.
    const polled = await request(t.app, official, 'GET', `${v1}/sessions/${session.id}/live`);
    expect(changed).toEqual(polled.json());
    expect(await second.next()).toEqual(changed);

    stream.close();
    second.close();
  });

  it('refuses who may not read the session as /live does, and past the limit with a 503 in French', async () => {
    const { session } = await buildSession(t.database.db, comite, { startsAt: MONDAY });
    const anonymous = await connect(session.id, null);
    expect(anonymous.response.status).toBe(401);
    const other = await connect(session.id, stranger);
    expect(other.response.status).toBe(404);
    expect(other.problem.detail).toMatch(/n'existe pas ou ne vous est pas accessible/);
    const unknown = await connect(crypto.randomUUID(), official);
    expect(unknown.response.status).toBe(404);

    const streams = [];
    for (let i = 0; i < 3; i++) {
      const stream = await connect(session.id, official);
      expect(stream.response.status).toBe(200);
      await stream.next();
      streams.push(stream);
    }
    const full = await connect(session.id, official);
    expect(full.response.status).toBe(503);
    expect(full.problem.detail).toBe(TOO_MANY_STREAMS_SESSION);
    // A page that goes frees its place.
    streams[0].close();
    let again = await connect(session.id, official);
    for (let i = 0; again.response.status === 503 && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await connect(session.id, official);
    }
    expect(again.response.status).toBe(200);
    for (const stream of [...streams.slice(1), again]) stream.close();
  });

  it('ends the open streams when the app closes, without waiting for the clients', async () => {
    const { session } = await buildSession(t.database.db, comite, { startsAt: MONDAY });
    const stream = await connect(session.id, official);
    await stream.next();
    const started = Date.now();
    closed = true;
    await t.app.close();
    // Without ending the streams it would wait for the client (or 72 s of keep-alive).
    expect(Date.now() - started).toBeLessThan(5000);
    await t.database.close();
    expect(await stream.next()).toBeNull();
  });
});

describe('a live stream checked again while it stays open, and ended at its lifetime', () => {
  const RECHECK_MS = 1000;
  const LIFETIME_MS = 4000;
  let t2: TestApp;
  let base2: string;
  let secretary2: Session;
  let assembly: Awaited<ReturnType<typeof buildAssembly>>;
  let stays: Session;

  beforeAll(async () => {
    t2 = await createTestApp({
      GOVERNANCE_LIVE_RECHECK_SECONDS: String(RECHECK_MS / 1000),
      GOVERNANCE_LIVE_MAX_SECONDS: String(LIFETIME_MS / 1000),
    });
    base2 = await t2.app.listen({ port: 0, host: '127.0.0.1' });
    const cast = await buildSignedInCast(t2);
    secretary2 = await sessionAs(t2, cast.operator, 'agent', ['governance'], 'Sam Secrétaire');
    assembly = await buildAssembly(t2.database.db, { memberId: cast.operator.id, name: 'Comité syndical' });
    const [seat] = await buildSeats(t2.database.db, assembly, 3, { prefix: 'Délégué' });
    const user = await buildUser(t2.database.db, { email: `reste-${crypto.randomUUID()}@test.example` });
    await t2.database.db
      .update(governanceSeats)
      .set({ userId: user.id })
      .where(eq(governanceSeats.id, seat.id));
    stays = await signedInWithoutOrganisation(user.id, t2);
  });
  afterAll(async () => {
    for (const abort of opened) abort.abort();
    await t2?.close();
  });

  /** Reads the stream to its end; how long that took from `since`. */
  async function endOf(stream: Awaited<ReturnType<typeof connect>>, since: number) {
    while ((await stream.next(LIFETIME_MS * 3)) !== null) {}
    return Date.now() - since;
  }

  it("cuts an official's stream once their seat is removed, and the reconnection is refused", async () => {
    const { session } = await buildSession(t2.database.db, assembly, { startsAt: MONDAY });
    const user = await buildUser(t2.database.db, { email: `retire-${crypto.randomUUID()}@test.example` });
    // Sitting since today: removing the seat deletes it (an ended term would keep past sessions readable).
    const [seat] = await buildSeats(t2.database.db, assembly, 1, { userId: user.id, termStart: today() });
    const leaving = await signedInWithoutOrganisation(user.id, t2);
    const stream = await connect(session.id, leaving, base2);
    expect(stream.response.status).toBe(200);
    expect(await stream.next()).toMatchObject({ id: session.id });
    const control = await connect(session.id, stays, base2);
    expect(await control.next()).toMatchObject({ id: session.id });

    const removed = await request(
      t2.app,
      secretary2,
      'DELETE',
      `${v1}/assemblies/${assembly.id}/seats/${seat.id}`,
    );
    expect(removed.statusCode, removed.body).toBe(204);
    const since = Date.now();
    // Cut by a check (at most one interval and a half after connecting), well before its lifetime.
    const elapsed = await endOf(stream, since);
    expect(elapsed).toBeLessThan(LIFETIME_MS * 0.9);
    expect(stream.raw()).not.toContain('retry: 1000');
    const again = await connect(session.id, leaving, base2);
    expect(again.response.status).toBe(404);
    // The official still seated keeps theirs (the seat's removal changed the state: one more event).
    expect(await control.next()).toMatchObject({ quorum: { inOffice: 3 } });
    control.close();
  });

  it("cuts a secretary's stream once their governance scope is withdrawn", async () => {
    const { session } = await buildSession(t2.database.db, assembly, { startsAt: MONDAY });
    const stream = await connect(session.id, secretary2, base2);
    expect(stream.response.status).toBe(200);
    await stream.next();
    await t2.database.db
      .update(organisationUsers)
      .set({ scopes: [] })
      .where(eq(organisationUsers.userId, secretary2.userId));
    const elapsed = await endOf(stream, Date.now());
    expect(elapsed).toBeLessThan(LIFETIME_MS * 0.9);
    expect(stream.raw()).not.toContain('retry: 1000');
    expect((await connect(session.id, secretary2, base2)).response.status).toBe(404);
  });

  it('ends a stream at its lifetime, telling the browser to reconnect a second later, and lets it reconnect', async () => {
    const { session } = await buildSession(t2.database.db, assembly, { startsAt: MONDAY });
    const since = Date.now();
    const stream = await connect(session.id, stays, base2);
    expect(stream.response.status).toBe(200);
    await stream.next();
    const elapsed = await endOf(stream, since);
    // The lifetime, shortened by up to a tenth at random.
    expect(elapsed).toBeGreaterThanOrEqual(LIFETIME_MS * 0.9 - 50);
    expect(elapsed).toBeLessThan(LIFETIME_MS + 3000);
    expect(stream.raw()).toMatch(/retry: 1000\n\n$/);
    const again = await connect(session.id, stays, base2);
    expect(again.response.status).toBe(200);
    expect(await again.next()).toMatchObject({ id: session.id });
    again.close();
  });
});
