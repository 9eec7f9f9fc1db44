import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';

let t: TestApp;
const lines: { msg?: string; level: number }[] = [];

beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  t = await createTestApp({}, { logStream: stream, oneLineRequestLogs: true });
});
afterAll(() => t?.close());

describe('development request logs', () => {
  it('write one line per request (none on arrival), with the status, the duration and the URL masked', async () => {
    lines.length = 0;
    await t.app.inject({ method: 'GET', url: '/ready?jeton=secret-planted-value' });
    await t.app.inject({ method: 'GET', url: '/api/v1/invitations/planted-invitation-token' });
    const messages = lines.map((line) => line.msg ?? '');
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^GET \/ready\?jeton=\[masqué\] 200 \d+ ms$/);
    expect(messages[1]).toMatch(/^GET \/api\/v1\/invitations\/\[masqué\] 404 \d+ ms$/);
    expect(messages.join('\n')).not.toContain('planted');
  });

  it("keep Fastify's own lines when not asked (production)", async () => {
    const other: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        other.push(String(chunk));
        done();
      },
    });
    const production = await createTestApp({}, { logStream: stream });
    try {
      await production.app.inject({ method: 'GET', url: '/ready' });
      expect(other.join('')).toContain('incoming request');
      expect(other.join('')).toContain('request completed');
    } finally {
      await production.close();
    }
  });
});
