/** The diagnostic's pure parts: answers read from the form, and scores compared with before and peers. */
import {
  DIAGNOSTIC_ANSWERS,
  type Diagnostic,
  type DiagnosticAnswer,
  type DiagnosticQuestionnaire,
} from '../../../contracts/cyber.js';

/** The form's name of a question's radio group (and the error key the server uses for it). */
export const answerField = (questionId: string) => `answers.${questionId}`;

const isAnswer = (value: unknown): value is DiagnosticAnswer =>
  typeof value === 'string' && (DIAGNOSTIC_ANSWERS as readonly string[]).includes(value);

/** Every question must be answered (« Je ne sais pas » is an answer); errors name the unanswered ones. */
export function readDiagnosticForm(data: FormData, questionnaire: DiagnosticQuestionnaire) {
  const answers: Record<string, DiagnosticAnswer> = {};
  const errors: Record<string, string> = {};
  for (const theme of questionnaire.themes) {
    for (const question of theme.questions) {
      const value = data.get(answerField(question.id));
      if (isAnswer(value)) answers[question.id] = value;
      else errors[answerField(question.id)] = 'Choisissez une réponse (« Je ne sais pas » est possible)';
    }
  }
  const respondents = String(data.get('respondents') ?? '').trim();
  return { answers, respondents: respondents === '' ? null : respondents, errors };
}

export interface ScoreRow {
  theme: string;
  label: string;
  score: number;
  /** The previous diagnostic's score for the theme, and the change (null without one). */
  previous: number | null;
  change: number | null;
  /** The peers' median for the theme (null when fewer than 5 peers). */
  peers: number | null;
}

/** One row per theme of this diagnostic, beside the previous one and the peers' median. */
export function scoreRows(diagnostic: Diagnostic): ScoreRow[] {
  const previous = new Map(diagnostic.previous?.themeScores.map((t) => [t.theme, t.score]) ?? []);
  const peers = new Map(diagnostic.peers?.themeScores.map((t) => [t.theme, t.score]) ?? []);
  return diagnostic.themeScores.map((t) => {
    const before = previous.get(t.theme) ?? null;
    return {
      theme: t.theme,
      label: t.label,
      score: t.score,
      previous: before,
      change: before === null ? null : t.score - before,
      peers: peers.get(t.theme) ?? null,
    };
  });
}

/** « +12 points », « −5 points », « inchangé ». */
export function changeText(change: number | null): string {
  if (change === null) return '—';
  if (change === 0) return 'inchangé';
  const points = Math.abs(change) > 1 ? 'points' : 'point';
  return change > 0 ? `+${change} ${points}` : `−${-change} ${points}`;
}
