import { describe, expect, it } from 'vitest';
import { parisDay } from '../../../contracts/french.js';
import {
  addDays,
  checkAttendance,
  checkCounts,
  convocationDays,
  convocationDueBy,
  daysBetween,
  presentCount,
  quorum,
  sameParisTimeOn,
  secondConvocationDay,
  secondConvocationEarliest,
  sentInTime,
  tallyBallots,
  voteOutcome,
  votingCount,
} from './governance.rules.js';

/** An instant given as Paris wall time with its offset, as a secretary types it. */
const at = (iso: string) => new Date(iso);

describe('convocation days by assembly', () => {
  it.each([
    ['conseil_municipal', 3500, false, 5],
    ['conseil_municipal', 3499, false, 3],
    ['conseil_municipal', null, false, 3],
    ['conseil_municipal', 120_000, true, 1],
    ['conseil_communautaire', 800, false, 5],
    ['comite_syndical', null, false, 5],
    ['bureau', null, false, 5],
    ['comite_syndical', null, true, 1],
    ['conseil_administration', 50_000, false, 3],
  ] as const)('%s of %s inhabitants, urgent %s → %i jours francs', (kind, population, urgent, days) => {
    expect(convocationDays(kind, population, urgent)).toBe(days);
  });
});

describe('convocationDueBy (jours francs, Europe/Paris)', () => {
  it('leaves five whole days between sending and the session, neither counting', () => {
    // Session Monday 16 March: 11, 12, 13, 14, 15 are the francs, the weekend included.
    const due = convocationDueBy(at('2026-03-16T18:00:00+01:00'), 5);
    expect(due).toBe('2026-03-10');
    expect(daysBetween(due, '2026-03-16') - 1).toBe(5);
  });

  it('counts weekends like any day (no carrying over)', () => {
    // Session Wednesday 17 June 2026 with 3 jours francs: 14 (Sun), 15, 16 → sent Saturday 13.
    expect(convocationDueBy(at('2026-06-17T09:00:00+02:00'), 3)).toBe('2026-06-13');
    // A Tuesday session in urgency: Monday is the jour franc, Sunday the last day to send.
    expect(convocationDueBy(at('2026-06-16T18:00:00+02:00'), 1)).toBe('2026-06-14');
  });

  it('crosses month and year ends', () => {
    expect(convocationDueBy(at('2026-03-03T18:00:00+01:00'), 5)).toBe('2026-02-25');
    expect(convocationDueBy(at('2026-05-01T10:00:00+02:00'), 3)).toBe('2026-04-27');
    expect(convocationDueBy(at('2027-01-02T10:00:00+01:00'), 5)).toBe('2026-12-27');
  });

  it('counts 29 February in a leap year', () => {
    expect(convocationDueBy(at('2028-03-03T18:00:00+01:00'), 5)).toBe('2028-02-26');
    expect(convocationDueBy(at('2027-03-03T18:00:00+01:00'), 5)).toBe('2027-02-25');
    expect(convocationDueBy(at('2028-03-01T18:00:00+01:00'), 1)).toBe('2028-02-28');
  });

  it('reads the session day in Paris across daylight saving changes', () => {
    // 00:30 on Monday 30 March 2026 in Paris is still Sunday 29 in UTC (summer time began on the 29th).
    const springMonday = at('2026-03-30T00:30:00+02:00');
    expect(springMonday.toISOString().slice(0, 10)).toBe('2026-03-29');
    expect(convocationDueBy(springMonday, 5)).toBe('2026-03-24');
    // The night winter time returns (25 October 2026): 00:15 on the 26th is 23:15 UTC on the 25th.
    const autumnMonday = at('2026-10-26T00:15:00+01:00');
    expect(convocationDueBy(autumnMonday, 5)).toBe('2026-10-20');
    // A session on the day of the change itself.
    expect(convocationDueBy(at('2026-03-29T10:00:00+02:00'), 3)).toBe('2026-03-25');
  });

  it('tells a convocation sent in time from a late one, by the Paris day it was sent', () => {
    const session = at('2026-03-16T18:00:00+01:00');
    expect(sentInTime(parisDay(at('2026-03-10T23:59:00+01:00')), session, 5)).toBe(true);
    // 00:10 on the 11th in Paris is still the 10th in UTC: late all the same.
    const justLate = at('2026-03-11T00:10:00+01:00');
    expect(justLate.toISOString().slice(0, 10)).toBe('2026-03-10');
    expect(sentInTime(parisDay(justLate), session, 5)).toBe(false);
  });

  it('places a second convocation at least three days after the first session', () => {
    expect(secondConvocationEarliest(at('2026-02-27T18:00:00+01:00'))).toBe('2026-03-02');
    expect(secondConvocationEarliest(at('2028-02-27T18:00:00+01:00'))).toBe('2028-03-01');
  });

  it('adds days on civil dates', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });
});

