import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../platform/db/client.js';

/** Seeds the demo operator on first start; returns the demo accounts to print. */
export async function ensureDemoData(_db: Db, _config: Config, _log: FastifyBaseLogger): Promise<string[]> {
  return [];
}
