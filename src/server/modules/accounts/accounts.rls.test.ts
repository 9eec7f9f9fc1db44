import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../platform/auth/session.js';
import { invitations, organisationUsers } from '../../platform/db/schema.js';
import { ANONYMOUS, withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { findPendingInvitationByToken } from './accounts.invitations.repository.js';
import { buildAccountsCast } from './accounts.test-support.js';

describe('row level security on accounts tables', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
  beforeAll(async () => {
    t = await createTestApp();
    cast = await buildAccountsCast(t.database.db);
    const expiresAt = new Date(Date.now() + 3600_000);
    await t.database.db.insert(invitations).values([
      {
        tokenHash: hashToken('token-a'),
        memberId: cast.memberA.id,
        email: 'a@test.example',
        role: 'agent',
        expiresAt,
      },
      {
        tokenHash: hashToken('token-b'),
        memberId: cast.memberB.id,
        email: 'b@test.example',
        role: 'agent',
        expiresAt,
      },
    ]);
  });
  afterAll(() => t.close());

  const memberTenant = (memberId: string, userId: string) => ({ userId, memberId, operatorRole: null });

  it('shows a member none of another member’s invitations or people, even without a member filter', async () => {
    const seen = await withTenant(
      t.database.db,
      memberTenant(cast.memberA.id, cast.adminA.id),
      async (tx) => ({
        invitations: await tx.select().from(invitations),
        people: await tx.select().from(organisationUsers),
      }),
    );
    expect(seen.invitations.map((i) => i.memberId)).toEqual([cast.memberA.id]);
    expect(new Set(seen.people.map((p) => p.memberId))).toEqual(new Set([cast.memberA.id]));
  });

  it('lets an anonymous link holder read only the invitation of that link', async () => {
    const rows = await withTenant(t.database.db, ANONYMOUS, (tx) => tx.select().from(invitations));
    expect(rows).toHaveLength(0);
    const viaToken = await withTenant(t.database.db, ANONYMOUS, async (tx) => {
      const found = await findPendingInvitationByToken(tx, hashToken('token-b'), new Date());
      return { found, all: await tx.select().from(invitations) };
    });
    expect(viaToken.found?.memberId).toBe(cast.memberB.id);
    expect(viaToken.all.map((i) => i.memberId)).toEqual([cast.memberB.id]);
  });
});
