import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_THEMES, type DiagnosticAnswer } from '../../../../contracts/cyber.js';
import { addDays, clockView, incidentDeadlines } from './clocks.js';
import { QUESTIONS } from './questionnaire.js';
import { actionPlan, answerErrors, bandOf, questionnaire, scoresOf } from './scoring.js';

describe('incident clocks (NIS 2)', () => {
  it('counts 24 h and 72 h in real hours across the change to summer time, the month in Paris wall-clock time', () => {
    // Saturday 28 March 2026, 10:00 in Paris (UTC+1); summer time starts on Sunday 29 March at 02:00.
    const detectedAt = new Date('2026-03-28T09:00:00Z');
    const d = incidentDeadlines(detectedAt);
    expect(d.earlyWarning.toISOString()).toBe('2026-03-29T09:00:00.000Z'); // 11:00 in Paris (UTC+2)
    expect(d.notification.toISOString()).toBe('2026-03-31T09:00:00.000Z');
    expect(d.finalReport.toISOString()).toBe('2026-04-28T08:00:00.000Z'); // 10:00 in Paris, as detected
  });

  it('across the change back to winter time, and from 31 January to the end of February', () => {
    const d = incidentDeadlines(new Date('2026-10-24T22:30:00Z')); // Sunday 25 October, 00:30 in Paris (UTC+2)
    expect(d.earlyWarning.toISOString()).toBe('2026-10-25T22:30:00.000Z'); // 23:30 in Paris (UTC+1)
    expect(d.finalReport.toISOString()).toBe('2026-11-24T23:30:00.000Z'); // 25 November 00:30 in Paris
    expect(incidentDeadlines(new Date('2026-01-31T08:00:00Z')).finalReport.toISOString()).toBe(
      '2026-02-28T08:00:00.000Z',
    );
  });

  it('shows what is left, overdue once passed, and a late submission as overdue', () => {
    const deadline = new Date('2026-03-29T09:00:00Z');
    const before = clockView('earlyWarning', deadline, null, new Date('2026-03-29T08:00:00Z'));
    expect(before).toMatchObject({ remainingSeconds: 3600, overdue: false });
    expect(before.deadlineLabel).toBe('dimanche 29 mars 2026 à 11:00');
    expect(clockView('earlyWarning', deadline, null, new Date('2026-03-29T09:00:01Z')).overdue).toBe(true);
    const late = clockView(
      'earlyWarning',
      deadline,
      new Date('2026-03-29T10:00:00Z'),
      new Date('2026-04-01T00:00:00Z'),
    );
    expect(late).toMatchObject({ remainingSeconds: null, overdue: true });
  });

  it('adds calendar days for remediation due dates', () => {
    expect(addDays('2026-02-25', 7)).toBe('2026-03-04');
    expect(addDays('2026-12-31', 30)).toBe('2027-01-30');
  });
});

describe('diagnostic scoring', () => {
  const all = (answer: DiagnosticAnswer) => Object.fromEntries(QUESTIONS.map((q) => [q.id, answer]));

  it('asks every theme, at least three questions each', () => {
    const themes = questionnaire().themes;
    expect(themes.map((t) => t.theme)).toEqual([...DIAGNOSTIC_THEMES]);
    for (const t of themes) expect(t.questions.length).toBeGreaterThanOrEqual(3);
  });

  it('scores 100 for all yes, 50 for all partly, 0 for all no, weighting questions', () => {
    expect(scoresOf(all('yes')).overall).toBe(100);
    expect(scoresOf(all('partial')).overall).toBe(50);
    expect(scoresOf(all('no')).overall).toBe(0);
    const answers = { ...all('yes'), 'backups.offline': 'no' as const };
    // backups: regular 3, offline 3, restore 2 → (6 + 0 + 4) / 16.
    expect(scoresOf(answers).themeScores.backups).toBe(Math.round((100 * 10) / 16));
  });

  it('names missing and unknown questions', () => {
    const { 'backups.offline': _, ...missing } = all('yes');
    const errors = answerErrors({ ...missing, 'foo.bar': 'yes' });
    expect(errors.map((e) => e.path)).toEqual(['body.answers.foo.bar', 'body.answers.backups.offline']);
  });

  it('plans only unmet measures, the cheap high-impact ones first, a « no » before a « partly »', () => {
    expect(actionPlan(all('yes'))).toEqual([]);
    const plan = actionPlan({
      ...all('yes'),
      'accounts.admin': 'no',
      'updates.obsolete': 'no',
      'governance.charter': 'partial',
    });
    expect(plan.map((m) => m.questionId)).toEqual([
      'accounts.admin',
      'updates.obsolete',
      'governance.charter',
    ]);
    expect(plan.map((m) => m.priority)).toEqual([1, 2, 3]);
    const backups = actionPlan({ ...all('yes'), 'backups.regular': 'no' });
    expect(backups[0]?.serviceCode).toBe('CYBER-SAUVEGARDE');
  });

  it('puts members in population bands', () => {
    expect(bandOf(null).label).toBe('moins de 500 habitants');
    expect(bandOf(54_000).label).toBe('50 000 habitants et plus');
    expect(bandOf(10_000).label).toBe('10 000 à 49 999 habitants');
  });
});
