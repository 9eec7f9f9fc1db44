import { defineConfig } from 'vitest/config';

const serverTests = ['src/**/*.test.ts'];
// Migrates once per run; each test file then opens a copy (src/server/test/database.ts).
const globalSetup = ['src/server/test/global-setup.ts'];
// Each server test file imports the app afresh: files mock modules (vi.mock), which sharing a worker's
// modules across files (isolate: false, half the CPU) would break.
const isolate = true;
const postgres = process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    // Vitest's default is one worker less than the cores: on a 2-core CI machine the whole suite ran in
    // a single worker. Much of a test's time is spent waiting on PostgreSQL or the browser, so two
    // workers overlap that waiting.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'server',
          include: serverTests,
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          env: { SOCLE_TEST_DB: 'pglite' },
          globalSetup,
          isolate,
        },
      },
      ...(postgres
        ? [
            {
              test: {
                name: 'server-postgres',
                include: serverTests,
                environment: 'node',
                testTimeout: 30_000,
                hookTimeout: 60_000,
                env: { SOCLE_TEST_DB: 'postgres' },
                globalSetup,
                isolate,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // Migrated database dumps, and a folder where the first file leaves the seeded demo.
          globalSetup: ['test/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
