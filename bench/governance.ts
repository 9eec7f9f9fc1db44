/**
 * Governance benchmark (issue #12 §8), run by `npm run bench -- --governance` on the generated
 * database, or alone on a fresh in-memory PGlite: `npx tsx bench/governance.ts --delegates 100
 * --pollers 20 --updates 40` (a quick proof that it runs; the targets are for the full size).
 * - A comité syndical of `--delegates` titulars (default 1,000) and a session; its convocations are sent
 *   through the real route and delivered by the real job (one per recipient, in-memory transport):
 *   timed from the request to the last convocation marked sent. Target ≤ 30 s.
 * - Attendance updates (one line each, through the route, answering the quorum) while `--pollers`
 *   officials (default 200), each signed in with a seat, poll the sitting's live state (`…/live`, what
 *   the session page polls; `--poll page` polls the whole page instead), each asking again about
 *   `--poll-interval` ms (default 1,000) after its last answer, as a page refreshing itself. Target:
 *   p95 of the updates ≤ 50 ms. `--poll events`: the officials' pages listen instead
 *   (`…/live/events`, server-sent events, the app listening on a loopback port and read with fetch):
 *   each change is read once and written to every stream; the bench also says how long after the
 *   last update every listener had the last state. (Without any pause, PGlite's single session hands its lock to the
 *   pollers again and again and an update may wait indefinitely: in-process `inject` has no network gap.)
 * The app runs in this process (`buildApp`, caches off as in tests) and is called with `inject`.
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { withLuhnDigit } from '../src/contracts/identifiers.js';
import type { buildApp } from '../src/server/app.js';
import { createSession } from '../src/server/platform/auth/session.js';
import { type Database, rowsOf } from '../src/server/platform/db/client.js';
import { onFreshDatabase, runsAlone } from './alone.js';
import { inProcessApp } from './uncached-app.js';

export const GOVERNANCE_TARGETS = { convocationsMs: 30_000, attendanceP95Ms: 50 };

interface Options {
  delegates: number;
  pollers: number;
  updates: number;
  /** Mean pause of an official's page between two polls (ms). */
  pollIntervalMs: number;
  /**
   * What the officials' pages do: poll the sitting's live state (`live`, the fallback), poll the
   * whole page (`page`, before the live state existed), or listen to the pushed live state
   * (`events`: server-sent events over HTTP, what the page does where EventSource works).
   */
  poll?: 'live' | 'page' | 'events';
  log: (line: string) => void;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function signedIn(database: Database, userId: string, organisationId: string | null) {
  const { token } = await createSession(database.db, userId, organisationId, 4);
  return `socle_session=${token}`;
}

