/**
 * Child process of the first start on the embedded database (see prepare.ts): migrates, imports the
 * territory, seeds the demo, closes the database and exits.
 */
import pino from 'pino';
import { loadConfig } from './config.js';
import { openDatabase } from './platform/db/client.js';
import { loggerOptions } from './platform/logger.js';
import { productionAdapters } from './platform/services.js';
import { migrateAndImportTerritory, prepareDemo } from './prepare.js';

const config = loadConfig();
const options = loggerOptions(config);
const log = options ? pino(options as pino.LoggerOptions) : pino({ enabled: false });
const database = await openDatabase({ dataDir: config.dataDir });
try {
  await migrateAndImportTerritory(database, config);
  await prepareDemo(database, config, productionAdapters(config).storage, log);
} finally {
  await database.close();
}
