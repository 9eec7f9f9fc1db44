import fs from 'node:fs';
import path from 'node:path';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { DATABASE_FREE_TESTS, isDatabaseFree } from './src/server/test/database-free.js';

const serverTests = ['src/**/*.test.ts'];
// Migrates once per run; each test file then opens a copy (src/server/test/database.ts).
const globalSetup = ['src/server/test/global-setup.ts'];
const postgres = process.env.TEST_DATABASE_URL;

/**
 * Server test files share their worker's modules (`isolate: false`: the app's imports are loaded once
 * per worker, not once per file, about half the CPU). A file that mocks a module (vi.mock, vi.doMock)
 * needs fresh modules: such files are found here by their text and run in a `…-isolated` project of
 * their own. Files run one after another in a worker, and each restores what it changes (clock, env).
 */
const MOCKS_MODULES = /\bvi\.(mock|doMock|unmock|doUnmock)\(/;
function filesMockingModules(folder: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...filesMockingModules(full));
    else if (entry.name.endsWith('.test.ts') && MOCKS_MODULES.test(fs.readFileSync(full, 'utf8'))) {
      found.push(
        path
          .relative(import.meta.dirname, full)
          .split(path.sep)
          .join('/'),
      );
    }
  }
  return found;
}
const mocking = filesMockingModules(path.join(import.meta.dirname, 'src'));

/**
 * The two files that call every route with many people and inputs (about a minute each): they test
 * the policies, RLS and validation, which are the same SQL on both databases. With PostgreSQL available
 * they run there only — the production database, and the only one with the read-only pool anonymous
 * reads take — instead of twice; without it, on PGlite.
 */
const EVERY_ROUTE_TESTS = ['src/server/test/authorisation-matrix.test.ts', 'src/server/test/fuzz.test.ts'];

/**
 * The modules' database files (their routes, services and SQL): with PostgreSQL available they run
 * there only. PGlite is the same PostgreSQL engine compiled to WebAssembly; what differs is the
 * platform's code around it (connection, tenant runner, notifications, dumps, the embedded start),
 * which the platform's, the seeds' and the start's files test on PGlite in every run. Without
 * PostgreSQL (a local `npm test`) every file runs on PGlite. About a minute and a half of CI.
 */
function moduleDatabaseFiles(folder = path.join(import.meta.dirname, 'src/server/modules')): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...moduleDatabaseFiles(full));
    else if (entry.name.endsWith('.test.ts')) {
      const relative = path
        .relative(import.meta.dirname, full)
        .split(path.sep)
        .join('/');
      if (!isDatabaseFree(relative)) found.push(relative);
    }
  }
  return found;
}
const POSTGRES_ONLY = postgres ? [...EVERY_ROUTE_TESTS, ...moduleDatabaseFiles()] : [];

/**
 * The whole demo seeded as the first `npm start` does (a minute of the suite per database): on the
 * embedded default only, the database `npm start` seeds it on. On PostgreSQL the same seeding runs in
 * every run that has it, before the browser files (test/e2e/prepare-demo.ts), and every journey reads
 * what it wrote.
 */
const PGLITE_ONLY = ['src/server/seed/demo.test.ts'];

/** A server project and its isolated twin (the files that mock modules). */
function serverProjects(
  name: string,
  database: 'pglite' | 'postgres',
  databaseFreeToo: boolean,
): TestProjectInlineConfiguration[] {
  const exclude = [
    ...(databaseFreeToo ? [] : DATABASE_FREE_TESTS),
    ...(database === 'pglite' ? POSTGRES_ONLY : PGLITE_ONLY),
  ];
  const common = {
    environment: 'node' as const,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { SOCLE_TEST_DB: database },
    globalSetup,
    // Cheap argon2 costs for the tests (see the file).
    setupFiles: ['src/server/test/setup.ts'],
  };
  const shared: TestProjectInlineConfiguration = {
    test: {
      ...common,
      name,
      include: serverTests,
      exclude: [...configDefaults.exclude, ...exclude, ...mocking],
      isolate: false,
    },
  };
  const isolated = (databaseFreeToo ? mocking : mocking.filter((file) => !isDatabaseFree(file))).filter(
    (file) => !(database === 'postgres' ? PGLITE_ONLY : POSTGRES_ONLY).includes(file),
  );
  if (isolated.length === 0) return [shared];
  return [shared, { test: { ...common, name: `${name}-isolated`, include: isolated, isolate: true } }];
}

export default defineConfig({
  test: {
    // Vitest's default is one worker less than the cores: on a 2-core CI machine the whole suite ran in
    // a single worker. Much of a test's time is spent waiting on PostgreSQL or the browser, so two
    // workers overlap that waiting.
    maxWorkers: 2,
    projects: [
      ...serverProjects('server', 'pglite', true),
      // Only the files that use a database: the pure ones (database-free.ts) would test nothing more.
      ...(postgres ? serverProjects('server-postgres', 'postgres', false) : []),
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // Each file starts its own platform (support.ts): the modules, loaded once per worker, hold
          // nothing a file leaves behind, as for the server files. About 3–5 s of CPU less per file.
          isolate: false,
          // Migrated database dumps, and the run's seeded demo that every file copies (support.ts).
          globalSetup: ['test/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
