import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberSummary } from '../../../contracts/members.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import type { Page } from '../../test/bodies.js';
import { buildOperator, buildOrganisation, sessionAs } from '../../test/builders.js';
import { changeArrived as changeArrivedIn, notificationsSettled } from '../../test/changes.js';
import type { ChangeTopic } from '../changes.js';
import { organisations } from '../db/schema.js';
import { CACHE_HEADER } from './public-cache.js';

let t: TestApp;
let operatorAdmin: Session;
let memberId: string;

beforeAll(async () => {
  // Caches are off by default in tests; this file is about them.
  t = await createTestApp({ PUBLIC_CACHE_SECONDS: '300', LIST_TOTAL_CACHE_SECONDS: '300' });
  const operator = await buildOperator(t.database.db);
  operatorAdmin = await sessionAs(t, operator, 'admin');
  memberId = (await buildOrganisation(t.database.db, { name: 'Syndicat du bocage', status: 'member' })).id;
});
afterAll(() => t?.close());

const anonymous = (url: string) => request(t.app, null, 'GET', url);

async function changeArrived(topic: ChangeTopic, before: string) {
  expect(await changeArrivedIn(t, topic, before)).toBe(true);
}
const settled = () => notificationsSettled(t);

describe('public answers cache', () => {
  it('serves a repeated anonymous read from memory, byte for byte', async () => {
    await settled();
    const url = '/api/v1/members?q=bocage';
    const first = await anonymous(url);
    expect(first.statusCode).toBe(200);
    expect(first.headers[CACHE_HEADER]).toBe('miss');
    const second = await anonymous(url);
    expect(second.headers[CACHE_HEADER]).toBe('hit');
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    // Security headers are set on cached answers too.
    expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
  });

  it('forgets an answer as soon as this process answers a write', async () => {
    const url = `/api/v1/members/${memberId}`;
    await anonymous(url);
    expect((await anonymous(url)).headers[CACHE_HEADER]).toBe('hit');
    const patch = await request(t.app, operatorAdmin, 'PATCH', url, { name: 'Syndicat du grand bocage' });
    expect(patch.statusCode).toBe(200);
    const after = await anonymous(url);
    expect(after.headers[CACHE_HEADER]).toBe('miss');
    expect(after.json().name).toBe('Syndicat du grand bocage');
  });

  it('forgets an answer when the database reports a write made elsewhere', async () => {
    const url = '/api/v1/members?q=bocage';
    await anonymous(url);
    expect((await anonymous(url)).headers[CACHE_HEADER]).toBe('hit');
    const before = t.app.changes.stamp(['members']);
    // As another process, the command line or plain SQL would.
    await t.database.db
      .update(organisations)
      .set({ name: 'Syndicat du bocage vendéen', searchName: 'syndicat du bocage vendeen' })
      .where(eq(organisations.id, memberId));
    await changeArrived('members', before);
    const after = await anonymous(url);
    expect(after.headers[CACHE_HEADER]).toBe('miss');
    const { items }: Page<MemberSummary> = after.json();
    expect(items.map((m) => m.name)).toEqual(['Syndicat du bocage vendéen']);
  });

  it('keeps list totals exact when rows are added behind the API', async () => {
    const url = '/api/v1/members?q=bocage';
    expect((await anonymous(url)).json().total).toBe(1);
    const before = t.app.changes.stamp(['members']);
    await buildOrganisation(t.database.db, { name: 'Syndicat du bocage nord', status: 'member' });
    await changeArrived('members', before);
    // Signed in: neither the answer cache nor a stale total.
    const signedIn = await request(t.app, operatorAdmin, 'GET', url);
    expect(signedIn.json().total).toBe(2);
    expect((await anonymous(url)).json().total).toBe(2);
  });

  it('never serves or stores a signed-in answer: private fields stay private', async () => {
    const url = `/api/v1/members/${memberId}`;
    const asOperator = await request(t.app, operatorAdmin, 'GET', url);
    expect(asOperator.statusCode).toBe(200);
    expect(asOperator.headers[CACHE_HEADER]).toBeUndefined();
    expect(asOperator.json().private).not.toBeNull();
    const first = await anonymous(url);
    const second = await anonymous(url);
    expect(second.headers[CACHE_HEADER]).toBe('hit');
    for (const answer of [first, second]) expect(answer.json().private).toBeNull();
    // The anonymous entry is not served to the operator either.
    const again = await request(t.app, operatorAdmin, 'GET', url);
    expect(again.headers[CACHE_HEADER]).toBeUndefined();
    expect(again.json().private).not.toBeNull();
  });

  it('does not store errors', async () => {
    for (let i = 0; i < 2; i++) {
      const invalid = await anonymous('/api/v1/members?limit=0');
      expect(invalid.statusCode).toBe(400);
      expect(invalid.headers[CACHE_HEADER]).not.toBe('hit');
    }
    for (let i = 0; i < 2; i++) {
      const missing = await anonymous('/api/v1/territory/communes/99999');
      expect(missing.statusCode).toBe(404);
      expect(missing.headers[CACHE_HEADER]).not.toBe('hit');
    }
  });

  it('caches territory searches and drops them after an import', async () => {
    const url = '/api/v1/territory/communes?q=roche%20yon';
    const first = await anonymous(url);
    expect(first.json().items[0].code).toBe('85191');
    expect((await anonymous(url)).headers[CACHE_HEADER]).toBe('hit');
    const before = t.app.changes.stamp(['territory']);
    await t.database.db.execute(sql`UPDATE communes SET population = population + 1 WHERE code = '85191'`);
    await changeArrived('territory', before);
    const after = await anonymous(url);
    expect(after.headers[CACHE_HEADER]).toBe('miss');
    expect(after.json().items[0].population).toBe(first.json().items[0].population + 1);
  });

  it.runIf(process.env.SOCLE_TEST_DB === 'postgres')(
    'stops serving while the notification connection is down, and recovers',
    async () => {
      const url = '/api/v1/members?q=bocage';
      await anonymous(url);
      expect((await anonymous(url)).headers[CACHE_HEADER]).toBe('hit');
      await t.database.db.execute(
        sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
      );
      for (let i = 0; i < 100 && t.app.changes.live; i++) await new Promise((r) => setTimeout(r, 10));
      expect(t.app.changes.live).toBe(false);
      expect((await anonymous(url)).headers[CACHE_HEADER]).toBeUndefined();
      for (let i = 0; i < 300 && !t.app.changes.live; i++) await new Promise((r) => setTimeout(r, 10));
      expect(t.app.changes.live).toBe(true);
      expect((await anonymous(url)).headers[CACHE_HEADER]).toBe('miss');
      expect((await anonymous(url)).headers[CACHE_HEADER]).toBe('hit');
    },
  );
});
