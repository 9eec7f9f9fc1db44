import {
  MEMBERSHIP_STATUS_LABELS,
  MEMBERSHIP_TRANSITIONS,
  type MembershipStatus,
  type TransitionInput,
} from '../../../contracts/members.js';
import type { FieldError } from '../../platform/errors.js';

export type TransitionCheck =
  | { ok: true; byMember: boolean }
  | { ok: false; reason: 'illegal'; message: string }
  | { ok: false; reason: 'missing'; message: string; errors: FieldError[] };

const label = (status: MembershipStatus) => `« ${MEMBERSHIP_STATUS_LABELS[status]} »`;

const REQUIRED_MESSAGES: Record<
  'documentId' | 'decisionReference' | 'note',
  Partial<Record<MembershipStatus, string>>
> = {
  documentId: {
    requested: "joignez la délibération d'adhésion (documentId) déposée au préalable en PDF",
    withdrawal_requested: 'joignez la délibération de retrait (documentId) déposée au préalable en PDF',
  },
  decisionReference: {
    accepted: 'indiquez la référence de la décision du comité syndical',
    withdrawn: 'indiquez la référence de la décision du comité syndical',
  },
  note: { prospect: 'indiquez le motif du refus' },
};

/** Why a step is impossible, in words the operator's staff can act on. */
function illegalReason(from: MembershipStatus, to: MembershipStatus): string {
  if (from === to) return `la structure est déjà au statut ${label(to)}.`;
  const next = MEMBERSHIP_TRANSITIONS.filter((t) => t.from === from).map((t) => label(t.to));
  const hint = HINTS[`${from}>${to}`];
  return `${hint ? `${hint} ` : ''}Étape(s) possible(s) depuis ${label(from)} : ${next.join(', ')}.`;
}

const HINTS: Record<string, string> = {
  'prospect>accepted':
    "le comité syndical ne peut accepter qu'une demande d'adhésion déposée avec sa délibération.",
  'prospect>member':
    "la structure doit d'abord demander son adhésion (délibération), puis être acceptée par le comité syndical.",
  'requested>member': "la demande doit d'abord être acceptée par le comité syndical.",
  'member>withdrawn': "le retrait doit d'abord être demandé par une délibération de la structure.",
  'withdrawn>member': "une structure retirée doit déposer une nouvelle demande d'adhésion.",
};

/**
 * Checks one lifecycle step: that it exists in the transition table and carries what it needs.
 * Pure: who may take it and whether the document exists are checked elsewhere.
 */
export function checkTransition(
  from: MembershipStatus,
  to: MembershipStatus,
  input: Pick<TransitionInput, 'documentId' | 'decisionReference' | 'note'>,
): TransitionCheck {
  const step = MEMBERSHIP_TRANSITIONS.find((t) => t.from === from && t.to === to);
  if (!step) {
    return {
      ok: false,
      reason: 'illegal',
      message: `Impossible de passer de ${label(from)} à ${label(to)} : ${illegalReason(from, to)}`,
    };
  }
  const missing = step.requires.filter((field) => !input[field]);
  if (missing.length > 0) {
    const errors = missing.map((field) => ({
      path: `body.${field}`,
      message: REQUIRED_MESSAGES[field][to] ?? 'champ obligatoire pour cette étape',
    }));
    return {
      ok: false,
      reason: 'missing',
      message: `Pour passer de ${label(from)} à ${label(to)}, ${errors.map((e) => e.message).join(' ; ')}.`,
      errors,
    };
  }
  return { ok: true, byMember: step.byMember };
}

/** The steps possible from a status (for the UI's action buttons). */
export const nextStatuses = (from: MembershipStatus): MembershipStatus[] =>
  MEMBERSHIP_TRANSITIONS.filter((t) => t.from === from).map((t) => t.to);