export async function benchGovernance(database: Database, options: Options) {
  const db = database.db;
  const tag = crypto.randomBytes(3).toString('hex');
  let [operator] = rowsOf<{ id: string }>(
    await db.execute(sql`SELECT id FROM organisations WHERE kind = 'operator'`),
  );
  if (!operator) {
    [operator] = rowsOf<{ id: string }>(
      await db.execute(sql`INSERT INTO organisations (kind, name, search_name, siren)
        VALUES ('operator', 'Opérateur du banc', 'operateur du banc', ${withLuhnDigit('25000000')}) RETURNING id`),
    );
  }
  // The secretary (an operator admin) and the officials (users with a seat, no organisation role).
  const [secretary] = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO users (email, display_name, password_hash)
      VALUES (${`secretaire-${tag}@banc.example`}, 'Secrétaire du banc', 'x') RETURNING id`),
  );
  await db.execute(sql`INSERT INTO organisation_users (member_id, user_id, role, scopes)
    VALUES (${operator.id}, ${secretary.id}, 'admin', '{}')`);
  const [assembly] = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO governance_assemblies (member_id, kind, name)
      VALUES (${operator.id}, 'comite_syndical', ${`Comité du banc ${tag}`}) RETURNING id`),
  );
  const officials = rowsOf<{ id: string }>(
    await db.execute(sql`INSERT INTO users (email, display_name, password_hash)
      SELECT 'elu-' || ${tag} || '-' || g || '@banc.example', 'Élu ' || g, 'x'
      FROM generate_series(1, ${options.pollers}) g RETURNING id`),
  );
  const officialIds = officials.map((o) => o.id);
  await db.execute(sql`INSERT INTO governance_seats (member_id, assembly_id, kind, full_name, email, user_id, term_start)
    SELECT ${operator.id}, ${assembly.id}, 'titular', 'Délégué ' || g, 'delegue-' || ${tag} || '-' || g || '@banc.example',
      (${sql.raw(`ARRAY[${officialIds.map((id) => `'${id}'::uuid`).join(',') || 'NULL::uuid'}]`)})[g],
      '2020-01-01'
    FROM generate_series(1, ${options.delegates}) g`);
  const seatIds = rowsOf<{ id: string }>(
    await db.execute(
      sql`SELECT id FROM governance_seats WHERE assembly_id = ${assembly.id} ORDER BY full_name`,
    ),
  ).map((s) => s.id);

  const app = await inProcessApp(database, {
    NODE_ENV: 'test',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'silent',
    JOBS_POLL_MS: '0',
  });
  try {
    const secretaryCookie = await signedIn(database, secretary.id, operator.id);
    const me = (
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: secretaryCookie } })
    ).json();
    const headers = { cookie: secretaryCookie, 'x-csrf-token': me.csrfToken as string };
    const created = await app.inject({
      method: 'POST',
      url: `/api/v1/governance/assemblies/${assembly.id}/sessions`,
      headers,
      payload: {
        startsAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
        place: 'Salle du banc',
        agenda: [{ title: 'Point du banc' }],
      },
    });
    if (created.statusCode !== 201) throw new Error(`session: ${created.statusCode} ${created.body}`);
    const sessionId: string = created.json().id;

    // Convocations: the request, then the delivery jobs until every recipient is marked sent.
    const convokeStarted = performance.now();
    const sent = await app.inject({
      method: 'POST',
      url: `/api/v1/governance/sessions/${sessionId}/convocations`,
      headers,
    });
    if (sent.statusCode !== 200) throw new Error(`convocations: ${sent.statusCode} ${sent.body}`);
    const requestMs = Math.round(performance.now() - convokeStarted);
    for (;;) {
      await app.jobs.runDue({ schedules: false });
      const [left] = rowsOf<{ n: number }>(
        await db.execute(sql`SELECT count(*)::int AS n FROM governance_convocations
          WHERE session_id = ${sessionId} AND sent_at IS NULL AND NOT paper`),
      );
      if (Number(left?.n ?? 0) === 0) break;
    }
    const convocationsMs = Math.round(performance.now() - convokeStarted);
    options.log(
      `governance: ${options.delegates} convocations sent in ${convocationsMs} ms (request ${requestMs} ms)`,
    );

    const cookies = await Promise.all(officialIds.map((id) => signedIn(database, id, null)));
    // Each request's cost alone (one after another, nobody else asking): what the load multiplies.
    const alone = async (
      times: number,
      call: (i: number) => Promise<{ statusCode: number; body: string }>,
    ) => {
      const durations: number[] = [];
      for (let i = 0; i < times; i++) {
        const started = performance.now();
        const response = await call(i);
        durations.push(performance.now() - started);
        if (response.statusCode >= 400) throw new Error(`alone: ${response.statusCode} ${response.body}`);
      }
      return Math.round(percentile(durations, 50) * 10) / 10;
    };
    const firstCookie = cookies[0] ?? secretaryCookie;
    const sessionUrl = `/api/v1/governance/sessions/${sessionId}`;
    const aloneReport = {
      liveP50Ms: await alone(30, () =>
        app.inject({ method: 'GET', url: `${sessionUrl}/live`, headers: { cookie: firstCookie } }),
      ),
      pageP50Ms: await alone(30, () =>
        app.inject({ method: 'GET', url: sessionUrl, headers: { cookie: firstCookie } }),
      ),
      attendanceP50Ms: await alone(30, (i) =>
        app.inject({
          method: 'PUT',
          url: `${sessionUrl}/attendance`,
          headers,
          payload: {
            entries: [{ seatId: seatIds[(seatIds.length - 1 - i) % seatIds.length], status: 'excused' }],
          },
        }),
      ),
    };
    options.log(`governance: each request alone ${JSON.stringify(aloneReport)}`);

    // Attendance updates while the officials poll the session page (or listen to it).
    const listening = options.poll === 'events' ? await listenAll(app, sessionId, cookies) : null;
    let polling = !listening;
    let polls = 0;
    const pollLatencies: number[] = [];
    let unchanged = 0;
    const pollers = cookies.map(async (cookie) => {
      // As the page does (web/app/api.ts getIfChanged): it asks for the sitting's live state with the
      // ETag of what it shows (`--poll page`: the whole page, as before the live state existed).
      let etag: string | undefined;
      while (polling) {
        const started = performance.now();
        const response = await app.inject({
          method: 'GET',
          url: `/api/v1/governance/sessions/${sessionId}${options.poll === 'page' ? '' : '/live'}`,
          headers: { cookie, ...(etag ? { 'if-none-match': etag } : {}) },
        });
        if (response.statusCode === 304) unchanged++;
        else if (response.statusCode === 200) etag = String(response.headers.etag);
        else throw new Error(`poll: ${response.statusCode} ${response.body.slice(0, 200)}`);
        pollLatencies.push(performance.now() - started);
        // A page refreshing itself: each official asks again `pollIntervalMs` after the last answer.
        await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs * (0.5 + Math.random())));
        polls++;
      }
    });
    const latencies: number[] = [];
    let quorum: unknown = null;
    for (let i = 0; i < options.updates; i++) {
      const seatId = seatIds[i % seatIds.length];
      const started = performance.now();
      const response = await app.inject({
        method: 'PUT',
        url: `/api/v1/governance/sessions/${sessionId}/attendance`,
        headers,
        payload: { entries: [{ seatId, status: 'present' }] },
      });
      latencies.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`attendance: ${response.statusCode} ${response.body}`);
      quorum = response.json().quorum;
    }
    polling = false;
    await Promise.all(pollers);
    const updatesDone = performance.now();
    let lastStateAllMs: number | null = null;
    if (listening) {
      const final = (
        await app.inject({ method: 'GET', url: `${sessionUrl}/live`, headers: { cookie: firstCookie } })
      ).json().revision as number;
      while (listening.revisions.some((r) => r < final) && performance.now() - updatesDone < 30_000)
        await new Promise((resolve) => setTimeout(resolve, 5));
      if (!listening.revisions.some((r) => r < final))
        lastStateAllMs = Math.round(performance.now() - updatesDone);
      listening.stop();
    }
    const report = {
      delegates: options.delegates,
      convocationsMs,
      convocationsOk: convocationsMs <= GOVERNANCE_TARGETS.convocationsMs,
      pollers: options.pollers,
      poll: options.poll ?? 'live',
      polls,
      pollsUnchanged: unchanged,
      pollP95Ms: listening ? null : Math.round(percentile(pollLatencies, 95)),
      ...(listening
        ? {
            streamsOpenMs: listening.openMs,
            events: listening.events(),
            lastStateToAllListenersMs: lastStateAllMs,
          }
        : {}),
      updates: options.updates,
      attendanceP50Ms: Math.round(percentile(latencies, 50)),
      attendanceP95Ms: Math.round(percentile(latencies, 95)),
      attendanceOk: percentile(latencies, 95) <= GOVERNANCE_TARGETS.attendanceP95Ms,
      quorum,
      alone: aloneReport,
    };
    options.log(`governance: ${JSON.stringify(report)}`);
    return report;
  } finally {
    await app.close();
  }
}

