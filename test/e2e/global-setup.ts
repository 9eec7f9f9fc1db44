import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensurePgliteDumps } from '../../src/server/test/database.js';
import { CHROMIUM_PATH, demoCopyIn } from './demo.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's folder for the seeded demo that the browser test files share (support.ts). */
    socleE2eDemoFolder: string;
  }
}

/**
 * Once per run: the migrated PGlite dumps, and a folder for the demo copy, removed at the end. The web
 * build and the demo are prepared in a child process (prepare-demo.ts) before any file starts: waiting
 * inside a browser file's `beforeAll` counted against its hook timeout and failed files on a loaded
 * machine. Under `npm test` that half minute of one core runs beside tsc (scripts/test.mjs).
 */
export default async function setup(project: TestProject) {
  const dumps = await ensurePgliteDumps();
  project.provide('socleTestDatabases', { pgliteDumps: dumps });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'socle-e2e-demo-'));
  project.provide('socleE2eDemoFolder', folder);
  // Without Chromium the browser files are skipped (or fail at once in CI): nothing to prepare.
  const child = fs.existsSync(CHROMIUM_PATH)
    ? prepareInChild(project.config.root, folder, dumps.empty)
    : null;
  if (child) {
    await new Promise((resolve) => {
      child.once('close', resolve);
      child.once('error', resolve);
    });
    const demo = demoCopyIn(folder);
    if (!fs.existsSync(demo.dump)) {
      const reason = fs.existsSync(demo.failure) ? fs.readFileSync(demo.failure, 'utf8') : 'no dump';
      fs.rmSync(folder, { recursive: true, force: true });
      throw new Error(`préparation de la démo des tests navigateur impossible : ${reason}`);
    }
  }
  return async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
    fs.rmSync(folder, { recursive: true, force: true });
  };
}

function prepareInChild(root: string, folder: string, emptyDump: string): ChildProcess {
  const script = path.join(import.meta.dirname, 'prepare-demo.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, folder, emptyDump], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // A child that dies before writing the dump or its reason (killed, no tsx) must not leave the
  // browser files waiting.
  child.once('exit', (code, signal) => {
    const demo = demoCopyIn(folder);
    if (fs.existsSync(demo.dump) || fs.existsSync(demo.failure)) return;
    fs.writeFileSync(demo.failure, `prepare-demo.ts exited (code ${code}, signal ${signal})`);
  });
  child.once('error', (error) => {
    fs.writeFileSync(demoCopyIn(folder).failure, `prepare-demo.ts did not start: ${error.message}`);
  });
  return child;
}
