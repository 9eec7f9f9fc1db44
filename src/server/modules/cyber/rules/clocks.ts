import { TZDate } from '@date-fns/tz';
import { addMonths } from 'date-fns';
import type {
  IncidentClock,
  IncidentClockView,
  IncidentDeadlines,
  Severity,
} from '../../../../contracts/cyber.js';
import { frenchDateTime, PARIS } from '../../../../contracts/french.js';

/**
 * The regulators' clocks of an incident (NIS 2, art. 23 — transposed in France): early warning
 * within 24 hours of detection, incident notification within 72 hours, final report within one
 * month. Hours are real hours (a change to or from summer time does not move them); the month is a
 * calendar month read in Paris, at the same wall-clock time (the last day of a shorter month).
 */
export const EARLY_WARNING_HOURS = 24;
export const NOTIFICATION_HOURS = 72;
export const FINAL_REPORT_MONTHS = 1;

const HOUR = 3_600_000;

export function incidentDeadlines(detectedAt: Date): {
  earlyWarning: Date;
  notification: Date;
  finalReport: Date;
} {
  const paris = new TZDate(detectedAt.getTime(), PARIS);
  return {
    earlyWarning: new Date(detectedAt.getTime() + EARLY_WARNING_HOURS * HOUR),
    notification: new Date(detectedAt.getTime() + NOTIFICATION_HOURS * HOUR),
    finalReport: new Date(addMonths(paris, FINAL_REPORT_MONTHS).getTime()),
  };
}

export const deadlinesView = (d: ReturnType<typeof incidentDeadlines>): IncidentDeadlines => ({
  earlyWarning: d.earlyWarning.toISOString(),
  notification: d.notification.toISOString(),
  finalReport: d.finalReport.toISOString(),
});

export function clockView(
  clock: IncidentClock,
  deadline: Date,
  doneAt: Date | null,
  at: Date,
): IncidentClockView {
  const remaining = Math.floor((deadline.getTime() - at.getTime()) / 1000);
  return {
    clock,
    deadline: deadline.toISOString(),
    deadlineLabel: frenchDateTime(deadline, { weekday: true }),
    doneAt: doneAt ? doneAt.toISOString() : null,
    remainingSeconds: doneAt ? null : remaining,
    overdue: doneAt ? doneAt.getTime() > deadline.getTime() : remaining < 0,
  };
}

/** Reminders are sent this long before each deadline (and at the deadline if still owed). */
export const REMINDER_LEAD_MS: Record<IncidentClock, number> = {
  earlyWarning: 6 * HOUR,
  notification: 12 * HOUR,
  finalReport: 7 * 24 * HOUR,
};

/** The remediation due date: a calendar date `days` after the given Paris date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const utc = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) + days * 86_400_000);
  return utc.toISOString().slice(0, 10);
}

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, none: 4 };
