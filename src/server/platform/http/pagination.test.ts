import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/database.js';
import type { Database } from '../db/client.js';
import { cappedTotal, roundEstimate, TOTAL_CAP } from './pagination.js';

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

  it('gives the planner estimate beyond the cap when asked, rounded to two digits', async () => {
    expect(await cappedTotal(database.db, numbers(50_000), { estimate: true })).toEqual({
      total: 50_000,
      totalIsExact: false,
      totalIsEstimate: true,
    });
    expect(await cappedTotal(database.db, numbers(12_345), { estimate: true })).toEqual({
      total: 12_000,
      totalIsExact: false,
      totalIsEstimate: true,
    });
    // Small lists stay exact, estimate or not.
    expect(await cappedTotal(database.db, numbers(37), { estimate: true })).toEqual({
      total: 37,
      totalIsExact: true,
    });
  });

  it('falls back to « more than the cap » when the estimate is not above it', async () => {
    // 7,142 rows; the planner guesses 0.5 % of 50,000 for the filter (250).
    const db = database.db;
    const query = db.select({ one: sql`1` }).from(sql`generate_series(1, 50000) AS g`).where(sql`g % 7 = 0`);
    expect(await cappedTotal(db, query, { estimate: true })).toEqual({
      total: TOTAL_CAP,
      totalIsExact: false,
    });
  });
});

describe('roundEstimate', () => {
  it('keeps two significant digits', () => {
    expect(roundEstimate(37)).toBe(37);
    expect(roundEstimate(6_537)).toBe(6_500);
    expect(roundEstimate(49_873)).toBe(50_000);
    expect(roundEstimate(1_049)).toBe(1_000);
    expect(roundEstimate(123_456)).toBe(120_000);
  });
});
