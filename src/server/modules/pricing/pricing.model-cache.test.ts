import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { costPools } from '../../platform/db/schema.js';
import { tenantRunners } from '../../platform/db/tenancy.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { buildSignedInCast } from '../../test/builders.js';
import { notificationsSettled } from '../../test/changes.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { buildPool } from './pricing.test-support.js';

const YEAR = 2026;
let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let poolId: string;

beforeAll(async () => {
  // The model trusted between notifications, as in production (off by default in tests).
  t = await createTestApp({ MODEL_CACHE_NOTIFIED: 'true' });
  const db = t.database.db;
  cast = await buildSignedInCast(t);
  const service = await buildService(db, { name: 'Messagerie', code: 'MAIL' });
  poolId = (await buildPool(db, { serviceId: service.id, year: YEAR, poolCents: 90_000 })).id;
  await buildSubscription(db, { memberId: cast.memberA.id, serviceId: service.id });
  await buildSubscription(db, { memberId: cast.memberB.id, serviceId: service.id });
});
afterAll(() => t?.close());

const costsOfA = async () =>
  (await request(t.app, cast.adminA, 'GET', `/api/v1/members/${cast.memberA.id}/costs/${YEAR}`)).json();

const settled = () => notificationsSettled(t);

/** Counts the tenant transactions opened while `work` runs (PostgreSQL's runner or drizzle's). */
async function transactionsDuring(work: () => Promise<unknown>) {
  const db = t.database.db;
  let opened = 0;
  const runner = tenantRunners.get(db);
  if (runner) {
    tenantRunners.set(db, (context, inner) => {
      opened++;
      return runner(context, inner);
    });
  }
  const spy = vi.spyOn(db, 'transaction');
  try {
    await work();
  } finally {
    if (runner) tenantRunners.set(db, runner);
    opened += spy.mock.calls.length;
    spy.mockRestore();
  }
  return opened;
}

describe('the cost-sharing model between notifications', () => {
  it('answers member costs from memory, and follows a pool changed behind the API', async () => {
    await settled();
    expect((await costsOfA()).totalCents).toBe(45_000);
    expect((await costsOfA()).totalCents).toBe(45_000);
    // As another process or plain SQL would: the pricing_state trigger notifies `pricing`.
    await t.database.db.update(costPools).set({ otherCents: 100_000 }).where(eq(costPools.id, poolId));
    await settled();
    expect((await costsOfA()).totalCents).toBe(50_000);
  });

  it('opens no transaction at all for a member’s costs while no change was notified', async () => {
    await settled();
    await costsOfA();
    expect(await transactionsDuring(costsOfA)).toBe(0);
    // The counter does count: a route reading the database opens its one transaction.
    const pools = () => request(t.app, cast.operatorAdmin, 'GET', `/api/v1/pricing/pools/${YEAR}`);
    expect(await transactionsDuring(pools)).toBe(1);
  });

  it('lists subscriptions to services without a pool as unpriced', async () => {
    const service = await buildService(t.database.db, { name: 'Archivage électronique', code: 'ARCH' });
    await buildSubscription(t.database.db, { memberId: cast.memberA.id, serviceId: service.id });
    await settled();
    const costs = await costsOfA();
    expect(costs.unpriced).toEqual([{ serviceId: service.id, serviceName: 'Archivage électronique' }]);
    expect(costs.totalCents).toBe(50_000);
  });
});
