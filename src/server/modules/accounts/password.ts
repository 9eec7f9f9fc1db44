import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../contracts/accounts.js';

export { PASSWORD_MIN_LENGTH };

export interface PasswordHashCost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** argon2id (the library's default algorithm) with OWASP's recommended memory and time costs. */
export const PASSWORD_HASH_COST: PasswordHashCost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

let cost = PASSWORD_HASH_COST;

export const hashPassword = (password: string) => hash(password, cost);

/**
 * Tests only (src/server/test/setup.ts): hash with another cost. The same argon2id code hashes and
 * verifies (a hash carries its own cost), only faster. Returns what restores the previous cost.
 */
export function setPasswordHashCost(next: PasswordHashCost): () => void {
  const previous = cost;
  cost = next;
  return () => {
    cost = previous;
  };
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A French message when the password is too weak, else null. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères.`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`;
  }
  return null;
}