describe('the second convocation prepared on closing', () => {
  it('sits three days later at the earliest, and late enough to be convened from today', () => {
    const first = new Date('2026-03-20T18:00:00+01:00');
    // Closed the same evening: five jours francs from today (the 20th) put it on the 26th.
    expect(secondConvocationDay(first, 5, '2026-03-20')).toBe('2026-03-26');
    // One jour franc only (urgency-like deadlines): the three days rule decides.
    expect(secondConvocationDay(first, 1, '2026-03-20')).toBe('2026-03-23');
    // Closed days later: counted from the closing day.
    expect(secondConvocationDay(first, 3, '2026-03-25')).toBe('2026-03-29');
  });

  it('keeps the wall-clock hour across daylight saving time and month ends', () => {
    const evening = new Date('2026-03-26T18:00:00+01:00');
    expect(sameParisTimeOn(evening, '2026-03-30').toISOString()).toBe('2026-03-30T16:00:00.000Z');
    const autumn = new Date('2026-10-22T18:30:00+02:00');
    expect(sameParisTimeOn(autumn, '2026-11-02').toISOString()).toBe('2026-11-02T17:30:00.000Z');
    const leap = new Date('2028-02-27T09:00:00+01:00');
    expect(sameParisTimeOn(leap, '2028-03-01').toISOString()).toBe('2028-03-01T08:00:00.000Z');
  });
});

describe('quorum', () => {
  it.each([
    [55, 28, 28, true],
    [55, 27, 28, false],
    [10, 6, 6, true],
    [10, 5, 6, false],
    [1, 1, 1, true],
    [0, 0, 1, false],
  ])('%i in office, %i present: %i required, reached %s', (inOffice, present, required, reached) => {
    expect(quorum(inOffice, present)).toEqual({ inOffice, required, present, reached });
  });

  it('is not required on a second convocation', () => {
    expect(quorum(55, 3, true)).toEqual({ inOffice: 55, required: 0, present: 3, reached: true });
  });

  it('does not count proxies as present', () => {
    const lines = [
      { seatId: 'a', status: 'present' as const },
      { seatId: 'b', status: 'represented' as const, proxySeatId: 'a' },
      { seatId: 'c', status: 'excused' as const },
      { seatId: 'd', status: 'absent' as const },
    ];
    expect(presentCount(lines)).toBe(1);
    expect(votingCount(lines)).toBe(2);
    expect(quorum(4, presentCount(lines)).reached).toBe(false);
  });
});

