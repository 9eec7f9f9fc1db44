import { describe, expect, it } from 'vitest';
import type { Diagnostic, DiagnosticQuestionnaire } from '../../../contracts/cyber.js';
import { answerField, changeText, readDiagnosticForm, scoreRows } from './diagnostic-data.js';

const questionnaire: DiagnosticQuestionnaire = {
  version: 1,
  themes: [
    {
      theme: 'accounts',
      label: 'Comptes',
      questions: [
        { id: 'accounts.mfa', theme: 'accounts', text: 'Double authentification ?', help: '' },
        { id: 'accounts.admin', theme: 'accounts', text: 'Comptes d’administration séparés ?', help: '' },
      ],
    },
    {
      theme: 'backups',
      label: 'Sauvegardes',
      questions: [{ id: 'backups.offline', theme: 'backups', text: 'Copie hors ligne ?', help: '' }],
    },
  ],
};

describe('the questionnaire read from the form', () => {
  it('gives every answer and the respondents', () => {
    const data = new FormData();
    data.append(answerField('accounts.mfa'), 'yes');
    data.append(answerField('accounts.admin'), 'unknown');
    data.append(answerField('backups.offline'), 'partial');
    data.append('respondents', ' DGS et secrétaire ');
    expect(readDiagnosticForm(data, questionnaire)).toEqual({
      answers: { 'accounts.mfa': 'yes', 'accounts.admin': 'unknown', 'backups.offline': 'partial' },
      respondents: 'DGS et secrétaire',
      errors: {},
    });
  });

  it('names each unanswered question, and refuses an answer that does not exist', () => {
    const data = new FormData();
    data.append(answerField('accounts.mfa'), 'peut-être');
    const read = readDiagnosticForm(data, questionnaire);
    expect(Object.keys(read.errors)).toEqual([
      'answers.accounts.mfa',
      'answers.accounts.admin',
      'answers.backups.offline',
    ]);
    expect(read.respondents).toBeNull();
  });
});

describe('scores compared', () => {
  const base: Diagnostic = {
    id: '00000000-0000-4000-8000-000000000001',
    memberId: '00000000-0000-4000-8000-000000000002',
    createdAt: '2026-12-01T10:00:00.000Z',
    createdBy: null,
    overallScore: 60,
    maturity: 'managed',
    questionnaireVersion: 1,
    respondents: null,
    answers: {},
    themeScores: [
      { theme: 'accounts', label: 'Comptes', score: 75 },
      { theme: 'backups', label: 'Sauvegardes', score: 50 },
    ],
    actionPlan: [],
    previous: null,
    peers: null,
  };

  it('shows the themes alone without history nor peers', () => {
    expect(scoreRows(base)).toEqual([
      { theme: 'accounts', label: 'Comptes', score: 75, previous: null, change: null, peers: null },
      { theme: 'backups', label: 'Sauvegardes', score: 50, previous: null, change: null, peers: null },
    ]);
  });

  it('puts the previous score, the change and the peers’ median beside each theme', () => {
    const rows = scoreRows({
      ...base,
      previous: {
        id: '00000000-0000-4000-8000-000000000003',
        createdAt: '2025-12-01T10:00:00.000Z',
        overallScore: 40,
        themeScores: [{ theme: 'accounts', label: 'Comptes', score: 50 }],
      },
      peers: {
        count: 7,
        label: 'Communes',
        overallScore: 45,
        themeScores: [{ theme: 'backups', label: 'Sauvegardes', score: 55 }],
      },
    });
    expect(rows[0]).toMatchObject({ previous: 50, change: 25, peers: null });
    expect(rows[1]).toMatchObject({ previous: null, change: null, peers: 55 });
  });

  it('writes the change in points', () => {
    expect(changeText(12)).toBe('+12 points');
    expect(changeText(1)).toBe('+1 point');
    expect(changeText(-5)).toBe('−5 points');
    expect(changeText(0)).toBe('inchangé');
    expect(changeText(null)).toBe('—');
  });
});
