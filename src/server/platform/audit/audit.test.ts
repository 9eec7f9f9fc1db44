import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccountsCast } from '../../modules/accounts/accounts.test-support.js';
import { createTestApp, login, request, type Session, type TestApp } from '../../test/app.js';
import { TEST_PASSWORD } from '../../test/builders.js';
import { today } from '../clock.js';
import { recordAudit } from './audit.js';

describe('audit log', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    cast = await buildAccountsCast(t.database.db);
    admin = await login(t.app, cast.operatorAdmin.email, TEST_PASSWORD);
    const db = t.database.db;
    for (let i = 0; i < 5; i++) {
      await recordAudit(db, {
        action: 'membership.status.changed',
        actorUserId: cast.operatorAdmin.id,
        memberId: i % 2 === 0 ? cast.memberA.id : cast.memberB.id,
        targetType: 'member',
        targetId: String(i),
        ipAddress: '203.0.113.7',
        details: { step: i },
      });
      // PGlite's clock can give two statements the same millisecond: keep the order unambiguous.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  afterAll(() => t.close());

  const get = (session: Session | null, query = '') =>
    request(t.app, session, 'GET', `/api/v1/audit-events${query}`);

  it('lists events newest first with the actor’s name and the member’s name', async () => {
    const response = await get(admin, '?action=membership.status.changed');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.total).toBe(5);
    expect(body.items.map((e: { targetId: string }) => e.targetId)).toEqual(['4', '3', '2', '1', '0']);
    expect(body.items[0]).toMatchObject({
      actor: { id: cast.operatorAdmin.id, displayName: 'Olivia Admin' },
      member: { id: cast.memberA.id, name: 'Commune A' },
      ipAddress: '203.0.113.7',
      details: { step: 4 },
    });
  });

  it('pages with a cursor without repeating or skipping events', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page++) {
      const body = (await get(admin, `?action=membership.status.changed&limit=2${cursor}`)).json();
      seen.push(...body.items.map((e: { targetId: string }) => e.targetId));
      if (!body.nextCursor) break;
      cursor = `&cursor=${body.nextCursor}`;
    }
    expect(seen).toEqual(['4', '3', '2', '1', '0']);
  });

  it('filters by member, by action prefix and by dates', async () => {
    const byMember = (await get(admin, `?memberId=${cast.memberB.id}`)).json();
    expect(byMember.items.map((e: { targetId: string }) => e.targetId)).toEqual(['3', '1']);
    expect(
      (await get(admin, '?action=auth.login'))
        .json()
        .items.every((e: { action: string }) => e.action.startsWith('auth.login.')),
    ).toBe(true);
    expect((await get(admin, '?action=auth.login')).json().total).toBeGreaterThan(0);
    expect((await get(admin, '?action=auth.log')).json().total).toBe(0);
    expect((await get(admin, '?from=2000-01-01&to=2000-01-02')).json().total).toBe(0);
    // A bare date is a day in Paris, as the route reads it (the UTC date differs from 23:00 or 22:00 UTC).
    const day = today();
    expect((await get(admin, `?action=membership.status.changed&from=${day}&to=${day}`)).json().total).toBe(
      5,
    );
  });

  it('records logins with the address, and no email', async () => {
    const body = (await get(admin, '?action=auth.login.succeeded')).json();
    expect(body.items[0]).toMatchObject({ actor: { id: cast.operatorAdmin.id }, ipAddress: '127.0.0.1' });
    expect(JSON.stringify(body)).not.toContain('@');
  });

  it('refuses invalid filters (400)', async () => {
    expect((await get(admin, '?action=DROP TABLE')).statusCode).toBe(400);
    expect((await get(admin, '?memberId=12')).statusCode).toBe(400);
    expect((await get(admin, '?from=2026-02-01&to=2026-01-01')).statusCode).toBe(400);
    expect((await get(admin, '?cursor=nope')).statusCode).toBe(400);
  });

  it('is for operator admins only: 401 anonymous, 403 operator agents and member admins', async () => {
    expect((await get(null)).statusCode).toBe(401);
    const dpo = await login(t.app, cast.operatorDpo.email, TEST_PASSWORD);
    expect((await get(dpo)).statusCode).toBe(403);
    const memberAdmin = await login(t.app, cast.adminA.email, TEST_PASSWORD);
    expect((await get(memberAdmin, `?memberId=${cast.memberA.id}`)).statusCode).toBe(403);
  });
});
