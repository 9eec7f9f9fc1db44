import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useClock } from '../../platform/clock.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { CHECKS_KEPT_DAYS, downsample } from './hosting.monitors.service.js';
import { hostingChecks, hostingMonitors } from './hosting.schema.js';

/** Checks older than 30 days are folded into one row per monitor and hour by a nightly job. */

let t: TestApp;
let restoreClock: () => void;
const at = new Date('2026-06-15T10:00:00.000Z');

beforeAll(async () => {
  restoreClock = useClock({ now: () => new Date(at.getTime()) });
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
  restoreClock();
});

describe('monitor checks after 30 days', () => {
  it('are folded per monitor and hour (samples, failures, mean response), recent ones kept, once', async () => {
    const db = t.database.db;
    const service = await buildService(db, { name: 'Messagerie', domain: 'hebergement' });
    const [monitor] = await db
      .insert(hostingMonitors)
      .values({
        serviceId: service.id,
        kind: 'tcp',
        target: '127.0.0.1:9',
        intervalSeconds: 60,
        failuresBeforeIncident: 3,
        nextCheckAt: at,
      })
      .returning({ id: hostingMonitors.id });
    const monitorId = monitor?.id ?? '';
    const old = new Date(at.getTime() - (CHECKS_KEPT_DAYS + 2) * 86_400_000);
    const hour = new Date(Math.floor(old.getTime() / 3_600_000) * 3_600_000);
    // Two hours of old checks (one failure in the first), and the last day's checks.
    await db.insert(hostingChecks).values([
      ...[0, 1, 2].map((i) => ({
        monitorId,
        at: new Date(hour.getTime() + i * 60_000),
        ok: i !== 1,
        responseMs: 100 + i * 100,
      })),
      { monitorId, at: new Date(hour.getTime() + 3_600_000), ok: true, responseMs: 50 },
      ...[1, 2].map((i) => ({
        monitorId,
        at: new Date(at.getTime() - i * 60_000),
        ok: true,
        responseMs: 10,
      })),
    ]);
    expect(await withTenant(db, SYSTEM_OPERATOR, (tx) => downsample(tx))).toBe(4);
    const rows = await db
      .select()
      .from(hostingChecks)
      .where(eq(hostingChecks.monitorId, monitorId))
      .orderBy(asc(hostingChecks.at));
    expect(rows.map((r) => [r.samples, r.failures, r.ok, r.responseMs])).toEqual([
      [3, 1, false, 200],
      [1, 0, true, 50],
      [1, 0, true, 10],
      [1, 0, true, 10],
    ]);
    // The folded hour is no longer a single check: a second night folds nothing again.
    expect(await withTenant(db, SYSTEM_OPERATOR, (tx) => downsample(tx))).toBe(0);
  });
});
