import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLuhnDigit } from '../../contracts/identifiers.js';
import { createOperatorAdmin } from '../modules/accounts/operator-admin.js';
import { verifyPassword } from '../modules/accounts/password.js';
import type { Database } from '../platform/db/client.js';
import { organisations, organisationUsers, users } from '../platform/db/schema.js';
import { openTestDatabase } from '../test/database.js';
import { parseAdminCreateArgs } from './admin-create.js';

const SIREN = withLuhnDigit('20000777');
const PASSWORD = 'un-mot-de-passe-solide';

describe('admin:create arguments', () => {
  it('reads the email, the name and the operator options', () => {
    expect(
      parseAdminCreateArgs([
        '--email',
        'a@b.fr',
        '--name',
        'Alice Martin',
        '--operator-name',
        'SM',
        '--operator-siren',
        SIREN,
      ]),
    ).toEqual({
      help: false,
      email: 'a@b.fr',
      name: 'Alice Martin',
      operatorName: 'SM',
      operatorSiren: SIREN,
      resetPassword: false,
    });
  });

  it('requires --email and refuses unknown options in French', () => {
    expect(() => parseAdminCreateArgs([])).toThrow(/--email est obligatoire/);
    expect(() => parseAdminCreateArgs(['--email', 'a@b.fr', '--admin'])).toThrow(/option inconnue/);
  });
});

describe('creating the first operator admin', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('asks for the operator’s name and SIREN when the operator does not exist, and checks the SIREN', async () => {
    await expect(
      createOperatorAdmin(database.db, { email: 'admin@op.fr', password: PASSWORD }),
    ).rejects.toThrow(/--operator-name et --operator-siren/);
    await expect(
      createOperatorAdmin(database.db, {
        email: 'admin@op.fr',
        password: PASSWORD,
        operatorName: 'Syndicat',
        operatorSiren: '123456789',
      }),
    ).rejects.toThrow(/SIREN invalide/);
    expect(await database.db.select().from(organisations)).toHaveLength(0);
  });

  it('refuses a short password and a malformed email, writing nothing', async () => {
    const base = { operatorName: 'Syndicat', operatorSiren: SIREN };
    await expect(
      createOperatorAdmin(database.db, { ...base, email: 'admin@op.fr', password: 'court' }),
    ).rejects.toThrow(/au moins 12 caractères/);
    await expect(
      createOperatorAdmin(database.db, { ...base, email: 'pas-une-adresse', password: PASSWORD }),
    ).rejects.toThrow(/Adresse électronique invalide/);
    expect(await database.db.select().from(users)).toHaveLength(0);
  });

  it('creates the operator and its admin with an argon2id password', async () => {
    const result = await createOperatorAdmin(database.db, {
      email: ' Admin@Op.fr ',
      displayName: 'Alice Martin',
      password: PASSWORD,
      operatorName: 'Syndicat mixte e-Collectivités',
      operatorSiren: SIREN.replace(/(\d{3})/g, '$1 ').trim(),
    });
    expect(result).toMatchObject({
      accountCreated: true,
      operator: { created: true, name: 'Syndicat mixte e-Collectivités' },
    });
    const [user] = await database.db.select().from(users).where(eq(users.email, 'admin@op.fr'));
    expect(user.displayName).toBe('Alice Martin');
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
    const [role] = await database.db
      .select()
      .from(organisationUsers)
      .where(eq(organisationUsers.userId, user.id));
    expect(role).toMatchObject({ memberId: result.operator.id, role: 'admin' });
    const [operator] = await database.db
      .select()
      .from(organisations)
      .where(eq(organisations.id, result.operator.id));
    expect(operator).toMatchObject({ kind: 'operator', siren: SIREN });
  });

  it('promotes an existing account without touching its password, and reuses the operator', async () => {
    const result = await createOperatorAdmin(database.db, { email: 'admin@op.fr' });
    expect(result).toMatchObject({
      accountCreated: false,
      passwordChanged: false,
      operator: { created: false },
    });
    const [user] = await database.db.select().from(users).where(eq(users.email, 'admin@op.fr'));
    expect(await verifyPassword(user.passwordHash, PASSWORD)).toBe(true);
    expect(await database.db.select().from(organisations)).toHaveLength(1);
  });

  it('changes the password of an existing account on request', async () => {
    const result = await createOperatorAdmin(database.db, {
      email: 'admin@op.fr',
      password: 'un-autre-mot-de-passe',
      resetPassword: true,
    });
    expect(result.passwordChanged).toBe(true);
    const [user] = await database.db.select().from(users).where(eq(users.email, 'admin@op.fr'));
    expect(await verifyPassword(user.passwordHash, 'un-autre-mot-de-passe')).toBe(true);
  });
});
