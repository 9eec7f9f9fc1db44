import { TZDate, tz } from '@date-fns/tz';
import { addMonths, differenceInCalendarDays, format } from 'date-fns';
import { frenchDate, frenchDateTime } from '../../../contracts/french.js';
import { today } from '../../platform/clock.js';

/**
 * GDPR deadlines (Art. 12.3 for rights requests, Art. 33 for breaches), as pure functions.
 * Calendar dates are ISO strings `YYYY-MM-DD` (what a `date` column returns); instants are Dates.
 * « Today » and every displayed date are read in Europe/Paris, whatever the server's time zone.
 */
export const PARIS = 'Europe/Paris';
const inUtc = tz('UTC');

/** Art. 12.3: one month, extendable by two more months. */
export const RIGHTS_REQUEST_MONTHS = 1;
export const MAX_EXTENSION_MONTHS = 2;
/** Art. 33.1: 72 hours after becoming aware, counted in real hours (a DST change does not move it). */
export const BREACH_NOTIFICATION_HOURS = 72;
/** How far ahead a reminder is sent for a rights request. */
export const REMINDER_DAYS_BEFORE_DUE = 7;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseCalendarDate(value: string): Date {
  if (!ISO_DATE.test(value)) throw new RangeError(`not a calendar date: ${value}`);
  const parsed = new TZDate(`${value}T00:00:00Z`, 'UTC');
  if (Number.isNaN(parsed.getTime()) || format(parsed, 'yyyy-MM-dd', { in: inUtc }) !== value) {
    throw new RangeError(`not a calendar date: ${value}`);
  }
  return parsed;
}

/**
 * The same day `months` months later, or the last day of that month when it has no such day
 * (31 January → 28 or 29 February): the CNIL's reading of « un mois ».
 */
export function addCalendarMonths(date: string, months: number): string {
  return format(addMonths(parseCalendarDate(date), months, { in: inUtc }), 'yyyy-MM-dd', { in: inUtc });
}

/** `dueOn` of a rights request received on `receivedOn`. */
export function rightsRequestDueOn(receivedOn: string): string {
  return addCalendarMonths(receivedOn, RIGHTS_REQUEST_MONTHS);
}

/** How many months `extendedUntil` adds to `dueOn` (0 without extension). */
export function extensionMonthsOf(dueOn: string, extendedUntil: string | null): number {
  if (!extendedUntil) return 0;
  for (let months = 1; months <= MAX_EXTENSION_MONTHS; months++) {
    if (addCalendarMonths(dueOn, months) === extendedUntil) return months;
  }
  return MAX_EXTENSION_MONTHS;
}

export type ExtensionResult =
  | { ok: true; extendedUntil: string; totalMonths: number }
  | { ok: false; reason: 'too_long' | 'past_due'; alreadyMonths: number };

/**
 * Extends by `months` more, counted from the initial due date so that two one-month extensions
 * land where one two-month extension would. The total never exceeds two months, and the person
 * must be told within the first month, so an extension decided after `dueOn` is refused.
 */
export function extendRightsRequest(
  request: { dueOn: string; extendedUntil: string | null },
  months: number,
  today: string,
): ExtensionResult {
  const alreadyMonths = extensionMonthsOf(request.dueOn, request.extendedUntil);
  const totalMonths = alreadyMonths + months;
  if (months < 1 || totalMonths > MAX_EXTENSION_MONTHS)
    return { ok: false, reason: 'too_long', alreadyMonths };
  if (today > request.dueOn) return { ok: false, reason: 'past_due', alreadyMonths };
  return { ok: true, extendedUntil: addCalendarMonths(request.dueOn, totalMonths), totalMonths };
}

/** The date the answer is owed by: the extended date when there is one. */
export const effectiveDueOn = (request: { dueOn: string; extendedUntil: string | null }) =>
  request.extendedUntil ?? request.dueOn;

export const OPEN_REQUEST_STATUSES = ['received', 'in_progress'] as const;
export const isOpenRequest = (status: string) =>
  (OPEN_REQUEST_STATUSES as readonly string[]).includes(status);

/**
 * The date in Paris at `now`: a request received at 00:30 Paris time on the 1st was received on the
 * 1st. The platform clock's `today`, for the pure functions here that take their instant.
 */
