import fs from 'node:fs';

/**
 * Debian's headless shell (package `chromium-headless-shell`: Chromium's former headless mode, without
 * the desktop browser's services, profile and spare processes) when installed, else Debian's Chromium.
 * Same engine and version; the journeys spend a quarter to a third less browser CPU in it
 * (docs/PERFORMANCE.md, "Browser suite cost"). `CHROMIUM_PATH` chooses another.
 */
export const HEADLESS_SHELL_PATH = '/usr/bin/chromium-headless-shell';
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ??
  (fs.existsSync(HEADLESS_SHELL_PATH) ? HEADLESS_SHELL_PATH : '/usr/bin/chromium');

/** How the journeys (and bench/start-memory.ts) launch it: headless, no sandbox, no background services. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
