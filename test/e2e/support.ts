import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { type Database, openDatabase } from '../../src/server/platform/db/client.js';
import { organisations } from '../../src/server/platform/db/schema.js';
import { openPostgresCopy, openTestDatabase } from '../../src/server/test/database.js';
import {
  buildSeededApp,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  type DemoCopy,
  demoCopyIn,
  documentsOf,
  ensureWebBuild,
  platformConfig,
  waitForDemo,
} from './demo.js';

export { CHROMIUM_PATH } from './demo.js';

export const DEMO_PASSWORD = 'socle-demo-2026';

/**
 * Browser journeys need Debian's Chromium: its headless shell (demo.ts), or else the full browser.
 * Without it they are skipped with a message, except in CI (SOCLE_REQUIRE_BROWSER=1) where a missing
 * browser fails the run.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  const message = `Chromium introuvable à ${CHROMIUM_PATH} : tests navigateur ignorés (apt-get install -y chromium-headless-shell).`;
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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'socle-e2e-'));
  const port = await freePort();
  const config = platformConfig(dataDir, port);
  const documents = documentsOf(dataDir);
  // The run's demo (web build, region 52, demo data) is prepared once, before the files start, by the
  // e2e global setup; each file starts from a copy of it: the same data, without seeding it again.
  // Without that setup (another config), the file builds and seeds for itself.
  const demo = demoCopy();
  let database: Database;
  if (demo) {
    const ready = await waitForDemo(demo);
    database =
      ready.kind === 'pglite'
        ? await openDatabase({ loadDataDir: new Blob([fs.readFileSync(ready.dump)]) })
        : await openPostgresCopy(ready.template, 10);
    if (fs.existsSync(demo.documents)) linkTree(demo.documents, documents);
  } else {
    await ensureWebBuild();
    database = await openTestDatabase();
  }
  const { app, acts, proconnect } = await buildSeededApp(database, config);
  // As main.ts does: mails and scheduled tasks run in the background.
  app.jobs.start();
  await app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  preloadAxe(browser);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    database,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
      await Promise.all([database.close(), acts.close(), proconnect.close()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo's documents (about 3,000 files) as hard links instead of copies: the storage writes a new
 * file and renames it over the old name, and deletes by unlinking, so no file's content is ever
 * changed in place and a file's links never see each other's writes.
 */
function linkTree(from: string, to: string) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else fs.linkSync(source, target);
  }
}

/** Where this run keeps the seeded demo (a folder made by global-setup.ts), if anywhere. */
function demoCopy(): DemoCopy | null {
  const folder = inject('socleE2eDemoFolder');
  return folder ? demoCopyIn(folder) : null;
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

/** axe-core, the version @axe-core/playwright runs (package.json pins both). */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Every context the journeys open loads axe-core in each document as it starts (an init script), so a
 * scan finds it there instead of evaluating its 560 kB once more: AxeBuilder evaluates its source twice
 * per scan, about half of a scan's time (measured 1.0–1.5 s per scan with it, 0.1–0.6 s without).
 * The pages are a single-page app: one load serves every scan until the next `goto`.
 */
function preloadAxe(browser: Browser) {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    await context.addInitScript({ content: AXE_SOURCE });
    return context;
  };
}

/** What AxeBuilder evaluates when the page already holds axe: nothing. */
const AXE_ALREADY_LOADED = 'void 0;';

/**
 * Every page a journey visits is scanned against WCAG 2.1 A and AA: zero violations allowed. Legacy
 * mode runs `axe.run` in the page itself; the default opens a blank page per scan to merge the frames'
 * results (about 40 % slower here), which only pages with cross-origin frames need: Socle has none.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  const results = await new AxeBuilder({ page, axeSource: loaded ? AXE_ALREADY_LOADED : AXE_SOURCE })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .setLegacyMode(true)
    // Only violations fail a page: axe details no passing or incomplete node (about 15 % less time).
    .options({ resultTypes: ['violations'] })
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
