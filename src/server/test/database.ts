import crypto from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../platform/db/client.js';

/** The URL of each PostgreSQL test database, for a second connection pool on it. */
const urls = new WeakMap<Database, string>();

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
  const opened: Database = {
    ...database,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
  urls.set(opened, url.toString());
  return opened;
}

/**
 * Another connection pool on the same test database, as a second process would open (PostgreSQL);
 * on PGlite, which one process alone opens, the same database. Close it before the first.
 */
export async function openAnotherConnection(database: Database): Promise<Database> {
  const url = urls.get(database);
  if (!url) return { ...database, close: async () => {} };
  return openDatabase({ url, poolSize: 4 });
}
