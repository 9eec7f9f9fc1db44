import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../../contracts/audit.js';
import { defined } from '../../../contracts/defined.js';
import { hashToken } from '../../platform/auth/session.js';
import { today } from '../../platform/clock.js';
import { accessRequests, apiTokens, auditEvents } from '../../platform/db/schema.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildSignedInCast, sessionAs } from '../../test/builders.js';

/** API tokens: shown once, stored hashed, scopes per module, other member, expiry, revocation, limits. */

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
const contact = { role: 'referent_numerique', firstName: 'Claude', lastName: 'Jeton' };
const nextMonth = () => {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 30);
  return d.toISOString().slice(0, 10);
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function createToken(
  scopes: Record<string, string>,
  name = 'Intégration',
  options: { by?: Session; kind?: 'personal' | 'member' } = {},
) {
  const answer = await request(
    t.app,
    options.by ?? cast.adminA,
    'POST',
    `/api/v1/members/${cast.memberA.id}/tokens`,
    { name, scopes, expiresOn: nextMonth(), ...(options.kind ? { kind: options.kind } : {}) },
  );
  expect(answer.statusCode, answer.body).toBe(201);
  return answer.json() as { id: string; token: string; prefix: string };
}

beforeAll(async () => {
  t = await createTestApp({ API_TOKEN_RATE_LIMIT: '20' });
  cast = await buildSignedInCast(t);
});
afterAll(async () => {
  await t?.close();
});

