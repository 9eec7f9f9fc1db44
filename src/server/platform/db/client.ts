import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { type ExtractTablesWithRelations, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import {
  NodePgSession,
  type NodePgSessionOptions,
  NodePgTransaction,
} from 'drizzle-orm/node-postgres/session';
import type { PgDatabase, PgDialect, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { PgliteSessionOptions } from 'drizzle-orm/pglite/session';
import pg from 'pg';
import { isConnectionError } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import type * as schema from './schema.js';
import {
  rememberTransactionKey,
  settingsKey,
  type TenantRunner,
  tenantRunners,
  tenantSettingsStatement,
} from './tenancy.js';

export type Schema = typeof schema;
/** The query surface shared by PGlite and node-postgres: services only ever see this type. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Db | Tx;

export const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, 'db/migrations');

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Applies pending migrations; fails loudly. */
  migrate(): Promise<void>;
  /** PGlite only: the whole data folder as a tarball, which `OpenOptions.loadDataDir` opens again. */
  dumpDataDir?(): Promise<Blob>;
  /**
   * Receives the NOTIFY messages of `channel`. `onLive(false)` when the connection carrying them is
   * lost (messages may have been missed), `onLive(true)` once it listens again. Returns the unlisten.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onLive: (live: boolean) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class DataDirLockedError extends Error {}

export interface OpenOptions {
  /** postgres:// URL; without it, PGlite is used. */
  url?: string;
  /**
   * PostgreSQL: the URL the tenant transactions and anonymous reads connect with (a non-owner login
   * role, member of socle_app); `url` by default. See DATABASE_APP_URL in config.ts.
   */
  appUrl?: string;
  /** PGlite data folder; without it, an in-memory database (tests). */
  dataDir?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /**
   * PGlite without `dataDir`: start from this dump (`Database.dumpDataDir`) instead of an empty
   * database. Tests clone a database migrated once per run this way.
   */
  loadDataDir?: Blob;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10, options.appUrl);
  return openPglite(options.dataDir, options.loadDataDir);
}

/**
 * Statements seen at least twice get a name derived from their text, so that PostgreSQL parses and
 * plans them once per connection instead of on every request (planning the member page cost twice
 * its execution). Plans still follow role and RLS changes: PostgreSQL re-plans a cached statement
 * when the current role differs. At most MAX_NAMED texts are named, so dynamic SQL (IN lists of any
 * length, bulk inserts) cannot make every connection keep thousands of statements.
 */
