import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccountsCast } from '../../modules/accounts/accounts.test-support.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createSession } from '../auth/session.js';
import { openDatabase, rowsOf, type Tx } from './client.js';
import { memberContacts, passwordResets, sessions, users } from './schema.js';
import {
  ANONYMOUS,
  settingsKey,
  type TenantContext,
  tenantSettingsStatement,
  withTenant,
} from './tenancy.js';

/**
 * What a statement run as the restricted role (an SQL injection in a request) can and cannot do
 * (migration 0031): it cannot forge the tenant settings, nor read the authentication tables beyond
 * what its tenant may; while the application logs in as the owner it can still `RESET ROLE` (the
 * deployment that removes this: DATABASE_APP_URL, docs/ARCHITECTURE.md, Tenancy).
 */

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
let memberA: TenantContext;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  cast = await buildAccountsCast(db);
  memberA = { userId: cast.adminA.id, memberId: cast.memberA.id, operatorRole: null };
  await db.insert(memberContacts).values([
    { memberId: cast.memberA.id, role: 'referent_numerique', firstName: 'Alice', lastName: 'DeA' },
    { memberId: cast.memberB.id, role: 'referent_numerique', firstName: 'Bob', lastName: 'DeB' },
  ]);
  for (const user of [cast.adminA, cast.adminB, cast.operatorAdmin])
    await createSession(db, user.id, null, 1);
  await db.insert(passwordResets).values([
    { tokenHash: 'reset-a', userId: cast.adminA.id, expiresAt: new Date(Date.now() + 3600_000) },
    { tokenHash: 'reset-b', userId: cast.adminB.id, expiresAt: new Date(Date.now() + 3600_000) },
  ]);
});
afterAll(() => t?.close());

const asMemberA = <T>(work: (tx: Tx) => Promise<T>) => withTenant(t.database.db, memberA, work);
const contactsOf = async (tx: Tx) => (await tx.select().from(memberContacts)).map((c) => c.lastName).sort();
const tenantSeen = async (tx: Tx) =>
  rowsOf<{ operator: boolean | null; member: string | null; user: string | null }>(
    await tx.execute(
      sql`SELECT socle_is_operator() AS operator, socle_current_member() AS member, socle_current_user() AS user`,
    ),
  )[0];

describe('tenant settings the restricted role cannot forge', () => {
  it('a signed context acts as itself', async () => {
    await asMemberA(async (tx) => {
      expect(await tenantSeen(tx)).toEqual({
        operator: false,
        member: cast.memberA.id,
        user: cast.adminA.id,
      });
      expect(await contactsOf(tx)).toEqual(['DeA']);
    });
  });

  it('acts as itself whenever the work sends its first statement, at once, after a wait or never', async () => {
    // The PostgreSQL runner holds the settings' write back for the work's first statement.
    const later = () => new Promise((resolve) => setTimeout(resolve, 20));
    const [atOnce, afterWait, none] = await Promise.all([
      asMemberA(tenantSeen),
      asMemberA(async (tx) => {
        await later();
        return tenantSeen(tx);
      }),
      asMemberA(async () => {
        await later();
        return 'nothing read';
      }),
    ]);
    const expected = { operator: false, member: cast.memberA.id, user: cast.adminA.id };
    expect(atOnce).toEqual(expected);
    expect(afterWait).toEqual(expected);
    expect(none).toBe('nothing read');
  });

  it('set_config of the operator role or of another member turns the transaction anonymous', async () => {
    await asMemberA(async (tx) => {
      await tx.execute(sql`SELECT set_config('app.operator_role', 'admin', true)`);
      expect(await tenantSeen(tx)).toEqual({ operator: false, member: null, user: null });
      expect(await contactsOf(tx)).toEqual([]);
    });
    await asMemberA(async (tx) => {
      await tx.execute(sql`SELECT set_config('app.member_id', ${cast.memberB.id}, true)`);
      expect((await tenantSeen(tx)).member).toBeNull();
      expect(await contactsOf(tx)).toEqual([]);
    });
  });

  it('a signature is bound to its values and to its expiry', async () => {
    const key = await settingsKey(t.database.db);
    // A context signed with an expiry in the past (as if replayed later) is refused.
    const expired = tenantSettingsStatement(memberA, key).replace(
      /'app\.expires', '\d+'/,
      "'app.expires', '1000'",
    );
    await asMemberA(async (tx) => {
      await tx.execute(sql.raw(expired));
      expect((await tenantSeen(tx)).member).toBeNull();
    });
    // Someone else's signature does not fit another set of values.
    const operator = tenantSettingsStatement({ userId: null, memberId: null, operatorRole: 'admin' }, key);
    const signature = /'app\.signature', '([0-9a-f]+)'/.exec(operator)?.[1] ?? '';
    await asMemberA(async (tx) => {
      await tx.execute(sql`SELECT set_config('app.signature', ${signature}, true)`);
      expect(await tenantSeen(tx)).toEqual({ operator: false, member: null, user: null });
    });
  });

  it('the signing key cannot be read by the restricted role', async () => {
    // 42501: insufficient privilege.
    await expect(
      asMemberA((tx) => tx.execute(sql`SELECT key FROM socle_settings_key`)),
    ).rejects.toMatchObject({
      cause: { code: '42501' },
    });
  });

  it('can still RESET ROLE while the application logs in as the owner (hence DATABASE_APP_URL)', async () => {
    await asMemberA(async (tx) => {
      await tx.execute(sql`RESET ROLE`);
      expect(await contactsOf(tx)).toEqual(['DeA', 'DeB']);
    });
  });
});

