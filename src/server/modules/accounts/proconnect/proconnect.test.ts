import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../contracts/defined.js';
import { withLuhnDigit } from '../../../../contracts/identifiers.js';
import {
  accessRequests,
  auditEvents,
  organisationUsers,
  proconnectFlows,
  proconnectIdentities,
  proconnectPendingLinks,
  sessions,
  users,
} from '../../../platform/db/schema.js';
import { createTestApp, login, request, type TestApp } from '../../../test/app.js';
import { buildOperator, buildOrganisation, buildUser, TEST_PASSWORD } from '../../../test/builders.js';
import { createProConnectClient } from './proconnect.client.js';
import { type FakeProConnect, startFakeProConnect } from './proconnect.fake-server.js';

/**
 * The whole ProConnect flow against the local provider (a real oidc-provider): the platform's start
 * route, the provider's sign-in page, the callback; a known agent, an unknown agent of a member, an
 * agent of a non-member, a replayed state, a wrong nonce, an expired code.
 */

const PUBLIC_URL = 'http://socle.test';
const ROCHE_SIREN = '218501914';
const RENNES_SIREN = '213502388';
const agent = (sub: string, email: string, siren: string, givenName: string) => ({
  sub,
  email,
  givenName,
  usualName: 'Test',
  siret: withLuhnDigit(`${siren}0001`),
  uid: sub,
  description: sub,
});
const AGENTS = [
  agent('pc-known', 'mairie@larochesuryon.example', ROCHE_SIREN, 'Hélène'),
  agent('pc-unknown', 'jean.martineau@larochesuryon.example', ROCHE_SIREN, 'Jean'),
  agent('pc-rennes', 'maelle.legoff@rennes.example', RENNES_SIREN, 'Maëlle'),
  agent('pc-operator-agent', 'agent@operateur.example', '200000000', 'Olivier'),
  agent('pc-no-password', 'sans.mdp@larochesuryon.example', ROCHE_SIREN, 'Sans'),
];

let fake: FakeProConnect;
let t: TestApp;
let roche: Awaited<ReturnType<typeof buildOrganisation>>;

/** A browser's cookie jar for the provider's own cookies. */
class Jar {
  private cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Start → provider → agent chosen → back: the callback URL (path and query) and the state cookie. */
async function signInAt(sub: string) {
  const start = await t.app.inject({ method: 'GET', url: '/api/v1/auth/proconnect/start' });
  expect(start.statusCode).toBe(302);
  const state = defined(
    start.cookies.find((c) => c.name === 'socle_proconnect_state'),
    'state cookie',
  );
  const jar = new Jar();
  let location = defined(start.headers.location, 'authorization URL');
  const authorization = new URL(location);
  expect(authorization.searchParams.get('scope')).toBe('openid email given_name usual_name siret uid');
  expect(authorization.searchParams.get('state')).toBe(state.value);
  expect(authorization.searchParams.get('nonce')).toBeTruthy();
  for (let hop = 0; hop < 10; hop++) {
    if (location.startsWith(PUBLIC_URL)) {
      const url = new URL(location);
      return { callback: `${url.pathname}${url.search}`, cookie: `socle_proconnect_state=${state.value}` };
    }
    const url = new URL(location, fake.url);
    let response: Response;
    if (url.pathname.startsWith('/interaction/') && !url.pathname.endsWith('/login')) {
      const page = await fetch(url, { headers: { cookie: jar.header() }, redirect: 'manual' });
      jar.take(page);
      expect(await page.text()).toContain('ProConnect (démonstration)');
      response = await fetch(new URL(`${url.pathname}/login`, fake.url), {
        method: 'POST',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ agent: sub }),
        redirect: 'manual',
      });
    } else {
      response = await fetch(url, { headers: { cookie: jar.header() }, redirect: 'manual' });
    }
    jar.take(response);
    location = defined(
      response.headers.get('location'),
      `redirect from ${url.pathname} (${response.status})`,
    );
  }
  throw new Error('too many redirects');
}

const callback = (flow: { callback: string; cookie: string }) =>
  t.app.inject({ method: 'GET', url: flow.callback, headers: { cookie: flow.cookie } });

