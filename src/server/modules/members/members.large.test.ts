import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemberSummary } from '../../../contracts/members.js';
import { searchKey } from '../../../contracts/search.js';
import { organisations } from '../../platform/db/schema.js';
import { TOTAL_CAP } from '../../platform/http/pagination.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import type { Page } from '../../test/bodies.js';
import { randomSiren } from '../../test/builders.js';

/**
 * A registry past the lists' count cap (TOTAL_CAP): totals beyond it, and a one-word search with more
 * matches than the cap, whose page walks the name index instead of sorting every match.
 */
type MemberPage = Page<MemberSummary>;

let t: TestApp;
/** Names containing « testville », more than the cap; others without it, interleaved in name order. */
const MATCHES = TOTAL_CAP + 60;
const OTHERS = 120;

beforeAll(async () => {
  t = await createTestApp();
  const rows = [
    ...Array.from({ length: MATCHES }, (_, i) => `Syndicat ${String(i).padStart(4, '0')} de Testville`),
    ...Array.from({ length: OTHERS }, (_, i) => `Syndicat ${String(i * 9).padStart(4, '0')} de Ailleurs`),
  ].map((name) => ({
    kind: 'syndicat_intercommunal' as const,
    name,
    searchName: searchKey(name),
    siren: randomSiren(),
    departementCode: '85',
    status: 'member' as const,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await t.database.db.insert(organisations).values(rows.slice(i, i + 500));
  // Statistics, as autovacuum keeps them: the planner's estimate of the unfiltered list reads them.
  await t.database.db.execute(sql`ANALYZE organisations`);
});
afterAll(() => t?.close());

const list = async (query: string) => {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1/members?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<MemberPage>();
};

describe('member lists past the count cap', () => {
  it('gives the planner estimate of the whole registry, rounded, said to be one', async () => {
    const page = await list('limit=50');
    expect(page.totalIsExact).toBe(false);
    expect(page.totalIsEstimate).toBe(true);
    const [{ n }] = (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(organisations)) as {
      n: number;
    }[];
    // Two significant digits of an estimate of n - 1 members (the operator is not one).
    expect(Math.abs(page.total - (n - 1))).toBeLessThanOrEqual(100);
    expect(page.total % 100).toBe(0);
  });

  it('counts a filter with fewer matches than the cap exactly', async () => {
    const page = await list('q=ailleurs&limit=50');
    expect(page).toMatchObject({ total: OTHERS, totalIsExact: true });
  });

  it('pages a one-word search with more matches than the cap in name order, each match once', async () => {
    const expected = Array.from(
      { length: MATCHES },
      (_, i) => `Syndicat ${String(i).padStart(4, '0')} de Testville`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let first: MemberPage | null = null;
    do {
      const page: MemberPage = await list(`q=testville&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      first ??= page;
      seen.push(...page.items.map((m) => m.name));
      cursor = page.nextCursor;
    } while (cursor && seen.length <= MATCHES);
    expect(seen).toEqual(expected);
    // Past the cap: « plus de 1 000 », or the planner's estimate when it is above the cap.
    expect(first?.totalIsExact).toBe(false);
    expect(first?.total).toBeGreaterThanOrEqual(TOTAL_CAP);
    if (!first?.totalIsEstimate) expect(first?.total).toBe(TOTAL_CAP);
  });

  it('pages a search past the cap sorted otherwise, and a two-word search, the same matches', async () => {
    const names = async (query: string) => {
      const out: string[] = [];
      let cursor: string | null = null;
      do {
        const page: MemberPage = await list(`${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        out.push(...page.items.map((m) => m.name));
        cursor = page.nextCursor;
      } while (cursor && out.length <= MATCHES);
      return out.sort();
    };
    const byName = await names('q=testville');
    expect(await names('q=testville&sort=-name')).toEqual(byName);
    expect(await names('q=testville%20syndicat')).toEqual(byName);
  });
});
