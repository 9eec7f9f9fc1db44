import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  createPostgresDatabase,
  databaseUrl,
  dropPostgresDatabase,
  ensurePgliteDumps,
  postgresBaseUrl,
  withAdmin,
} from '../../src/server/test/database.js';
import { CHROMIUM_PATH, type DemoSource, demoCopyIn } from './demo.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's folder for the seeded demo that the browser test files share (support.ts). */
    socleE2eDemoFolder: string;
  }
}

/**
 * Once per run: a folder for the demo copy, removed at the end, and the seeded demo. The web build and
 * the demo are prepared in a child process (prepare-demo.ts) before any file starts: waiting inside a
 * browser file's `beforeAll` counted against its hook timeout and failed files on a loaded machine.
 * Under `npm test` that minute of one core runs beside tsc (scripts/test.mjs).
 *
 * Where: with a PostgreSQL server (TEST_DATABASE_URL, as in CI) the demo is seeded in a database of
 * its own that every file copies as a template; otherwise on PGlite, as `npm start` runs, from the
 * migrated `empty` dump. On PostgreSQL the journeys' queries run natively beside the test's process
 * instead of in PGlite's WebAssembly on the test's own thread (the server files test both databases).
 */
export default async function setup(project: TestProject) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'socle-e2e-demo-'));
  project.provide('socleE2eDemoFolder', folder);
  const postgres = process.env.TEST_DATABASE_URL ? await createDemoDatabase() : null;
  let source: DemoSource;
  if (postgres) {
    source = { kind: 'postgres', url: postgres.url };
  } else {
    const dumps = await ensurePgliteDumps();
    project.provide('socleTestDatabases', { pgliteDumps: dumps });
    source = { kind: 'pglite', emptyDump: dumps.empty };
  }
  const removeAll = async () => {
    await postgres?.drop();
    fs.rmSync(folder, { recursive: true, force: true });
  };
  // Without Chromium the browser files are skipped (or fail at once in CI): nothing to prepare.
  const child = fs.existsSync(CHROMIUM_PATH) ? prepareInChild(project.config.root, folder, source) : null;
  if (child) {
    await new Promise((resolve) => {
      child.once('close', resolve);
      child.once('error', resolve);
    });
    const demo = demoCopyIn(folder);
    if (!fs.existsSync(demo.dump) && !fs.existsSync(demo.template)) {
      const reason = fs.existsSync(demo.failure) ? fs.readFileSync(demo.failure, 'utf8') : 'no dump';
      await removeAll();
      throw new Error(`préparation de la démo des tests navigateur impossible : ${reason}`);
    }
    // A template must have no session while copied: none may connect to it any more.
    await postgres?.freeze();
  }
  return async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
    await removeAll();
  };
}

/** An empty database for this run's demo (a unique name: several runs may share the server). */
async function createDemoDatabase() {
  const base = postgresBaseUrl();
  const name = `socle_e2e_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  await createPostgresDatabase(base, name);
  return {
    url: databaseUrl(base, name),
    freeze: () =>
      withAdmin(base, (admin) => admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`)),
    drop: () => dropPostgresDatabase(base, name),
  };
}

function prepareInChild(root: string, folder: string, source: DemoSource): ChildProcess {
  const script = path.join(import.meta.dirname, 'prepare-demo.ts');
  const location = source.kind === 'pglite' ? source.emptyDump : source.url;
  const child = spawn(process.execPath, ['--import', 'tsx', script, folder, source.kind, location], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // A child that dies before writing the dump or its reason (killed, no tsx) must not leave the
  // browser files waiting.
  child.once('exit', (code, signal) => {
    const demo = demoCopyIn(folder);
    if (fs.existsSync(demo.dump) || fs.existsSync(demo.template) || fs.existsSync(demo.failure)) return;
    fs.writeFileSync(demo.failure, `prepare-demo.ts exited (code ${code}, signal ${signal})`);
  });
  child.once('error', (error) => {
    fs.writeFileSync(demoCopyIn(folder).failure, `prepare-demo.ts did not start: ${error.message}`);
  });
  return child;
}
