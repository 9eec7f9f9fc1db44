import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { SessionLive } from '../../../contracts/governance.js';
import type { ChangeFeed } from '../../platform/changes.js';
import type { Db } from '../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { unavailable } from '../../platform/errors.js';
import { liveSnapshot } from './governance.sessions.service.js';

/** The change topic a session's revision notifies (migration governance_live_rls). */
export const SESSION_TOPIC_PREFIX = 'governance_session:';

export interface LiveStreamLimits {
  /** Streams one session may have open in this process. */
  perSession: number;
  /** Streams this process may have open in all. */
  total: number;
  /** A comment line every `heartbeatMs` keeps proxies from closing an idle stream (25 s). */
  heartbeatMs?: number;
  /** How often each stream's reader is checked again (60 s); a reader who may no longer read is cut. */
  recheckMs?: number;
  /**
   * How long a stream lives at most (30 min, shortened by up to a tenth at random so that streams
   * opened together do not all end together): then it ends cleanly, and EventSource reconnects
   * through the whole request pipeline (session, access, first state) after one second.
   */
  maxLifetimeMs?: number;
}

/**
 * Whether the stream's reader may still read the session, asked every `recheckMs`: the route's
 * check (its credentials read again, then the rule of `GET …/live`). Throws when it cannot tell
 * (the database away): the stream then stays, and is asked again at the next turn.
 */
export type ReaderCheck = () => Promise<boolean>;

/** Checks run at most this many at a time: thousands of streams opened together share a few connections. */
const CONCURRENT_CHECKS = 4;

/** A stream whose client does not read is dropped past this many buffered bytes. */
const SLOW_CLIENT_BYTES = 256 * 1024;

export const TOO_MANY_STREAMS_SESSION =
  'Trop de pages suivent déjà cette séance en direct sur ce serveur : la page se met à jour en interrogeant le serveur à intervalles réguliers. Réessayez plus tard.';
export const TOO_MANY_STREAMS_TOTAL =
  'Ce serveur suit déjà le nombre maximal de séances en direct : la page se met à jour en interrogeant le serveur à intervalles réguliers. Réessayez plus tard.';

interface Stream {
  out: PassThrough;
  /** The revision this stream last received. */
  revision: number;
  stillReads: ReaderCheck | null;
  /** The next check of the reader, then the end of the stream's lifetime. */
  recheck: NodeJS.Timeout | null;
  expiry: NodeJS.Timeout | null;
  /** Removed (the client went, the stream was ended): no further check is scheduled. */
  gone: boolean;
}

interface SessionStreams {
  streams: Set<Stream>;
  /** A snapshot is being read; `again` when another change arrived meanwhile. */
  reading: boolean;
  again: boolean;
}

/** One server-sent event carrying a live state (its `id` is the session's revision). */
export function liveEvent(live: SessionLive): string {
  return `id: ${live.revision}\ndata: ${JSON.stringify(live)}\n\n`;
}

/**
 * The open live streams of this process (`GET /governance/sessions/:id/live/events`), by session.
 *
 * A fan-out, not a cache: when the database notifies that a session's revision moved (the topic
 * `governance_session:<id>` on `socle_changes`, ChangeFeed), the live state is read ONCE, as the
 * system, and the same bytes are written to every stream open on that session; nothing is kept once
 * written. Each stream's reader was checked when it connected, with the request pipeline and the
 * same rule as `GET …/live` (`getSessionLive`), which also gave the stream its first state. A stream
 * receives a state only if its revision is newer than the last one it got, so a change racing a
 * connection is neither lost (the first stream of a session asks for a fresh read once registered)
 * nor sent backwards. When the notification connection drops or comes back, every open session is
 * read again (notifications may have been missed). While nothing changes, an open page costs a
 * comment line every 25 s.
 *
 * A stream's reader is checked again every `recheckMs` (`ReaderCheck`: their session or token read
 * again, then the same rule), at most `CONCURRENT_CHECKS` at a time, the first check of each at a
 * random point of its first interval; a reader who lost the right (seat removed, role or scope
 * withdrawn, signed out) has their stream ended, and EventSource's reconnection is refused (404 or
 * 401), after which the page polls and is refused too. Past `maxLifetimeMs` a stream is ended with
 * `retry: 1000`: the browser reconnects a second later, checked again from the start.
 */
