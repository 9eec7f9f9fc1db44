import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { expect, inject } from 'vitest';
import { type Database, MIGRATIONS_FOLDER, openDatabase } from '../platform/db/client.js';
import { sqlStateOf } from '../platform/errors.js';
import { PROJECT_ROOT } from '../platform/paths.js';
import { isDatabaseFree } from './database-free.js';
import { seedTerritorySample } from './territory-sample.js';

/**
 * Migrating takes seconds on PGlite and ran once per test file. The test run migrates once instead
 * (global-setup.ts), and every file opens a copy:
 * - PGlite: a dump of the migrated data folder, kept in the OS temp folder under a name hashing the
 *   migrations, the territory sample and this code (a stale dump is never reused; a fresh one is
 *   shared by later runs);
 * - PostgreSQL: `CREATE DATABASE … TEMPLATE` from template databases made for this run.
 * Each comes in two variants: empty, and with the territory sample (what createTestApp uses).
 */
export type TestDatabaseVariant = 'empty' | 'territorySample';
const VARIANTS: TestDatabaseVariant[] = ['empty', 'territorySample'];

/** What global-setup.ts hands to the test files. */
export interface TestDatabases {
  /** PGlite dump file per variant. */
  pgliteDumps?: Record<TestDatabaseVariant, string>;
  /** PostgreSQL template database per variant. */
  postgresTemplates?: Record<TestDatabaseVariant, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    socleTestDatabases: TestDatabases;
  }
}

export interface TestDatabaseOptions {
  /** Start with the real territory sample of territory-sample.ts (createTestApp's default). */
  territorySample?: boolean;
}

/** The URL of each PostgreSQL test database, for a second connection pool on it. */
const urls = new WeakMap<Database, string>();

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a database created
 * on the PostgreSQL server of TEST_DATABASE_URL when SOCLE_TEST_DB=postgres (dropped on close).
 */
export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<Database> {
  refuseInDatabaseFreeFile();
  const variant: TestDatabaseVariant = options.territorySample ? 'territorySample' : 'empty';
  const provided = providedDatabases();
  if (process.env.SOCLE_TEST_DB !== 'postgres') {
    // Without the global setup (another config), the dump is made here, once per machine.
    const dump = provided.pgliteDumps?.[variant] ?? (await ensurePgliteDumps())[variant];
    return openDatabase({ loadDataDir: new Blob([fs.readFileSync(dump)]) });
  }
  const template = provided.postgresTemplates?.[variant];
  const opened = await openPostgresCopy(template);
  if (!template) {
    await opened.migrate();
    if (variant === 'territorySample') await seedTerritorySample(opened.db);
  }
  return opened;
}

/**
 * A new database on the PostgreSQL server of TEST_DATABASE_URL, copied from `template` (or empty),
 * dropped when closed. The browser files open theirs from the run's seeded demo (test/e2e).
 */
export async function openPostgresCopy(template?: string, poolSize = 4): Promise<Database> {
  const base = postgresBaseUrl();
  const name = `socle_test_${crypto.randomBytes(6).toString('hex')}`;
  await createPostgresDatabase(base, name, template);
  const url = databaseUrl(base, name);
  const database = await openDatabase({ url, poolSize });
  const opened: Database = {
    ...database,
    close: async () => {
      await database.close();
      await dropPostgresDatabase(base, name);
    },
  };
  urls.set(opened, url);
  return opened;
}

/**
 * A file listed as database-free (database-free.ts) is skipped on PostgreSQL: it must not open a
 * database, or its PostgreSQL run would be lost without anyone noticing.
 */
function refuseInDatabaseFreeFile(): void {
  const file = currentTestFile();
  if (file && isDatabaseFree(file)) {
    throw new Error(
      `${file} opens a database but is listed in src/server/test/database-free.ts (skipped on PostgreSQL): remove it from that list`,
    );
  }
}

