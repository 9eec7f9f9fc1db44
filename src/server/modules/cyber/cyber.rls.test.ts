import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildOrganisation } from '../../test/builders.js';
import {
  cyberAdvisories,
  cyberAssets,
  cyberDiagnostics,
  cyberExposures,
  cyberIncidentEvents,
  cyberIncidents,
  cyberProfiles,
  cyberRemediations,
  cyberSettings,
} from './cyber.schema.js';

/** Row Level Security backstop on the cyber tables: queries without a member filter see only their tenant. */
describe('row level security on cyber tables', () => {
  let t: TestApp;
  let memberA: { id: string };
  let memberB: { id: string };
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
    await db
      .insert(cyberSettings)
      .values({ id: 1, remediationDays: { critical: 7, high: 30, medium: 90, low: 180, none: 365 } });
    const [advisory] = await db
      .insert(cyberAdvisories)
      .values({
        reference: 'AVIS-1',
        title: 'Avis',
        severity: 'high',
        source: 'manual',
        products: [],
        dueOn: '2026-01-31',
      })
      .returning();
    for (const m of [memberA, memberB]) {
      const [asset] = await db
        .insert(cyberAssets)
        .values({ memberId: m.id, kind: 'software', name: `Logiciel ${m.id}`, productKey: 'produit' })
        .returning();
      await db.insert(cyberProfiles).values({ memberId: m.id, nis2InScope: true, nis2Reason: 'NIS 2' });
      await db.insert(cyberDiagnostics).values({
        memberId: m.id,
        questionnaireVersion: 1,
        answers: {},
        themeScores: { governance: 50 },
        overallScore: 50,
      });
      await db
        .insert(cyberExposures)
        .values({ advisoryId: advisory.id, memberId: m.id, assets: 1, dueOn: '2026-01-31' });
      await db.insert(cyberRemediations).values({
        memberId: m.id,
        advisoryId: advisory.id,
        assetId: asset.id,
        matchedOn: 'produit',
        dueOn: '2026-01-31',
      });
      const [incident] = await db
        .insert(cyberIncidents)
        .values({
          memberId: m.id,
          title: 'Incident',
          category: 'phishing',
          detectedAt: new Date(),
          personalData: false,
          nis2: true,
        })
        .returning();
      await db
        .insert(cyberIncidentEvents)
        .values({ memberId: m.id, incidentId: incident.id, at: new Date(), text: 'Détecté' });
    }
  });
  afterAll(() => t?.close());

  const readAll = (context: Parameters<typeof withTenant>[1]) =>
    withTenant(t.database.db, context, async (tx) => ({
      assets: await tx.select().from(cyberAssets),
      profiles: await tx.select().from(cyberProfiles),
      diagnostics: await tx.select().from(cyberDiagnostics),
      exposures: await tx.select().from(cyberExposures),
      remediations: await tx.select().from(cyberRemediations),
      incidents: await tx.select().from(cyberIncidents),
      events: await tx.select().from(cyberIncidentEvents),
      settings: await tx.select().from(cyberSettings),
      advisories: await tx.select().from(cyberAdvisories),
    }));

  it("shows a member its own rows only, never another member's, and reads advisories (public documents)", async () => {
    const seen = await readAll(asMember(memberA.id));
    for (const key of [
      'assets',
      'profiles',
      'diagnostics',
      'exposures',
      'remediations',
      'incidents',
      'events',
    ] as const) {
      expect(seen[key].length, key).toBe(1);
      expect(
        seen[key].every((row) => row.memberId === memberA.id),
        key,
      ).toBe(true);
    }
    expect(seen.settings).toEqual([]);
    expect(seen.advisories).toHaveLength(1);
  });

  it('gives an exposure inserted without its sort name the member’s (trigger)', async () => {
    const seen = await readAll(asMember(memberA.id));
    expect(seen.exposures.map((e) => e.searchName)).toEqual(['membre a']);
  });

  it('shows the operator every member, and anonymous visitors nothing', async () => {
    const operator = await readAll(operatorAgent);
    expect(operator.assets).toHaveLength(2);
    expect(operator.incidents).toHaveLength(2);
    expect(operator.settings).toHaveLength(1);
    const nobody = await readAll(anonymous);
    expect(Object.values(nobody).every((rows) => rows.length === 0)).toBe(true);
  });

  it("refuses a member writing into another member's inventory or the advisories", async () => {
    await expect(
      withTenant(t.database.db, asMember(memberA.id), (tx) =>
        tx.insert(cyberAssets).values({ memberId: memberB.id, kind: 'server', name: 'Intrus' }),
      ),
    ).rejects.toThrow();
    await expect(
      withTenant(t.database.db, asMember(memberA.id), (tx) =>
        tx.insert(cyberAdvisories).values({
          reference: 'X',
          title: 'X',
          severity: 'low',
          source: 'manual',
          products: [],
          dueOn: '2026-01-01',
        }),
      ),
    ).rejects.toThrow();
  });

  it('gives a member the peers’ medians only, and only with five peers or more', async () => {
    const medians = await withTenant(t.database.db, asMember(memberA.id), async (tx) =>
      rowsOf(await tx.execute(sql`SELECT * FROM cyber_peer_medians('syndicat_intercommunal', 0, 100000)`)),
    );
    expect(medians).toEqual([]);
  });
});
