import {
  DIAGNOSTIC_THEME_LABELS,
  DIAGNOSTIC_THEMES,
  type DiagnosticAnswer,
  type DiagnosticQuestionnaire,
  type DiagnosticTheme,
  type MeasureLevel,
} from '../../../../contracts/cyber.js';
import type { MemberKind } from '../../../../contracts/members.js';
import type { FieldError } from '../../../platform/errors.js';
import { type Measure, QUESTION_BY_ID, QUESTIONNAIRE_VERSION, QUESTIONS } from './questionnaire.js';

/** Scores and the action plan of a diagnostic, as pure functions of its answers. */

const POINTS: Record<DiagnosticAnswer, number> = { yes: 2, partial: 1, no: 0, unknown: 0 };

export function questionnaire(): DiagnosticQuestionnaire {
  return {
    version: QUESTIONNAIRE_VERSION,
    themes: DIAGNOSTIC_THEMES.map((theme) => ({
      theme,
      label: DIAGNOSTIC_THEME_LABELS[theme],
      questions: QUESTIONS.filter((q) => q.theme === theme).map(({ id, text, help }) => ({
        id,
        theme,
        text,
        help,
      })),
    })),
  };
}

/** Every question answered, no unknown question: the faults as field errors (French). */
export function answerErrors(answers: Record<string, DiagnosticAnswer>): FieldError[] {
  const errors: FieldError[] = [];
  for (const id of Object.keys(answers)) {
    if (!QUESTION_BY_ID.has(id))
      errors.push({ path: `body.answers.${id}`, message: `Question inconnue : ${id}.` });
  }
  for (const question of QUESTIONS) {
    if (!(question.id in answers)) {
      errors.push({
        path: `body.answers.${question.id}`,
        message: `Répondez à la question « ${question.text} »`,
      });
    }
  }
  return errors;
}

/** Per theme 0–100: weighted points over the maximum; overall: the mean of the themes. */
export function scoresOf(answers: Record<string, DiagnosticAnswer>): {
  themeScores: Record<DiagnosticTheme, number>;
  overall: number;
} {
  const themeScores = {} as Record<DiagnosticTheme, number>;
  for (const theme of DIAGNOSTIC_THEMES) {
    let got = 0;
    let max = 0;
    for (const question of QUESTIONS) {
      if (question.theme !== theme) continue;
      max += 2 * question.weight;
      got += POINTS[answers[question.id] ?? 'unknown'] * question.weight;
    }
    themeScores[theme] = max === 0 ? 0 : Math.round((100 * got) / max);
  }
  const values = Object.values(themeScores);
  const overall = Math.round(values.reduce((s, v) => s + v, 0) / values.length);
  return { themeScores, overall };
}

const LEVEL: Record<MeasureLevel, number> = { low: 1, medium: 2, high: 3 };

export interface PlannedMeasure extends Measure {
  questionId: string;
  theme: DiagnosticTheme;
  priority: number;
}

/**
 * The measures of the questions not fully met, best value first: impact (and the question's weight)
 * against effort and cost; a question answered « no » or « don't know » before one answered « partly ».
 */
export function actionPlan(answers: Record<string, DiagnosticAnswer>): PlannedMeasure[] {
  const candidates = QUESTIONS.filter((q) => (answers[q.id] ?? 'unknown') !== 'yes').map((q) => {
    const gap = answers[q.id] === 'partial' ? 1 : 2;
    const value = (LEVEL[q.measure.impact] * 2 + q.weight) * gap;
    const price = LEVEL[q.measure.effort] + LEVEL[q.measure.cost];
    return { q, rank: value / price };
  });
  candidates.sort((a, b) => b.rank - a.rank || a.q.id.localeCompare(b.q.id));
  return candidates.map(({ q }, index) => ({
    ...q.measure,
    questionId: q.id,
    theme: q.theme,
    priority: index + 1,
  }));
}

/** Population bands for peers: the same as the pricing strata's reading of « similar size ». */
export const POPULATION_BANDS: readonly { min: number; max: number; label: string }[] = [
  { min: 0, max: 500, label: 'moins de 500 habitants' },
  { min: 500, max: 2_000, label: '500 à 1 999 habitants' },
  { min: 2_000, max: 10_000, label: '2 000 à 9 999 habitants' },
  { min: 10_000, max: 50_000, label: '10 000 à 49 999 habitants' },
  { min: 50_000, max: 2_147_483_647, label: '50 000 habitants et plus' },
];

export function bandOf(population: number | null) {
  const p = population ?? 0;
  return POPULATION_BANDS.find((b) => p >= b.min && p < b.max) ?? POPULATION_BANDS[0];
}

/** « Communes de 2 000 à 9 999 habitants »: the peers' kind, in the plural. */
export const PEER_KIND_LABELS: Record<MemberKind, string> = {
  commune: 'Communes',
  epci: 'EPCI',
  syndicat_mixte: 'Syndicats mixtes',
  syndicat_intercommunal: 'Syndicats intercommunaux',
  ccas: 'CCAS et CIAS',
  medico_social: 'Établissements médico-sociaux',
  structure_departementale: 'Structures départementales',
  spl: 'SPL et SEM',
  autre: 'Autres organismes publics',
};

/** The minimum number of peers with a diagnostic before their median is shown (anonymity). */
export const MIN_PEERS = 5;
