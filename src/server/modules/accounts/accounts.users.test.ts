import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/db/schema.js';
import { createTestApp, login, request, type Session, type TestApp } from '../../test/app.js';
import { buildUser, TEST_PASSWORD } from '../../test/builders.js';
import { buildAccountsCast } from './accounts.test-support.js';

describe('the people of an organisation', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
  const sessions: Record<string, Session> = {};
  beforeAll(async () => {
    t = await createTestApp();
    cast = await buildAccountsCast(t.database.db);
    for (const key of ['operatorAdmin', 'operatorDpo', 'adminA', 'agentA', 'readerA', 'adminB'] as const) {
      sessions[key] = await login(t.app, cast[key].email, TEST_PASSWORD);
    }
  });
  afterAll(() => t.close());

  describe('the people of a member', () => {
    const usersUrl = (memberId: string) => `/api/v1/members/${memberId}/users`;

    it('lists a member’s people to its admin, agent and reader, and to operator people', async () => {
      for (const who of ['adminA', 'agentA', 'readerA', 'operatorAdmin', 'operatorDpo']) {
        const response = await request(t.app, sessions[who], 'GET', usersUrl(cast.memberA.id));
        expect(response.statusCode, who).toBe(200);
        const emails = response.json().items.map((u: { email: string }) => u.email);
        expect(emails).toContain(cast.adminA.email);
        expect(emails).not.toContain(cast.adminB.email);
      }
    });

    it('pages through people with a cursor', async () => {
      const first = (
        await request(t.app, sessions.adminA, 'GET', `${usersUrl(cast.memberA.id)}?limit=2`)
      ).json();
      expect(first.items).toHaveLength(2);
      expect(first.total).toBeGreaterThan(2);
      const second = (
        await request(
          t.app,
          sessions.adminA,
          'GET',
          `${usersUrl(cast.memberA.id)}?limit=2&cursor=${first.nextCursor}`,
        )
      ).json();
      expect(second.items[0].email > first.items[1].email).toBe(true);
      expect(
        (await request(t.app, sessions.adminA, 'GET', `${usersUrl(cast.memberA.id)}?limit=0`)).statusCode,
      ).toBe(400);
    });

    it('refuses anonymous people (401) and another member’s people (403)', async () => {
      expect((await request(t.app, null, 'GET', usersUrl(cast.memberA.id))).statusCode).toBe(401);
      expect((await request(t.app, sessions.adminB, 'GET', usersUrl(cast.memberA.id))).statusCode).toBe(403);
      expect((await request(t.app, sessions.operatorDpo, 'GET', usersUrl(cast.operator.id))).statusCode).toBe(
        403,
      );
    });

    it('lets the member admin change a role, and refuses agents (403), other members (403) and bad roles (400)', async () => {
      const target = await buildUser(t.database.db, {
        roles: [{ organisation: cast.memberA, role: 'reader' }],
      });
      const url = `${usersUrl(cast.memberA.id)}/${target.id}`;
      expect((await request(t.app, null, 'PATCH', url, { role: 'agent' })).statusCode).toBe(401);
      expect((await request(t.app, sessions.agentA, 'PATCH', url, { role: 'agent' })).statusCode).toBe(403);
      expect((await request(t.app, sessions.adminB, 'PATCH', url, { role: 'agent' })).statusCode).toBe(403);
      expect((await request(t.app, sessions.adminA, 'PATCH', url, { role: 'chef' })).statusCode).toBe(400);
      const changed = await request(t.app, sessions.adminA, 'PATCH', url, { role: 'agent' });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({ userId: target.id, role: 'agent' });
      const byOperator = await request(t.app, sessions.operatorAdmin, 'PATCH', url, { role: 'admin' });
      expect(byOperator.json().role).toBe('admin');
    });

    it('answers 404 for a person of another member addressed through one’s own member', async () => {
      const url = `${usersUrl(cast.memberA.id)}/${cast.adminB.id}`;
      expect((await request(t.app, sessions.adminA, 'PATCH', url, { role: 'agent' })).statusCode).toBe(404);
      expect((await request(t.app, sessions.adminA, 'DELETE', url)).statusCode).toBe(404);
    });

    it('keeps at least one admin: demoting or removing the last one is refused with a French 422', async () => {
      const url = `${usersUrl(cast.memberB.id)}/${cast.adminB.id}`;
      const demote = await request(t.app, sessions.adminB, 'PATCH', url, { role: 'agent' });
      expect(demote.statusCode).toBe(422);
      expect(demote.json().detail).toMatch(/au moins un administrateur/);
      expect((await request(t.app, sessions.operatorAdmin, 'DELETE', url)).statusCode).toBe(422);
    });

    it('removes a person’s access; they keep their account; audited', async () => {
      const target = await buildUser(t.database.db, {
        roles: [{ organisation: cast.memberA, role: 'agent' }],
      });
      const url = `${usersUrl(cast.memberA.id)}/${target.id}`;
      expect((await request(t.app, sessions.readerA, 'DELETE', url)).statusCode).toBe(403);
      expect((await request(t.app, sessions.adminB, 'DELETE', url)).statusCode).toBe(403);
      expect((await request(t.app, sessions.adminA, 'DELETE', url)).statusCode).toBe(204);
      const list = (
        await request(t.app, sessions.adminA, 'GET', `${usersUrl(cast.memberA.id)}?limit=200`)
      ).json();
      expect(list.items.map((u: { userId: string }) => u.userId)).not.toContain(target.id);
      const events = await t.database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.targetId, target.id));
      expect(events.map((e) => e.action)).toContain('organisation.user.removed');
      expect((await login(t.app, target.email, TEST_PASSWORD)).userId).toBe(target.id);
    });
  });

  describe('the people of the operator', () => {
    it('lists them with scopes to the operator admin only', async () => {
      const response = await request(t.app, sessions.operatorAdmin, 'GET', '/api/v1/operator/users');
      expect(response.statusCode).toBe(200);
      const dpo = response.json().items.find((u: { userId: string }) => u.userId === cast.operatorDpo.id);
      expect(dpo).toMatchObject({ role: 'agent', scopes: ['dpo'] });
      expect((await request(t.app, sessions.operatorDpo, 'GET', '/api/v1/operator/users')).statusCode).toBe(
        403,
      );
      expect((await request(t.app, sessions.adminA, 'GET', '/api/v1/operator/users')).statusCode).toBe(403);
      expect((await request(t.app, null, 'GET', '/api/v1/operator/users')).statusCode).toBe(401);
    });

    it('changes scopes and role; an admin has no scopes; the last admin stays', async () => {
      const url = `/api/v1/operator/users/${cast.operatorAgent.id}`;
      const scoped = await request(t.app, sessions.operatorAdmin, 'PATCH', url, {
        scopes: ['support', 'hosting'],
      });
      expect(scoped.statusCode).toBe(200);
      expect(scoped.json()).toMatchObject({ role: 'agent', scopes: ['support', 'hosting'] });
      expect((await request(t.app, sessions.operatorAdmin, 'PATCH', url, {})).statusCode).toBe(400);
      expect(
        (await request(t.app, sessions.operatorAdmin, 'PATCH', url, { role: 'reader' })).statusCode,
      ).toBe(400);
      expect((await request(t.app, sessions.operatorDpo, 'PATCH', url, { scopes: [] })).statusCode).toBe(403);
      const admin = await request(t.app, sessions.operatorAdmin, 'PATCH', url, { role: 'admin' });
      expect(admin.json()).toMatchObject({ role: 'admin', scopes: [] });
      await request(t.app, sessions.operatorAdmin, 'PATCH', url, { role: 'agent' });
      const self = await request(
        t.app,
        sessions.operatorAdmin,
        'PATCH',
        `/api/v1/operator/users/${cast.operatorAdmin.id}`,
        {
          role: 'agent',
        },
      );
      expect(self.statusCode).toBe(422);
    });

    it('answers 404 for someone who is not a person of the operator', async () => {
      const response = await request(
        t.app,
        sessions.operatorAdmin,
        'PATCH',
        `/api/v1/operator/users/${cast.adminA.id}`,
        {
          role: 'agent',
        },
      );
      expect(response.statusCode).toBe(404);
    });
  });
});
