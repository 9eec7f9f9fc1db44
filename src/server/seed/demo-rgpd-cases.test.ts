import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachClock, isRequestOverdue } from '../modules/rgpd/rgpd.deadlines.js';
import type { Database } from '../platform/db/client.js';
import { memberContacts, rgpdBreaches, rgpdProcessings, rgpdRightsRequests } from '../platform/db/schema.js';
import { buildOrganisation } from '../test/builders.js';
import { openTestDatabase } from '../test/database.js';
import { seedRgpdCases } from './demo-rgpd-cases.js';

describe('demo rights requests and breaches', () => {
  let database: Database;
  const now = new Date('2026-04-13T08:00:00Z');

  beforeAll(async () => {
    database = await openTestDatabase({ territorySample: true });
    const db = database.db;
    for (let i = 0; i < 4; i++) {
      const member = await buildOrganisation(db, { name: `Commune ${i}` });
      await db
        .insert(memberContacts)
        .values({ memberId: member.id, role: 'referent_rgpd', firstName: 'R', lastName: `${i}` });
      if (i < 2) await db.insert(rgpdProcessings).values({ memberId: member.id, name: 'État civil' });
    }
  });
  afterAll(() => database?.close());

  it('creates cases in every state, late ones included, and only once', async () => {
    const first = await seedRgpdCases(database.db, now);
    expect(first.requests).toBeGreaterThanOrEqual(8);
    expect(first.breaches).toBeGreaterThanOrEqual(5);
    const requests = await database.db.select().from(rgpdRightsRequests);
    expect(new Set(requests.map((r) => r.status))).toEqual(
      new Set(['received', 'in_progress', 'answered', 'refused', 'closed']),
    );
    expect(requests.some((r) => isRequestOverdue(r, now))).toBe(true);
    expect(requests.some((r) => r.extendedUntil !== null)).toBe(true);
    const breaches = await database.db.select().from(rgpdBreaches);
    const clocks = breaches.map((b) =>
      breachClock(
        {
          notificationDeadline: b.notificationDeadline,
          notifiedAt: b.notifiedAt,
          notificationRequired: b.cnilNotificationRequired,
        },
        now,
      ),
    );
    expect(clocks.some((c) => c.overdue)).toBe(true);
    expect(clocks.some((c) => c.notifiedLate)).toBe(true);
    expect(clocks.some((c) => c.remainingSeconds !== null)).toBe(true);
    // Members with a registry come first.
    const withRegistry = new Set((await database.db.select().from(rgpdProcessings)).map((p) => p.memberId));
    expect(withRegistry.has(requests[0].memberId)).toBe(true);

    expect(await seedRgpdCases(database.db, now)).toEqual({ requests: 0, breaches: 0 });
  });
});
