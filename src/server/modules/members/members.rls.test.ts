import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../platform/db/client.js';
import { memberContacts, memberDocuments, membershipEvents } from '../../platform/db/schema.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { buildOrganisation } from '../../test/builders.js';

/**
 * The backstop the issue asks for: queries that forget the member_id filter still return nothing
 * of another member, because Row Level Security applies to the role every request runs as.
 */
describe('row level security on member-owned tables', () => {
  let t: TestApp;
  let memberA: { id: string };
  let memberB: { id: string };
  const contextOf = (memberId: string) => ({ userId: null, memberId, operatorRole: null });

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.database.db;
    memberA = await buildOrganisation(db, { name: 'Membre A' });
    memberB = await buildOrganisation(db, { name: 'Membre B' });
    for (const m of [memberA, memberB]) {
      await db
        .insert(memberContacts)
        .values({ memberId: m.id, role: 'referent_rgpd', firstName: 'R', lastName: m.id });
      const [doc] = await db
        .insert(memberDocuments)
        .values({
          memberId: m.id,
          kind: 'deliberation',
          title: `Délibération ${m.id}`,
          fileName: 'd.pdf',
          mediaType: 'application/pdf',
          sizeBytes: 10,
          sha256: 'x',
          storageKey: `members/${m.id}/d.pdf`,
        })
        .returning();
      await db.insert(membershipEvents).values({
        memberId: m.id,
        toStatus: 'requested',
        effectiveOn: '2026-01-15',
        documentId: doc.id,
      });
    }
  });
  afterAll(() => t?.close());

  const readAll = (context: Parameters<typeof withTenant>[1]) =>
    withTenant(t.database.db, context, async (tx) => ({
      contacts: await tx.select().from(memberContacts),
      documents: await tx.select().from(memberDocuments),
      history: await tx.select().from(membershipEvents),
    }));

  it('returns only member A’s rows to member A even without a member_id filter', async () => {
    const seen = await readAll(contextOf(memberA.id));
    for (const rows of [seen.contacts, seen.documents, seen.history]) {
      expect(rows.length).toBe(1);
      expect(rows.every((r) => r.memberId === memberA.id)).toBe(true);
    }
  });

  it('returns nothing of member B when the query asks for member B explicitly in A’s context', async () => {
    const rows = await withTenant(t.database.db, contextOf(memberA.id), (tx) =>
      tx.select().from(memberContacts).where(eq(memberContacts.memberId, memberB.id)),
    );
    expect(rows).toEqual([]);
  });

  it('returns nothing at all to anonymous requests', async () => {
    const seen = await readAll({ userId: null, memberId: null, operatorRole: null });
    expect([seen.contacts, seen.documents, seen.history].map((r) => r.length)).toEqual([0, 0, 0]);
  });

  it('shows both members to the operator (so the rows exist and the test can fail)', async () => {
    const seen = await readAll({ userId: null, memberId: null, operatorRole: 'agent' });
    for (const rows of [seen.contacts, seen.documents, seen.history]) {
      expect(new Set(rows.map((r) => r.memberId))).toEqual(new Set([memberA.id, memberB.id]));
    }
  });

  it('neither changes nor creates member B’s rows from A’s context', async () => {
    const updated = await withTenant(t.database.db, contextOf(memberA.id), (tx) =>
      tx.update(memberContacts).set({ firstName: 'Pirate' }).returning({ memberId: memberContacts.memberId }),
    );
    expect(updated.map((r) => r.memberId)).toEqual([memberA.id]);
    await expect(
      withTenant(t.database.db, contextOf(memberA.id), (tx) =>
        tx
          .insert(memberContacts)
          .values({ memberId: memberB.id, role: 'referent_rgpd', firstName: 'X', lastName: 'Y' }),
      ),
    ).rejects.toThrow();
    const bRows = await t.database.db
      .select()
      .from(memberContacts)
      .where(eq(memberContacts.memberId, memberB.id));
    expect(bRows.map((r) => r.firstName)).toEqual(['R']);
  });
});

describe('row level security policies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('read the tenant settings once per statement: every socle_* call is wrapped in a sub-select', async () => {
    const result = await t.database.db.execute(sql`
      SELECT policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '') AS expression
      FROM pg_policies WHERE schemaname = 'public'`);
    const policies = rowsOf<{ policyname: string; expression: string }>(result);
    expect(policies.length).toBeGreaterThan(50);
    // "( SELECT socle_is_operator() AS socle_is_operator)" is how PostgreSQL prints the wrapped form.
    const bare = policies.filter((p) =>
      p.expression.replace(/\( SELECT (socle_\w+)\(\) AS \1\)/g, '').includes('socle_'),
    );
    expect(bare.map((p) => p.policyname)).toEqual([]);
  });
});
