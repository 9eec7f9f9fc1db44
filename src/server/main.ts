import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openProConnect } from './modules/accounts/proconnect/proconnect.connector.js';
import { openActsConnector } from './modules/acts/acts.connector.js';
import { DataDirLockedError, openDatabase } from './platform/db/client.js';
import { loggerOptions, wantsOneLineRequests } from './platform/logger.js';
import { productionAdapters } from './platform/services.js';
import { sweepStorage } from './platform/storage/sweep.js';
import {
  isFirstEmbeddedStart,
  migrateAndImportTerritory,
  prepareDemo,
  prepareInChildProcess,
} from './prepare.js';

export async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  // The first start on the embedded database prepares it in a child process (prepare.ts).
  if (isFirstEmbeddedStart(config)) await prepareInChildProcess();

  // The connectors start while the database opens: the demo's fakes listen on their ports and the fake
  // ProConnect generates its key off the main thread.
  const connectors = Promise.all([openActsConnector(config), openProConnect(config)]);
  // Their failure is reported where they are awaited, below, not as an unhandled rejection meanwhile.
  connectors.catch(() => {});
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({
      url: config.DATABASE_URL,
      appUrl: config.DATABASE_APP_URL,
      dataDir: config.dataDir,
      poolSize: config.DATABASE_POOL_SIZE,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  await migrateAndImportTerritory(database, config);

  const adapters = productionAdapters(config);
  // The tiers de télétransmission for acts: S²LOW when configured, a fake one in the demo; ProConnect:
  // the one configured, or a local provider in the demo.
  const [acts, proconnect] = await connectors;
  const app = await buildApp({
    config,
    database,
    ...adapters,
    actsConnector: acts.connector,
    proconnect: proconnect.client,
    logger: loggerOptions(config),
    oneLineRequestLogs: wantsOneLineRequests(config),
  });
  // Seeded by the first start's child process already, or now (PostgreSQL with DEMO_DATA=true).
  const demoAccounts = await prepareDemo(database, config, adapters.storage, app.log);

  // Background jobs (mails, daily RGPD reminders): polled every JOBS_POLL_MS, unless it is 0.
  app.jobs.start();

  // The support desk's inbound e-mail, when configured (smtp-server and mailparser loaded only then).
  const inbound = config.SUPPORT_SMTP_PORT
    ? await (await import('./modules/support/support.inbound.js')).startInboundSmtp(
        {
          db: database.db,
          mailer: app.mailer,
          storage: app.storage,
          publicUrl: config.publicUrl,
          log: app.log,
        },
        config.SUPPORT_SMTP_PORT,
        config.SUPPORT_SMTP_HOST,
      )
    : null;

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'stopping after an error');
    else app.log.info({ signal }, 'stopping: finishing in-flight requests and jobs');
    // No job is claimed any more; the jobs being run and the requests in flight finish.
    await Promise.all([app.jobs.stop(), app.close(), inbound?.close()]);
    await Promise.all([database.close(), acts.close(), proconnect.close()]);
  });

  await app.listen({ port: config.PORT, host: config.HOST });
  // Temporary files of interrupted uploads and files no row points to, older than an hour: once the
  // server answers (it lists and stats every stored file, ~3,000 in the demo), not before.
  void sweepStorage(database.db, adapters.storage, { log: app.log }).catch((err) =>
    app.log.error({ err }, 'storage sweep failed'),
  );
  const url = `http://${config.HOST}:${(app.server.address() as { port: number }).port}`;
  console.log(`\nSocle est prêt : ${url}`);
  console.log(`Documentation de l'API : ${url}/api/docs`);
  console.log(
    `Base de données : ${database.kind === 'pglite' ? `PGlite embarqué (${config.dataDir})` : 'PostgreSQL'}`,
  );
  console.log(`Télétransmission des actes : ${acts.description}`);
  console.log(`Connexion ProConnect : ${proconnect.description}`);
  if (demoAccounts.length > 0) {
    console.log('\nComptes de démonstration (mot de passe : socle-demo-2026) :');
    for (const line of demoAccounts) console.log(`  - ${line}`);
  }
  return app;
}
