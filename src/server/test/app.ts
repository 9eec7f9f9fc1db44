import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { ProConnectClient } from '../modules/accounts/proconnect/proconnect.client.js';
import { MemoryActsConnector } from '../modules/acts/acts.test-support.js';
import type { ActsConnector } from '../modules/acts/transmission/connector.js';
import type { Database } from '../platform/db/client.js';
import { enqueueCalls } from '../platform/jobs/queue.js';
import type { RunReport } from '../platform/jobs/worker.js';
import { loggerOptions } from '../platform/logger.js';
import { Mailer, MemoryTransport } from '../platform/mail/mailer.js';
import { MemoryStorage } from '../platform/storage/storage.js';
import { openTestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  mail: MemoryTransport;
  storage: MemoryStorage;
  /** The tiers de télétransmission the app sends acts to (in memory unless the test gave one). */
  actsConnector: ActsConnector;
  /** Runs the due jobs and scheduled runs now, as the polling runner of a real process would. */
  runJobs(): Promise<RunReport>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * After a request that queued jobs, before its answer is returned, run the due jobs (not the
   * schedules): a test reads the mail a request sent as soon as the request returns, as a person would
   * a moment later. On by default; job tests turn it off to drive the queue themselves.
   */
  runJobsAfterRequests?: boolean;
  /** The tiers de télétransmission (default: a MemoryActsConnector acknowledging at once). */
  actsConnector?: ActsConnector;
  /** ProConnect (default: none, the login page shows no button). */
  proconnect?: ProConnectClient;
  /** Receives the app's log as JSON lines (the production logger options, level `info`). */
  logStream?: NodeJS.WritableStream;
  /** Development's one line per request instead of Fastify's two (platform/logger.ts). */
  oneLineRequestLogs?: boolean;
}

/**
 * A full app on a fresh database with in-memory mail and storage, and a small slice of real territory.
 * The job runner does not poll: jobs run after a request that queued some (see TestAppOptions) or
 * with `runJobs()`.
 */
export async function createTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = await openTestDatabase({ territorySample: true });
  const mail = new MemoryTransport();
  const storage = new MemoryStorage();
  const config = loadConfig({ NODE_ENV: 'test', DEMO_DATA: 'false', LOG_LEVEL: 'silent', ...env });
  const actsConnector = options.actsConnector ?? new MemoryActsConnector();
  const app = await buildApp({
    config,
    database,
    mailer: new Mailer(mail),
    storage,
    actsConnector,
    proconnect: options.proconnect,
    logger: options.logStream ? loggerOptions(config, options.logStream) : undefined,
    oneLineRequestLogs: options.oneLineRequestLogs,
  });
  if (options.runJobsAfterRequests ?? true) {
    let seen = enqueueCalls();
    app.addHook('onSend', async () => {
      if (enqueueCalls() === seen) return;
      seen = enqueueCalls();
      await app.jobs.runDue({ schedules: false });
    });
  }
  await app.ready();
  return {
    app,
    database,
    mail,
    storage,
    actsConnector,
    runJobs: () => app.jobs.runDue(),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** A logged-in browser: its cookie and CSRF token are sent with every request. */
export interface Session {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export async function login(app: FastifyInstance, email: string, password: string): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200)
    throw new Error(`login failed for ${email}: ${response.statusCode} ${response.body}`);
  const setCookie = response.cookies.find((c) => c.name === 'socle_session');
  if (!setCookie) throw new Error('login set no session cookie');
  const cookie = `socle_session=${setCookie.value}`;
  const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
  const body = me.json();
  return { cookie, csrfToken: body.csrfToken, userId: body.user.id };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Sends a request as `session` (or anonymously with null), adding the CSRF header on writes. */
export function request(
  app: FastifyInstance,
  session: Session | null,
  method: Method,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    payload: payload as InjectOptions['payload'],
    headers: {
      ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {}),
      ...headers,
    },
  });
}

/**
 * A GET of a server-sent events route as `session`: the answer's body is read up to its first event
 * (or its end, for a refusal), then the stream is dropped. `request()` would wait for the end of a
 * stream that never ends.
 */
export async function requestStream(
  app: FastifyInstance,
  session: { cookie: string } | null,
  url: string,
): Promise<LightMyRequestResponse> {
  const abort = new AbortController();
  const response = await app.inject({
    method: 'GET',
    url,
    headers: session ? { cookie: session.cookie } : {},
    payloadAsStream: true,
    signal: abort.signal,
  });
  let body = '';
  const stream = response.stream();
  stream.on('error', () => {});
  for await (const chunk of stream) {
    body += String(chunk);
    if (body.includes('\n\n')) break;
  }
  abort.abort();
  return Object.assign(response, { body, payload: body, json: () => JSON.parse(body) });
}
