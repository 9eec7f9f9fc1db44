import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACT_NATURES, type ActNature } from '../../../../contracts/acts.js';
import { addCalendarDays, parisDateOf, parseCalendarDate } from './dates.js';
import {
  deliberationsListDueOn,
  executoryState,
  legalityCheckEndsOn,
  REASON_AWAITING_ACKNOWLEDGEMENT,
  REASON_TO_PUBLISH,
  REASON_TO_PUBLISH_OR_NOTIFY,
  transmissionDueOn,
} from './executory.js';

const at = (iso: string) => new Date(iso);
const dayMs = 86_400_000;
const daysBetween = (a: string, b: string) =>
  Math.round((parseCalendarDate(b).getTime() - parseCalendarDate(a).getTime()) / dayMs);

/** Calendar dates from 2000 to 2099, and instants over the same years. */
const calendarDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const instant = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const nature = fc.constantFrom(...ACT_NATURES);

describe('transmissionDueOn (CGCT L2131-1/L2131-2: individual decisions within 15 days)', () => {
  it.each([
    ['AI', '2026-12-04', '2026-12-19'],
    ['AI', '2026-12-20', '2027-01-04'],
    ['AI', '2028-02-14', '2028-02-29'],
    ['AI', '2026-03-20', '2026-04-04'],
    ['AI', '2026-10-20', '2026-11-04'],
    ['DE', '2026-12-04', null],
    ['AR', '2026-12-04', null],
    ['CC', '2026-12-04', null],
    ['BF', '2026-12-04', null],
    ['AU', '2026-12-04', null],
  ] as [ActNature, string, string | null][])('%s signed on %s → %s', (n, signedOn, due) => {
    expect(transmissionDueOn(n, signedOn)).toBe(due);
  });

  it('has no deadline without a signature date, or when the act is not transmitted', () => {
    expect(transmissionDueOn('AI', null)).toBeNull();
    expect(transmissionDueOn('AI', '2026-12-04', false)).toBeNull();
  });

  it('refuses what is not a calendar date', () => {
    expect(() => transmissionDueOn('AI', '2026-02-30')).toThrow(RangeError);
    expect(() => transmissionDueOn('AI', '04/12/2026')).toThrow(RangeError);
  });

  it('is always exactly 15 calendar days after the signature for AI, null otherwise', () => {
    fc.assert(
      fc.property(nature, calendarDate, (n, signedOn) => {
        const due = transmissionDueOn(n, signedOn);
        if (n !== 'AI') return due === null;
        return due !== null && daysBetween(signedOn, due) === 15;
      }),
    );
  });
});

describe('legalityCheckEndsOn (CGCT L2131-6: two months after the acknowledgement)', () => {
  it.each([
    ['2026-12-04T13:32:00Z', '2027-02-04'],
    // 23:30 UTC on 31 December is already 1 January in Paris.
    ['2026-12-31T23:30:00Z', '2027-03-01'],
    ['2026-12-31T10:00:00Z', '2027-02-28'],
    ['2027-12-31T10:00:00Z', '2028-02-29'],
    // 22:30 UTC on 30 June is 00:30 on 1 July in Paris (summer time, UTC+2).
    ['2026-06-30T22:30:00Z', '2026-09-01'],
    ['2026-06-30T21:30:00Z', '2026-08-30'],
  ])('acknowledged at %s → %s', (ack, ends) => {
    expect(legalityCheckEndsOn(at(ack))).toBe(ends);
  });

  it('is null before the acknowledgement', () => {
    expect(legalityCheckEndsOn(null)).toBeNull();
  });

  it('ends 59 to 62 days after the Paris date of the acknowledgement', () => {
    fc.assert(
      fc.property(instant, (ack) => {
        const ends = legalityCheckEndsOn(ack);
        if (ends === null) return false;
        const days = daysBetween(parisDateOf(ack), ends);
        return days >= 59 && days <= 62;
      }),
    );
  });
});

describe('deliberationsListDueOn (CGCT L2121-25: within one week of the session)', () => {
  it.each([
    ['2026-12-04', '2026-12-11'],
    ['2026-12-28', '2027-01-04'],
    ['2028-02-25', '2028-03-03'],
    ['2026-03-27', '2026-04-03'],
  ])('session on %s → online by %s', (sessionOn, due) => {
    expect(deliberationsListDueOn(sessionOn)).toBe(due);
  });

  it('is always 7 days after the session', () => {
    fc.assert(fc.property(calendarDate, (d) => daysBetween(d, deliberationsListDueOn(d)) === 7));
  });
});

