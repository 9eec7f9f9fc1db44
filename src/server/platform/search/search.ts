import type { SearchGroup, SearchHit } from '../../../contracts/search.js';
import type { Actor } from '../auth/context.js';
import type { Executor } from '../db/client.js';

/**
 * One module's part of the global search. `search` answers only what `actor` may see (a member's
 * users find their own member's things, the operator's people what their scope lets them read), and
 * returns [] when the actor may see nothing of this kind. It runs in the request's tenant
 * transaction, so RLS backs the module's own member filter.
 */
export interface SearchProvider {
  kind: string;
  /** French heading of the group of results. */
  label: string;
  /** Groups are listed by ascending order. */
  order: number;
  search(db: Executor, actor: Actor, q: string, limit: number): Promise<SearchHit[]>;
}

/**
 * The providers of one app (`app.searchProviders`): a module registers its provider once, from `buildApp`,
 * next to its routes; GET /api/v1/search asks each of them in turn.
 */
export class SearchRegistry {
  private readonly providers: SearchProvider[] = [];

  register(provider: SearchProvider): void {
    if (this.providers.some((p) => p.kind === provider.kind)) {
      throw new Error(`search provider "${provider.kind}" registered twice`);
    }
    this.providers.push(provider);
    this.providers.sort((a, b) => a.order - b.order);
  }

  get kinds(): string[] {
    return this.providers.map((p) => p.kind);
  }

  /**
   * Every provider's hits, in order, leaving out empty groups. Sequential: they share the request's
   * transaction (one connection).
   */
  async search(db: Executor, actor: Actor, q: string, limit: number): Promise<SearchGroup[]> {
    const groups: SearchGroup[] = [];
    for (const provider of this.providers) {
      const hits = await provider.search(db, actor, q, limit);
      if (hits.length > 0) groups.push({ kind: provider.kind, label: provider.label, hits });
    }
    return groups;
  }
}
