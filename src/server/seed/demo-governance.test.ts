import crypto from 'node:crypto';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedDeliberations } from '../modules/governance/governance.publication.service.js';
import type { Database } from '../platform/db/client.js';
import {
  acts,
  auditEvents,
  governanceAssemblies,
  governanceConvocations,
  governanceItems,
  governanceMinutes,
  governanceSeats,
  governanceSessions,
  pricingAdoptions,
  users,
} from '../platform/db/schema.js';
import { ANONYMOUS, withTenant } from '../platform/db/tenancy.js';
import { MemoryStorage } from '../platform/storage/storage.js';
import { buildOperator, buildOrganisation, buildUser } from '../test/builders.js';
import { openTestDatabase } from '../test/database.js';
import { ELU_ACCOUNT, seedGovernance } from './demo-governance.js';

describe('demo governance', () => {
  let database: Database;
  const now = new Date('2026-12-04T08:00:00Z');
  let laRoche: string;
  let operatorId: string;
  let adminId: string;
  const storage = new MemoryStorage();
  const pending: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase({ territorySample: true });
    const db = database.db;
    const operator = await buildOperator(db);
    operatorId = operator.id;
    // The operator's admin closes the sittings and publishes their lists (the demo's secretary).
    adminId = (await buildUser(db, { roles: [{ organisation: operator, role: 'admin' }] })).id;
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
    const first = await seedGovernance(database.db, storage, now);
    const ms = performance.now() - started;
    // Two procès-verbaux drawn as PDF and a dozen service calls after the rows (5–7 s of it at a load
    // average of 20–25): 11.6 and 15.7 s in all on PGlite at that load, 6 s on PostgreSQL.
    expect(ms).toBeLessThan(20_000);
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
    expect((await seedGovernance(db, storage, now)).assemblies).toBe(0);
  });

  it('closes the past sittings, publishes their lists within the week and two adopted procès-verbaux', async () => {
    const db = database.db;
    const past = (await db.select().from(governanceSessions)).filter((s) => s.startsAt < now);
    const closed = past.filter((s) => s.status === 'closed');
    // Every past sitting is closed, the same evening (today's is held this evening).
    expect(closed).toHaveLength(past.length);
    expect(closed.length).toBeGreaterThanOrEqual(5);
    for (const s of closed) {
      expect(s.closedAt?.getTime()).toBeGreaterThan(s.startsAt.getTime());
      const published = s.deliberationsPublishedAt?.getTime() ?? Number.NaN;
      expect(published).toBeGreaterThan(s.closedAt?.getTime() ?? 0);
      expect(published - (s.closedAt?.getTime() ?? 0)).toBeLessThanOrEqual(7 * 86_400_000);
      expect(published).toBeLessThan(now.getTime());
    }
    // The operator's were closed and published by its admin, through the services (audited).
    const operatorClosed = closed.filter((s) => s.memberId === operatorId).map((s) => s.id);
    expect(operatorClosed).toHaveLength(4);
    const audited = await db
      .select({ action: auditEvents.action, actor: auditEvents.actorUserId })
      .from(auditEvents)
      .where(inArray(auditEvents.targetId, operatorClosed));
    for (const action of ['governance.session_closed', 'governance.deliberations_list_published']) {
      expect(audited.filter((a) => a.action === action && a.actor === adminId)).toHaveLength(4);
    }

    // Two procès-verbaux adopted by the next comité, frozen (the stored bytes' SHA-256) and published.
    const minutes = await db.select().from(governanceMinutes);
    expect(minutes).toHaveLength(2);
    for (const m of minutes) {
      const bytes = await storage.get(m.storageKey);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(m.sha256);
      expect(m.sizeBytes).toBe(bytes.length);
      expect(m.publishedAt?.getTime()).toBeLessThan(now.getTime());
      const [adopter] = await db
        .select()
        .from(governanceItems)
        .where(eq(governanceItems.id, m.adoptedByItemId));
      expect(adopter).toMatchObject({
        status: 'adopted',
        decisionKind: 'adopt_minutes',
        decisionSessionId: m.sessionId,
      });
      expect(m.adoptedAt).toEqual(adopter.votedAt);
    }
    expect(
      await db
        .select()
        .from(auditEvents)
        .where(
          and(eq(auditEvents.action, 'governance.minutes_published'), isNotNull(auditEvents.actorUserId)),
        ),
    ).toHaveLength(2);

    // The public page lists them, with the procès-verbaux to download.
    const list = await withTenant(db, ANONYMOUS, (tx) => publishedDeliberations(tx, operatorId));
    expect(list.sessions).toHaveLength(4);
    expect(list.sessions.filter((s) => s.minutes !== null)).toHaveLength(2);
    expect(list.sessions.every((s) => s.deliberations.length > 0)).toBe(true);
    const town = await withTenant(db, ANONYMOUS, (tx) => publishedDeliberations(tx, laRoche));
    expect(town.sessions).toHaveLength(1);
  });
});