/**
 * One server-sent events stream per official (`…/live/events`), read with fetch over loopback: the
 * app listens on a free port for them. `revisions[i]` is the last revision listener `i` received.
 */
async function listenAll(app: Awaited<ReturnType<typeof buildApp>>, sessionId: string, cookies: string[]) {
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const abort = new AbortController();
  const revisions = cookies.map(() => -1);
  let events = 0;
  const started = performance.now();
  await Promise.all(
    cookies.map(async (cookie, i) => {
      const response = await fetch(`${base}/api/v1/governance/sessions/${sessionId}/live/events`, {
        headers: { cookie, accept: 'text/event-stream' },
        signal: abort.signal,
      });
      if (response.status !== 200 || !response.body)
        throw new Error(`events: ${response.status} ${await response.text()}`);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      // Set inside the promise's executor, which TypeScript's narrowing does not follow.
      let first = null as (() => void) | null;
      const opened = new Promise<void>((resolve) => {
        first = resolve;
      });
      void (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            buffer += decoder.decode(value, { stream: true });
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              const id = /^id: (\d+)$/m.exec(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
              if (!id) continue;
              events++;
              revisions[i] = Math.max(revisions[i], Number(id[1]));
              first?.();
              first = null;
            }
          }
        } catch {
          // aborted at the end
        }
      })();
      await opened;
    }),
  );
  return {
    revisions,
    events: () => events,
    openMs: Math.round(performance.now() - started),
    stop: () => abort.abort(),
  };
}

// Alone: a fresh in-memory PGlite, migrated, at the size asked for.
if (runsAlone(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      delegates: { type: 'string', default: '1000' },
      pollers: { type: 'string', default: '200' },
      updates: { type: 'string', default: '200' },
      'poll-interval': { type: 'string', default: '1000' },
      poll: { type: 'string', default: 'live' },
    },
  });
  await onFreshDatabase((database) =>
    benchGovernance(database, {
      delegates: Number(values.delegates),
      pollers: Number(values.pollers),
      updates: Number(values.updates),
      pollIntervalMs: Number(values['poll-interval']),
      poll: values.poll === 'page' || values.poll === 'events' ? values.poll : 'live',
      log: (line) => console.log(line),
    }),
  );
}
