import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { buildApp, WEB_DIST } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openActsConnector } from '../../src/server/modules/acts/acts.connector.js';
import { ensureTerritory } from '../../src/server/modules/territory/territory.import.js';
import { type Database, openDatabase } from '../../src/server/platform/db/client.js';
import { organisations } from '../../src/server/platform/db/schema.js';
import { Mailer, OutboxOnlyTransport } from '../../src/server/platform/mail/mailer.js';
import { LocalDiskStorage } from '../../src/server/platform/storage/storage.js';
import { ensureDemoData } from '../../src/server/seed/demo.js';
import { openTestDatabase } from '../../src/server/test/database.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DEMO_PASSWORD = 'socle-demo-2026';

/**
 * Browser journeys need Debian's Chromium. Without it they are skipped with a message, except in CI
 * (SOCLE_REQUIRE_BROWSER=1) where a missing browser fails the run.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  const message = `Chromium introuvable à ${CHROMIUM_PATH} : tests navigateur ignorés (apt-get install -y chromium).`;
  if (process.env.SOCLE_REQUIRE_BROWSER === '1') throw new Error(message);
  console.warn(message);
  return false;
}

export interface Platform {
  baseUrl: string;
  app: FastifyInstance;
  database: Database;
  browser: Browser;
  close(): Promise<void>;
}

/** The real platform as `npm start` runs it (web build, region 52, demo data) plus a headless browser. */
export async function startPlatform(): Promise<Platform> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html')) || process.env.SOCLE_E2E_REBUILD === '1') {
    const { build } = await import('vite');
    await build({ configFile: path.resolve('vite.config.ts'), logLevel: 'warn' });
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'socle-e2e-'));
  const port = await freePort();
  const config = loadConfig({
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
  });
  const documents = path.join(dataDir, 'documents');
  // The first file of the run seeds region 52 and the demo data, then leaves a copy (database dump
  // and documents) that the next files start from: the same data, without seeding it again.
  const demo = demoCopy();
  const seeded = demo && fs.existsSync(demo.dump);
  const database = seeded
    ? await openDatabase({ loadDataDir: new Blob([fs.readFileSync(demo.dump)]) })
    : await openTestDatabase();
  if (seeded) fs.cpSync(demo.documents, documents, { recursive: true });
  await ensureTerritory(database.db, config.regions);
  const acts = await openActsConnector(config);
  const app = await buildApp({
    config,
    database,
    mailer: new Mailer(new OutboxOnlyTransport()),
    storage: new LocalDiskStorage(documents),
    actsConnector: acts.connector,
  });
  await ensureDemoData(database.db, config, app.log);
  if (demo && !seeded) await keepDemoCopy(database, documents, demo);
  // As main.ts does: mails and scheduled tasks run in the background.
  app.jobs.start();
  await app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    database,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await Promise.all([database.close(), acts.close()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface DemoCopy {
  dump: string;
  documents: string;
}

/** Where this run keeps the seeded demo (a folder made by global-setup.ts), if anywhere. */
function demoCopy(): DemoCopy | null {
  const folder = inject('socleE2eDemoFolder');
  if (!folder) return null;
  return { dump: path.join(folder, 'demo.tar'), documents: path.join(folder, 'documents') };
}

async function keepDemoCopy(database: Database, documents: string, demo: DemoCopy): Promise<void> {
  const dump = await database.dumpDataDir?.();
  if (!dump) return;
  if (fs.existsSync(documents)) fs.cpSync(documents, demo.documents, { recursive: true });
  // Written last, under its final name only once complete: its presence means the copy is whole.
  const partial = `${demo.dump}.partial`;
  fs.writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
  fs.renameSync(partial, demo.dump);
}

/** Mailed links must carry the real port, so the port is chosen before the configuration. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Every page a journey visits is scanned against WCAG 2.1 A and AA: zero violations allowed. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `violations axe sur ${label}`).toEqual([]);
}

export async function logIn(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/connexion`);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Signs in through the login page and waits for the page it lands on (its h1). */
export async function signInAs(page: Page, baseUrl: string, email: string) {
  await logIn(page, baseUrl, email);
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
  await page.getByRole('heading', { level: 1 }).waitFor();
}

/** The demo member of a commune, by its INSEE code (La Roche-sur-Yon: 85191). */
export async function memberIdOfCommune(platform: Platform, inseeCode: string): Promise<string> {
  const [member] = await platform.database.db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.communeCode, inseeCode));
  if (!member) throw new Error(`no demo member for commune ${inseeCode}`);
  return member.id;
}