const MAX_NAMED = 500;
const seenTexts = new Map<string, number>();
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known || statementNames.size >= MAX_NAMED) return known;
  const seen = (seenTexts.get(text) ?? 0) + 1;
  if (seen < 2) {
    if (seenTexts.size >= 10 * MAX_NAMED) seenTexts.clear();
    seenTexts.set(text, seen);
    return undefined;
  }
  seenTexts.delete(text);
  const name = `socle_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  statementNames.set(text, name);
  return name;
}

/**
 * Every pooled connection listens to its own errors. A connection can die at any moment (an
 * administrator's pg_terminate_backend, a failover, the network): while idle, the pool's listener
 * drops it; while checked out (a tenant transaction, a drizzle transaction) nothing else listens, and
 * an unheard 'error' event would crash the process. The error also rejects the query that was running
 * (or the next one), which the problem handler answers with a 503 (platform/errors.ts isConnectionError).
 */
class PreparingClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => {});
  }
}
/** A query given as an object (drizzle always passes one), as far as naming it needs. */
interface QueryConfigLike {
  text: string;
  name?: unknown;
  values?: unknown;
}
const isQueryConfig = (value: unknown): value is QueryConfigLike =>
  typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string';

const baseQuery = pg.Client.prototype.query as (
  this: pg.Client,
  config: unknown,
  values?: unknown,
  callback?: unknown,
) => unknown;
function namingQuery(this: pg.Client, config: unknown, values?: unknown, callback?: unknown): unknown {
  // Only parameterised statements: without values, node-postgres uses the simple protocol, which
  // allows several statements in one string (BEGIN; SELECT set_config…) and cannot be named.
  if (isQueryConfig(config) && !config.name) {
    const params = Array.isArray(values) ? values : config.values;
    if (Array.isArray(params) && params.length > 0) {
      const name = statementName(config.text);
      if (name) config = { ...config, name };
    }
  }
  if (
    typeof values === 'function' ||
    typeof callback === 'function' ||
    isSubmittable(config) ||
    (this as PipelineFlag).pipeline
  ) {
    return baseQuery.call(this, config, values, callback);
  }
  return afterPrevious(this, () => baseQuery.call(this, config, values) as Promise<unknown>);
}

/** node-postgres' pipeline mode (pg ≥ 8.20), not in its types yet. */
interface PipelineFlag {
  pipeline?: boolean;
}

const isSubmittable = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as { submit?: unknown }).submit === 'function';

/**
 * A connection runs one statement at a time. Code that sends several on one transaction together
 * (`Promise.all` of reads) used to rely on node-postgres queueing them, which it deprecates (removed in
 * pg 9): each client now starts a statement once the one before it has settled, in the same order.
 * Pipelined clients (the request connections, see openPostgres) send them at once instead: node-postgres
 * writes each statement with its own Sync as soon as it is given and matches the answers in order.
 */
const lastQueryOf = new WeakMap<pg.Client, Promise<unknown>>();
function afterPrevious(client: pg.Client, run: () => Promise<unknown>): Promise<unknown> {
  const previous = lastQueryOf.get(client);
  const result = previous ? previous.then(run) : run();
  const settled = result.then(
    () => {},
    () => {},
  );
  lastQueryOf.set(client, settled);
  return result;
}
Object.assign(PreparingClient.prototype, { query: namingQuery });

async function openPostgres(url: string, max: number, appUrl?: string): Promise<Database> {
  // Pipelined (pg's `pipeline` mode): a statement is written as soon as it is given, without waiting
  // for the answer of the one before, each with its own Sync. The tenant runner sends its settings and
  // the work's first statement in one round trip this way, and reads a service starts together
  // (`Promise.all`) share one. Statements awaited one after the other behave as without it.
  const pool = new pg.Pool({
    connectionString: url,
    max,
    Client: PreparingClient,
    pipeline: true,
  } as pg.PoolConfig);
  // The requests' connections: the owner's by default, or a login role that owns nothing.
  const requestPool = appUrl
    ? new pg.Pool({ connectionString: appUrl, max, Client: PreparingClient, pipeline: true } as pg.PoolConfig)
    : pool;
  // Anonymous reads: the restricted role and read-only mode are set once per connection, at session
  // level, and no tenant setting is ever set on these connections (the tenant runner never uses them).
  const anonymousPool = new pg.Pool({
    Client: PreparingClient,
    connectionString: appUrl ?? url,
    max: Math.max(2, Math.ceil(max / 2)),
    options: '-c role=socle_app -c default_transaction_read_only=on',
  });
  // An idle client losing its connection is dropped by the pool (and must not crash the process);
  // the next query opens a new connection.
  pool.on('error', () => {});
  if (requestPool !== pool) requestPool.on('error', () => {});
  anonymousPool.on('error', () => {});
  // No `schema`: the relational query API is not used, and with it drizzle builds a query builder per
  // table for every transaction object (a measurable cost per request).
  const nodePgDb = drizzleNodePg({ client: pool });
  const db = nodePgDb as unknown as Db;
  const anonymousDb = drizzleNodePg({ client: anonymousPool }) as unknown as Tx;
  tenantRunners.set(db, postgresTenantRunner(requestPool, db, anonymousDb));
  return {
    db,
    kind: 'postgres',
    migrate: () => migrateNodePg(nodePgDb, { migrationsFolder: MIGRATIONS_FOLDER }),
    listen: (channel, onMessage, onLive) => listenPostgres(url, channel, onMessage, onLive),
    close: async () => {
      await Promise.all([
        pool.end(),
        anonymousPool.end(),
        ...(requestPool !== pool ? [requestPool.end()] : []),
      ]);
    },
  };
}

/**
 * PGlite's own default is 128 MB of shared buffers, all of it resident once touched: the demo database
 * weighs ~130 MB on disk and is read through the OS cache, so 32 MB keeps the hot pages at ~110 MB less
 * memory per open database (the server, and every test file's copy).
 */
const PGLITE_SETTINGS = ['shared_buffers=32MB'];

async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<Database> {
  if (dataDir && loadDataDir) throw new Error('loadDataDir opens an in-memory database: no dataDir with it');
  let releaseLock = () => {};
  let pgliteDir: string | undefined;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = takeLock(dataDir);
    pgliteDir = path.join(dataDir, 'pglite');
  }
  // Loaded only here: the WASM build weighs ~45 MB resident, which a PostgreSQL deployment never needs.
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }, pgliteSession] =
    await Promise.all([
      import('@electric-sql/pglite'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
      import('drizzle-orm/pglite/session'),
    ]);
  const client = new PGlite({
    dataDir: pgliteDir,
    loadDataDir,
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])],
  });
  await client.waitReady;
  const pgliteDb = drizzlePglite({ client });
  const db = pgliteDb as unknown as Db;
  tenantRunners.set(db, pgliteTenantRunner(client, db, pgliteSession));
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(pgliteDb, { migrationsFolder: MIGRATIONS_FOLDER }),
    // Checkpointed first: a database opened from the dump then has no WAL to replay.
    dumpDataDir: async () => {
      await client.exec('CHECKPOINT');
      return client.dumpDataDir('none');
    },
    // One in-process session: every write goes through it, and notifications are delivered when the
    // writing statement completes; nothing can be missed.
    listen: async (channel, onMessage, onLive) => {
      const unlisten = await client.listen(channel, onMessage);
      onLive(true);
      return async () => {
        onLive(false);
        if (!client.closed) await unlisten();
      };
    },
    close: async () => {
      await client.close();
      releaseLock();
    },
  };
}

/**
 * A dedicated connection LISTENs (a pooled one cannot: it is handed to other work). When it drops,
 * `onLive(false)` tells the listener that messages may have been missed, and it reconnects every
 * second until it listens again.
 */
async function listenPostgres(
  url: string,
  channel: string,
  onMessage: (payload: string) => void,
  onLive: (live: boolean) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => onMessage(message.payload ?? ''));
    next.on('error', () => {});
    next.on('end', () => {
      if (client !== next) return;
      client = null;
      onLive(false);
      if (!stopped) scheduleRetry();
    });
    await next.connect();
    await next.query(`LISTEN ${next.escapeIdentifier(channel)}`);
    client = next;
    onLive(true);
  };
  const scheduleRetry = () => {
    retry = setTimeout(() => {
      connect().catch(() => {
        if (!stopped) scheduleRetry();
      });
    }, 1000);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const current = client;
    client = null;
    onLive(false);
    await current?.end().catch(() => {});
  };
}

/**
 * PGlite takes no lock of its own and a second process would corrupt the folder: take one, and
 * refuse with a clear message while its holder is alive. A lock left by a dead process is taken over.
 */
function takeLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'socle.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if (systemErrorCode(error) !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `Le dossier de données ${dataDir} est déjà utilisé par un autre processus Socle (PID ${holder}). ` +
            'Arrêtez-le ou choisissez un autre DATA_DIR.',
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`Impossible de verrouiller le dossier de données ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return systemErrorCode(error) === 'EPERM';
  }
}

