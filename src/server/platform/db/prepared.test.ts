import { eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisations } from '../../kernel/identity.schema.js';
import { buildOperator, buildOrganisation } from '../../test/builders.js';
import { openTestDatabase } from '../../test/database.js';
import type { Database } from './client.js';
import { preparedStatement } from './prepared.js';
import { SYSTEM_OPERATOR, withTenant } from './tenancy.js';

const parent = alias(organisations, 'parent');

describe('preparedStatement', () => {
  let database: Database;
  let builds = 0;
  const organisationWithParent = preparedStatement('socle_test_prepared', (db) => {
    builds++;
    return db
      .select({ id: organisations.id, name: organisations.name, createdAt: organisations.createdAt, parent })
      .from(organisations)
      .leftJoin(parent, eq(parent.id, organisations.parentId))
      .where(eq(organisations.id, sql.placeholder('id')));
  });

  beforeAll(async () => {
    database = await openTestDatabase({ territorySample: true });
  });
  afterAll(() => database?.close());

  it('runs with each call’s values on the database and in a tenant transaction, built once', async () => {
    const db = database.db;
    const operator = await buildOperator(db);
    const child = await buildOrganisation(db, { name: 'Enfant', parentId: operator.id });
    const [alone] = await organisationWithParent(db, { id: operator.id });
    expect(alone).toMatchObject({ id: operator.id, name: operator.name, parent: null });
    expect(alone.createdAt).toBeInstanceOf(Date);
    const [withParent] = await withTenant(db, SYSTEM_OPERATOR, (tx) =>
      organisationWithParent(tx, { id: child.id }),
    );
    expect(withParent).toMatchObject({ id: child.id, name: 'Enfant', parent: { id: operator.id } });
    expect(await organisationWithParent(db, { id: crypto.randomUUID() })).toEqual([]);
    expect(builds).toBe(1);
  });
});
