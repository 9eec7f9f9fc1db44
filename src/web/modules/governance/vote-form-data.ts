/** The vote of an agenda item read from the browser's FormData, and its result told in French. */
import { countOf } from '../../../contracts/french.js';
import { type VoteInput, type VoteResult, voteInputSchema } from '../../../contracts/governance.js';

export const VOTE_FIELDS = [
  ['for', 'Pour'],
  ['against', 'Contre'],
  ['abstention', 'Abstentions'],
  ['notVoting', 'Ne prennent pas part au vote'],
] as const;

const text = (data: FormData, key: string) => String(data.get(key) ?? '').trim();

/**
 * The counts as the API expects them (`for` and `against` required, the others 0 when left empty) and
 * the chair's vote on a tie; at most `voters` votes in all (those present and represented).
 */
export function readVoteForm(data: FormData, voters: number | null) {
  const errors: Record<string, string> = {};
  const counts: Record<string, number> = {};
  for (const [key, label] of VOTE_FIELDS) {
    const value = text(data, key);
    const required = key === 'for' || key === 'against';
    if (value === '') {
      if (required) errors[key] = `Indiquez le nombre de voix « ${label} » (0 s'il n'y en a aucune)`;
      counts[key] = 0;
      continue;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) errors[key] = 'nombre entier positif ou nul attendu';
    counts[key] = n;
  }
  const total = Object.values(counts).reduce((sum, n) => sum + (Number.isFinite(n) ? n : 0), 0);
  if (voters !== null && Object.keys(errors).length === 0 && total > voters) {
    errors.for = `${countOf(total, 'voix', 'voix')} pour ${countOf(voters, 'votant', 'votants')} (présents et représentés) : vérifiez les nombres`;
  }
  const chair = text(data, 'chairVote');
  const body = {
    for: counts.for,
    against: counts.against,
    abstention: counts.abstention,
    notVoting: counts.notVoting,
    chairVote: chair === 'for' || chair === 'against' ? chair : null,
  };
  const parsed = voteInputSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      if (key && !errors[key]) errors[key] = issue.message;
    }
  }
  return parsed.success && Object.keys(errors).length === 0
    ? { body: parsed.data as VoteInput, errors }
    : { body: null, errors };
}

/** « 30 pour, 2 contre, 1 abstention ; 32 suffrages exprimés » (+ the chair's casting vote, weights). */
export function voteResultText(result: VoteResult): string {
  const parts = [
    `${countOf(result.for, 'voix', 'voix')} pour`,
    `${countOf(result.against, 'voix', 'voix')} contre`,
    countOf(result.abstention, 'abstention', 'abstentions'),
  ];
  if (result.notVoting > 0)
    parts.push(`${countOf(result.notVoting, 'élu ne prend', 'élus ne prennent')} pas part au vote`);
  let text = `${parts.join(', ')} ; ${countOf(result.cast, 'suffrage exprimé', 'suffrages exprimés')}`;
  if (result.weighted) text += ' (voix pondérées selon les statuts)';
  if (result.chairPrevailed) text += ' ; partage des voix : la voix du président est prépondérante';
  return text;
}
