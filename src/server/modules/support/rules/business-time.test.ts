import { describe, expect, it } from 'vitest';
import { priorityOf } from '../../../../contracts/support.js';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  DEFAULT_CALENDAR,
  easterSunday,
  frenchPublicHolidays,
  isOpenAt,
  type OfficeCalendar,
} from './business-time.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('French public holidays', () => {
  it('computes Easter for years across centuries (anonymous Gregorian algorithm)', () => {
    const known: Record<number, string> = {
      1961: '4-2',
      2000: '4-23',
      2008: '3-23',
      2019: '4-21',
      2024: '3-31',
      2025: '4-20',
      2026: '4-5',
      2027: '3-28',
      2038: '4-25',
      2285: '3-22',
    };
    for (const [year, date] of Object.entries(known)) {
      const { month, day } = easterSunday(Number(year));
      expect(`${month}-${day}`, String(year)).toBe(date);
    }
  });

  it('lists the eleven holidays with the moving ones of several years', () => {
    const y2025 = frenchPublicHolidays(2025);
    expect(y2025.size).toBe(11);
    expect(y2025.get('2025-04-21')).toBe('Lundi de Pâques');
    expect(y2025.get('2025-05-29')).toBe('Ascension');
    expect(y2025.get('2025-06-09')).toBe('Lundi de Pentecôte');
    const y2026 = frenchPublicHolidays(2026);
    expect([...y2026.keys()]).toEqual([
      '2026-01-01',
      '2026-04-06',
      '2026-05-01',
      '2026-05-08',
      '2026-05-14',
      '2026-05-25',
      '2026-07-14',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
    // 2008: Ascension on 1 May, both holidays the same day.
    expect(frenchPublicHolidays(2008).get('2008-05-01')).toBeDefined();
    expect(frenchPublicHolidays(2027).get('2027-03-29')).toBe('Lundi de Pâques');
  });
});

describe('business time (Mon–Fri 8:30–12:30, 13:30–17:30, Paris)', () => {
  it('a ticket opened on a Friday evening before Easter Monday is due on Tuesday', () => {
    const friday = at('2026-04-03T16:00:00Z'); // Friday 3 April 2026, 18:00 in Paris
    expect(iso(addBusinessMinutes(friday, 240))).toBe('2026-04-07T10:30:00.000Z'); // Tue 12:30
    expect(iso(addBusinessMinutes(friday, 480))).toBe('2026-04-07T15:30:00.000Z'); // Tue 17:30
    expect(iso(addBusinessMinutes(friday, 481))).toBe('2026-04-08T06:31:00.000Z'); // Wed 8:31
  });

  it('skips the lunch break and weekends', () => {
    const mondayMorning = at('2026-06-08T08:00:00Z'); // Monday 8 June, 10:00 in Paris
    expect(iso(addBusinessMinutes(mondayMorning, 150))).toBe('2026-06-08T10:30:00.000Z'); // 12:30
    expect(iso(addBusinessMinutes(mondayMorning, 151))).toBe('2026-06-08T11:31:00.000Z'); // 13:31
    const saturday = at('2026-06-13T10:00:00Z');
    expect(iso(addBusinessMinutes(saturday, 1))).toBe('2026-06-15T06:31:00.000Z'); // Monday 8:31
  });

  it('counts office hours in local time across the change to summer time and back', () => {
    const friday = at('2026-03-27T15:30:00Z'); // Friday 27 March, 16:30 in Paris (UTC+1)
    // One hour on Friday, one on Monday 30 March from 8:30 in Paris, now UTC+2.
    expect(iso(addBusinessMinutes(friday, 120))).toBe('2026-03-30T07:30:00.000Z');
    const octoberFriday = at('2026-10-23T14:30:00Z'); // Friday 23 October, 16:30 (UTC+2)
    expect(iso(addBusinessMinutes(octoberFriday, 120))).toBe('2026-10-26T08:30:00.000Z'); // Mon 9:30 (UTC+1)
    expect(businessMinutesBetween(friday, at('2026-03-30T07:30:00Z'))).toBe(120);
  });

  it('stops the clock while waiting for the member', () => {
    const opened = at('2026-06-01T07:00:00Z'); // Monday 1 June, 9:00 in Paris
    expect(iso(addBusinessMinutes(opened, 240))).toBe('2026-06-01T12:00:00.000Z'); // 14:00
    const pause = { from: at('2026-06-01T08:00:00Z'), to: at('2026-06-01T12:00:00Z') }; // 10:00–14:00
    expect(iso(addBusinessMinutes(opened, 240, DEFAULT_CALENDAR, [pause]))).toBe('2026-06-01T15:00:00.000Z');
    // Still waiting: no due date while the clock is stopped.
    expect(addBusinessMinutes(opened, 240, DEFAULT_CALENDAR, [{ from: pause.from, to: null }])).toBeNull();
    // A due date reached before the open pause starts is still known.
    expect(iso(addBusinessMinutes(opened, 30, DEFAULT_CALENDAR, [{ from: pause.from, to: null }]))).toBe(
      '2026-06-01T07:30:00.000Z',
    );
    expect(businessMinutesBetween(opened, at('2026-06-01T15:00:00Z'), DEFAULT_CALENDAR, [pause])).toBe(240);
  });

  it('counts minutes between instants and tells whether the office is open', () => {
    expect(businessMinutesBetween(at('2026-06-12T15:00:00Z'), at('2026-06-15T07:00:00Z'))).toBe(60);
    expect(businessMinutesBetween(at('2026-06-15T07:00:00Z'), at('2026-06-12T15:00:00Z'))).toBe(0);
    expect(isOpenAt(at('2026-06-15T07:00:00Z'))).toBe(true); // Monday 9:00
    expect(isOpenAt(at('2026-06-15T10:45:00Z'))).toBe(false); // 12:45, lunch
    expect(isOpenAt(at('2026-07-14T08:00:00Z'))).toBe(false); // Fête nationale
  });

  it('follows a configured calendar (other hours, announced closed days)', () => {
    const calendar: OfficeCalendar = {
      timeZone: 'Europe/Paris',
      workingDays: [1, 2, 3, 4],
      periods: [{ start: '09:00', end: '12:00' }],
      closedOnPublicHolidays: false,
      closedDays: ['2026-06-16'],
    };
    const thursday = at('2026-06-11T09:30:00Z'); // Thursday 11:30
    // 30 min Thursday, Friday not worked, Monday 180, Tuesday closed, Wednesday 9:00 + 30.
    expect(iso(addBusinessMinutes(thursday, 240, calendar))).toBe('2026-06-17T07:30:00.000Z');
    expect(addBusinessMinutes(thursday, 60, { ...calendar, workingDays: [] })).toBeNull();
  });
});

describe('priority from urgency × impact', () => {
  it('follows the matrix', () => {
    expect(priorityOf('high', 'high')).toBe('critical');
    expect(priorityOf('high', 'medium')).toBe('high');
    expect(priorityOf('medium', 'high')).toBe('high');
    expect(priorityOf('medium', 'medium')).toBe('medium');
    expect(priorityOf('low', 'high')).toBe('medium');
    expect(priorityOf('low', 'medium')).toBe('low');
    expect(priorityOf('low', 'low')).toBe('low');
  });
});