describe('proxies', () => {
  const seats = new Set(['a', 'b', 'c', 'd']);

  it('accepts one proxy to a present member', () => {
    expect(
      checkAttendance(
        [
          { seatId: 'a', status: 'present' },
          { seatId: 'b', status: 'represented', proxySeatId: 'a' },
          { seatId: 'c', status: 'present' },
          { seatId: 'd', status: 'represented', proxySeatId: 'c' },
        ],
        seats,
      ),
    ).toEqual([]);
  });

  it('refuses a second proxy held by the same person', () => {
    const errors = checkAttendance(
      [
        { seatId: 'a', status: 'present' },
        { seatId: 'b', status: 'represented', proxySeatId: 'a' },
        { seatId: 'c', status: 'represented', proxySeatId: 'a' },
      ],
      seats,
    );
    expect(errors).toEqual([
      { index: 2, field: 'proxySeatId', message: 'ce membre détient déjà un pouvoir (un seul par personne)' },
    ]);
  });

  it('refuses a proxy to an absent member, to oneself, or without holder', () => {
    const errors = checkAttendance(
      [
        { seatId: 'a', status: 'absent' },
        { seatId: 'b', status: 'represented', proxySeatId: 'a' },
        { seatId: 'c', status: 'represented', proxySeatId: 'c' },
        { seatId: 'd', status: 'represented' },
      ],
      seats,
    );
    expect(errors.map((e) => [e.index, e.message])).toEqual([
      [1, 'le pouvoir est donné à un membre présent'],
      [2, 'un membre ne peut pas se donner pouvoir à lui-même'],
      [3, 'indiquez le membre présent qui reçoit le pouvoir'],
    ]);
  });

  it('refuses unknown seats, duplicates and a proxy named by a present member', () => {
    const errors = checkAttendance(
      [
        { seatId: 'a', status: 'present', proxySeatId: 'b' },
        { seatId: 'a', status: 'present' },
        { seatId: 'z', status: 'present' },
      ],
      seats,
    );
    expect(errors.map((e) => [e.index, e.field])).toEqual([
      [1, 'seatId'],
      [2, 'seatId'],
      [0, 'proxySeatId'],
    ]);
  });
});

describe('majority of votes cast', () => {
  const counts = (f: number, a: number, ab = 0, nv = 0) => ({
    for: f,
    against: a,
    abstention: ab,
    notVoting: nv,
  });

  it('adopts on more for than against, abstentions not counted', () => {
    expect(voteOutcome(counts(10, 9, 30), { secretBallot: false })).toEqual({
      adopted: true,
      cast: 19,
      chairPrevailed: false,
    });
    expect(voteOutcome(counts(9, 10, 0), { secretBallot: false }).adopted).toBe(false);
    // Abstentions alone adopt nothing.
    expect(voteOutcome(counts(0, 0, 12), { secretBallot: false })).toEqual({
      adopted: false,
      cast: 0,
      chairPrevailed: false,
    });
  });

  it("breaks a tie with the chair's vote, except in a secret ballot", () => {
    expect(voteOutcome(counts(5, 5, 2), { secretBallot: false, chairVote: 'for' })).toEqual({
      adopted: true,
      cast: 10,
      chairPrevailed: true,
    });
    expect(voteOutcome(counts(5, 5), { secretBallot: false, chairVote: 'against' })).toEqual({
      adopted: false,
      cast: 10,
      chairPrevailed: true,
    });
    expect(voteOutcome(counts(5, 5), { secretBallot: true, chairVote: 'for' })).toEqual({
      adopted: false,
      cast: 10,
      chairPrevailed: false,
    });
    expect(voteOutcome(counts(5, 5), { secretBallot: false })).toEqual({
      adopted: false,
      cast: 10,
      chairPrevailed: false,
    });
  });

  it('weighs ballots by college', () => {
    const tally = tallyBallots([
      { choice: 'for', weight: 3 },
      { choice: 'for', weight: 1 },
      { choice: 'against', weight: 1 },
      { choice: 'against', weight: 1 },
      { choice: 'against', weight: 1 },
      { choice: 'abstention', weight: 2 },
      { choice: 'not_voting', weight: 1 },
    ]);
    expect(tally).toEqual({ for: 4, against: 3, abstention: 2, notVoting: 1 });
    // Three people against one, but the one carries three votes: adopted 4 to 3.
    expect(voteOutcome(tally, { secretBallot: false }).adopted).toBe(true);
  });

  it('refuses more votes than voters', () => {
    expect(checkCounts(counts(5, 4, 2), 11)).toBeNull();
    expect(checkCounts(counts(5, 4, 3), 11)).toBe(
      'Les voix exprimées, abstentions comprises (12), dépassent le nombre de votants (11 : présents et pouvoirs).',
    );
  });
});