describe('executoryState (CGCT L2131-1)', () => {
  const ack = at('2026-12-04T13:32:00Z'); // 4 December in Paris
  const published = at('2026-12-07T09:00:00Z'); // 7 December
  const lateNightPublication = at('2026-12-07T23:15:00Z'); // already 8 December in Paris

  it.each([
    // Deliberations, regulatory acts and budgets: transmission and publication.
    ['DE', true, ack, published, null, '2026-12-07', null],
    ['DE', true, ack, lateNightPublication, null, '2026-12-08', null],
    ['AR', true, at('2026-12-09T08:00:00Z'), published, null, '2026-12-09', null],
    ['BF', true, ack, published, null, '2026-12-07', null],
    ['DE', true, null, published, null, null, REASON_AWAITING_ACKNOWLEDGEMENT],
    ['DE', true, ack, null, null, null, REASON_TO_PUBLISH],
    // A notification does not make a deliberation executory.
    ['DE', true, ack, null, '2026-12-05', null, REASON_TO_PUBLISH],
    ['DE', true, null, null, null, null, `${REASON_AWAITING_ACKNOWLEDGEMENT} ; à publier`],
    // Not subject to the legality check: publication alone.
    ['DE', false, null, published, null, '2026-12-07', null],
    ['AR', false, null, null, null, null, REASON_TO_PUBLISH],
    // Individual acts: transmission and (publication or notification, whichever first).
    ['AI', true, ack, null, '2026-12-05', '2026-12-05', null],
    ['AI', true, ack, published, '2026-12-05', '2026-12-05', null],
    ['AI', true, ack, published, '2026-12-10', '2026-12-07', null],
    ['AI', true, ack, null, '2026-12-01', '2026-12-04', null],
    ['AI', true, ack, null, null, null, REASON_TO_PUBLISH_OR_NOTIFY],
    ['AI', true, null, null, '2026-12-05', null, REASON_AWAITING_ACKNOWLEDGEMENT],
    ['AI', true, null, null, null, null, `${REASON_AWAITING_ACKNOWLEDGEMENT} ; à publier ou à notifier`],
    ['AI', false, null, null, '2026-12-05', '2026-12-05', null],
    ['CC', true, ack, null, '2026-12-06', '2026-12-06', null],
    ['AU', false, null, published, null, '2026-12-07', null],
  ] as [ActNature, boolean, Date | null, Date | null, string | null, string | null, string | null][])(
    '%s (transmission required: %s, ack %s, published %s, notified %s) → %s / %s',
    (n, transmissionRequired, acknowledgedAt, publishedAt, notifiedOn, executoryOn, reason) => {
      expect(
        executoryState({ nature: n, transmissionRequired, acknowledgedAt, publishedAt, notifiedOn }),
      ).toEqual({ executoryOn, reason });
    },
  );

  it('refuses a notification date that is not a calendar date', () => {
    expect(() =>
      executoryState({
        nature: 'AI',
        transmissionRequired: false,
        acknowledgedAt: null,
        publishedAt: null,
        notifiedOn: '2026-13-01',
      }),
    ).toThrow(RangeError);
  });

  const input = fc.record({
    nature,
    transmissionRequired: fc.boolean(),
    acknowledgedAt: fc.option(instant, { nil: null }),
    publishedAt: fc.option(instant, { nil: null }),
    notifiedOn: fc.option(calendarDate, { nil: null }),
  });

  it('answers either a date or a reason, never both nor neither', () => {
    fc.assert(
      fc.property(input, (i) => {
        const s = executoryState(i);
        return (s.executoryOn === null) !== (s.reason === null);
      }),
    );
  });

  it('is executory exactly when transmitted (if required) and published or, when allowed, notified', () => {
    fc.assert(
      fc.property(input, (i) => {
        const transmitted = !i.transmissionRequired || i.acknowledgedAt !== null;
        const notifiable = !['DE', 'AR', 'BF'].includes(i.nature);
        const known = i.publishedAt !== null || (notifiable && i.notifiedOn !== null);
        return (executoryState(i).executoryOn !== null) === (transmitted && known);
      }),
    );
  });

  it('never becomes executory before its acknowledgement nor before it is made known', () => {
    fc.assert(
      fc.property(input, (i) => {
        const { executoryOn } = executoryState(i);
        if (executoryOn === null) return true;
        if (i.transmissionRequired && i.acknowledgedAt && executoryOn < parisDateOf(i.acknowledgedAt))
          return false;
        const known = [
          ...(i.publishedAt ? [parisDateOf(i.publishedAt)] : []),
          ...(i.notifiedOn && !['DE', 'AR', 'BF'].includes(i.nature) ? [i.notifiedOn] : []),
        ];
        const [firstKnown] = [...known].sort();
        if (executoryOn < firstKnown) return false;
        // Executory the day it was made known, or the day of the acknowledgement when that came later.
        return (
          executoryOn === firstKnown ||
          (i.transmissionRequired &&
            i.acknowledgedAt !== null &&
            executoryOn === parisDateOf(i.acknowledgedAt))
        );
      }),
    );
  });

  it('is the later of the acknowledgement and the earliest publication/notification date', () => {
    fc.assert(
      fc.property(nature, instant, fc.integer({ min: -40, max: 40 }), (n, ack, offset) => {
        const ackDay = parisDateOf(ack);
        const notifiedOn = addCalendarDays(ackDay, offset);
        const s = executoryState({
          nature: n,
          transmissionRequired: true,
          acknowledgedAt: ack,
          publishedAt: null,
          notifiedOn,
        });
        if (['DE', 'AR', 'BF'].includes(n)) return s.executoryOn === null && s.reason === REASON_TO_PUBLISH;
        return s.executoryOn === (offset > 0 ? notifiedOn : ackDay);
      }),
    );
  });
});
