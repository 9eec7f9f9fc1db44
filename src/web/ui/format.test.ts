import { afterEach, describe, expect, it } from 'vitest';
import { formatParisDate, formatParisDateTime } from '../modules/rgpd/format.js';
import { formatDate, formatDateTime, today } from './format.js';

const zone = process.env.TZ;
afterEach(() => {
  process.env.TZ = zone;
});

describe('dates on the pages', () => {
  it('are those of Paris whatever the zone of the browser', () => {
    const seen = new Set<string>();
    for (const tz of ['America/New_York', 'Asia/Tokyo', 'Pacific/Honolulu', 'UTC']) {
      process.env.TZ = tz;
      seen.add(
        [
          formatDate('2026-03-01'),
          // 23:30 UTC on 28 February is 00:30 on 1 March in Paris.
          formatDate('2026-02-28T23:30:00Z'),
          formatDateTime('2026-02-28T23:30:00Z'),
          formatParisDate('2026-03-01'),
          formatParisDateTime('2026-03-30T09:00:00Z'),
        ].join(' | '),
      );
    }
    expect([...seen]).toEqual([
      '1er mars 2026 | 1er mars 2026 | 1er mars 2026 à 00:30 | 1er mars 2026 | lundi 30 mars 2026 à 11:00',
    ]);
  });

  it("take today's date in Paris", () => {
    process.env.TZ = 'Pacific/Kiritimati';
    expect(today()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(today()).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date()));
  });
});
