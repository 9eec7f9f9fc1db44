import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { ensureTerritory } from './modules/territory/territory.import.js';
import type { Database } from './platform/db/client.js';
import type { ObjectStorage } from './platform/storage/storage.js';
import { ensureDemoData } from './seed/demo.js';

/** Migrations, then the territory of the configured regions (both idempotent, cheap once done). */
export async function migrateAndImportTerritory(database: Database, config: Config): Promise<void> {
  await database.migrate();
  const territory = await ensureTerritory(database.db, config.regions);
  if (territory) {
    console.log(
      `Territoire importé (régions ${config.regions.join(', ')}) : ${territory.communes} communes, ${territory.epci} EPCI.`,
    );
  }
}

/** The demo data outside production (idempotent); returns the demo accounts' lines. */
export async function prepareDemo(
  database: Database,
  config: Config,
  storage: ObjectStorage,
  log: FastifyBaseLogger,
): Promise<string[]> {
  if (!config.demoData || config.isProduction) return [];
  return ensureDemoData(database.db, config, log, storage);
}

/** The embedded database has never been created in this data folder: the first start. */
export function isFirstEmbeddedStart(config: Config): boolean {
  return !config.DATABASE_URL && !fs.existsSync(path.join(config.dataDir, 'pglite', 'PG_VERSION'));
}

/**
 * The first start's preparation (the whole territory import and demo seed) runs in a child process
 * (`first-start.ts`) that exits when done: the memory it took — PGlite's WASM heap grows and never
 * shrinks — goes with it, and the server opens the prepared folder as a later start would (~250 MB less
 * resident). The child takes and releases the data folder's lock like the server.
 */
export async function prepareInChildProcess(): Promise<void> {
  const compiled = import.meta.url.endsWith('.js');
  const entry = fileURLToPath(new URL(compiled ? './first-start.js' : './first-start.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, entry], { stdio: 'inherit', env: process.env });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (status) => resolve(status));
  });
  if (code !== 0) throw new Error(`La préparation de la base de données a échoué (code ${code}).`);
}
