/**
 * `npx tsx bench/start-memory.ts [--minutes 10] [--rebuild] [--port 3997] [--data <folder>]`
 *
 * Issue #17 §3 on the embedded default, as a person runs it: `npm start`'s script (scripts/start.mjs,
 * started the way package.json starts it) on a fresh data folder, then
 *   1. the first start: seconds until « Socle est prêt » is printed, whether the port answers at that
 *      moment (`GET /ready`), and the server's resident memory (VmRSS of its process) once ready;
 *   2. browsing: a real Chromium signs in as the operator's admin, then as a member's admin, and goes
 *      through every page of the main menu in turn, as a person clicks it (in-app navigation), opening
 *      members and searching, for `--minutes`; the server's resident memory is sampled every 5 s;
 *   3. a restart on the same folder: seconds until ready and resident memory.
 * `--rebuild` removes dist/ first, so the first start builds the web app and compiles the server as on
 * a fresh clone. `--data` starts on a folder an earlier start prepared (kept afterwards): the first
 * start is then a restart, to compare memory between two versions of the code quickly. The machine's load average is printed beside each figure: measure on an idle machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/browser.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rebuild: { type: 'boolean', default: false },
    port: { type: 'string', default: '3997' },
    data: { type: 'string' },
  },
});
const root = path.resolve(import.meta.dirname, '..');
const port = Number(args.port);
const baseUrl = `http://127.0.0.1:${port}`;
const dataDir = args.data ?? fs.mkdtempSync(path.join(os.tmpdir(), 'socle-start-memory-'));
const PASSWORD = 'socle-demo-2026';

const load = () => os.loadavg()[0].toFixed(1);
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

/** The resident memory of one process, in kB (VmRSS). */
function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

interface Started {
  child: ChildProcess;
  seconds: number;
  answeredWhenPrinted: boolean;
  accounts: string[];
}

/** Starts the server as `npm start` does and resolves once it prints that it is ready. */
function start(): Promise<Started> {
  const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  // "node --max-semi-space-size=8 scripts/start.mjs": the same flags, without npm's own process.
  const [, ...nodeArgs] = String(packageJson.scripts.start).split(/\s+/);
  const began = performance.now();
  const child = spawn(process.execPath, nodeArgs, {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let printed = false;
    const onData = async (chunk: Buffer) => {
      output += chunk.toString();
      if (printed || !output.includes('Socle est prêt')) return;
      printed = true;
      const seconds = (performance.now() - began) / 1000;
      const answeredWhenPrinted = await fetch(`${baseUrl}/ready`).then(
        (response) => response.ok,
        () => false,
      );
      // The accounts are printed right after the ready line.
      await new Promise((r) => setTimeout(r, 500));
      const accounts = [...output.matchAll(/^\s+- (\S+@\S+)/gm)].map((m) => m[1] ?? '');
      resolve({ child, seconds, answeredWhenPrinted, accounts });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      if (!printed)
        reject(new Error(`server stopped (code ${code}) before it was ready:\n${output.slice(-3000)}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function signIn(page: Page, email: string) {
  await page.goto(`${baseUrl}/connexion`);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
  await page.getByRole('heading', { level: 1 }).waitFor();
}

/** Clicks every link of the main menu in turn, waiting for each page's heading and its requests. */
async function visitMenu(page: Page): Promise<number> {
  const menu = page.getByRole('navigation', { name: 'Menu principal' });
  const labels = await menu.getByRole('link').allInnerTexts();
  for (const label of labels) {
    await menu.getByRole('link', { name: label, exact: true }).first().click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle').catch(() => {});
  }
  return labels.length;
}

/** On the members' list: a search, then the first member's page. */
async function openMembers(page: Page, query: string) {
  await page.goto(`${baseUrl}/operateur/adherents`);
  const search = page.getByRole('searchbox').first();
  if (await search.isVisible().catch(() => false)) {
    await search.fill(query);
    await page.waitForLoadState('networkidle').catch(() => {});
  }
  const first = page.getByRole('table').getByRole('link').first();
  if (await first.isVisible().catch(() => false)) {
    await first.click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle').catch(() => {});
  }
}

if (args.rebuild) fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });

console.log(`Data folder ${dataDir}, load average ${load()}`);
const first = await start();
await new Promise((r) => setTimeout(r, 3000));
const firstRss = rssOf(first.child.pid ?? 0);
console.log(
  `first start: ready in ${first.seconds.toFixed(1)} s (load ${load()}), /ready answered when printed: ${first.answeredWhenPrinted}, RSS 3 s after: ${mb(firstRss)}`,
);

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const samples: number[] = [];
const sampler = setInterval(() => samples.push(rssOf(first.child.pid ?? 0)), 5000);
const until = Date.now() + Number(args.minutes) * 60_000;
const memberAdmin = first.accounts.find((a) => a.startsWith('secretariat') || a.includes('mairie')) ?? null;
let pages = 0;
let round = 0;
const queries = ['saint', 'roche', 'sables', 'ccas', 'syndicat'];
try {
  while (Date.now() < until) {
    for (const email of ['admin@socle.example', ...(memberAdmin ? [memberAdmin] : [])]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, email);
      pages += 1 + (await visitMenu(page));
      if (email === 'admin@socle.example') {
        await openMembers(page, queries[round % queries.length] ?? 'saint');
        pages += 2;
      }
      await context.close();
      if (Date.now() >= until) break;
    }
    round += 1;
  }
} finally {
  clearInterval(sampler);
  await browser.close();
}
const afterBrowsing = rssOf(first.child.pid ?? 0);
console.log(
  `browsing: ${round} rounds, ${pages} pages in ${args.minutes} min as ${['admin@socle.example', memberAdmin].filter(Boolean).join(' and ')} (load ${load()}); server RSS max ${mb(Math.max(...samples))}, at the end ${mb(afterBrowsing)}`,
);
await stop(first.child);

const again = await start();
await new Promise((r) => setTimeout(r, 3000));
console.log(
  `restart: ready in ${again.seconds.toFixed(1)} s (load ${load()}), /ready answered when printed: ${again.answeredWhenPrinted}, RSS 3 s after: ${mb(rssOf(again.child.pid ?? 0))}`,
);
await stop(again.child);
if (!args.data) fs.rmSync(dataDir, { recursive: true, force: true });