/** The running test file, relative to the project root with `/` separators (null outside Vitest). */
function currentTestFile(): string | null {
  let testPath: string | undefined;
  try {
    testPath = expect.getState().testPath;
  } catch {
    return null;
  }
  return testPath ? path.relative(PROJECT_ROOT, testPath).split(path.sep).join('/') : null;
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

function providedDatabases(): TestDatabases {
  try {
    return inject('socleTestDatabases') ?? {};
  } catch {
    return {};
  }
}

export function postgresBaseUrl(): string {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('SOCLE_TEST_DB=postgres needs TEST_DATABASE_URL');
  return base;
}

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(base: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * PostgreSQL refuses to copy a template while any session is connected to it (SQLSTATE 55006),
 * which a template being prepared or dropped may briefly be: wait and retry.
 */
export async function createPostgresDatabase(base: string, name: string, template?: string): Promise<void> {
  await withAdmin(base, async (admin) => {
    const statement = template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(statement);
        return;
      } catch (error) {
        if (sqlStateOf(error) !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * Math.min(attempt, 10)));
      }
    }
  });
}

export async function dropPostgresDatabase(base: string, name: string): Promise<void> {
  await withAdmin(base, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * Template databases for this run (unique names: several runs may share the server), migrated once.
 * They refuse connections once ready, so that no stray session can make a copy fail. Returns them
 * with the function that drops them.
 */
export async function createPostgresTemplates(): Promise<{
  templates: Record<TestDatabaseVariant, string>;
  drop(): Promise<void>;
}> {
  const base = postgresBaseUrl();
  const prefix = `socle_tpl_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const templates: Record<TestDatabaseVariant, string> = {
    empty: `${prefix}_empty`,
    territorySample: `${prefix}_sample`,
  };
  const drop = async () => {
    for (const name of Object.values(templates)) await dropPostgresDatabase(base, name);
  };
  try {
    await createPostgresDatabase(base, templates.empty);
    const empty = await openDatabase({ url: databaseUrl(base, templates.empty), poolSize: 1 });
    await empty.migrate().finally(() => empty.close());
    await createPostgresDatabase(base, templates.territorySample, templates.empty);
    const sample = await openDatabase({ url: databaseUrl(base, templates.territorySample), poolSize: 1 });
    await seedTerritorySample(sample.db).finally(() => sample.close());
    await withAdmin(base, async (admin) => {
      for (const name of Object.values(templates)) {
        await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      }
    });
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
  return { templates, drop };
}

/**
 * The PGlite dumps, made if missing. Written to a temporary name then renamed: concurrent runs (or
 * workers without the global setup) may all make one, none reads a half-written file.
 */
export async function ensurePgliteDumps(): Promise<Record<TestDatabaseVariant, string>> {
  const key = dumpKey();
  const files = Object.fromEntries(
    VARIANTS.map((variant) => [variant, path.join(os.tmpdir(), `socle-test-${key}-${variant}.tar`)]),
  ) as Record<TestDatabaseVariant, string>;
  if (VARIANTS.every((variant) => fs.existsSync(files[variant]))) return files;
  const database = await openDatabase({});
  try {
    await database.migrate();
    await writeDump(database, files.empty);
    await seedTerritorySample(database.db);
    await writeDump(database, files.territorySample);
  } finally {
    await database.close();
  }
  return files;
}

async function writeDump(database: Database, file: string): Promise<void> {
  const dump = await database.dumpDataDir?.();
  if (!dump) throw new Error('this database cannot be dumped');
  const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
  fs.renameSync(partial, file);
}

/** Everything a dump depends on: migrations, the sample (code and data), PGlite, this file. */
function dumpKey(): string {
  const hash = crypto.createHash('sha256');
  const addFolder = (folder: string) => {
    const entries = fs.readdirSync(folder, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) addFolder(full);
      else hash.update(`${path.relative(MIGRATIONS_FOLDER, full)}\0`).update(fs.readFileSync(full));
    }
  };
  addFolder(MIGRATIONS_FOLDER);
  for (const source of ['./territory-sample.ts', './database.ts']) {
    hash.update(fs.readFileSync(fileURLToPath(new URL(source, import.meta.url))));
  }
  for (const pkg of ['@electric-sql/pglite', '@etalab/decoupage-administratif']) {
    hash.update(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', pkg, 'package.json')));
  }
  return hash.digest('hex').slice(0, 16);
}
