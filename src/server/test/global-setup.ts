import type { TestProject } from 'vitest/node';
import { createPostgresTemplates, ensurePgliteDumps, type TestDatabaseVariant } from './database.js';

interface SharedTemplates {
  ready: Promise<{ templates: Record<TestDatabaseVariant, string>; drop(): Promise<void> }>;
  users: number;
}

/** The PostgreSQL projects of one run (`server-postgres` and its isolated twin) share the templates. */
const shared = globalThis as { socleTestTemplates?: SharedTemplates };

/**
 * Runs once per Vitest project before its test files: migrates the databases the files then copy
 * (see database.ts), and drops this run's PostgreSQL templates at the end.
 */
export default async function setup(project: TestProject) {
  if (project.config.env?.SOCLE_TEST_DB === 'postgres') {
    shared.socleTestTemplates ??= { ready: createPostgresTemplates(), users: 0 };
    const mine = shared.socleTestTemplates;
    mine.users++;
    const { templates, drop } = await mine.ready;
    project.provide('socleTestDatabases', { postgresTemplates: templates });
    return async () => {
      mine.users--;
      if (mine.users > 0) return;
      if (shared.socleTestTemplates === mine) shared.socleTestTemplates = undefined;
      await drop();
    };
  }
  project.provide('socleTestDatabases', { pgliteDumps: await ensurePgliteDumps() });
}
