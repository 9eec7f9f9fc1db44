/**
 * The regulators' clocks of an incident, as text: how long is left (or how late it is) and the
 * deadline, always read in Europe/Paris whatever the browser's zone. Pure, so it is tested across the
 * changes of time (a 24 h clock started the day before the change ends 24 real hours later, which the
 * wall clock shows as 23 or 25 hours later).
 */
import type { IncidentClock } from '../../../contracts/cyber.js';
import { frenchDateTime, NBSP } from '../../../contracts/french.js';

const MINUTE = 60_000;

/**
 * Whole minutes → « 2 jours 5 h », « 23 h 12 min », « 12 min », « moins d'une minute ». Past a day
 * the minutes are left out (a month-long clock does not need them); the text changes at most once a
 * minute, so a live region reading it is not re-announced every second.
 */
export function formatDuration(totalMinutes: number): string {
  const minutes = Math.max(0, Math.floor(totalMinutes));
  if (minutes === 0) return 'moins d’une minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}${NBSP}jour${days > 1 ? 's' : ''}`);
  if (hours > 0) parts.push(`${hours}${NBSP}h`);
  if (days === 0 && rest > 0) parts.push(`${rest}${NBSP}min`);
  return parts.join(' ');
}

export type ClockState = 'running' | 'overdue' | 'met' | 'late';

export interface ClockView {
  state: ClockState;
  /** The sentence shown and read: what is due, by when, how long is left or how late it is. */
  text: string;
  /** A short word for the state, announced when it changes (« en cours », « dépassé »…). */
  stateLabel: string;
}

export const CLOCK_STATE_LABELS: Record<ClockState, string> = {
  running: 'en cours',
  overdue: 'délai dépassé',
  met: 'fait dans le délai',
  late: 'fait hors délai',
};

/** A step a regulator awaits: its name with its article, and the participle agreeing with it. */
export interface ClockStep {
  /** « l’alerte précoce ». */
  what: string;
  /** « transmise » (or « transmis » for a masculine step). */
  done: string;
}

/** The NIS 2 steps (art. 23), by the contract's clock names. */
export const CLOCK_STEPS: Record<IncidentClock, ClockStep> = {
  earlyWarning: { what: 'l’alerte précoce', done: 'transmise' },
  notification: { what: 'la notification d’incident', done: 'transmise' },
  finalReport: { what: 'le rapport final', done: 'transmis' },
};

/**
 * One clock at an instant: `deadline` and `doneAt` are ISO instants. Done → when, and whether in
 * time; not done → time left or late by.
 */
export function describeClock(
  step: ClockStep,
  deadline: string,
  doneAt: string | null | undefined,
  now: number,
): ClockView {
  const { what } = step;
  const end = new Date(deadline).getTime();
  const due = frenchDateTime(deadline, { weekday: true });
  if (doneAt) {
    const late = new Date(doneAt).getTime() > end;
    const state: ClockState = late ? 'late' : 'met';
    const done = frenchDateTime(doneAt, { weekday: true });
    return {
      state,
      stateLabel: CLOCK_STATE_LABELS[state],
      text: late
        ? `${capitalise(what)} : ${step.done} le ${done}, hors délai (échéance le ${due}).`
        : `${capitalise(what)} : ${step.done} le ${done}, dans le délai (échéance le ${due}).`,
    };
  }
  const minutes = Math.floor((end - now) / MINUTE);
  if (end > now) {
    return {
      state: 'running',
      stateLabel: CLOCK_STATE_LABELS.running,
      text: `Il reste ${formatDuration(minutes)} pour ${what}, avant le ${due}.`,
    };
  }
  return {
    state: 'overdue',
    stateLabel: CLOCK_STATE_LABELS.overdue,
    text: `Délai dépassé de ${formatDuration(Math.ceil((now - end) / MINUTE))} pour ${what} : l’échéance était le ${due}.`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Days from today to a due date (both `YYYY-MM-DD`): negative when overdue. */
export function daysUntil(dueOn: string, today: string): number {
  const [y1, m1, d1] = dueOn.split('-').map(Number);
  const [y2, m2, d2] = today.split('-').map(Number);
  return Math.round(
    (Date.UTC(y1 ?? 0, (m1 ?? 1) - 1, d1 ?? 1) - Date.UTC(y2 ?? 0, (m2 ?? 1) - 1, d2 ?? 1)) / 86_400_000,
  );
}

/** « dans 3 jours », « aujourd’hui », « en retard de 2 jours » for a remediation's due date. */
export function dueText(dueOn: string, today: string): string {
  const days = daysUntil(dueOn, today);
  if (days === 0) return 'échéance aujourd’hui';
  if (days === 1) return 'échéance demain';
  if (days > 1) return `échéance dans ${days}${NBSP}jours`;
  return `en retard de ${-days}${NBSP}jour${days < -1 ? 's' : ''}`;
}
