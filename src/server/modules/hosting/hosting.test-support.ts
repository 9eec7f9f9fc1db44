import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { OperatorScope, Role } from '../../../contracts/accounts.js';
import type { InstanceInput } from '../../../contracts/hosting.js';
import { sessions } from '../../kernel/identity.schema.js';
import { createSession, hashToken } from '../../platform/auth/session.js';
import { request, type Session, type TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation, buildUser } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';

/** A signed-in person whose session outlives the months the hosting tests move the clock across. */
async function sessionAs(
  t: TestApp,
  organisation: Awaited<ReturnType<typeof buildOrganisation>>,
  role: Role,
  scopes: OperatorScope[] = [],
  displayName = 'Camille Test',
): Promise<Session> {
  const user = await buildUser(t.database.db, { displayName, roles: [{ organisation, role, scopes }] });
  const { token } = await createSession(t.database.db, user.id, organisation.id, 24 * 365 * 10);
  const [row] = await t.database.db
    .select({ csrfToken: sessions.csrfToken })
    .from(sessions)
    .where(eq(sessions.id, hashToken(token)));
  return { cookie: `socle_session=${token}`, csrfToken: row?.csrfToken ?? '', userId: user.id };
}

/**
 * The hosting cast: the operator's admin and hosting agent, a cyber agent (no hosting scope); member
 * A (admin, agent, reader) subscribing to a hosted service, member B (admin) subscribing to nothing.
 */
export async function buildHostingCast(t: TestApp) {
  const db = t.database.db;
  const operator = await buildOperator(db);
  const memberA = await buildOrganisation(db, { name: 'Commune A' });
  const memberB = await buildOrganisation(db, { name: 'Commune B' });
  const service = await buildService(db, { name: 'Messagerie hébergée', domain: 'hebergement' });
  const other = await buildService(db, { name: 'Sites internet', domain: 'hebergement' });
  const subscription = await buildSubscription(db, { memberId: memberA.id, serviceId: service.id });
  return {
    operator,
    memberA,
    memberB,
    service,
    other,
    subscription,
    opAdmin: await sessionAs(t, operator, 'admin', [], 'Alex Opérateur'),
    hostingTeam: await sessionAs(t, operator, 'agent', ['hosting'], 'Hélène Hébergement'),
    cyberTeam: await sessionAs(t, operator, 'agent', ['cyber'], 'Camille Cyber'),
    adminA: await sessionAs(t, memberA, 'admin', [], 'Maire A'),
    agentA: await sessionAs(t, memberA, 'agent', [], 'Agent A'),
    readerA: await sessionAs(t, memberA, 'reader', [], 'Lecteur A'),
    adminB: await sessionAs(t, memberB, 'admin', [], 'Maire B'),
  };
}

export const instanceBody = (subscriptionId: string, overrides: Partial<InstanceInput> = {}) => ({
  subscriptionId,
  name: 'Messagerie de la commune',
  url: 'https://mail.commune-a.example',
  software: 'Zimbra Collaboration',
  softwareVersion: '10.0.8',
  datacentre: 'DC Nantes 1',
  region: 'Pays de la Loire',
  provider: 'Syndicat mixte e-Collectivités',
  qualification: 'secnumcloud',
  plan: '50 boîtes',
  backupSchedule: 'Chaque nuit à 2 h',
  backupRetentionDays: 30,
  restoreTestEveryDays: 90,
  rtoMinutes: 240,
  rpoMinutes: 1440,
  ...overrides,
});

export async function addInstance(t: TestApp, session: Session, memberId: string, body: object) {
  const response = await request(t.app, session, 'POST', `/api/v1/members/${memberId}/instances`, body);
  if (response.statusCode !== 201) throw new Error(`instance: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string };
}

/** A local HTTP server answering 200 (with « en forme ») while up and 503 while down; counts requests. */
export async function flakyServer() {
  let up = true;
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(up ? 200 : 503, { 'content-type': 'text/plain' });
    res.end(up ? 'ok: service en forme' : 'indisponible');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sante`,
    port,
    /** Requests received so far. */
    hits: () => hits,
    setUp(value: boolean) {
      up = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