describe.runIf(process.env.SOCLE_TEST_DB === 'postgres')('DATABASE_APP_URL (PostgreSQL)', () => {
  it('requests logging in as a NOINHERIT member of socle_app: RESET ROLE gains nothing', async () => {
    const base = new URL(process.env.TEST_DATABASE_URL ?? '');
    const [{ name }] = rowsOf<{ name: string }>(
      await t.database.db.execute(sql`SELECT current_database() AS name`),
    );
    const role = `socle_web_${crypto.randomBytes(4).toString('hex')}`;
    const password = crypto.randomBytes(12).toString('hex');
    await t.database.db.execute(sql.raw(`CREATE ROLE ${role} LOGIN NOINHERIT PASSWORD '${password}'`));
    await t.database.db.execute(sql.raw(`GRANT socle_app TO ${role}`));
    const owner = new URL(base);
    owner.pathname = `/${name}`;
    const app = new URL(owner);
    app.username = role;
    app.password = password;
    const database = await openDatabase({ url: owner.toString(), appUrl: app.toString(), poolSize: 2 });
    try {
      // The tenant transaction works as before…
      expect(await withTenant(database.db, memberA, contactsOf)).toEqual(['DeA']);
      // …and an injected RESET ROLE leaves the login role, which may read nothing.
      await expect(
        withTenant(database.db, memberA, async (tx) => {
          await tx.execute(sql`RESET ROLE`);
          return contactsOf(tx);
        }),
      ).rejects.toMatchObject({ cause: { code: '42501' } });
    } finally {
      await database.close();
      await t.database.db.execute(sql.raw(`DROP ROLE ${role}`));
    }
  });
});

describe('authentication tables under RLS', () => {
  const emailsSeen = async (context: TenantContext, before?: (tx: Tx) => Promise<unknown>) =>
    withTenant(t.database.db, context, async (tx) => {
      await before?.(tx);
      return (await tx.select({ email: users.email }).from(users)).map((u) => u.email).sort();
    });

  it('users: none to a visitor but the one account of an address it was given', async () => {
    expect(await emailsSeen(ANONYMOUS)).toEqual([]);
    expect(
      await emailsSeen(ANONYMOUS, (tx) =>
        tx.execute(sql`SELECT set_config('app.account_email', ${cast.adminB.email}, true)`),
      ),
    ).toEqual([cast.adminB.email]);
  });

  it('users: a member sees its own people and the operator staff, not another member’s', async () => {
    const seen = await emailsSeen(memberA);
    for (const user of [cast.adminA, cast.agentA, cast.readerA, cast.operatorAdmin, cast.operatorDpo]) {
      expect(seen).toContain(user.email);
    }
    expect(seen).not.toContain(cast.adminB.email);
    // The operator sees everyone.
    const all = await emailsSeen({ userId: cast.operatorAdmin.id, memberId: null, operatorRole: 'admin' });
    expect(all).toContain(cast.adminB.email);
  });

  it('users: a member cannot change another account', async () => {
    await asMemberA(async (tx) => {
      const changed = await tx
        .update(users)
        .set({ displayName: 'Piraté' })
        .where(sql`${users.id} = ${cast.adminB.id}`)
        .returning({ id: users.id });
      expect(changed).toEqual([]);
    });
  });

  it('sessions and password resets: only one’s own', async () => {
    await asMemberA(async (tx) => {
      const own = await tx.select({ userId: sessions.userId }).from(sessions);
      expect(new Set(own.map((s) => s.userId))).toEqual(new Set([cast.adminA.id]));
      const resets = await tx.select({ userId: passwordResets.userId }).from(passwordResets);
      expect(resets.map((r) => r.userId)).toEqual([cast.adminA.id]);
    });
    await withTenant(t.database.db, ANONYMOUS, async (tx) => {
      expect(await tx.select().from(sessions)).toEqual([]);
      expect(await tx.select().from(passwordResets)).toEqual([]);
      // The holder of a link reaches that link only.
      await tx.execute(sql`SELECT set_config('app.reset_token', 'reset-b', true)`);
      const held = await tx.select({ userId: passwordResets.userId }).from(passwordResets);
      expect(held.map((r) => r.userId)).toEqual([cast.adminB.id]);
    });
  });
});
