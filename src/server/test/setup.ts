import { setPasswordHashCost } from '../modules/accounts/password.js';

/**
 * Runs before every server test file (vitest.config.ts, setupFiles).
 *
 * argon2 with OWASP's costs takes tens of milliseconds of CPU per hash or verification, and the tests
 * log in hundreds of times: they hash with argon2's smallest sensible cost instead (the same argon2id
 * library and code path; password.test.ts checks the production cost).
 */
setPasswordHashCost({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
