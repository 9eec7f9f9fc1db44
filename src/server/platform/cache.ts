/**
 * A small cache for values that are costly to compute, such as list totals (an exact `count(*)` over
 * tens of thousands of rows on every page turn). An entry lives at most `ttlMs`, and when the caller
 * passes a `stamp` (see platform/changes.ts) only while the data it was computed from is unchanged.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number; stamp: string }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 500,
  ) {}

  async get(key: string, load: () => Promise<V>, stamp = ''): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now && hit.stamp === stamp) return hit.value;
    if (this.entries.size >= this.maxEntries) this.evictExpired(now);
    const value = load();
    this.entries.set(key, { value, expiresAt: now + this.ttlMs, stamp });
    // A failed load must not be served to the next caller.
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** The fresh entry for `key` under `stamp`, without loading it when there is none. */
  peek(key: string, stamp = ''): Promise<V> | undefined {
    const hit = this.entries.get(key);
    return hit && hit.expiresAt > Date.now() && hit.stamp === stamp ? hit.value : undefined;
  }

  /**
   * Keeps a value computed elsewhere (with the stamp taken before it was read, so that a change seen
   * meanwhile makes it stale at once).
   */
  set(key: string, value: V, stamp = ''): void {
    if (this.ttlMs <= 0) return;
    const now = Date.now();
    if (this.entries.size >= this.maxEntries) this.evictExpired(now);
    this.entries.set(key, { value: Promise.resolve(value), expiresAt: now + this.ttlMs, stamp });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private evictExpired(now: number) {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
  }
}

const registry = new WeakMap<object, Map<string, TtlCache<unknown>>>();

/** The cache named `name` belonging to `owner` (the app's database: one cache per database). */
export function cacheFor<V>(owner: object, name: string, ttlMs: number): TtlCache<V> {
  let byName = registry.get(owner);
  if (!byName) {
    byName = new Map();
    registry.set(owner, byName);
  }
  let cache = byName.get(name) as TtlCache<V> | undefined;
  if (!cache) {
    cache = new TtlCache<V>(ttlMs);
    byName.set(name, cache as TtlCache<unknown>);
  }
  return cache;
}
