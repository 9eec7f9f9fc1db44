import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildOrganisation } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import {
  hostingBackups,
  hostingChecks,
  hostingContinuityDocuments,
  hostingContinuityPlans,
  hostingIncidents,
  hostingInstances,
  hostingMonitors,
  hostingRestoreTests,
  hostingSeatRequests,
  hostingServiceDays,
} from './hosting.schema.js';

/** Row Level Security backstop on the hosting tables: queries without a member filter see only their tenant. */
describe('row level security on hosting tables', () => {
  let t: TestApp;
  let memberA: { id: string };
  let memberB: { id: string };
  let serviceId = '';
  const subscriptionOf = new Map<string, string>();
  const asMember = (memberId: string) => ({
    userId: '00000000-0000-4000-8000-000000000001',
    memberId,
    operatorRole: null,
  });
  const anonymous = { userId: null, memberId: null, operatorRole: null };
  const operatorAgent = {
    userId: '00000000-0000-4000-8000-000000000002',
    memberId: null,
    operatorRole: 'agent' as const,
  };

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    memberA = await buildOrganisation(db, { name: 'Membre A' });
    memberB = await buildOrganisation(db, { name: 'Membre B' });
    const service = await buildService(db, { name: 'Messagerie', domain: 'hebergement' });
    serviceId = service.id;
    for (const m of [memberA, memberB]) {
      const subscription = await buildSubscription(db, { memberId: m.id, serviceId });
      subscriptionOf.set(m.id, subscription.id);
      await db
        .insert(hostingSeatRequests)
        .values({ memberId: m.id, subscriptionId: subscription.id, additional: 2, unitsBefore: 5 });
      const [instance] = await db
        .insert(hostingInstances)
        .values({
          memberId: m.id,
          subscriptionId: subscription.id,
          serviceId,
          name: `Instance ${m.id}`,
          software: 'Logiciel',
          softwareVersion: '1',
          datacentre: 'DC',
          region: 'Région',
          provider: 'Opérateur',
          rtoMinutes: 60,
          rpoMinutes: 60,
        })
        .returning();
      await db
        .insert(hostingBackups)
        .values({ memberId: m.id, instanceId: instance.id, at: new Date(), succeeded: true });
      await db.insert(hostingRestoreTests).values({
        memberId: m.id,
        instanceId: instance.id,
        testedAt: new Date(),
        durationMinutes: 10,
        dataAgeMinutes: 10,
      });
    }
    // A service only member A subscribes to, its continuity plan with a document.
    const sites = await buildService(db, { name: 'Sites', domain: 'hebergement' });
    await buildSubscription(db, { memberId: memberA.id, serviceId: sites.id });
    await db
      .insert(hostingContinuityPlans)
      .values({ serviceId: sites.id, rtoMinutes: 60, rpoMinutes: 60, procedures: 'Bascule.' });
    await db.insert(hostingContinuityDocuments).values({
      serviceId: sites.id,
      fileName: 'bascule.pdf',
      mediaType: 'application/pdf',
      sizeBytes: 10,
      sha256: 'x',
      storageKey: `hosting/continuity/${sites.id}/x`,
    });
    await db
      .insert(hostingIncidents)
      .values({ title: 'Panne', state: 'major_outage', startedAt: new Date() });
    const [monitor] = await db
      .insert(hostingMonitors)
      .values({
        serviceId,
        kind: 'tcp',
        target: '127.0.0.1:9',
        intervalSeconds: 60,
        failuresBeforeIncident: 3,
        nextCheckAt: new Date(),
      })
      .returning();
    await db.insert(hostingChecks).values({ monitorId: monitor.id, at: new Date(), ok: true });
  });
  afterAll(() => t?.close());

  const readAll = (context: Parameters<typeof withTenant>[1]) =>
    withTenant(t.database.db, context, async (tx) => ({
      instances: await tx.select().from(hostingInstances),
      tests: await tx.select().from(hostingRestoreTests),
      backups: await tx.select().from(hostingBackups),
      documents: await tx.select().from(hostingContinuityDocuments),
      incidents: await tx.select().from(hostingIncidents),
      monitors: await tx.select().from(hostingMonitors),
      checks: await tx.select().from(hostingChecks),
      hosted: rowsOf<{ ids: string[] }>(await tx.execute(sql`SELECT socle_hosted_services() AS ids`))[0]?.ids,
    }));

  it('shows a member its own instances only, the public incidents, and no monitor', async () => {
    const seen = await readAll(asMember(memberA.id));
    expect(seen.instances.map((r) => r.memberId)).toEqual([memberA.id]);
    expect(seen.tests.map((r) => r.memberId)).toEqual([memberA.id]);
    expect(seen.backups.map((r) => r.memberId)).toEqual([memberA.id]);
    expect(seen.documents.map((r) => r.fileName)).toEqual(['bascule.pdf']);
    // Member B does not subscribe to the service: its plan's documents are not B's to read.
    const other = await readAll(asMember(memberB.id));
    expect(other.backups.map((r) => r.memberId)).toEqual([memberB.id]);
    expect(other.documents).toEqual([]);
    expect(seen.incidents).toHaveLength(1);
    expect(seen.monitors).toEqual([]);
    expect(seen.checks).toEqual([]);
  });

  it('shows the operator everything, and visitors the incidents and which services are hosted only', async () => {
    const operator = await readAll(operatorAgent);
    expect(operator.instances).toHaveLength(2);
    expect(operator.monitors).toHaveLength(1);
    expect(operator.checks).toHaveLength(1);
    expect(operator.backups).toHaveLength(2);
    expect(operator.documents).toHaveLength(1);
    const visitor = await readAll(anonymous);
    expect(visitor.instances).toEqual([]);
    expect(visitor.tests).toEqual([]);
    expect(visitor.backups).toEqual([]);
    expect(visitor.documents).toEqual([]);
    expect(visitor.monitors).toEqual([]);
    expect(visitor.incidents).toHaveLength(1);
    expect(visitor.hosted).toEqual([serviceId]);
  });

  it('lets a member read and ask its own seat requests only, and only the operator decide', async () => {
    const a = asMember(memberA.id);
    const seen = await withTenant(t.database.db, a, (tx) => tx.select().from(hostingSeatRequests));
    expect(seen.map((r) => r.memberId)).toEqual([memberA.id]);
    expect(await withTenant(t.database.db, anonymous, (tx) => tx.select().from(hostingSeatRequests))).toEqual(
      [],
    );
    expect(
      await withTenant(t.database.db, operatorAgent, (tx) => tx.select().from(hostingSeatRequests)),
    ).toHaveLength(2);
    // Asking for another member, or asking already decided: refused.
    await expect(
      withTenant(t.database.db, a, (tx) =>
        tx.insert(hostingSeatRequests).values({
          memberId: memberB.id,
          subscriptionId: subscriptionOf.get(memberB.id) ?? '',
          additional: 1,
          unitsBefore: 5,
          status: 'refused',
        }),
      ),
    ).rejects.toThrow();
    await expect(
      withTenant(t.database.db, a, (tx) =>
        tx.insert(hostingSeatRequests).values({
          memberId: memberA.id,
          subscriptionId: subscriptionOf.get(memberA.id) ?? '',
          additional: 1,
          unitsBefore: 5,
          status: 'approved',
        }),
      ),
    ).rejects.toThrow();
    // Deciding its own request: no row is the member's to update.
    expect(
      await withTenant(t.database.db, a, (tx) =>
        tx.update(hostingSeatRequests).set({ status: 'approved' }).where(sql`true`).returning(),
      ),
    ).toEqual([]);
    expect(
      await withTenant(t.database.db, operatorAgent, (tx) =>
        tx
          .update(hostingSeatRequests)
          .set({ status: 'refused', decisionNote: 'Non.' })
          .where(sql`member_id = ${memberB.id}`)
          .returning(),
      ),
    ).toHaveLength(1);
  });

  it('refuses a member writing instances, backups, incidents or continuity documents', async () => {
    await expect(
      withTenant(t.database.db, asMember(memberA.id), (tx) =>
        tx.insert(hostingIncidents).values({ title: 'Faux', state: 'degraded', startedAt: new Date() }),
      ),
    ).rejects.toThrow();
    // The status history is written by triggers only: nobody of the application writes it.
    for (const context of [asMember(memberA.id), operatorAgent]) {
      await expect(
        withTenant(t.database.db, context, (tx) =>
          tx.insert(hostingServiceDays).values({ serviceId, day: '2026-01-01', rank: 5 }),
        ),
      ).rejects.toThrow();
    }
    await expect(
      withTenant(t.database.db, asMember(memberA.id), (tx) =>
        tx.delete(hostingContinuityDocuments).where(sql`true`).returning(),
      ),
    ).resolves.toEqual([]);
    await expect(
      withTenant(t.database.db, asMember(memberA.id), (tx) =>
        tx.insert(hostingBackups).values({
          memberId: memberA.id,
          instanceId: sql`(SELECT id FROM hosting_instances LIMIT 1)`,
          at: new Date(),
          succeeded: true,
        }),
      ),
    ).rejects.toThrow();
    await expect(
      withTenant(t.database.db, asMember(memberA.id), (tx) =>
        tx.update(hostingInstances).set({ name: 'Renommée' }).where(sql`true`).returning(),
      ),
    ).rejects.toThrow(/hosting_instances/);
  });
});
