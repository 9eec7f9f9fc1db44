import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensurePgliteDumps } from '../../src/server/test/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's folder for the seeded demo that the browser test files share (support.ts). */
    socleE2eDemoFolder: string;
  }
}

/** Once per run: the migrated PGlite dumps, and a folder for the demo copy, removed at the end. */
export default async function setup(project: TestProject) {
  project.provide('socleTestDatabases', { pgliteDumps: await ensurePgliteDumps() });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'socle-e2e-demo-'));
  project.provide('socleE2eDemoFolder', folder);
  return () => fs.rmSync(folder, { recursive: true, force: true });
}
