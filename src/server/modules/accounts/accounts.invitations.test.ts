import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, invitations } from '../../platform/db/schema.js';
import { createTestApp, login, request, type Session, type TestApp } from '../../test/app.js';
import { TEST_PASSWORD } from '../../test/builders.js';
import { buildAccountsCast } from './accounts.test-support.js';

const tokenOf = (text: string) => /jeton=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

describe('invitations', () => {
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

  const lastMailTo = (email: string) => {
    const mail = [...t.mail.delivered].reverse().find((m) => m.to === email);
    if (!mail) throw new Error(`no mail was sent to ${email}`);
    return mail;
  };
  const invite = (session: Session | null, memberId: string, body: unknown) =>
    request(t.app, session, 'POST', `/api/v1/members/${memberId}/invitations`, body);

  describe('inviting', () => {
    it('lets a member admin invite to their member: French mail with a 7-day link, listed as pending, audited', async () => {
      const response = await invite(sessions.adminA, cast.memberA.id, {
        email: 'Nouvelle.Agente@Mairie.example',
        role: 'agent',
      });
      expect(response.statusCode).toBe(201);
      const invitation = response.json();
      expect(invitation).toMatchObject({
        email: 'nouvelle.agente@mairie.example',
        role: 'agent',
        scopes: [],
        invitedBy: { id: cast.adminA.id, displayName: 'Anne Référente A' },
      });
      const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThanOrEqual(7);

      const mail = lastMailTo('nouvelle.agente@mairie.example');
      expect(mail.subject).toBe('Invitation à rejoindre Commune A sur Socle');
      expect(mail.text).toContain('Anne Référente A vous invite à rejoindre « Commune A »');
      expect(mail.text).toContain('http://localhost:3000/invitation?jeton=');

      const list = await request(
        t.app,
        sessions.adminA,
        'GET',
        `/api/v1/members/${cast.memberA.id}/invitations`,
      );
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((i: { id: string }) => i.id)).toContain(invitation.id);

      const [event] = await t.database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.targetId, invitation.id));
      expect(event).toMatchObject({
        action: 'invitation.created',
        actorUserId: cast.adminA.id,
        memberId: cast.memberA.id,
      });
    });

    it('replaces a pending invitation to the same address: only the latest link works', async () => {
      await invite(sessions.adminA, cast.memberA.id, { email: 'deux-fois@test.example', role: 'reader' });
      const firstToken = tokenOf(lastMailTo('deux-fois@test.example').text);
      await invite(sessions.adminA, cast.memberA.id, { email: 'deux-fois@test.example', role: 'agent' });
      const secondToken = tokenOf(lastMailTo('deux-fois@test.example').text);
      expect((await request(t.app, null, 'GET', `/api/v1/invitations/${firstToken}`)).statusCode).toBe(404);
      const view = await request(t.app, null, 'GET', `/api/v1/invitations/${secondToken}`);
      expect(view.json().role).toBe('agent');
    });

    it('lets the operator admin invite to any member, and to the operator as an agent with scopes', async () => {
      const toMember = await invite(sessions.operatorAdmin, cast.memberB.id, {
        email: 'b-agent@test.example',
        role: 'agent',
      });
      expect(toMember.statusCode).toBe(201);
      const toOperator = await invite(sessions.operatorAdmin, cast.operator.id, {
        email: 'cyber@operateur.example',
        role: 'agent',
        scopes: ['cyber', 'support'],
      });
      expect(toOperator.statusCode).toBe(201);
      expect(toOperator.json().scopes).toEqual(['cyber', 'support']);
    });

    it('refuses a reader at the operator and scopes at a member, naming the field', async () => {
      const reader = await invite(sessions.operatorAdmin, cast.operator.id, {
        email: 'lecteur@operateur.example',
        role: 'reader',
      });
      expect(reader.statusCode).toBe(400);
      expect(reader.json().errors[0].path).toBe('body.role');
      const scoped = await invite(sessions.adminA, cast.memberA.id, {
        email: 'scope@test.example',
        role: 'agent',
        scopes: ['dpo'],
      });
      expect(scoped.statusCode).toBe(400);
      expect(scoped.json().errors[0].path).toBe('body.scopes');
    });

    it('refuses a malformed email or role (400)', async () => {
      const response = await invite(sessions.adminA, cast.memberA.id, {
        email: 'pas-une-adresse',
        role: 'chef',
      });
      expect(response.statusCode).toBe(400);
      const paths = response.json().errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.role']));
    });

    it('refuses to invite someone who already has access (409)', async () => {
      const response = await invite(sessions.adminA, cast.memberA.id, {
        email: cast.agentA.email,
        role: 'reader',
      });
      expect(response.statusCode).toBe(409);
    });

    it('refuses anonymous people (401), member agents (403) and another member’s admin (403)', async () => {
      const body = { email: 'x@test.example', role: 'agent' };
      expect((await invite(null, cast.memberA.id, body)).statusCode).toBe(401);
      expect((await invite(sessions.agentA, cast.memberA.id, body)).statusCode).toBe(403);
      expect((await invite(sessions.adminB, cast.memberA.id, body)).statusCode).toBe(403);
      expect((await invite(sessions.adminA, cast.operator.id, body)).statusCode).toBe(403);
      expect((await invite(sessions.operatorDpo, cast.memberA.id, body)).statusCode).toBe(403);
      const list = await request(
        t.app,
        sessions.adminB,
        'GET',
        `/api/v1/members/${cast.memberA.id}/invitations`,
      );
      expect(list.statusCode).toBe(403);
    });

    it('answers 404 for a member that does not exist', async () => {
      const response = await invite(sessions.operatorAdmin, '00000000-0000-4000-8000-000000000000', {
        email: 'x@test.example',
        role: 'agent',
      });
      expect(response.statusCode).toBe(404);
    });

    it('revokes a pending invitation: its link stops working; another member’s admin cannot revoke it', async () => {
      const created = (
        await invite(sessions.adminA, cast.memberA.id, { email: 'revoque@test.example', role: 'agent' })
      ).json();
      const token = tokenOf(lastMailTo('revoque@test.example').text);
      const url = `/api/v1/members/${cast.memberA.id}/invitations/${created.id}`;
      expect((await request(t.app, sessions.adminB, 'DELETE', url)).statusCode).toBe(403);
      expect(
        (
          await request(
            t.app,
            sessions.adminB,
            'DELETE',
            `/api/v1/members/${cast.memberB.id}/invitations/${created.id}`,
          )
        ).statusCode,
      ).toBe(404);
      expect((await request(t.app, sessions.adminA, 'DELETE', url)).statusCode).toBe(204);
      expect((await request(t.app, sessions.adminA, 'DELETE', url)).statusCode).toBe(404);
      expect((await request(t.app, null, 'GET', `/api/v1/invitations/${token}`)).statusCode).toBe(404);
    });
  });

  describe('accepting', () => {
    it('shows a newcomer the organisation and role, then creates their account and logs them in, once', async () => {
      await invite(sessions.adminA, cast.memberA.id, { email: 'nouveau@mairie.example', role: 'reader' });
      const token = tokenOf(lastMailTo('nouveau@mairie.example').text);
      const view = await request(t.app, null, 'GET', `/api/v1/invitations/${token}`);
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({
        organisation: { id: cast.memberA.id, name: 'Commune A' },
        email: 'nouveau@mairie.example',
        role: 'reader',
        accountExists: false,
      });

      const accepted = await request(t.app, null, 'POST', `/api/v1/invitations/${token}/accept`, {
        displayName: 'Noé Nouveau',
        password: 'mon-mot-de-passe-neuf',
      });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({
        user: { email: 'nouveau@mairie.example', displayName: 'Noé Nouveau' },
        current: { id: cast.memberA.id, role: 'reader' },
      });
      expect(accepted.cookies.find((c) => c.name === 'socle_session')?.httpOnly).toBe(true);

      const again = await request(t.app, null, 'POST', `/api/v1/invitations/${token}/accept`, {
        displayName: 'Noé Nouveau',
        password: 'mon-mot-de-passe-neuf',
      });
      expect(again.statusCode).toBe(404);
      expect((await login(t.app, 'nouveau@mairie.example', 'mon-mot-de-passe-neuf')).userId).toBeTruthy();
    });

    it('asks a newcomer for a name and a password of 12 characters (400)', async () => {
      await invite(sessions.adminA, cast.memberA.id, { email: 'incomplet@mairie.example', role: 'reader' });
      const token = tokenOf(lastMailTo('incomplet@mairie.example').text);
      const missing = await request(t.app, null, 'POST', `/api/v1/invitations/${token}/accept`, {});
      expect(missing.statusCode).toBe(400);
      expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual([
        'body.displayName',
        'body.password',
      ]);
      const short = await request(t.app, null, 'POST', `/api/v1/invitations/${token}/accept`, {
        displayName: 'X',
        password: 'court',
      });
      expect(short.statusCode).toBe(400);
      expect(short.json().errors[0].path).toBe('body.password');
      expect((await request(t.app, null, 'GET', `/api/v1/invitations/${token}`)).statusCode).toBe(200);
    });

    it('lets a secrétaire already serving one commune join a second one while logged in', async () => {
      await invite(sessions.adminB, cast.memberB.id, { email: cast.agentA.email, role: 'agent' });
      const token = tokenOf(lastMailTo(cast.agentA.email).text);
      const view = await request(t.app, null, 'GET', `/api/v1/invitations/${token}`);
      expect(view.json().accountExists).toBe(true);

      const anonymous = await request(t.app, null, 'POST', `/api/v1/invitations/${token}/accept`, {
        displayName: 'Usurpateur',
        password: 'un-mot-de-passe-long',
      });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().detail).toMatch(/connectez-vous/);

      const someoneElse = await request(
        t.app,
        sessions.readerA,
        'POST',
        `/api/v1/invitations/${token}/accept`,
        {},
      );
      expect(someoneElse.statusCode).toBe(403);

      const session = await login(t.app, cast.agentA.email, TEST_PASSWORD);
      const accepted = await request(t.app, session, 'POST', `/api/v1/invitations/${token}/accept`, {});
      expect(accepted.statusCode).toBe(200);
      expect(
        accepted
          .json()
          .organisations.map((o: { id: string }) => o.id)
          .sort(),
      ).toEqual([cast.memberA.id, cast.memberB.id].sort());
      expect(accepted.json().current.id).toBe(cast.memberB.id);
    });

    it('refuses an expired invitation and a malformed token', async () => {
      await invite(sessions.adminA, cast.memberA.id, { email: 'expire@mairie.example', role: 'reader' });
      const token = tokenOf(lastMailTo('expire@mairie.example').text);
      await t.database.db
        .update(invitations)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(invitations.email, 'expire@mairie.example'));
      expect((await request(t.app, null, 'GET', `/api/v1/invitations/${token}`)).statusCode).toBe(404);
      expect((await request(t.app, null, 'GET', '/api/v1/invitations/court')).statusCode).toBe(400);
    });

    it('makes an invited operator agent an operator person with the invited scopes', async () => {
      await invite(sessions.operatorAdmin, cast.operator.id, {
        email: 'finance@operateur.example',
        role: 'agent',
        scopes: ['finance'],
      });
      const token = tokenOf(lastMailTo('finance@operateur.example').text);
      const accepted = await request(t.app, null, 'POST', `/api/v1/invitations/${token}/accept`, {
        displayName: 'Fanny Finances',
        password: 'un-mot-de-passe-long',
      });
      expect(accepted.json().current).toMatchObject({ kind: 'operator', role: 'agent', scopes: ['finance'] });
    });
  });
});
