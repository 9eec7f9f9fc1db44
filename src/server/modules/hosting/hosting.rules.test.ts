import { describe, expect, it } from 'vitest';
import {
  availabilityOf,
  historyOf,
  mergeIntervals,
  monthWindow,
  subtractIntervals,
} from './hosting.rules.js';

const min = 60_000;

describe('intervals', () => {
  it('merge overlaps and subtract cuts', () => {
    expect(
      mergeIntervals([
        { start: 5, end: 10 },
        { start: 0, end: 6 },
        { start: 12, end: 12 },
      ]),
    ).toEqual([{ start: 0, end: 10 }]);
    expect(
      subtractIntervals(
        [{ start: 0, end: 10 }],
        [
          { start: 2, end: 4 },
          { start: 8, end: 20 },
        ],
      ),
    ).toEqual([
      { start: 0, end: 2 },
      { start: 4, end: 8 },
    ]);
  });
});

describe('availability', () => {
  const march = monthWindow('2026-03');
  const endOfMarch = march.end;

  it('counts major and partial outages, not degradation, and leaves maintenance out of both sides', () => {
    const t0 = march.start + 10 * 86_400_000;
    const figures = availabilityOf(
      march,
      [
        {
          updates: [
            { at: t0, state: 'degraded' },
            { at: t0 + 30 * min, state: 'major_outage' },
            { at: t0 + 60 * min, state: 'partial_outage' },
          ],
          resolvedAt: t0 + 90 * min,
        },
      ],
      [{ start: t0 + 80 * min, end: t0 + 200 * min }],
      endOfMarch + 1,
    );
    expect(figures.downtimeMinutes).toBe(50);
    expect(figures.maintenanceMinutes).toBe(120);
    const counted = 31 * 24 * 60 - 120;
    expect(figures.availability).toBeCloseTo(1 - 50 / counted, 10);
  });

  it('counts a month under way up to now, an open incident until now', () => {
    const now = march.start + 2 * 86_400_000;
    const figures = availabilityOf(
      march,
      [{ updates: [{ at: now - 60 * min, state: 'major_outage' }], resolvedAt: null }],
      [],
      now,
    );
    expect(figures.downtimeMinutes).toBe(60);
    expect(figures.availability).toBeCloseTo(1 - 60 / (2 * 24 * 60), 10);
    expect(availabilityOf(monthWindow('2026-05'), [], [], now).availability).toBe(1);
  });
});

describe('history', () => {
  it('keeps each day’s worst state within the window', () => {
    const dayOf = (d: Date) => d.toISOString().slice(0, 10);
    expect(
      historyOf(
        [
          {
            start: new Date('2026-02-27T10:00:00Z'),
            end: new Date('2026-03-01T02:00:00Z'),
            state: 'degraded',
          },
          {
            start: new Date('2026-03-01T01:00:00Z'),
            end: new Date('2026-03-01T03:00:00Z'),
            state: 'major_outage',
          },
        ],
        '2026-03-02',
        3,
        dayOf,
      ),
    ).toEqual([
      { date: '2026-02-28', state: 'degraded' },
      { date: '2026-03-01', state: 'major_outage' },
    ]);
  });
});