/** The `code` of a Node.js system error (EEXIST, EPERM…). */
const systemErrorCode = (error: unknown) =>
  error instanceof Error && 'code' in error ? error.code : undefined;

/** node-postgres' socket (`client.connection.stream`), not in its types. */
interface WithStream {
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
}

/**
 * Buffers what `client` writes until the promise callbacks now running have settled (process.nextTick
 * runs once the microtask queue is empty), then sends it in one write. Nothing waits on it: a statement
 * written meanwhile waits for its answer anyway, and the socket is uncorked whatever happens.
 */
function holdWritesUntilNextTick(client: pg.PoolClient): void {
  const stream = (client as unknown as WithStream).connection?.stream;
  if (!stream?.cork || !stream.uncork) return;
  stream.cork();
  process.nextTick(() => stream.uncork?.());
}

/**
 * On PostgreSQL, `BEGIN` and the tenant settings travel in one simple-protocol message, and the work's
 * first statement follows it without waiting for its answer (pipelined client): a one-statement request
 * costs two round trips (settings + statement, then COMMIT) instead of three. The work runs in a real
 * drizzle transaction (savepoints work as usual).
 *
 * Why the statement may be sent before the settings are known to have applied: PostgreSQL executes the
 * message in order, `BEGIN` first. The settings are one fixed SELECT of escaped literals, so the
 * message cannot fail to parse (which alone would skip `BEGIN`); any error after `BEGIN` aborts the
 * transaction, and every statement behind it then fails (« current transaction is aborted ») instead
 * of running without the settings. The runner still waits for the settings' answer and reports their
 * error first.
 */
