import { TZDate } from '@date-fns/tz';

/**
 * Business time for service levels (issue 14, §1): an office calendar (working days, opening
 * periods, a time zone) minus French public holidays, with pauses while the operator waits for the
 * member. Pure functions of instants: no clock, no database.
 */

/** An opening period of a working day, local wall-clock times `HH:MM` (end after start). */
export interface OpeningPeriod {
  start: string;
  end: string;
}

export interface OfficeCalendar {
  timeZone: string;
  /** ISO weekdays the office works (1 = Monday … 7 = Sunday). */
  workingDays: readonly number[];
  periods: readonly OpeningPeriod[];
  /** Whether public holidays (France) are closed days. */
  closedOnPublicHolidays: boolean;
  /** Extra closed days `YYYY-MM-DD` (a bridge day the operator announces). */
  closedDays?: readonly string[];
}

/** The default office: Monday to Friday, 8:30–12:30 and 13:30–17:30, Paris time. */
export const DEFAULT_CALENDAR: OfficeCalendar = {
  timeZone: 'Europe/Paris',
  workingDays: [1, 2, 3, 4, 5],
  periods: [
    { start: '08:30', end: '12:30' },
    { start: '13:30', end: '17:30' },
  ],
  closedOnPublicHolidays: true,
};

/** A span during which the clock stops (waiting for the member); `to` null: still waiting. */
export interface Pause {
  from: Date;
  to: Date | null;
}

