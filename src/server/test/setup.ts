import { afterAll, beforeAll, vi } from 'vitest';
import { setPasswordHashCost } from '../modules/accounts/password.js';
import { systemClock, useClock } from '../platform/clock.js';

/**
 * Runs before every server test file (vitest.config.ts, setupFiles).
 *
 * argon2 with OWASP's costs takes tens of milliseconds of CPU per hash or verification, and the tests
 * log in hundreds of times: they hash with argon2's smallest sensible cost instead (the same argon2id
 * library and code path; password.test.ts checks the production cost).
 */
setPasswordHashCost({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/*
 * Files share their worker's process and modules (isolate: false). Each file restores what it changes,
 * and this is the safety net: every file starts on the system clock, and after it, the variables of
 * process.env it set or changed (TZ…), fake timers and spies are undone for the next file.
 */
const env = { ...process.env };
beforeAll(() => {
  useClock(systemClock);
});
afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const key of Object.keys(process.env)) {
    if (!(key in env)) delete process.env[key];
  }
  for (const [key, value] of Object.entries(env)) {
    if (process.env[key] !== value) process.env[key] = value;
  }
});
