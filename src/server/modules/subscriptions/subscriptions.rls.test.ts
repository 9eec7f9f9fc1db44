import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogueServiceHistory,
  catalogueServices,
  subscriptionEvents,
  subscriptions,
} from '../../platform/db/schema.js';
import { ANONYMOUS, withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildOrganisation } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from './subscriptions.test-support.js';

/** Queries that forget the member_id filter still see nothing of another member. */
describe('row level security on subscriptions and the catalogue', () => {
  let t: TestApp;
  let memberA: { id: string };
  let memberB: { id: string };
  let serviceId: string;
  const contextOf = (memberId: string) => ({ userId: null, memberId, operatorRole: null });

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    memberA = await buildOrganisation(db, { name: 'Membre A' });
    memberB = await buildOrganisation(db, { name: 'Membre B' });
    const service = await buildService(db, { name: 'Messagerie' });
    serviceId = service.id;
    await db.insert(catalogueServiceHistory).values({ serviceId, actorUserId: null, changes: {} });
    for (const m of [memberA, memberB]) {
      const s = await buildSubscription(db, { memberId: m.id, serviceId });
      await db
        .insert(subscriptionEvents)
        .values({ memberId: m.id, subscriptionId: s.id, toStatus: 'active', effectiveOn: '2026-01-01' });
    }
  });
  afterAll(() => t?.close());

  const readAll = (context: Parameters<typeof withTenant>[1]) =>
    withTenant(t.database.db, context, async (tx) => ({
      subscriptions: await tx.select().from(subscriptions),
      events: await tx.select().from(subscriptionEvents),
    }));

  it('returns only member A’s rows to member A, even without a member filter', async () => {
    const seen = await readAll(contextOf(memberA.id));
    for (const rows of [seen.subscriptions, seen.events]) {
      expect(rows.map((r) => r.memberId)).toEqual([memberA.id]);
    }
  });

  it('shows both members to the operator and nothing to anonymous requests', async () => {
    const operator = await readAll({ userId: null, memberId: null, operatorRole: 'agent' });
    expect(new Set(operator.subscriptions.map((r) => r.memberId))).toEqual(new Set([memberA.id, memberB.id]));
    const anonymous = await readAll(ANONYMOUS);
    expect([anonymous.subscriptions.length, anonymous.events.length]).toEqual([0, 0]);
  });

  it('neither changes nor creates member B’s subscriptions from A’s context', async () => {
    const updated = await withTenant(t.database.db, contextOf(memberA.id), (tx) =>
      tx.update(subscriptions).set({ units: 99 }).returning({ memberId: subscriptions.memberId }),
    );
    expect(updated.map((r) => r.memberId)).toEqual([memberA.id]);
    await expect(
      withTenant(t.database.db, contextOf(memberA.id), (tx) =>
        tx
          .insert(subscriptions)
          .values({ memberId: memberB.id, serviceId, status: 'requested', requestedOn: '2026-01-01' }),
      ),
    ).rejects.toThrow();
  });

  it('lets everyone read the catalogue but only the operator write it or read its history', async () => {
    const anonymous = await withTenant(t.database.db, ANONYMOUS, async (tx) => ({
      services: await tx.select().from(catalogueServices),
      history: await tx.select().from(catalogueServiceHistory),
    }));
    expect(anonymous.services).toHaveLength(1);
    expect(anonymous.history).toEqual([]);
    const renamed = await withTenant(t.database.db, contextOf(memberA.id), (tx) =>
      tx
        .update(catalogueServices)
        .set({ name: 'Piraté' })
        .where(eq(catalogueServices.id, serviceId))
        .returning(),
    );
    expect(renamed).toEqual([]);
    await expect(
      withTenant(t.database.db, contextOf(memberA.id), (tx) =>
        tx.insert(catalogueServices).values({ code: 'PIRATE', domain: 'rgpd', name: 'Pirate' }),
      ),
    ).rejects.toThrow();
    const operator = await withTenant(
      t.database.db,
      { userId: null, memberId: null, operatorRole: 'admin' },
      (tx) =>
        tx
          .update(catalogueServices)
          .set({ name: 'Messagerie sécurisée' })
          .where(eq(catalogueServices.id, serviceId))
          .returning(),
    );
    expect(operator.map((s) => s.name)).toEqual(['Messagerie sécurisée']);
  });
});
