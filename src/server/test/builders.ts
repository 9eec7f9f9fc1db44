import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { OperatorScope, Role } from '../../contracts/accounts.js';
import { withLuhnDigit } from '../../contracts/identifiers.js';
import { searchKey } from '../../contracts/search.js';
import { hashPassword } from '../modules/accounts/password.js';
import type { Db } from '../platform/db/client.js';
import { organisations, organisationUsers, users } from '../platform/db/schema.js';

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
