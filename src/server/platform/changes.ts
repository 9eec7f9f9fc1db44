import type { Database } from './db/client.js';

/** The channel the `socle_notify_change()` triggers notify (migration 0024). */
export const CHANGES_CHANNEL = 'socle_changes';

/**
 * What changed can be cached by: each topic is the set of tables some cached reads depend on, and
 * the database names it in its notifications.
 *   - `members`: organisations (names, kinds, territory links, statuses, populations);
 *   - `territory`: regions, départements, EPCI, communes and the import records;
 *   - `access`: sessions, users and their roles (organisation_users);
 *   - `pricing`: pricing_state, whose version every input of the cost-sharing moves (migration 0013);
 *   - `status`: the public status of hosted services: incidents, their updates and services,
 *     maintenance, hosted services appearing or going (migration 0040).
 */
export type ChangeTopic = 'members' | 'territory' | 'access' | 'pricing' | 'status';

/**
 * Who follows the notifications themselves rather than stamps (the governance live streams): `topic`
 * for each notified topic (e.g. `governance_session:<id>`, migration of issue #12's live streams),
 * `resync` when the notification connection came back or dropped (anything may have been missed).
 * A process's own writes do not call them: only the database's notifications do.
 */
export interface ChangeListener {
  topic(topic: string): void;
  resync(): void;
}

/**
 * Versions of the cacheable data of one process. A cache entry records the `stamp` of its topics
 * taken *before* it read the database, and is served only while the stamp is unchanged: a write
 * committed during the read makes the entry stale at once.
 *
 * A topic changes when the database notifies it (writes by any process, the command line, plain
 * SQL), when this process answers a write request (read-your-writes without waiting for the
 * notification), and every topic changes when the notification connection drops or comes back.
 * While it is down `live` is false and caches must not serve at all.
 */
export class ChangeFeed {
  private readonly versions = new Map<string, number>();
  private epoch = 0;
  live = false;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly listeners = new Set<ChangeListener>();

  static async start(database: Database): Promise<ChangeFeed> {
    const feed = new ChangeFeed();
    feed.unlisten = await database.listen(
      CHANGES_CHANNEL,
      (topic) => {
        feed.changed(topic);
        for (const listener of feed.listeners) listener.topic(topic);
      },
      (live) => {
        feed.changedAll();
        feed.live = live;
        for (const listener of feed.listeners) listener.resync();
      },
    );
    return feed;
  }

  /** The versions of `topics` now; compare two stamps to know whether anything changed between them. */
  stamp(topics: readonly (ChangeTopic | string)[]): string {
    let stamp = String(this.epoch);
    for (const topic of topics) stamp += `.${this.versions.get(topic) ?? 0}`;
    return stamp;
  }

  /** Calls `listener` on each notification from now on; returns the unsubscribe. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  changed(topic: string): void {
    this.versions.set(topic, (this.versions.get(topic) ?? 0) + 1);
  }

  changedAll(): void {
    this.epoch++;
  }

  async close(): Promise<void> {
    const unlisten = this.unlisten;
    this.unlisten = null;
    await unlisten?.();
    this.live = false;
  }
}
