import { describe, expect, it } from 'vitest';
import { readVoteForm, voteResultText } from './vote-form-data.js';

const NBSP = '\u00a0';
const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
};

describe('the vote form read in the browser', () => {
  it('gives the counts, empty abstentions as 0, no chair vote by default', () => {
    const { body, errors } = readVoteForm(
      form({ for: '30', against: '2', abstention: '', notVoting: '1' }),
      40,
    );
    expect(errors).toEqual({});
    expect(body).toEqual({ for: 30, against: 2, abstention: 0, notVoting: 1, chairVote: null });
  });

  it('keeps the chair vote that breaks a tie', () => {
    const { body } = readVoteForm(form({ for: '10', against: '10', chairVote: 'for' }), null);
    expect(body?.chairVote).toBe('for');
  });

  it('asks for « pour » and « contre », refuses negative or decimal counts', () => {
    const { body, errors } = readVoteForm(form({ for: '', against: '-1', abstention: '2.5' }), 40);
    expect(body).toBeNull();
    expect(errors).toEqual({
      for: "Indiquez le nombre de voix « Pour » (0 s'il n'y en a aucune)",
      against: 'nombre entier positif ou nul attendu',
      abstention: 'nombre entier positif ou nul attendu',
    });
  });

  it('refuses more votes than voters', () => {
    const { errors } = readVoteForm(form({ for: '20', against: '10', abstention: '1' }), 30);
    expect(errors.for).toBe(
      `31${NBSP}voix pour 30${NBSP}votants (présents et représentés) : vérifiez les nombres`,
    );
  });
});

describe('a vote result told in French', () => {
  const base = {
    for: 30,
    against: 2,
    abstention: 1,
    notVoting: 0,
    cast: 32,
    chairPrevailed: false,
    weighted: false,
    votedAt: '2026-12-04T18:00:00Z',
  };
  it('counts votes cast without abstentions', () => {
    expect(voteResultText(base)).toBe(
      `30${NBSP}voix pour, 2${NBSP}voix contre, 1${NBSP}abstention ; 32${NBSP}suffrages exprimés`,
    );
  });
  it('says the chair prevailed and that votes were weighted', () => {
    expect(
      voteResultText({
        ...base,
        for: 10,
        against: 10,
        abstention: 0,
        notVoting: 2,
        cast: 20,
        chairPrevailed: true,
        weighted: true,
      }),
    ).toBe(
      `10${NBSP}voix pour, 10${NBSP}voix contre, 0${NBSP}abstention, 2${NBSP}élus ne prennent pas part au vote ; 20${NBSP}suffrages exprimés (voix pondérées selon les statuts) ; partage des voix : la voix du président est prépondérante`,
    );
  });
});
