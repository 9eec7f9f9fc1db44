import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, WEB_DIST } from '../../src/server/app.js';
import { type Config, loadConfig } from '../../src/server/config.js';
import {
  type OpenedProConnect,
  openProConnect,
} from '../../src/server/modules/accounts/proconnect/proconnect.connector.js';
import { type OpenedConnector, openActsConnector } from '../../src/server/modules/acts/acts.connector.js';
import { ensureTerritory } from '../../src/server/modules/territory/territory.import.js';
import { type Database, openDatabase } from '../../src/server/platform/db/client.js';
import { Mailer, OutboxOnlyTransport } from '../../src/server/platform/mail/mailer.js';
import { LocalDiskStorage } from '../../src/server/platform/storage/storage.js';
import { ensureDemoData } from '../../src/server/seed/demo.js';

/**
 * The seeded demo the browser files start from, made once per run (no Vitest import here: the e2e
 * global setup runs `prepare-demo.ts` in a child process before the files start).
 */

export { CHROMIUM_ARGS, CHROMIUM_PATH, HEADLESS_SHELL_PATH } from './browser.js';

/** The configuration of `npm start` for a browser file's server (or the demo's seeding). */
export function platformConfig(dataDir: string, port: number): Config {
  return loadConfig({
    NODE_ENV: 'test',
    // The caches of a real start (off by default under NODE_ENV=test): journeys write through the UI
    // and read back, so a cache that missed a change would show here.
    PUBLIC_CACHE_SECONDS: '300',
    ACTOR_CACHE_SECONDS: '60',
    LIST_TOTAL_CACHE_SECONDS: '300',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // The demo's fake S²LOW, started in the process as `npm start` does, acknowledging in 2 s.
    S2LOW_FAKE_ACK_DELAY_MS: '2000',
    // The webhooks journey's receiver listens on the loopback address.
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  });
}

export interface BuiltPlatform {
  app: FastifyInstance;
  acts: OpenedConnector;
  proconnect: OpenedProConnect;
}

/** As main.ts does: region 52, the app on `database`, then the demo data (idempotent). */
export async function buildSeededApp(database: Database, config: Config): Promise<BuiltPlatform> {
  await ensureTerritory(database.db, config.regions);
  const acts = await openActsConnector(config);
  // The demo's local ProConnect, started in the process as `npm start` does.
  const proconnect = await openProConnect(config);
  const app = await buildApp({
    config,
    database,
    mailer: new Mailer(new OutboxOnlyTransport()),
    storage: new LocalDiskStorage(documentsOf(config.dataDir)),
    actsConnector: acts.connector,
    proconnect: proconnect.client,
  });
  await ensureDemoData(database.db, config, app.log);
  return { app, acts, proconnect };
}

export const documentsOf = (dataDir: string) => path.join(dataDir, 'documents');

/** The web build the server serves, made when missing (or always with SOCLE_E2E_REBUILD=1). */
export async function ensureWebBuild(): Promise<void> {
  if (fs.existsSync(path.join(WEB_DIST, 'index.html')) && process.env.SOCLE_E2E_REBUILD !== '1') return;
  const { build } = await import('vite');
  await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn' });
}

/**
 * Where the run's demo is seeded: on a copy of the migrated `empty` PGlite dump, or (when the run has
 * a PostgreSQL server, TEST_DATABASE_URL) in a database of that server which the files then copy as a
 * template. PGlite runs inside the test's process, on the same core as the page's requests; PostgreSQL
 * runs beside it, natively (see global-setup.ts).
 */
export type DemoSource = { kind: 'pglite'; emptyDump: string } | { kind: 'postgres'; url: string };

/** Where a run keeps its seeded demo: a database dump (or the template's name) and the documents folder. */
export interface DemoCopy {
  /** The PGlite dump of the seeded demo. */
  dump: string;
  /** Holds the name of the PostgreSQL database of the seeded demo, when seeded there. */
  template: string;
  documents: string;
  /** Written instead of the dump when preparing failed: the reason. */
  failure: string;
}

export function demoCopyIn(folder: string): DemoCopy {
  return {
    dump: path.join(folder, 'demo.tar'),
    template: path.join(folder, 'template.txt'),
    documents: path.join(folder, 'documents'),
    failure: path.join(folder, 'failed.txt'),
  };
}

/** The seeded demo, once ready: a PGlite dump, or a PostgreSQL template database. */
export type ReadyDemo = { kind: 'pglite'; dump: string } | { kind: 'postgres'; template: string };

function readyDemo(demo: DemoCopy): ReadyDemo | null {
  if (fs.existsSync(demo.dump)) return { kind: 'pglite', dump: demo.dump };
  if (fs.existsSync(demo.template))
    return { kind: 'postgres', template: fs.readFileSync(demo.template, 'utf8') };
  return null;
}

/**
 * Once per run: the web build, then region 52 and the demo seeded, kept as a dump (or a database) and
 * a documents folder. The dump (or the file naming the database) is written last, under its final
 * name only once complete: its presence means the copy is whole.
 */
export async function prepareDemo(demo: DemoCopy, source: DemoSource): Promise<void> {
  await ensureWebBuild();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'socle-e2e-seed-'));
  const database =
    source.kind === 'pglite'
      ? await openDatabase({ loadDataDir: new Blob([fs.readFileSync(source.emptyDump)]) })
      : await openDatabase({ url: source.url, poolSize: 4 });
  try {
    if (source.kind === 'postgres') await database.migrate();
    const { app, acts, proconnect } = await buildSeededApp(database, platformConfig(dataDir, 3000));
    await app.close();
    await acts.close();
    await proconnect.close();
    if (source.kind === 'pglite') await keepDemoCopy(database, documentsOf(dataDir), demo);
    else keepDocuments(documentsOf(dataDir), demo);
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  // Written once the seeding's connections are closed: a template cannot be copied while in use.
  if (source.kind === 'postgres') writeWhole(demo.template, new URL(source.url).pathname.slice(1));
}

export async function keepDemoCopy(database: Database, documents: string, demo: DemoCopy): Promise<void> {
  const dump = await database.dumpDataDir?.();
  if (!dump) throw new Error('this database cannot be dumped');
  keepDocuments(documents, demo);
  writeWhole(demo.dump, new Uint8Array(await dump.arrayBuffer()));
}

function keepDocuments(documents: string, demo: DemoCopy): void {
  if (fs.existsSync(documents)) fs.cpSync(documents, demo.documents, { recursive: true });
}

/** Writes a file under a temporary name, then renames it: whoever sees it sees it whole. */
function writeWhole(file: string, content: string | Uint8Array): void {
  const partial = `${file}.partial`;
  fs.writeFileSync(partial, content);
  fs.renameSync(partial, file);
}

/** Waits for the run's demo copy (ready once the global setup is done); throws if it failed. */
export async function waitForDemo(demo: DemoCopy, timeoutMs = 170_000): Promise<ReadyDemo> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ready = readyDemo(demo);
    if (ready) return ready;
    if (fs.existsSync(demo.failure)) {
      throw new Error(`préparation de la démo impossible : ${fs.readFileSync(demo.failure, 'utf8')}`);
    }
    if (Date.now() > until) throw new Error(`démo non prête après ${timeoutMs} ms : ${demo.dump}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
