import crypto from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../platform/db/client.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a database created
 * on the PostgreSQL server of TEST_DATABASE_URL when SOCLE_TEST_DB=postgres (dropped on close).
 */
export async function openTestDatabase(): Promise<Database> {
  if (process.env.SOCLE_TEST_DB !== 'postgres') {
    const database = await openDatabase({});
    await database.migrate();
    return database;
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('SOCLE_TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `socle_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 4 });
  await database.migrate();
  return {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