export class SessionLiveStreams {
  private readonly sessions = new Map<string, SessionStreams>();
  private total = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private closed = false;
  /**
   * The connections that carried a stream: Node keeps them open after the stream (keep-alive, and
   * it does not count a connection whose SSE response was cut as idle), which would hold the
   * server's close for Fastify's keep-alive timeout (72 s); `close()` ends them.
   */
  private readonly sockets = new Set<Socket>();
  /** Reads and checks in flight, awaited by `close()`. */
  private readonly reads = new Set<Promise<void>>();
  private checking = 0;
  private readonly waitingChecks: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    changes: ChangeFeed,
    private readonly limits: LiveStreamLimits,
    private readonly log: FastifyBaseLogger,
  ) {
    this.unsubscribe = changes.subscribe({
      topic: (topic) => {
        if (topic.startsWith(SESSION_TOPIC_PREFIX)) this.changed(topic.slice(SESSION_TOPIC_PREFIX.length));
      },
      resync: () => {
        for (const sessionId of this.sessions.keys()) this.changed(sessionId);
      },
    });
  }

  /** Streams open now (on one session, or in all). */
  count(sessionId?: string): number {
    return sessionId === undefined ? this.total : (this.sessions.get(sessionId)?.streams.size ?? 0);
  }

  /** 503 (French) when one more stream on `sessionId` would pass a limit. */
  checkRoom(sessionId: string): void {
    if (this.closed) throw unavailable('Le serveur s’arrête : rechargez la page dans quelques instants.');
    if (this.count(sessionId) >= this.limits.perSession) throw unavailable(TOO_MANY_STREAMS_SESSION);
    if (this.total >= this.limits.total) throw unavailable(TOO_MANY_STREAMS_TOTAL);
  }

  /**
   * Opens a stream on `sessionId` starting with `initial` (read by the caller in the reader's own
   * transaction, which checked access). The caller sends the returned stream as the response body;
   * it ends when the client goes, when the session is deleted, when `stillReads` answers no, past
   * its lifetime, or when the app closes.
   */
  open(
    sessionId: string,
    initial: SessionLive,
    response: ServerResponse | null = null,
    stillReads: ReaderCheck | null = null,
  ): PassThrough {
    this.checkRoom(sessionId);
    const out = new PassThrough();
    const stream: Stream = {
      out,
      revision: initial.revision,
      stillReads,
      recheck: null,
      expiry: null,
      gone: false,
    };
    // EventSource reconnects after 5 s if the connection breaks (not after a refusal: the page falls
    // back to polling then).
    out.write(`retry: 5000\n${liveEvent(initial)}`);
    let group = this.sessions.get(sessionId);
    const first = !group;
    if (!group) {
      group = { streams: new Set(), reading: false, again: false };
      this.sessions.set(sessionId, group);
    }
    group.streams.add(stream);
    this.total++;
    this.startHeartbeat();
    out.once('close', () => this.remove(sessionId, stream));
    const lifetime = this.limits.maxLifetimeMs ?? 30 * 60_000;
    stream.expiry = setTimeout(() => this.expire(stream), lifetime * (1 - Math.random() / 10));
    stream.expiry.unref();
    if (stillReads) this.scheduleCheck(sessionId, stream, Math.random() / 2 + 0.5);
    const socket = response?.socket;
    if (socket && !this.sockets.has(socket)) {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    }
    // A change committed between the caller's read and now notified nobody (no stream was open on
    // the session): read once more. Later streams are covered by the reads the first one triggers.
    if (first) this.changed(sessionId);
    return out;
  }

  /** Ends every stream and stops listening (the app's preClose: `app.close()` must not wait for them). */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    this.stopHeartbeat();
    for (const group of this.sessions.values()) {
      for (const stream of group.streams) {
        if (stream.recheck) clearTimeout(stream.recheck);
        if (stream.expiry) clearTimeout(stream.expiry);
        stream.out.end();
      }
    }
    await Promise.allSettled(this.reads);
    // Each ended response flushes its last bytes, then its connection goes (at once if idle).
    await Promise.all(
      [...this.sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => socket.destroy(), 1000);
            socket.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
            if (response && !response.writableFinished) response.once('finish', () => socket.end());
            else socket.end();
          }),
      ),
    );
  }

  private remove(sessionId: string, stream: Stream) {
    stream.gone = true;
    if (stream.recheck) clearTimeout(stream.recheck);
    if (stream.expiry) clearTimeout(stream.expiry);
    stream.recheck = stream.expiry = null;
    const group = this.sessions.get(sessionId);
    if (!group?.streams.delete(stream)) return;
    this.total--;
    if (group.streams.size === 0 && !group.reading) this.sessions.delete(sessionId);
    if (this.total === 0) this.stopHeartbeat();
  }

  /** The session's revision moved: read its live state once (or once more after the read in flight). */
  private changed(sessionId: string) {
    const group = this.sessions.get(sessionId);
    if (!group || this.closed) return;
    if (group.reading) {
      group.again = true;
      return;
    }
    group.reading = true;
    const read = this.read(sessionId, group).finally(() => this.reads.delete(read));
    this.reads.add(read);
  }

  private async read(sessionId: string, group: SessionStreams): Promise<void> {
    do {
      group.again = false;
      let live: SessionLive | null;
      try {
        live = await withTenant(this.db, SYSTEM_OPERATOR, (tx) => liveSnapshot(tx, sessionId));
      } catch (error) {
        // The database is away: the streams stay open, the next notification (or the feed's resync
        // when its connection comes back) reads again.
        this.log.warn({ err: error, sessionId }, 'governance live state not read');
        break;
      }
      if (this.closed) break;
      if (live === null) {
        for (const stream of group.streams) stream.out.end();
        break;
      }
      const event = liveEvent(live);
      for (const stream of group.streams) {
        if (stream.revision >= live.revision) continue;
        stream.revision = live.revision;
        if (stream.out.writableLength > SLOW_CLIENT_BYTES) stream.out.end();
        else stream.out.write(event);
      }
    } while (group.again && group.streams.size > 0 && !this.closed);
    group.reading = false;
    if (group.streams.size === 0 && this.sessions.get(sessionId) === group) this.sessions.delete(sessionId);
  }

  /** The stream lived its time: ended cleanly, the browser reconnects one second later. */
  private expire(stream: Stream) {
    stream.expiry = null;
    if (stream.gone || this.closed) return;
    stream.out.end('retry: 1000\n\n');
  }

  /** The next check of the stream's reader, `fraction` of an interval from now. */
  private scheduleCheck(sessionId: string, stream: Stream, fraction = 1) {
    if (stream.gone || this.closed) return;
    stream.recheck = setTimeout(
      () => {
        stream.recheck = null;
        const check = this.check(sessionId, stream).finally(() => this.reads.delete(check));
        this.reads.add(check);
      },
      (this.limits.recheckMs ?? 60_000) * fraction,
    );
    stream.recheck.unref();
  }

  private async check(sessionId: string, stream: Stream): Promise<void> {
    if (this.checking >= CONCURRENT_CHECKS) await new Promise<void>((turn) => this.waitingChecks.push(turn));
    else this.checking++;
    try {
      if (stream.gone || this.closed || !stream.stillReads) return;
      let allowed = true;
      try {
        allowed = await stream.stillReads();
      } catch (error) {
        // Not known (the database away): the stream stays until the next check, or its lifetime.
        this.log.warn({ err: error, sessionId }, 'governance live stream reader not checked');
      }
      if (!allowed) {
        this.log.info({ sessionId }, 'governance live stream ended: its reader may no longer read');
        stream.out.end();
        return;
      }
    } finally {
      // The turn passes to the next check waiting, or is given back.
      const next = this.waitingChecks.shift();
      if (next) next();
      else this.checking--;
    }
    this.scheduleCheck(sessionId, stream);
  }

  private startHeartbeat() {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const group of this.sessions.values())
        for (const stream of group.streams) stream.out.write(': \n\n');
    }, this.limits.heartbeatMs ?? 25_000);
    this.heartbeat.unref();
  }

  private stopHeartbeat() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
