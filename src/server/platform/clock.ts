/**
 * The one clock of the server. Everything that needs "now" or "today" asks here, so that a test can
 * set the time (`useClock`) and every date the platform writes is a date in Europe/Paris: a member
 * created at 00:30 in Paris on 1 March takes effect on 1 March, not on the UTC date of 28 February.
 */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let current: Clock = systemClock;

/** The current instant. */
export const now = (): Date => current.now();

const parisDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date (yyyy-mm-dd) in Europe/Paris at `at` (now by default). */
export const today = (at: Date = now()): string => parisDate.format(at);

/** The year in Europe/Paris at `at` (now by default). */
export const currentYear = (at: Date = now()): number => Number(today(at).slice(0, 4));

/**
 * Replaces the clock (tests, and a demo replayed at a fixed date); returns what restores the previous
 * one. A fixed instant may be given directly.
 */
export function useClock(clock: Clock | Date): () => void {
  const previous = current;
  current = clock instanceof Date ? { now: () => new Date(clock.getTime()) } : clock;
  return () => {
    current = previous;
  };
}
