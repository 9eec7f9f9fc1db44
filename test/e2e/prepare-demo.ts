/**
 * Run by the e2e global setup in a child process (`node --import tsx`) before the test files start:
 * prepares the run's demo copy (demo.ts), or leaves the reason it could not.
 * Arguments: the run's demo folder, then `pglite <migrated empty dump>` or `postgres <database URL>`.
 */
import fs from 'node:fs';
import { type DemoSource, demoCopyIn, prepareDemo } from './demo.js';

const [folder, kind, location] = process.argv.slice(2);
if (!folder || !location || (kind !== 'pglite' && kind !== 'postgres')) {
  throw new Error('usage: prepare-demo.ts <demo folder> pglite <empty dump> | postgres <database URL>');
}
const source: DemoSource = kind === 'pglite' ? { kind, emptyDump: location } : { kind, url: location };
const demo = demoCopyIn(folder);
try {
  await prepareDemo(demo, source);
} catch (error) {
  fs.writeFileSync(demo.failure, error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
