/**
 * Run by the e2e global setup in a child process (`node --import tsx`) before the test files start:
 * prepares the run's demo copy (demo.ts), or leaves the reason it could not.
 * Arguments: the run's demo folder, the migrated `empty` PGlite dump.
 */
import fs from 'node:fs';
import { demoCopyIn, prepareDemo } from './demo.js';

const [folder, emptyDump] = process.argv.slice(2);
if (!folder || !emptyDump) throw new Error('usage: prepare-demo.ts <demo folder> <empty dump>');
const demo = demoCopyIn(folder);
try {
  await prepareDemo(demo, emptyDump);
} catch (error) {
  fs.writeFileSync(demo.failure, error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