describe('API tokens', () => {
  it('shows the token once and keeps only its SHA-256', async () => {
    const created = await createToken({ members: 'read' });
    expect(created.token).toMatch(/^socle_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const [row] = await t.database.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const list = await request(t.app, cast.adminA, 'GET', `/api/v1/members/${cast.memberA.id}/tokens`);
    expect(list.json().items[0]).toMatchObject({
      id: created.id,
      scopes: { members: 'read' },
      kind: 'member',
    });
    expect(list.body).not.toContain(created.token);
  });

  it('names the field of a bad request in French', async () => {
    const past = await request(t.app, cast.adminA, 'POST', `/api/v1/members/${cast.memberA.id}/tokens`, {
      name: 'Trop tard',
      scopes: { members: 'read' },
      expiresOn: today(),
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].path).toBe('body.expiresOn');
    const noScope = await request(t.app, cast.adminA, 'POST', `/api/v1/members/${cast.memberA.id}/tokens`, {
      name: 'Vide',
      scopes: {},
      expiresOn: nextMonth(),
    });
    expect(noScope.statusCode).toBe(400);
    expect(noScope.json().errors[0].path).toBe('body.scopes');
  });

  it('reads within its scopes, never another member, and never writes with a read-only scope', async () => {
    const { token } = await createToken({ members: 'read' });
    const own = await t.app.inject({
      url: `/api/v1/members/${cast.memberA.id}/contacts`,
      headers: bearer(token),
    });
    expect(own.statusCode).toBe(200);
    const other = await t.app.inject({
      url: `/api/v1/members/${cast.memberB.id}/contacts`,
      headers: bearer(token),
    });
    expect(other.statusCode).toBe(403);
    const write = await t.app.inject({
      method: 'POST',
      url: `/api/v1/members/${cast.memberA.id}/contacts`,
      headers: bearer(token),
      payload: contact,
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().detail).toContain('lecture seule');
    const otherModule = await t.app.inject({
      url: `/api/v1/members/${cast.memberA.id}/processings`,
      headers: bearer(token),
    });
    expect(otherModule.statusCode).toBe(403);
    // The accounts (people, tokens) are out of every token's reach.
    const tokens = await t.app.inject({
      url: `/api/v1/members/${cast.memberA.id}/tokens`,
      headers: bearer(token),
    });
    expect(tokens.statusCode).toBe(403);
  });

  it('writes with a read-write scope without a CSRF token; a cookie session still needs one', async () => {
    const { token } = await createToken({ members: 'write' });
    const write = await t.app.inject({
      method: 'POST',
      url: `/api/v1/members/${cast.memberA.id}/contacts`,
      headers: bearer(token),
      payload: contact,
    });
    expect(write.statusCode).toBe(201);
    const cookieOnly = await t.app.inject({
      method: 'POST',
      url: `/api/v1/members/${cast.memberA.id}/contacts`,
      headers: { cookie: cast.adminA.cookie },
      payload: contact,
    });
    expect(cookieOnly.statusCode).toBe(403);
    // The token's audit and last use are written after the answer (an onResponse hook): on PostgreSQL
    // the test may read before they land.
    await vi.waitFor(async () => {
      const audited = await t.database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.action, 'api_token.request'));
      expect(audited.some((e) => e.details && (e.details as { status?: number }).status === 201)).toBe(true);
      const [row] = await t.database.db
        .select()
        .from(apiTokens)
        .where(eq(apiTokens.tokenHash, hashToken(token)));
      expect(row.lastUsedAt).not.toBeNull();
    });
  });

  it('stops at revocation and at expiry; a malformed header is refused', async () => {
    const created = await createToken({ members: 'read' });
    const url = `/api/v1/members/${cast.memberA.id}/contacts`;
    expect((await t.app.inject({ url, headers: bearer(created.token) })).statusCode).toBe(200);
    const revoked = await request(
      t.app,
      cast.adminA,
      'DELETE',
      `/api/v1/members/${cast.memberA.id}/tokens/${created.id}`,
    );
    expect(revoked.statusCode).toBe(204);
    const after = await t.app.inject({ url, headers: bearer(created.token) });
    expect(after.statusCode).toBe(401);
    // Another member's admin cannot revoke A's tokens.
    const foreign = await request(
      t.app,
      cast.adminB,
      'DELETE',
      `/api/v1/members/${cast.memberB.id}/tokens/${created.id}`,
    );
    expect(foreign.statusCode).toBe(404);

    const expiring = await createToken({ members: 'read' });
    await t.database.db
      .update(apiTokens)
      .set({ expiresOn: '2020-01-01' })
      .where(eq(apiTokens.id, expiring.id));
    expect((await t.app.inject({ url, headers: bearer(expiring.token) })).statusCode).toBe(401);
    expect((await t.app.inject({ url, headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
  });

  it('lets only admins make member tokens; the operator has its own', async () => {
    const agent = await request(t.app, cast.agentA, 'POST', `/api/v1/members/${cast.memberA.id}/tokens`, {
      name: 'Agent',
      kind: 'member',
      scopes: { members: 'read' },
      expiresOn: nextMonth(),
    });
    expect(agent.statusCode).toBe(403);
    expect(agent.json().detail).toContain('jeton personnel');
    const operator = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/operator/tokens', {
      name: 'Entrepôt de données',
      scopes: { members: 'read', billing: 'read' },
      expiresOn: nextMonth(),
    });
    expect(operator.statusCode).toBe(201);
    const { token } = operator.json();
    const contacts = await t.app.inject({
      url: `/api/v1/members/${cast.memberB.id}/contacts`,
      headers: bearer(token),
    });
    expect(contacts.statusCode).toBe(200);
  });

  it("RLS hides another member's tokens and access requests, even without the member filter", async () => {
    await createToken({ members: 'read' }, 'Visible de A seulement');
    await t.database.db.insert(accessRequests).values({
      memberId: cast.memberA.id,
      sub: 'rls-sub',
      email: 'rls@test.example',
      givenName: 'R',
      usualName: 'LS',
      siret: '21850191400019',
    });
    const asB = { userId: cast.adminB.userId, memberId: cast.memberB.id, operatorRole: null };
    const seen = await withTenant(t.database.db, asB, async (tx) => ({
      tokens: await tx.select().from(apiTokens),
      requests: await tx.select().from(accessRequests),
    }));
    expect(seen.tokens.filter((row) => row.memberId === cast.memberA.id)).toEqual([]);
    expect(seen.requests).toEqual([]);
  });

  it('limits the requests of one token per minute', async () => {
    const { token } = await createToken({ members: 'read' }, 'Limite');
    const url = `/api/v1/members/${cast.memberA.id}/contacts`;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await t.app.inject({ url, headers: bearer(token) })).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    const last = await t.app.inject({ url, headers: bearer(token) });
    expect(last.statusCode).toBe(429);
    expect(last.json().detail).toContain('requêtes par minute');
    // Other tokens and sessions are not affected.
    const session = await request(t.app, cast.adminA, 'GET', url);
    expect(session.statusCode).toBe(200);
    defined(statuses[0], 'a first answer');
  });

  it('a member token survives its creator leaving the member; a personal token stops then', async () => {
    // A second admin of A makes both kinds, then is removed from A by the first admin.
    const leaver = await sessionAs(t, cast.memberA, 'admin', [], 'Sacha Partante');
    const memberToken = await createToken({ members: 'write' }, 'Logiciel de finances', {
      by: leaver,
      kind: 'member',
    });
    const personal = await createToken({ members: 'read' }, 'Script de Sacha', {
      by: leaver,
      kind: 'personal',
    });
    const url = `/api/v1/members/${cast.memberA.id}/contacts`;
    expect((await t.app.inject({ url, headers: bearer(memberToken.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ url, headers: bearer(personal.token) })).statusCode).toBe(200);

    const removed = await request(
      t.app,
      cast.adminA,
      'DELETE',
      `/api/v1/members/${cast.memberA.id}/users/${leaver.userId}`,
    );
    expect(removed.statusCode, removed.body).toBe(204);

    // The personal token acted as Sacha: Sacha has no access to A any more, nor has the token.
    const gone = await t.app.inject({ url, headers: bearer(personal.token) });
    expect(gone.statusCode).toBe(401);
    // The member token is A's: it still reads and writes, within exactly its scopes.
    expect((await t.app.inject({ url, headers: bearer(memberToken.token) })).statusCode).toBe(200);
    const write = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(memberToken.token),
      payload: { ...contact, lastName: 'Finances' },
    });
    expect(write.statusCode, write.body).toBe(201);
    const outside = await t.app.inject({
      url: `/api/v1/members/${cast.memberA.id}/processings`,
      headers: bearer(memberToken.token),
    });
    expect(outside.statusCode).toBe(403);
    // Never another member.
    const other = await t.app.inject({
      url: `/api/v1/members/${cast.memberB.id}/contacts`,
      headers: bearer(memberToken.token),
    });
    expect(other.statusCode).toBe(403);

    // Its audit names the token, not a person (neither Sacha nor anyone).
    await vi.waitFor(async () => {
      const entries = await t.database.db.select().from(auditEvents);
      const requests = entries.filter(
        (e) => e.action === 'api_token.request' && e.targetId === memberToken.id,
      );
      expect(requests.length).toBeGreaterThanOrEqual(4);
      expect(requests.every((e) => e.actorUserId === null)).toBe(true);
      const created = entries.filter(
        (e) => e.details && (e.details as { apiTokenId?: string }).apiTokenId === memberToken.id,
      );
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(created.every((e) => e.actorUserId === null)).toBe(true);
    });
    // The journal shows who acted: the token, by its name (no person, and not « Anonyme »).
    const journal = await request(t.app, cast.operatorAdmin, 'GET', '/api/v1/audit-events?limit=100');
    expect(journal.statusCode).toBe(200);
    const shown = journal.json<{ items: AuditEvent[] }>().items.filter((e) => e.token?.id === memberToken.id);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(shown.some((e) => e.action === 'api_token.request')).toBe(true);
    expect(shown.some((e) => e.action !== 'api_token.request')).toBe(true);
    for (const e of shown) {
      expect(e.actor).toBeNull();
      expect(e.token).toEqual({ id: memberToken.id, name: 'Logiciel de finances' });
    }
    // A personal token's request is audited as its person and names the token too.
    const byPerson = await createToken({ members: 'write' }, 'Script de Dominique', { kind: 'personal' });
    const personalWrite = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(byPerson.token),
      payload: { ...contact, lastName: 'Personnel' },
    });
    expect(personalWrite.statusCode).toBe(201);
    await vi.waitFor(async () => {
      const entries = await t.database.db.select().from(auditEvents);
      const named = entries.filter(
        (e) =>
          e.action !== 'api_token.request' &&
          e.details &&
          (e.details as { apiTokenId?: string }).apiTokenId === byPerson.id,
      );
      expect(named.length).toBeGreaterThanOrEqual(1);
      expect(named.every((e) => e.actorUserId === cast.adminA.userId)).toBe(true);
    });
  });

  it('a personal token has its person’s current rights: narrowed when the role is, within its scopes', async () => {
    const person = await sessionAs(t, cast.memberA, 'agent', [], 'Lou Agente');
    const token = await createToken({ members: 'write' }, 'Script de Lou', { by: person, kind: 'personal' });
    const url = `/api/v1/members/${cast.memberA.id}/contacts`;
    // An agent may not add contacts? Whatever the policy answers the person, it answers the token.
    const asPerson = await request(t.app, person, 'POST', url, { ...contact, lastName: 'Lou' });
    const asToken = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(token.token),
      payload: { ...contact, lastName: 'Lou bis' },
    });
    expect(asToken.statusCode).toBe(asPerson.statusCode);
    // Made a reader: the token reads as a reader does and writes no more.
    const changed = await request(
      t.app,
      cast.adminA,
      'PATCH',
      `/api/v1/members/${cast.memberA.id}/users/${person.userId}`,
      { role: 'reader' },
    );
    expect(changed.statusCode, changed.body).toBe(200);
    const afterWrite = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(token.token),
      payload: { ...contact, lastName: 'Lou ter' },
    });
    expect(afterWrite.statusCode).toBe(403);
  });

  it('non-admins see and revoke only their own personal tokens', async () => {
    const mine = await createToken({ members: 'read' }, 'Jeton de l’agent', {
      by: cast.agentA,
      kind: 'personal',
    });
    const adminOnes = await createToken({ members: 'read' }, 'Jeton de la structure', { kind: 'member' });
    const list = await request(t.app, cast.agentA, 'GET', `/api/v1/members/${cast.memberA.id}/tokens`);
    expect(list.statusCode).toBe(200);
    const ids = (list.json().items as { id: string }[]).map((i) => i.id);
    expect(ids).toEqual([mine.id]);
    const notHis = await request(
      t.app,
      cast.agentA,
      'DELETE',
      `/api/v1/members/${cast.memberA.id}/tokens/${adminOnes.id}`,
    );
    expect(notHis.statusCode).toBe(404);
    const his = await request(
      t.app,
      cast.agentA,
      'DELETE',
      `/api/v1/members/${cast.memberA.id}/tokens/${mine.id}`,
    );
    expect(his.statusCode).toBe(204);
    // The admin sees every token of the member.
    const all = await request(t.app, cast.adminA, 'GET', `/api/v1/members/${cast.memberA.id}/tokens`);
    expect((all.json().items as { id: string }[]).some((i) => i.id === adminOnes.id)).toBe(true);
  });
});
