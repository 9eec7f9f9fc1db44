import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_HASH_COST, setPasswordHashCost, verifyPassword } from './password.js';

// The tests hash with a low cost (src/server/test/setup.ts); production uses PASSWORD_HASH_COST.
describe('password hashing', () => {
  it("hashes with argon2id and OWASP's costs (19 MiB, 2 passes) in production", async () => {
    expect(PASSWORD_HASH_COST).toEqual({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const restore = setPasswordHashCost(PASSWORD_HASH_COST);
    let hash: string;
    try {
      hash = await hashPassword('correct-horse-battery');
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    } finally {
      restore();
    }
    // A hash carries its own cost: it verifies whatever cost new hashes use.
    expect(await hashPassword('correct-horse-battery')).not.toMatch(/m=19456,t=2/);
    expect(await verifyPassword(hash, 'correct-horse-battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct-horse-batterY')).toBe(false);
    expect(await verifyPassword(null, 'correct-horse-battery')).toBe(false);
  });
});
