import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { type Database, openDatabase, rowsOf } from '../src/server/platform/db/client.js';
import { Mailer, MemoryTransport } from '../src/server/platform/mail/mailer.js';
import { MemoryStorage } from '../src/server/platform/storage/storage.js';

/**
 * The app in the bench's process on `database`, configured by `env` (loadConfig's variables), with
 * mails and files kept in memory, ready for `inject`.
 */
export async function inProcessApp(database: Database, env: Record<string, string>) {
  const app = await buildApp({
    config: loadConfig(env),
    database,
    mailer: new Mailer(new MemoryTransport()),
    storage: new MemoryStorage(),
  });
  await app.ready();
  return app;
}

/**
 * The app in the bench's process on a kept bench database, every in-process cache off (as
 * `npm run bench -- --uncached`), with one commune of it to name in member paths. For the tools that
 * call the routes in-process (explain.ts, per-request.ts). A tool that patches the database driver
 * imports this module after its patch (the database client keeps the query method it finds).
 */
export async function openUncachedApp(url: string, poolSize: number) {
  const database = await openDatabase({ url, poolSize });
  const app = await inProcessApp(database, {
    NODE_ENV: 'production',
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    PUBLIC_CACHE_SECONDS: '0',
    ACTOR_CACHE_SECONDS: '0',
    LIST_TOTAL_CACHE_SECONDS: '0',
  });
  const [commune] = rowsOf<{ id: string }>(
    await database.db.execute(
      "SELECT id FROM organisations WHERE kind = 'commune' ORDER BY md5(id::text) LIMIT 1",
    ),
  );
  return { app, database, communeId: commune?.id };
}
