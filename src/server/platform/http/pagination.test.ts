import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/database.js';
import type { Database } from '../db/client.js';
import { cappedTotal, TOTAL_CAP } from './pagination.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database?.close());

describe('cappedTotal', () => {
  const numbers = (n: number) => sql`SELECT g FROM generate_series(1, ${n}::int) AS g`;

  it('counts exactly up to the cap', async () => {
    expect(await cappedTotal(database.db, numbers(0))).toEqual({ total: 0, totalIsExact: true });
    expect(await cappedTotal(database.db, numbers(37))).toEqual({ total: 37, totalIsExact: true });
    expect(await cappedTotal(database.db, numbers(TOTAL_CAP))).toEqual({
      total: TOTAL_CAP,
      totalIsExact: true,
    });
  });

  it('stops one row past the cap and says the count is not exact', async () => {
    expect(await cappedTotal(database.db, numbers(TOTAL_CAP + 1))).toEqual({
      total: TOTAL_CAP,
      totalIsExact: false,
    });
    expect(await cappedTotal(database.db, numbers(50_000))).toEqual({
      total: TOTAL_CAP,
      totalIsExact: false,
    });
  });

  it('counts a drizzle query as it is written, filters included', async () => {
    const db = database.db;
    const query = db.select({ one: sql`1` }).from(sql`generate_series(1, 30) AS g`).where(sql`g % 3 = 0`);
    expect(await cappedTotal(db, query)).toEqual({ total: 10, totalIsExact: true });
  });
});
