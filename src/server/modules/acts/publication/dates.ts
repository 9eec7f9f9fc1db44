import { TZDate, tz } from '@date-fns/tz';
import { addDays, addMonths, format } from 'date-fns';
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

/** Parses `YYYY-MM-DD`, refusing what is not a real calendar date (`2026-02-30`, `04/12/2026`). */
export function parseCalendarDate(value: string): Date {
  if (!ISO_DATE.test(value)) throw new RangeError(`not a calendar date: ${value}`);
  const parsed = new TZDate(`${value}T00:00:00Z`, 'UTC');
  if (Number.isNaN(parsed.getTime()) || format(parsed, 'yyyy-MM-dd', { in: inUtc }) !== value) {
    throw new RangeError(`not a calendar date: ${value}`);
  }
  return parsed;
}

export function isCalendarDate(value: string): boolean {
  try {
    parseCalendarDate(value);
    return true;
  } catch {
    return false;
  }
}

export const addCalendarDays = (date: string, days: number): string =>
  format(addDays(parseCalendarDate(date), days, { in: inUtc }), 'yyyy-MM-dd', { in: inUtc });

/** The same day `months` later, or the last day of that month when it has no such day (31/12 → 28/02). */
export const addCalendarMonths = (date: string, months: number): string =>
  format(addMonths(parseCalendarDate(date), months, { in: inUtc }), 'yyyy-MM-dd', { in: inUtc });

/** The calendar date in Paris at `instant` (`YYYY-MM-DD`). */
export const parisDateOf = (instant: Date): string => format(instant, 'yyyy-MM-dd', { in: inParis });

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
