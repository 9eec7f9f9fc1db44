import { describe, expect, it } from 'vitest';
import { CLOCK_STEPS, describeClock, dueText, formatDuration } from './clocks.js';

const at = (iso: string) => new Date(iso).getTime();
/** The text with its no-break spaces as plain ones, for readable expectations. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ');

describe('durations in French', () => {
  it('says days and hours past a day, hours and minutes below', () => {
    expect(plain(formatDuration(0))).toBe('moins d’une minute');
    expect(plain(formatDuration(12))).toBe('12 min');
    expect(plain(formatDuration(60))).toBe('1 h');
    expect(plain(formatDuration(23 * 60 + 12))).toBe('23 h 12 min');
    expect(plain(formatDuration(1440 + 5 * 60 + 59))).toBe('1 jour 5 h');
    expect(plain(formatDuration(29 * 1440 + 3 * 60))).toBe('29 jours 3 h');
    expect(plain(formatDuration(2 * 1440))).toBe('2 jours');
  });

  it('never says a negative or fractional duration', () => {
    expect(plain(formatDuration(-5))).toBe('moins d’une minute');
    expect(plain(formatDuration(90.9))).toBe('1 h 30 min');
  });
});

describe('a regulator clock read at an instant', () => {
  it('counts down to the deadline, shown in Paris time', () => {
    // Detected on Saturday 5 December 2026 at 10:00 in Paris (UTC+1): early warning within 24 h.
    const view = describeClock(
      CLOCK_STEPS.earlyWarning,
      '2026-12-06T09:00:00.000Z',
      null,
      at('2026-12-05T12:48:00.000Z'),
    );
    expect(view.state).toBe('running');
    expect(plain(view.text)).toBe(
      'Il reste 20 h 12 min pour l’alerte précoce, avant le dimanche 6 décembre 2026 à 10:00.',
    );
  });

  it('reads a deadline across the end of summer time on the wall clock of Paris', () => {
    // Detected Saturday 24 October 2026 at 10:00 (UTC+2); 24 real hours later it is 09:00 (UTC+1).
    const view = describeClock(
      CLOCK_STEPS.earlyWarning,
      '2026-10-25T08:00:00.000Z',
      null,
      at('2026-10-24T08:00:00.000Z'),
    );
    expect(plain(view.text)).toBe(
      'Il reste 1 jour pour l’alerte précoce, avant le dimanche 25 octobre 2026 à 09:00.',
    );
  });

  it('says how late an unmet clock is', () => {
    const view = describeClock(
      CLOCK_STEPS.notification,
      '2026-03-30T09:00:00.000Z',
      null,
      at('2026-03-30T11:30:00.000Z'),
    );
    expect(view.state).toBe('overdue');
    expect(plain(view.text)).toBe(
      'Délai dépassé de 2 h 30 min pour la notification d’incident : l’échéance était le lundi 30 mars 2026 à 11:00.',
    );
  });

  it('says when a step was done, and whether in time', () => {
    const inTime = describeClock(
      CLOCK_STEPS.earlyWarning,
      '2026-12-06T09:00:00.000Z',
      '2026-12-05T16:15:00.000Z',
      at('2026-12-08T00:00:00.000Z'),
    );
    expect(inTime.state).toBe('met');
    expect(plain(inTime.text)).toBe(
      'L’alerte précoce : transmise le samedi 5 décembre 2026 à 17:15, dans le délai (échéance le dimanche 6 décembre 2026 à 10:00).',
    );
    const late = describeClock(
      CLOCK_STEPS.earlyWarning,
      '2026-12-06T09:00:00.000Z',
      '2026-12-06T10:00:00.000Z',
      at('2026-12-08T00:00:00.000Z'),
    );
    expect(late.state).toBe('late');
    expect(late.text).toContain('hors délai');
    const report = describeClock(
      CLOCK_STEPS.finalReport,
      '2027-01-05T09:00:00.000Z',
      '2026-12-20T09:00:00.000Z',
      at('2027-01-08T00:00:00.000Z'),
    );
    expect(report.text).toMatch(
      /^Le rapport final : transmis le dimanche 20 décembre 2026 à 10:00, dans le délai/,
    );
  });
});

describe('a remediation due date', () => {
  it('counts calendar days, whatever the hour', () => {
    expect(dueText('2026-12-05', '2026-12-05')).toBe('échéance aujourd’hui');
    expect(dueText('2026-12-06', '2026-12-05')).toBe('échéance demain');
    expect(plain(dueText('2026-12-12', '2026-12-05'))).toBe('échéance dans 7 jours');
    expect(plain(dueText('2026-12-04', '2026-12-05'))).toBe('en retard de 1 jour');
    // Across the change of time (29 March 2026): still whole days.
    expect(plain(dueText('2026-03-27', '2026-04-01'))).toBe('en retard de 5 jours');
  });
});
