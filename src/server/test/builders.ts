/**
 * Builders shared by every module's tests: the kernel's identity rows (organisations, the operator,
 * users with their roles) and signed-in sessions. A module's own builders live beside it, in
 * `<module>.test-support.ts`.
 */
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { OperatorScope, Role } from '../../contracts/accounts.js';
import { withLuhnDigit } from '../../contracts/identifiers.js';
import { searchKey } from '../../contracts/search.js';
import { hashPassword } from '../modules/accounts/password.js';
import { createSession, hashToken } from '../platform/auth/session.js';
import type { Db } from '../platform/db/client.js';
import { organisations, organisationUsers, sessions, users } from '../platform/db/schema.js';
import type { Session, TestApp } from './app.js';

export const TEST_PASSWORD = 'correct-horse-battery';

/** A random valid SIREN. */
export const randomSiren = () => withLuhnDigit(String(crypto.randomInt(10_000_000, 99_999_999)));

type OrganisationRow = typeof organisations.$inferSelect;
type OrganisationInput = Partial<typeof organisations.$inferInsert>;

export async function buildOrganisation(db: Db, input: OrganisationInput = {}): Promise<OrganisationRow> {
  const name = input.name ?? `Structure ${crypto.randomBytes(3).toString('hex')}`;
  const [row] = await db
    .insert(organisations)
    .values({
      kind: 'syndicat_intercommunal',
      siren: randomSiren(),
      departementCode: '85',
      status: 'member',
      population: 1000,
      ...input,
      name,
      searchName: searchKey(name),
    })
    .returning();
  return row;
}

/** The operator organisation: there is only one, so this returns it when it exists. */
export async function buildOperator(db: Db): Promise<OrganisationRow> {
  const [existing] = await db.select().from(organisations).where(eq(organisations.kind, 'operator'));
  if (existing) return existing;
  return buildOrganisation(db, {
    kind: 'operator',
    name: 'Syndicat mixte e-Collectivités (test)',
    population: null,
  });
}

export interface UserInput {
  email?: string;
  password?: string;
  displayName?: string;
  /** Roles to give; `organisation` defaults to a new member. */
  roles?: { organisation: OrganisationRow; role: Role; scopes?: OperatorScope[] }[];
}

const hashCache = new Map<string, Promise<string>>();
/** argon2 is deliberately slow: hash each distinct test password once per test file. */
function cachedHash(password: string): Promise<string> {
  let hash = hashCache.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashCache.set(password, hash);
  }
  return hash;
}

export async function buildUser(db: Db, input: UserInput = {}) {
  const email = (input.email ?? `user-${crypto.randomBytes(4).toString('hex')}@test.example`).toLowerCase();
  const [user] = await db
    .insert(users)
    .values({
      email,
      displayName: input.displayName ?? 'Camille Test',
      passwordHash: await cachedHash(input.password ?? TEST_PASSWORD),
    })
    .returning();
  for (const r of input.roles ?? []) {
    await db
      .insert(organisationUsers)
      .values({ memberId: r.organisation.id, userId: user.id, role: r.role, scopes: r.scopes ?? [] });
  }
  return { ...user, password: input.password ?? TEST_PASSWORD };
}

/**
 * A logged-in session for a new user holding `role` in `organisation`, made directly in the
 * sessions table so that tests do not depend on the login route.
 */
export async function sessionAs(
  t: TestApp,
  organisation: OrganisationRow,
  role: Role,
  scopes: OperatorScope[] = [],
  displayName = 'Camille Test',
): Promise<Session> {
  const user = await buildUser(t.database.db, { displayName, roles: [{ organisation, role, scopes }] });
  const { token } = await createSession(t.database.db, user.id, organisation.id, 1);
  const [row] = await t.database.db
    .select({ csrfToken: sessions.csrfToken })
    .from(sessions)
    .where(eq(sessions.id, hashToken(token)));
  return { cookie: `socle_session=${token}`, csrfToken: row.csrfToken, userId: user.id };
}

/**
 * The usual cast, already signed in (sessions made directly): the operator's admin and an agent with
 * the dpo scope, and two members, A with admin, agent and reader, B with its admin.
 */
export async function buildSignedInCast(t: TestApp) {
  const db = t.database.db;
  const operator = await buildOperator(db);
  const memberA = await buildOrganisation(db, { name: 'Syndicat des eaux A', status: 'member' });
  const memberB = await buildOrganisation(db, { name: 'Syndicat des eaux B', status: 'member' });
  return {
    operator,
    memberA,
    memberB,
    operatorAdmin: await sessionAs(t, operator, 'admin', [], 'Alex Opérateur'),
    operatorAgent: await sessionAs(t, operator, 'agent', ['dpo']),
    adminA: await sessionAs(t, memberA, 'admin', [], 'Dominique Référente'),
    agentA: await sessionAs(t, memberA, 'agent'),
    readerA: await sessionAs(t, memberA, 'reader'),
    adminB: await sessionAs(t, memberB, 'admin'),
  };
}
