import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildOrganisation } from '../../test/builders.js';
import {
  rgpdBreaches,
  rgpdDesignations,
  rgpdProcessingProcessors,
  rgpdProcessings,
  rgpdProcessingVersions,
  rgpdProcessors,
  rgpdRightsRequests,
  rgpdTemplates,
} from './rgpd.schema.js';

/** Row Level Security backstop on the RGPD tables: queries without a member filter still see only their tenant. */
describe('row level security on RGPD tables', () => {
  let t: TestApp;
  let memberA: { id: string };
  let memberB: { id: string };
  const asMember = (memberId: string) => ({ userId: null, memberId, operatorRole: null });
  const anonymous = { userId: null, memberId: null, operatorRole: null };

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    memberA = await buildOrganisation(db, { name: 'Membre A' });
    memberB = await buildOrganisation(db, { name: 'Membre B' });
    const [processor] = await db.insert(rgpdProcessors).values({ name: 'Hébergeur' }).returning();
    await db.insert(rgpdTemplates).values({ code: 'modele', name: 'Modèle', fields: { name: 'Modèle' } });
    for (const m of [memberA, memberB]) {
      const [secret] = await db
        .insert(rgpdProcessings)
        .values({ memberId: m.id, name: `Interne ${m.id}` })
        .returning();
      const [published] = await db
        .insert(rgpdProcessings)
        .values({ memberId: m.id, name: `Publié ${m.id}`, isPublic: true })
        .returning();
      for (const p of [secret, published]) {
        await db.insert(rgpdProcessingVersions).values({
          memberId: m.id,
          processingId: p.id,
          version: 1,
          snapshot: {},
          changes: [],
        });
        await db
          .insert(rgpdProcessingProcessors)
          .values({ memberId: m.id, processingId: p.id, processorId: processor.id });
      }
      await db.insert(rgpdDesignations).values({ memberId: m.id, cnilNumber: `DPO-${m.id}` });
      await db.insert(rgpdRightsRequests).values({
        memberId: m.id,
        type: 'access',
        requesterName: 'Requérant',
        receivedOn: '2025-01-31',
        dueOn: '2025-02-28',
      });
      await db.insert(rgpdBreaches).values({
        memberId: m.id,
        awareAt: new Date('2025-03-01T10:00:00Z'),
        notificationDeadline: new Date('2025-03-04T10:00:00Z'),
      });
    }
  });
  afterAll(() => t?.close());

  const readAll = (context: Parameters<typeof withTenant>[1]) =>
    withTenant(t.database.db, context, async (tx) => ({
      processings: await tx.select().from(rgpdProcessings),
      versions: await tx.select().from(rgpdProcessingVersions),
      links: await tx.select().from(rgpdProcessingProcessors),
      designations: await tx.select().from(rgpdDesignations),
      requests: await tx.select().from(rgpdRightsRequests),
      breaches: await tx.select().from(rgpdBreaches),
    }));

  it('shows a member its own rows, plus only the published processings of others', async () => {
    const seen = await readAll(asMember(memberA.id));
    for (const rows of [seen.versions, seen.designations, seen.requests, seen.breaches]) {
      expect(rows.map((r) => r.memberId)).toEqual(rows.map(() => memberA.id));
      expect(rows.length).toBeGreaterThan(0);
    }
    expect(seen.processings.filter((p) => p.memberId === memberB.id).map((p) => p.isPublic)).toEqual([true]);
    expect(seen.processings.filter((p) => p.memberId === memberA.id)).toHaveLength(2);
  });

  it('shows anonymous requests only published processings and their processor links', async () => {
    const seen = await readAll(anonymous);
    expect(seen.processings.every((p) => p.isPublic)).toBe(true);
    expect(seen.processings).toHaveLength(2);
    expect(seen.links).toHaveLength(2);
    expect([seen.versions, seen.designations, seen.requests, seen.breaches].map((r) => r.length)).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it('shows everything to the operator (so the rows exist and the test can fail)', async () => {
    const seen = await readAll({ userId: null, memberId: null, operatorRole: 'agent' });
    expect(seen.processings).toHaveLength(4);
    expect(seen.requests).toHaveLength(2);
  });

  it('refuses writes into another member and reference-table writes by members', async () => {
    await expect(
      withTenant(t.database.db, asMember(memberA.id), (tx) =>
        tx.insert(rgpdProcessings).values({ memberId: memberB.id, name: 'Intrusion' }),
      ),
    ).rejects.toThrow();
    await expect(
      withTenant(t.database.db, asMember(memberA.id), (tx) =>
        tx.insert(rgpdProcessors).values({ name: 'Pirate' }),
      ),
    ).rejects.toThrow();
    const updated = await withTenant(t.database.db, asMember(memberA.id), (tx) =>
      tx.update(rgpdTemplates).set({ name: 'Détourné' }).where(eq(rgpdTemplates.code, 'modele')).returning(),
    );
    expect(updated).toEqual([]);
    const published = await withTenant(t.database.db, asMember(memberA.id), (tx) =>
      tx
        .update(rgpdProcessings)
        .set({ name: 'Détourné' })
        .where(eq(rgpdProcessings.memberId, memberB.id))
        .returning(),
    );
    expect(published).toEqual([]);
  });
});
