import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  governanceAssemblies,
  governanceConvocations,
  governanceItemDocuments,
  governanceItems,
  governanceSeats,
  governanceSessions,
} from '../../platform/db/schema.js';
import { type TenantContext, withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation, buildUser } from '../../test/builders.js';
import { buildAssembly, buildSeats, buildSession } from './governance.test-support.js';

/**
 * The backstop under the services: queries without any filter still see only what the tenant may —
 * its own organisation's assemblies, the assemblies one sits in, the one convocation of a link.
 */
describe('row level security on assemblies', () => {
  let t: TestApp;
  let operatorId: string;
  let memberA: { id: string };
  let memberB: { id: string };
  let councilA: { id: string; memberId: string };
  let comite: { id: string; memberId: string };
  let officialId: string;
  const token = crypto.randomBytes(32).toString('base64url');
  const tokenHash = crypto.createHash('sha256').update(token).digest('hex');
  const member = (memberId: string): TenantContext => ({ userId: null, memberId, operatorRole: null });

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    operatorId = (await buildOperator(db)).id;
    memberA = await buildOrganisation(db, { name: 'Membre A' });
    memberB = await buildOrganisation(db, { name: 'Membre B' });
    councilA = await buildAssembly(db, {
      memberId: memberA.id,
      kind: 'conseil_municipal',
      name: 'Conseil A',
    });
    comite = await buildAssembly(db, { memberId: operatorId, name: 'Comité syndical' });
    const [seatA] = await buildSeats(db, councilA, 2);
    officialId = (await buildUser(db)).id;
    await buildSeats(db, comite, 1, { userId: officialId });
    const { session, items } = await buildSession(db, councilA, {
      startsAt: new Date('2026-05-01T18:00:00+02:00'),
    });
    await db.insert(governanceItemDocuments).values({
      memberId: memberA.id,
      sessionId: session.id,
      itemId: items[0].id,
      fileName: 'rapport.pdf',
      mediaType: 'application/pdf',
      sizeBytes: 10,
      sha256: 'x',
      storageKey: `governance/${memberA.id}/rls`,
    });
    await buildSession(db, comite, { startsAt: new Date('2026-05-02T18:00:00+02:00') });
    await db.insert(governanceConvocations).values({
      memberId: memberA.id,
      sessionId: session.id,
      seatId: seatA.id,
      tokenHash,
    });
  });
  afterAll(() => t?.close());

  const readAll = (context: TenantContext, linkHash?: string) =>
    withTenant(t.database.db, context, async (tx) => {
      if (linkHash) await tx.execute(sql`SELECT set_config('app.convocation_token', ${linkHash}, true)`);
      return {
        assemblies: (await tx.select().from(governanceAssemblies)).map((r) => r.name).sort(),
        seats: (await tx.select().from(governanceSeats)).map((r) => r.memberId),
        sessions: (await tx.select().from(governanceSessions)).map((r) => r.assemblyId),
        items: (await tx.select().from(governanceItems)).map((r) => r.memberId),
        convocations: (await tx.select().from(governanceConvocations)).length,
        documents: (await tx.select().from(governanceItemDocuments)).length,
      };
    });

  it("hides member A's assemblies from member B, who knows only the operator's", async () => {
    const seen = await readAll(member(memberB.id));
    expect(seen).toEqual({
      assemblies: ['Comité syndical'],
      seats: [],
      sessions: [],
      items: [],
      convocations: 0,
      documents: 0,
    });
    const own = await readAll(member(memberA.id));
    expect(own.documents).toBe(1);
    expect(own.assemblies).toEqual(['Comité syndical', 'Conseil A']);
    expect(new Set(own.sessions)).toEqual(new Set([councilA.id]));
    expect(own.convocations).toBe(1);
  });

  it('lets an official read the assembly they sit in, and nothing else', async () => {
    const seen = await readAll({ userId: officialId, memberId: null, operatorRole: null });
    expect(seen.assemblies).toEqual(['Comité syndical']);
    expect(seen.sessions).toEqual([comite.id]);
    expect(seen.seats.every((m) => m === operatorId)).toBe(true);
    expect(seen.items.every((m) => m === operatorId)).toBe(true);
    const stranger = await readAll({
      userId: (await buildUser(t.database.db)).id,
      memberId: null,
      operatorRole: null,
    });
    expect(stranger).toEqual({
      assemblies: [],
      seats: [],
      sessions: [],
      items: [],
      convocations: 0,
      documents: 0,
    });
  });

  it("shows a link's holder that convocation's session only; a forged hash shows nothing", async () => {
    const anonymous: TenantContext = { userId: null, memberId: null, operatorRole: null };
    const linked = await readAll(anonymous, tokenHash);
    expect(linked).toMatchObject({
      assemblies: ['Conseil A'],
      sessions: [councilA.id],
      convocations: 1,
      documents: 1,
    });
    expect(linked.seats).toHaveLength(1);
    const forged = await readAll(anonymous, 'f'.repeat(64));
    expect(forged).toEqual({
      assemblies: [],
      seats: [],
      sessions: [],
      items: [],
      convocations: 0,
      documents: 0,
    });
  });

  it('shows everyone a published list: the session, its assembly and its adopted items only', async () => {
    const db = t.database.db;
    const { session } = await buildSession(db, councilA, {
      startsAt: new Date('2026-04-01T18:00:00+02:00'),
      status: 'closed',
      items: [
        {
          title: 'Adopté',
          status: 'adopted',
          votedAt: new Date('2026-04-01T19:00:00+02:00'),
          votesFor: 3,
          votesAgainst: 0,
        },
        {
          title: 'Rejeté',
          status: 'rejected',
          votedAt: new Date('2026-04-01T19:10:00+02:00'),
          votesFor: 0,
          votesAgainst: 3,
        },
      ],
    });
    const anonymous: TenantContext = { userId: null, memberId: null, operatorRole: null };
    expect((await readAll(anonymous)).sessions).toEqual([]);
    await db
      .update(governanceSessions)
      .set({ deliberationsPublishedAt: new Date() })
      .where(sql`id = ${session.id}`);
    const seen = await readAll(anonymous);
    expect(seen).toMatchObject({
      assemblies: ['Conseil A'],
      sessions: [councilA.id],
      seats: [],
      documents: 0,
    });
    expect(seen.items).toEqual([memberA.id]);
  });

  it("refuses a member's seat in another member's assembly, and its delegates anywhere but the operator's", async () => {
    const insert = (assembly: { id: string; memberId: string }) =>
      withTenant(t.database.db, member(memberB.id), (tx) =>
        tx.insert(governanceSeats).values({
          memberId: assembly.memberId,
          assemblyId: assembly.id,
          kind: 'titular',
          fullName: 'Intrus',
          designatedBy: memberB.id,
          termStart: '2026-01-01',
        }),
      );
    await expect(insert(councilA)).rejects.toThrow();
    await expect(insert(comite)).resolves.toBeDefined();
  });
});
