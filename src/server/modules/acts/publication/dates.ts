import { TZDate, tz } from '@date-fns/tz';
import { format } from 'date-fns';
import { fr } from 'date-fns/locale';

/**
 * Calendar helpers of the publication pieces. Calendar dates are ISO strings `YYYY-MM-DD` (what a
 * `date` column returns) and are computed in UTC, where a day is always 24 hours; instants are Dates
 * and are read in Europe/Paris, whatever the server's time zone (as platform/clock.ts does).
 */
export const PARIS = 'Europe/Paris';
const inParis = tz(PARIS);
const inUtc = tz('UTC');

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The year, month (1–12) and day of `YYYY-MM-DD`, refusing what is not a real calendar date
 * (`2026-02-30`, `04/12/2026`). Plain UTC arithmetic: these run for every row of a list (the
 * executory date and the legality-check end of each act), where date-fns' time-zone dates cost tens
 * of microseconds per call.
 */
function calendarParts(value: string): { year: number; month: number; day: number } {
  if (!ISO_DATE.test(value)) throw new RangeError(`not a calendar date: ${value}`);
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${value}`);
  }
  return { year, month, day };
}

/** `Date.UTC` milliseconds as `YYYY-MM-DD` (years 0–9999). */
const isoOfUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Parses `YYYY-MM-DD`, refusing what is not a real calendar date (`2026-02-30`, `04/12/2026`). */
export function parseCalendarDate(value: string): Date {
  const { year, month, day } = calendarParts(value);
  return new TZDate(Date.UTC(year, month - 1, day), 'UTC');
}

export function isCalendarDate(value: string): boolean {
  try {
    parseCalendarDate(value);
    return true;
  } catch {
    return false;
  }
}

export function addCalendarDays(date: string, days: number): string {
  const { year, month, day } = calendarParts(date);
  return isoOfUtc(Date.UTC(year, month - 1, day + days));
}

/** The same day `months` later, or the last day of that month when it has no such day (31/12 → 28/02). */
export function addCalendarMonths(date: string, months: number): string {
  const { year, month, day } = calendarParts(date);
  const target = month - 1 + months;
  // Day 0 of the next month: the last day of the target month.
  const lastDay = new Date(Date.UTC(year, target + 1, 0)).getUTCDate();
  return isoOfUtc(Date.UTC(year, target, Math.min(day, lastDay)));
}

const PARIS_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: PARIS,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Paris at `instant` (`YYYY-MM-DD`). */
export function parisDateOf(instant: Date): string {
  // en-GB in Paris: « 04/12/2026 ». One formatter, created once.
  const [day, month, year] = PARIS_DATE.format(instant).split('/');
  return `${year}-${month}-${day}`;
}

/** « 04/12/2026 » and « 14:32 », in Paris. */
export const parisNumericDate = (instant: Date): string => format(instant, 'dd/MM/yyyy', { in: inParis });
export const parisTime = (instant: Date): string => format(instant, 'HH:mm', { in: inParis });

/** « 04/12/2026 » for a calendar date. */
export const numericDate = (date: string): string => date.split('-').reverse().join('/');

/** « 4 décembre 2026 », « 1er mars 2027 » (French writes the first day of a month as an ordinal). */
export function longFrenchDate(date: string): string {
  const parsed = parseCalendarDate(date);
  const day = parsed.getUTCDate();
  return `${day === 1 ? '1er' : day} ${format(parsed, 'MMMM yyyy', { in: inUtc, locale: fr })}`;
}