function postgresTenantRunner(pool: pg.Pool, db: Db, anonymousDb: Tx): TenantRunner {
  // drizzle's internals, which a transaction of our own needs to share with the database object.
  const { dialect, session } = db as unknown as {
    dialect: PgDialect;
    session: { options?: NodePgSessionOptions };
  };
  return async (context, work) => {
    if (context.anonymousRead && !context.userId && !context.memberId && !context.operatorRole) {
      return work(anonymousDb);
    }
    const key = await settingsKey(db);
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      // The settings and the work's first statement leave in one write (one system call, one packet
      // for the backend to read instead of two): the socket is corked until the current run of
      // promise callbacks, in which the work builds and sends its first statement, has settled.
      holdWritesUntilNextTick(client);
      // Not awaited before the work starts (see above); its outcome is checked before COMMIT.
      const settings = (
        client.query(`BEGIN; ${tenantSettingsStatement(context, key)}`) as Promise<unknown>
      ).then(
        () => null,
        (error: unknown) => error,
      );
      const txSession = new NodePgSession(client, dialect, undefined, session.options);
      const tx = new NodePgTransaction(dialect, txSession, undefined) as unknown as Tx;
      rememberTransactionKey(tx, key);
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(tx);
      } catch (error) {
        throw (await settings) ?? error;
      }
      const failed = await settings;
      if (failed) throw failed;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A lost connection is not given back to the pool; any other error rolls back.
      if (isConnectionError(error)) broken = error instanceof Error ? error : new Error(String(error));
      else await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release(broken);
    }
  };
}

/**
 * On PGlite, the settings go in one simple-protocol call (`exec`) inside PGlite's own transaction:
 * drizzle's `execute` would send them as four protocol messages (parse, describe, bind, execute), each
 * a call into the WASM build. PGlite's transaction holds its lock, so no other work interleaves.
 */
function pgliteTenantRunner(
  client: PGlite,
  db: Db,
  drizzleSession: typeof import('drizzle-orm/pglite/session'),
): TenantRunner {
  const { dialect, session } = db as unknown as {
    dialect: PgDialect;
    session: { options?: PgliteSessionOptions };
  };
  const { PgliteSession, PgliteTransaction } = drizzleSession;
  return async (context, work) => {
    const key = await settingsKey(db);
    return client.transaction(async (transaction) => {
      await transaction.exec(tenantSettingsStatement(context, key));
      const txSession = new PgliteSession(transaction, dialect, undefined, session.options);
      const tx = new PgliteTransaction(dialect, txSession, undefined) as unknown as Tx;
      rememberTransactionKey(tx, key);
      return work(tx);
    });
  };
}

/** `count(*)` is a number on PGlite and a bigint string on pg: normalise here, once. */
export function toCount(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** Rows of a raw `execute`, whichever driver produced them. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}

export async function pendingMigrations(db: Db): Promise<number> {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8'));
  const applied = rowsOf<{ n: unknown }>(
    await db.execute(sql`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`),
  );
  return journal.entries.length - toCount(applied[0]?.n);
}