export const parisToday = (now: Date): string => today(now);

/** The calendar date of an instant in Paris. */
export const parisDateOf = parisToday;

/** Days left until the effective due date (0 on the day itself, negative once overdue). */
export function daysUntilDue(request: { dueOn: string; extendedUntil: string | null }, now: Date): number {
  return differenceInCalendarDays(
    parseCalendarDate(effectiveDueOn(request)),
    parseCalendarDate(parisToday(now)),
    { in: inUtc },
  );
}

/** An open request is overdue from the day after its (extended) due date. */
export function isRequestOverdue(
  request: { dueOn: string; extendedUntil: string | null; status: string },
  now: Date,
): boolean {
  return isOpenRequest(request.status) && daysUntilDue(request, now) < 0;
}

/** Open, not overdue, and due within `REMINDER_DAYS_BEFORE_DUE` days. */
export function isRequestDueSoon(
  request: { dueOn: string; extendedUntil: string | null; status: string },
  now: Date,
): boolean {
  if (!isOpenRequest(request.status)) return false;
  const days = daysUntilDue(request, now);
  return days >= 0 && days <= REMINDER_DAYS_BEFORE_DUE;
}

/** `notificationDeadline` of a breach: exactly 72 real hours after `awareAt`. */
export function breachNotificationDeadline(awareAt: Date): Date {
  return new Date(awareAt.getTime() + BREACH_NOTIFICATION_HOURS * 3_600_000);
}

export interface BreachClock {
  /** Seconds left before the deadline while a notification is still owed; null otherwise. */
  remainingSeconds: number | null;
  /** A notification is owed and the deadline has passed. */
  overdue: boolean;
  /** Notified, and after the deadline (late reasons are then required). */
  notifiedLate: boolean;
}

/**
 * Where a breach stands against its 72 h deadline. A breach the DPO judged not notifiable
 * (`notificationRequired === false`) owes nothing; one not yet assessed (null) is counted as owing.
 */
export function breachClock(
  breach: { notificationDeadline: Date; notifiedAt: Date | null; notificationRequired: boolean | null },
  now: Date,
): BreachClock {
  if (breach.notifiedAt) {
    return {
      remainingSeconds: null,
      overdue: false,
      notifiedLate: breach.notifiedAt.getTime() > breach.notificationDeadline.getTime(),
    };
  }
  if (breach.notificationRequired === false)
    return { remainingSeconds: null, overdue: false, notifiedLate: false };
  const remaining = Math.floor((breach.notificationDeadline.getTime() - now.getTime()) / 1000);
  return remaining >= 0
    ? { remainingSeconds: remaining, overdue: false, notifiedLate: false }
    : { remainingSeconds: null, overdue: true, notifiedLate: false };
}

/** « lundi 30 mars 2026 à 14:05 », « dimanche 1er mars 2026 à 09:00 », in Paris time. */
export function formatParisInstant(instant: Date): string {
  return frenchDateTime(instant, { weekday: true });
}

/** « 28 février 2026 », « 1er mars 2026 » (the shared French helper, as the pages write it). */
export function formatFrenchDate(date: string): string {
  return frenchDate(parseCalendarDate(date).toISOString().slice(0, 10));
}

/** « 2 j 4 h 10 min » for a countdown; « dépassé » once negative. */
export function formatCountdown(seconds: number): string {
  if (seconds < 0) return 'dépassé';
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  return [days ? `${days} j` : '', hours ? `${hours} h` : '', `${minutes} min`].filter(Boolean).join(' ');
}

/** The Paris-time instant of a wall-clock time on a Paris date (for scheduling the daily job). */
export function parisWallClock(date: string, hours: number, minutes = 0): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(new TZDate(y, m - 1, d, hours, minutes, PARIS).getTime());
}

/** The next 07:00 in Paris strictly after `now`. */
export function nextDailyRun(now: Date, hours = 7): Date {
  const today = parisToday(now);
  const candidate = parisWallClock(today, hours);
  if (candidate.getTime() > now.getTime()) return candidate;
  return parisWallClock(addCalendarDays(today, 1), hours);
}

export function addCalendarDays(date: string, days: number): string {
  const d = parseCalendarDate(date);
  return format(new Date(d.getTime() + days * 86_400_000), 'yyyy-MM-dd', { in: inUtc });
}
