import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { auditEvents } from '../../platform/db/schema.js';
import type { TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation, buildUser, TEST_PASSWORD } from '../../test/builders.js';

/**
 * The cast of the accounts tests, users with their password who are not signed in (the tests log in
 * through the route): the operator with an admin and two agents, and two members each with their
 * admin; member A also has an agent and a reader.
 */
export async function buildAccountsCast(db: Db) {
  const operator = await buildOperator(db);
  const memberA = await buildOrganisation(db, { name: 'Commune A' });
  const memberB = await buildOrganisation(db, { name: 'Commune B' });
  const operatorAdmin = await buildUser(db, {
    displayName: 'Olivia Admin',
    roles: [{ organisation: operator, role: 'admin' }],
  });
  const operatorDpo = await buildUser(db, {
    displayName: 'Denis DPO',
    roles: [{ organisation: operator, role: 'agent', scopes: ['dpo'] }],
  });
  const operatorAgent = await buildUser(db, {
    displayName: 'Agathe Agent',
    roles: [{ organisation: operator, role: 'agent' }],
  });
  const adminA = await buildUser(db, {
    displayName: 'Anne Référente A',
    roles: [{ organisation: memberA, role: 'admin' }],
  });
  const agentA = await buildUser(db, {
    displayName: 'Alain Agent A',
    roles: [{ organisation: memberA, role: 'agent' }],
  });
  const readerA = await buildUser(db, {
    displayName: 'Rita Lectrice A',
    roles: [{ organisation: memberA, role: 'reader' }],
  });
  const adminB = await buildUser(db, {
    displayName: 'Bruno Référent B',
    roles: [{ organisation: memberB, role: 'admin' }],
  });
  return {
    operator,
    memberA,
    memberB,
    operatorAdmin,
    operatorDpo,
    operatorAgent,
    adminA,
    agentA,
    readerA,
    adminB,
  };
}

let ipCounter = 0;
/** Each test fails from its own address, so that per-address limits do not leak between tests. */
export const freshIp = () => `192.0.2.${++ipCounter}`;

export const loginFrom = (t: TestApp, ip: string, email: string, password: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  });

/** The token of the first link in a mail. */
export const tokenOf = (text: string) => /jeton=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

/** The address the audit records for a login sent by `remoteAddress` with an X-Forwarded-For header. */
export async function auditedAddress(t: TestApp, remoteAddress: string, forwardedFor: string) {
  const user = await buildUser(t.database.db);
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
    remoteAddress,
    headers: { 'x-forwarded-for': forwardedFor },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const events = await t.database.db
    .select({ ipAddress: auditEvents.ipAddress })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'auth.login.succeeded'), eq(auditEvents.actorUserId, user.id)));
  return events.map((e) => e.ipAddress);
}
