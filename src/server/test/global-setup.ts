import type { TestProject } from 'vitest/node';
import { createPostgresTemplates, ensurePgliteDumps } from './database.js';

/**
 * Runs once per Vitest project before its test files: migrates the databases the files then copy
 * (see database.ts), and drops this run's PostgreSQL templates at the end.
 */
export default async function setup(project: TestProject) {
  if (project.config.env?.SOCLE_TEST_DB === 'postgres') {
    const { templates, drop } = await createPostgresTemplates();
    project.provide('socleTestDatabases', { postgresTemplates: templates });
    return drop;
  }
  project.provide('socleTestDatabases', { pgliteDumps: await ensurePgliteDumps() });
}
