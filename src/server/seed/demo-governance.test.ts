import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/db/client.js';
import {
  acts,
  governanceAssemblies,
  governanceConvocations,
  governanceItems,
  governanceSeats,
  governanceSessions,
  pricingAdoptions,
  users,
} from '../platform/db/schema.js';
import { buildOperator, buildOrganisation } from '../test/builders.js';
import { openTestDatabase } from '../test/database.js';
import { ELU_ACCOUNT, seedGovernance } from './demo-governance.js';

describe('demo governance', () => {
  let database: Database;
  const now = new Date('2026-12-04T08:00:00Z');
  let laRoche: string;
  const pending: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase({ territorySample: true });
    const db = database.db;
    await buildOperator(db);
    laRoche = (
      await buildOrganisation(db, {
        kind: 'commune',
        name: 'La Roche-sur-Yon',
        communeCode: '85191',
        siren: '218501914',
        status: 'member',
      })
    ).id;
    for (const [i, code] of ['44109', '85001', '85003', '85194'].entries()) {
      await buildOrganisation(db, {
        kind: 'commune',
        name: `Commune ${i}`,
        communeCode: code,
        status: 'member',
      });
    }
    await buildOrganisation(db, { kind: 'syndicat_mixte', name: 'Syndicat', status: 'member' });
    await buildOrganisation(db, { kind: 'syndicat_mixte', name: 'Syndicat accepté', status: 'accepted' });
    for (const name of ['Commune candidate 1', 'Commune candidate 2']) {
      pending.push((await buildOrganisation(db, { kind: 'ccas', name, status: 'requested' })).id);
    }
  });
  afterAll(() => database?.close());

  it('builds the comité, the bureau, La Roche-sur-Yon’s council and their sessions, once', async () => {
    const started = performance.now();
    const first = await seedGovernance(database.db, now);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(10_000);
    expect(first.assemblies).toBe(3);
    const db = database.db;
    const assemblies = await db.select().from(governanceAssemblies);
    expect(assemblies.map((a) => a.name).sort()).toEqual(['Bureau', 'Comité syndical', 'Conseil municipal']);
    const council = assemblies.find((a) => a.memberId === laRoche);
    const councillors = await db
      .select()
      .from(governanceSeats)
      .where(eq(governanceSeats.assemblyId, council?.id ?? ''));
    expect(councillors).toHaveLength(55);
    const [elu] = await db.select().from(users).where(eq(users.email, ELU_ACCOUNT.email));
    const eluSeats = await db.select().from(governanceSeats).where(eq(governanceSeats.userId, elu.id));
    expect(eluSeats).toHaveLength(2);
    const sessions = await db.select().from(governanceSessions);
    expect(sessions.filter((s) => s.startsAt < now && s.status === 'closed').length).toBeGreaterThanOrEqual(
      5,
    );
    // Today's sitting has the pending requests on its agenda, not voted yet.
    const bound = await db
      .select()
      .from(governanceItems)
      .where(eq(governanceItems.decisionKind, 'accept_membership'));
    const open = bound.filter((i) => i.status === 'pending').map((i) => i.decisionMemberId);
    expect(open.sort()).toEqual([...pending].sort());
    // The tariffs adopted, the deliberation referenced.
    const [adoption] = await db.select().from(pricingAdoptions).where(eq(pricingAdoptions.year, 2026));
    const [act] = await db
      .select()
      .from(acts)
      .where(eq(acts.id, adoption.actId ?? ''));
    expect(act).toMatchObject({ nature: 'DE', number: adoption.deliberationNumber });
    // Convocations of the upcoming comité were sent.
    const upcoming = sessions.find(
      (s) => s.startsAt > new Date(now.getTime() + 86_400_000) && s.status === 'convened',
    );
    const sent = await db
      .select()
      .from(governanceConvocations)
      .where(and(eq(governanceConvocations.sessionId, upcoming?.id ?? '')));
    expect(sent.length).toBeGreaterThan(0);
    expect((await seedGovernance(db, now)).assemblies).toBe(0);
  });
});
