import { type ActInput, actInputSchema } from '../../../contracts/acts.js';

/** The act form's values read from the browser's FormData, checked with the API's own schema. */

export const VOTES = [
  ['votesMembers', 'Membres en exercice'],
  ['votesPresent', 'Présents ou représentés'],
  ['votesFor', 'Pour'],
  ['votesAgainst', 'Contre'],
  ['votesAbstention', 'Abstentions'],
] as const;

export type VoteKey = (typeof VOTES)[number][0];

/** Fields whose schema keeps zod's default (English) message: the form says it in French. */
const FRENCH: Record<string, string> = {
  ...Object.fromEntries(VOTES.map(([key]) => [key, 'nombre entier positif ou nul attendu'])),
  signatoryName: '200 caractères au plus',
  correctsActId: 'choisissez un acte dans la liste',
};

const text = (data: FormData, key: string) => String(data.get(key) ?? '').trim();
const orNull = (value: string) => (value === '' ? null : value);
const countOf = (value: string) => (value === '' ? null : Number(value));

/** The form's values as the API expects them; the checks of the shared schema give French messages. */
export function readActForm(data: FormData, transmissionRequired: boolean) {
  const body = {
    nature: text(data, 'nature'),
    classification: text(data, 'classification'),
    number: text(data, 'number').toUpperCase(),
    decidedOn: text(data, 'decidedOn'),
    subject: text(data, 'subject'),
    signatoryName: orNull(text(data, 'signatoryName')),
    signedOn: orNull(text(data, 'signedOn')),
    sessionOn: orNull(text(data, 'sessionOn')),
    transmissionRequired,
    notifiedOn: orNull(text(data, 'notifiedOn')),
    ...(data.has('correctsActId') ? { correctsActId: orNull(text(data, 'correctsActId')) } : {}),
    ...Object.fromEntries(VOTES.map(([key]) => [key, countOf(text(data, key))])),
  };
  const errors: Record<string, string> = {};
  if (!body.decidedOn) errors.decidedOn = 'La date de décision est obligatoire';
  if (!body.classification) errors.classification = 'Choisissez la matière de l’acte';
  const parsed = actInputSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (key && !errors[key]) errors[key] = FRENCH[key] ?? issue.message;
    }
  }
  return parsed.success && Object.keys(errors).length === 0
    ? { body: parsed.data as ActInput, errors }
    : { body: null, errors };
}
