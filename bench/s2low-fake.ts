/**
 * The fake S²LOW in a process of its own, for the transmission bench: S²LOW is an external system, so
 * its HTTP server, multipart parsing and XML are not the platform's CPU. Prints one JSON line
 * `{"url": …}` once it listens, then serves until its standard input closes (the parent went away)
 * or SIGTERM.
 *
 *   npx tsx bench/s2low-fake.ts [--ack-delay 0]
 */
import { parseArgs } from 'node:util';
import { startFakeS2low } from '../src/server/modules/acts/transmission/s2low.fake-server.js';

const { values: args } = parseArgs({ options: { 'ack-delay': { type: 'string', default: '0' } } });
const fake = await startFakeS2low({ host: '127.0.0.1', port: 0, ackDelayMs: Number(args['ack-delay']) });
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
const stop = () => {
  fake.close().finally(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