beforeAll(async () => {
  fake = await startFakeProConnect({
    clientId: 'socle-test',
    clientSecret: 'secret-of-the-test-client',
    publicUrl: PUBLIC_URL,
    agents: AGENTS,
  });
  const client = createProConnectClient({
    issuer: fake.url,
    clientId: 'socle-test',
    clientSecret: 'secret-of-the-test-client',
    publicUrl: PUBLIC_URL,
  });
  t = await createTestApp({ PUBLIC_URL }, { proconnect: client });
  const db = t.database.db;
  const operator = await buildOperator(db);
  await buildUser(db, {
    email: 'agent@operateur.example',
    roles: [{ organisation: operator, role: 'agent', scopes: ['support'] }],
  });
  roche = await buildOrganisation(db, {
    kind: 'syndicat_intercommunal',
    name: 'La Roche-sur-Yon (test)',
    siren: ROCHE_SIREN,
    status: 'member',
  });
  await buildUser(db, {
    email: 'mairie@larochesuryon.example',
    displayName: 'Hélène Rabiller',
    roles: [{ organisation: roche, role: 'admin' }],
  });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

describe('ProConnect sign-in', () => {
  it('says it is offered', async () => {
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/auth/proconnect' });
    expect(status.json()).toEqual({ enabled: true, requiredForOperatorAgents: false });
  });

  it('asks a known address to confirm the link once with its password; a wrong one links nothing', async () => {
    const first = await callback(await signInAt('pc-known'));
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('/connexion?proconnect=confirmer');
    expect(first.cookies.find((c) => c.name === 'socle_session')).toBeUndefined();
    const link = defined(
      first.cookies.find((c) => c.name === 'socle_proconnect_link'),
      'pending link cookie',
    );
    expect(link.httpOnly).toBe(true);
    expect(link.path).toBe('/api/v1/auth');
    const [account] = await t.database.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, 'mairie@larochesuryon.example'));
    const links = () =>
      t.database.db.select().from(proconnectIdentities).where(eq(proconnectIdentities.userId, account.id));
    expect(await links()).toEqual([]);
    // Only the secret's SHA-256 is kept.
    const [pending] = await t.database.db.select().from(proconnectPendingLinks);
    expect(pending).toMatchObject({ sub: 'pc-known', userId: account.id });
    expect(pending.tokenHash).not.toBe(link.value);

    // A second ProConnect sign-in before the confirmation still asks for it: nothing is linked yet.
    const stillAsks = await callback(await signInAt('pc-known'));
    expect(stillAsks.headers.location).toBe('/connexion?proconnect=confirmer');
    const secret = defined(
      stillAsks.cookies.find((c) => c.name === 'socle_proconnect_link'),
      'pending link cookie',
    ).value;

    const loginWith = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { cookie: `socle_proconnect_link=${secret}` },
        payload: { email: 'mairie@larochesuryon.example', password },
      });
    // A wrong password: refused, in French, and nothing linked.
    const wrong = await loginWith('not-the-password-of-this-account');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().detail).toBe('Adresse électronique ou mot de passe incorrect.');
    expect(await links()).toEqual([]);
    const refusedAudit = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.proconnect.link_refused'));
    expect(refusedAudit.some((e) => (e.details as { reason?: string }).reason === 'wrong_password')).toBe(
      true,
    );
    // The password: signed in, and the identity linked, once.
    const right = await loginWith(TEST_PASSWORD);
    expect(right.statusCode).toBe(200);
    expect(right.cookies.find((c) => c.name === 'socle_proconnect_link')?.value).toBe('');
    expect((await links()).map((l) => l.sub)).toEqual(['pc-known']);
    const linkedAudit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.proconnect.linked'), eq(auditEvents.actorUserId, account.id)));
    expect(linkedAudit).toHaveLength(1);
    expect(linkedAudit[0].details).toEqual({ confirmedBy: 'password' });
    // The pending link is used up: sent again, it links nothing more and is refused as unknown.
    const replayed = await loginWith(TEST_PASSWORD);
    expect(replayed.statusCode).toBe(200);
    expect(await links()).toHaveLength(1);
  });

  it('then signs the linked agent straight in, and signs out through the provider', async () => {
    const answer = await callback(await signInAt('pc-known'));
    expect(answer.statusCode).toBe(302);
    expect(answer.headers.location).toBe('/espace');
    const cookie = defined(
      answer.cookies.find((c) => c.name === 'socle_session'),
      'session cookie',
    );
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `socle_session=${cookie.value}` },
    });
    expect(me.json().user.email).toBe('mairie@larochesuryon.example');
    expect(me.json().current.id).toBe(roche.id);
    // A second sign-in finds the link by `sub`.
    const again = await callback(await signInAt('pc-known'));
    expect(again.headers.location).toBe('/espace');

    const me2 = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `socle_session=${cookie.value}` },
    });
    expect(me2.json().viaProConnect).toBe(true);
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/proconnect/logout',
      headers: { cookie: `socle_session=${cookie.value}`, 'x-csrf-token': me2.json().csrfToken },
    });
    expect(logout.statusCode).toBe(200);
    const endSession = new URL(logout.json().redirectTo);
    expect(endSession.origin).toBe(fake.url);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/connexion`);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `socle_session=${cookie.value}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('turns an unknown agent of a member into an access request the admin accepts with a role', async () => {
    const answer = await callback(await signInAt('pc-unknown'));
    expect(answer.headers.location).toBe('/connexion?proconnect=demande');
    expect(answer.cookies.find((c) => c.name === 'socle_session')).toBeUndefined();
    const told = t.mail.delivered.find((m) => m.to === 'mairie@larochesuryon.example');
    expect(told?.subject).toBe("Demande d'accès à Socle pour La Roche-sur-Yon (test)");
    expect(told?.text).toContain(`${PUBLIC_URL}/espace/demandes-acces`);
    const again = await callback(await signInAt('pc-unknown'));
    expect(again.headers.location).toBe('/connexion?proconnect=demande-en-cours');

    const admin = await login(t.app, 'mairie@larochesuryon.example', TEST_PASSWORD);
    const list = await request(
      t.app,
      admin,
      'GET',
      `/api/v1/members/${roche.id}/access-requests?status=pending`,
    );
    expect(list.statusCode).toBe(200);
    const [pending] = list.json().items;
    expect(pending).toMatchObject({ email: 'jean.martineau@larochesuryon.example', givenName: 'Jean' });
    const wrongRole = await request(
      t.app,
      admin,
      'POST',
      `/api/v1/members/${roche.id}/access-requests/${pending.id}/accept`,
      { role: 'chef' },
    );
    expect(wrongRole.statusCode).toBe(400);
    expect(wrongRole.json().errors[0].path).toBe('body.role');
    const accepted = await request(
      t.app,
      admin,
      'POST',
      `/api/v1/members/${roche.id}/access-requests/${pending.id}/accept`,
      { role: 'agent' },
    );
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', role: 'agent' });

    const signedIn = await callback(await signInAt('pc-unknown'));
    expect(signedIn.headers.location).toBe('/espace');
    const [account] = await t.database.db
      .select({ id: users.id, passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.email, 'jean.martineau@larochesuryon.example'));
    expect(account.passwordHash).toBeNull();
    const [role] = await t.database.db
      .select({ role: organisationUsers.role })
      .from(organisationUsers)
      .where(and(eq(organisationUsers.userId, account.id), eq(organisationUsers.memberId, roche.id)));
    expect(role.role).toBe('agent');
  });

  it('tells an agent of a non-member structure so, and creates nothing', async () => {
    const before = await t.database.db.select().from(accessRequests);
    const answer = await callback(await signInAt('pc-rennes'));
    expect(answer.headers.location).toBe('/connexion?proconnect=non-adherent');
    expect(answer.cookies.find((c) => c.name === 'socle_session')).toBeUndefined();
    expect(await t.database.db.select().from(accessRequests)).toHaveLength(before.length);
    expect(
      await t.database.db.select().from(users).where(eq(users.email, 'maelle.legoff@rennes.example')),
    ).toHaveLength(0);
  });

  it('refuses a replayed state, a state the browser does not hold and a missing one', async () => {
    const flow = await signInAt('pc-known');
    expect((await callback(flow)).headers.location).toBe('/espace');
    const replay = await callback(flow);
    expect(replay.headers.location).toBe('/connexion?proconnect=erreur');
    expect(replay.cookies.find((c) => c.name === 'socle_session')).toBeUndefined();

    const other = await signInAt('pc-known');
    const forged = await t.app.inject({
      method: 'GET',
      url: other.callback,
      headers: { cookie: 'socle_proconnect_state=another-state-of-another-browser' },
    });
    expect(forged.headers.location).toBe('/connexion?proconnect=erreur');
    const bare = await t.app.inject({ method: 'GET', url: '/api/v1/auth/proconnect/callback' });
    expect(bare.headers.location).toBe('/connexion?proconnect=erreur');
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const flow = await signInAt('pc-known');
    // The server-side half of the flow now expects another nonce than the one the provider signed.
    await t.database.db.update(proconnectFlows).set({ nonce: 'not-the-nonce-sent-to-the-provider' });
    const answer = await callback(flow);
    expect(answer.headers.location).toBe('/connexion?proconnect=erreur');
    expect(answer.cookies.find((c) => c.name === 'socle_session')).toBeUndefined();
  });

  it('refuses an expired authorization code', async () => {
    fake.codeTtlSeconds = 1;
    try {
      const flow = await signInAt('pc-known');
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const answer = await callback(flow);
      expect(answer.headers.location).toBe('/connexion?proconnect=erreur');
    } finally {
      fake.codeTtlSeconds = 60;
    }
  });

  it('refuses the password of an operator agent once the operator requires ProConnect', async () => {
    const operatorAdmin = await buildUser(t.database.db, {
      roles: [{ organisation: await buildOperator(t.database.db), role: 'admin' }],
    });
    const admin = await login(t.app, operatorAdmin.email, TEST_PASSWORD);
    const set = await request(t.app, admin, 'PUT', '/api/v1/operator/auth-settings', {
      proconnectRequiredForOperatorAgents: true,
    });
    expect(set.json()).toEqual({ proconnectRequiredForOperatorAgents: true });
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'agent@operateur.example', password: TEST_PASSWORD },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('ProConnect');
    // Admins keep their password; the agent signs in with ProConnect: the first time, the link is
    // confirmed with the password (the link is made, the password session still refused), then
    // ProConnect goes straight in.
    await login(t.app, operatorAdmin.email, TEST_PASSWORD);
    const first = await callback(await signInAt('pc-operator-agent'));
    expect(first.headers.location).toBe('/connexion?proconnect=confirmer');
    const secret = defined(
      first.cookies.find((c) => c.name === 'socle_proconnect_link'),
      'pending link cookie',
    ).value;
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: `socle_proconnect_link=${secret}` },
      payload: { email: 'agent@operateur.example', password: TEST_PASSWORD },
    });
    expect(confirmed.statusCode).toBe(403);
    const viaProConnect = await callback(await signInAt('pc-operator-agent'));
    expect(viaProConnect.headers.location).toBe('/operateur');
    const count = await t.database.db.select().from(sessions);
    expect(count.length).toBeGreaterThan(0);
  });

  it('asks an account without a password to set one first, and links nothing', async () => {
    const db = t.database.db;
    const [created] = await db
      .insert(users)
      .values({ email: 'sans.mdp@larochesuryon.example', displayName: 'Sans Mot', passwordHash: null })
      .returning();
    await db.insert(organisationUsers).values({ memberId: roche.id, userId: created.id, role: 'agent' });
    const answer = await callback(await signInAt('pc-no-password'));
    expect(answer.headers.location).toBe('/connexion?proconnect=sans-mot-de-passe');
    expect(answer.cookies.find((c) => c.name === 'socle_session')).toBeUndefined();
    expect(
      await db.select().from(proconnectIdentities).where(eq(proconnectIdentities.userId, created.id)),
    ).toEqual([]);
  });
});