const MINUTE = 60_000;
const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');
const isoDay = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): { month: number; day: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

function shiftDay(year: number, month: number, day: number, days: number): string {
  const t = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS);
  return isoDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Names of France's eleven public holidays (Code du travail, art. L3133-1), by date `YYYY-MM-DD`. */
export function frenchPublicHolidays(year: number): Map<string, string> {
  const easter = easterSunday(year);
  const days: [string, string][] = [
    [isoDay(year, 1, 1), "Jour de l'an"],
    [shiftDay(year, easter.month, easter.day, 1), 'Lundi de Pâques'],
    [isoDay(year, 5, 1), 'Fête du travail'],
    [isoDay(year, 5, 8), 'Victoire 1945'],
    [shiftDay(year, easter.month, easter.day, 39), 'Ascension'],
    [shiftDay(year, easter.month, easter.day, 50), 'Lundi de Pentecôte'],
    [isoDay(year, 7, 14), 'Fête nationale'],
    [isoDay(year, 8, 15), 'Assomption'],
    [isoDay(year, 11, 1), 'Toussaint'],
    [isoDay(year, 11, 11), 'Armistice 1918'],
    [isoDay(year, 12, 25), 'Noël'],
  ];
  return new Map(days.sort(([a], [b]) => a.localeCompare(b)));
}

const holidayCache = new Map<number, Map<string, string>>();
function holidaysOf(year: number): Map<string, string> {
  let days = holidayCache.get(year);
  if (!days) {
    days = frenchPublicHolidays(year);
    holidayCache.set(year, days);
  }
  return days;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The local calendar day (y, m, d) of an instant in a time zone. */
function localDay(at: Date, timeZone: string) {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const [year, month, day] = format.format(at).split('-').map(Number);
  return { year: year ?? 1970, month: month ?? 1, day: day ?? 1 };
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return { h: h ?? 0, m: m ?? 0 };
};

/** Whether a local day `YYYY-MM-DD` of that weekday is a working day of the calendar. */
export function isWorkingDay(calendar: OfficeCalendar, date: string, weekday: number): boolean {
  if (!calendar.workingDays.includes(weekday)) return false;
  if (calendar.closedOnPublicHolidays && holidaysOf(Number(date.slice(0, 4))).has(date)) return false;
  return !calendar.closedDays?.includes(date);
}

/**
 * Opening intervals already computed, per calendar and day: building an instant from a wall-clock
 * time in a time zone is the costly step, and tickets' deadlines fall on the same few hundred days.
 */
const openingCache = new Map<string, [number, number][]>();
const OPENING_CACHE_MAX = 20_000;

/** The opening intervals of one local day, as instants (DST handled by the time zone). */
function openingsOfDay(calendar: OfficeCalendar, y: number, m: number, d: number): [number, number][] {
  const key = `${calendar.timeZone}|${calendar.periods.map((p) => `${p.start}-${p.end}`).join(',')}|${y}-${m}-${d}`;
  const cached = openingCache.get(key);
  if (cached) return cached;
  if (openingCache.size >= OPENING_CACHE_MAX) openingCache.clear();
  const computed = computeOpeningsOfDay(calendar, y, m, d);
  openingCache.set(key, computed);
  return computed;
}

function computeOpeningsOfDay(calendar: OfficeCalendar, y: number, m: number, d: number): [number, number][] {
  return calendar.periods.map((p): [number, number] => {
    const s = minutesOf(p.start);
    const e = minutesOf(p.end);
    return [
      new TZDate(y, m - 1, d, s.h, s.m, calendar.timeZone).getTime(),
      new TZDate(y, m - 1, d, e.h, e.m, calendar.timeZone).getTime(),
    ];
  });
}

/** Safety bound: a calendar with no working day at all would loop for ever. */
const MAX_DAYS = 3 * 366;

/**
 * The opening intervals from `from` on, day after day (clipped to start at `from`), lazily. Stops
 * after MAX_DAYS calendar days.
 */
function* openings(calendar: OfficeCalendar, from: Date): Generator<[number, number]> {
  const start = localDay(from, calendar.timeZone);
  // Noon UTC of the local day: stepping whole days from it never crosses a day boundary twice.
  let cursor = Date.UTC(start.year, start.month - 1, start.day, 12);
  for (let i = 0; i < MAX_DAYS; i++, cursor += DAY_MS) {
    const t = new Date(cursor);
    const y = t.getUTCFullYear();
    const m = t.getUTCMonth() + 1;
    const d = t.getUTCDate();
    const weekday = t.getUTCDay() === 0 ? 7 : t.getUTCDay();
    if (!isWorkingDay(calendar, isoDay(y, m, d), weekday)) continue;
    for (const [s, e] of openingsOfDay(calendar, y, m, d)) {
      if (e <= from.getTime()) continue;
      yield [Math.max(s, from.getTime()), e];
    }
  }
}

/** Removes the paused spans from an interval; returns what is left, in order. */
function withoutPauses(interval: [number, number], pauses: readonly Pause[]): [number, number][] {
  let parts: [number, number][] = [interval];
  for (const pause of pauses) {
    const ps = pause.from.getTime();
    const pe = pause.to ? pause.to.getTime() : Number.POSITIVE_INFINITY;
    parts = parts.flatMap(([s, e]): [number, number][] => {
      if (pe <= s || ps >= e) return [[s, e]];
      const left: [number, number][] = [];
      if (ps > s) left.push([s, ps]);
      if (pe < e) left.push([pe, e]);
      return left;
    });
  }
  return parts;
}

/**
 * The instant at which `minutes` business minutes have run from `start`, the clock stopped during
 * `pauses`. Null when the clock is stopped for good (an open pause reached before the target) or
 * the calendar has no opening in the next three years.
 */
export function addBusinessMinutes(
  start: Date,
  minutes: number,
  calendar: OfficeCalendar = DEFAULT_CALENDAR,
  pauses: readonly Pause[] = [],
): Date | null {
  let left = minutes * MINUTE;
  if (left <= 0) return start;
  const openPause = pauses.find((p) => p.to === null);
  for (const interval of openings(calendar, start)) {
    if (openPause && interval[0] >= openPause.from.getTime()) return null;
    for (const [s, e] of withoutPauses(interval, pauses)) {
      if (e - s >= left) return new Date(s + left);
      left -= e - s;
    }
  }
  return null;
}

/** Business minutes between two instants (0 if `to` is before `from`), pauses excluded. */
export function businessMinutesBetween(
  from: Date,
  to: Date,
  calendar: OfficeCalendar = DEFAULT_CALENDAR,
  pauses: readonly Pause[] = [],
): number {
  let total = 0;
  if (to.getTime() <= from.getTime()) return 0;
  for (const interval of openings(calendar, from)) {
    if (interval[0] >= to.getTime()) break;
    const clipped: [number, number] = [interval[0], Math.min(interval[1], to.getTime())];
    for (const [s, e] of withoutPauses(clipped, pauses)) total += e - s;
  }
  return Math.round(total / MINUTE);
}

/** Whether the office is open at an instant. */
export function isOpenAt(at: Date, calendar: OfficeCalendar = DEFAULT_CALENDAR): boolean {
  const next = openings(calendar, at).next();
  return !next.done && next.value[0] <= at.getTime();
}
