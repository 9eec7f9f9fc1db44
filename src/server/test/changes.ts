import { sql } from 'drizzle-orm';
import type { ChangeTopic } from '../platform/changes.js';
import type { TestApp } from './app.js';

/**
 * Waits until the app's change stamp of `topic` differs from `before`: a write behind the API's back
 * reaches the app as a database notification, at once on PGlite, a moment later on PostgreSQL.
 */
export async function changeArrived(t: TestApp, topic: ChangeTopic | 'sync', before: string) {
  for (let i = 0; i < 200 && t.app.changes.stamp([topic]) === before; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return t.app.changes.stamp([topic]) !== before;
}

/** Notifications arrive in order: once a marker sent now has arrived, so has every earlier one. */
export async function notificationsSettled(t: TestApp) {
  const before = t.app.changes.stamp(['sync']);
  await t.database.db.execute(sql`SELECT pg_notify('socle_changes', 'sync')`);
  if (!(await changeArrived(t, 'sync', before))) throw new Error('the change notification never arrived');
}
