import { describe, expect, it } from 'vitest';
import {
  addCalendarMonths,
  breachClock,
  breachNotificationDeadline,
  daysUntilDue,
  extendRightsRequest,
  formatCountdown,
  formatFrenchDate,
  formatParisInstant,
  isRequestDueSoon,
  isRequestOverdue,
  nextDailyRun,
  parisToday,
  parisWallClock,
  rightsRequestDueOn,
} from './rgpd.deadlines.js';

describe('rights request due date (one month)', () => {
  it.each([
    ['2026-03-15', '2026-04-15'],
    ['2026-01-31', '2026-02-28'],
    ['2028-01-31', '2028-02-29'],
    ['2028-01-29', '2028-02-29'],
    ['2026-01-29', '2026-02-28'],
    ['2026-03-31', '2026-04-30'],
    ['2026-12-31', '2027-01-31'],
    ['2026-12-15', '2027-01-15'],
    ['2028-02-29', '2028-03-29'],
  ])('received on %s is due on %s', (receivedOn, dueOn) => {
    expect(rightsRequestDueOn(receivedOn)).toBe(dueOn);
  });

  it('refuses something that is not a calendar date', () => {
    expect(() => rightsRequestDueOn('2026-02-30')).toThrow(RangeError);
    expect(() => rightsRequestDueOn('15/03/2026')).toThrow(RangeError);
  });

  it('counts extensions from the initial due date, with the same end-of-month rule', () => {
    expect(addCalendarMonths('2026-01-31', 2)).toBe('2026-03-31');
    expect(addCalendarMonths('2025-12-31', 2)).toBe('2026-02-28');
  });
});

describe('extending a rights request', () => {
  const request = { dueOn: '2026-01-31', extendedUntil: null };

  it('extends by two months at once', () => {
    expect(extendRightsRequest(request, 2, '2026-01-20')).toEqual({
      ok: true,
      extendedUntil: '2026-03-31',
      totalMonths: 2,
    });
  });

  it('extends twice by one month, landing where two months at once would', () => {
    const first = extendRightsRequest(request, 1, '2026-01-20');
    expect(first).toEqual({ ok: true, extendedUntil: '2026-02-28', totalMonths: 1 });
    const second = extendRightsRequest({ ...request, extendedUntil: '2026-02-28' }, 1, '2026-01-25');
    expect(second).toEqual({ ok: true, extendedUntil: '2026-03-31', totalMonths: 2 });
  });

  it('refuses more than two months in total', () => {
    expect(extendRightsRequest({ ...request, extendedUntil: '2026-02-28' }, 2, '2026-01-20')).toEqual({
      ok: false,
      reason: 'too_long',
      alreadyMonths: 1,
    });
    expect(extendRightsRequest({ ...request, extendedUntil: '2026-03-31' }, 1, '2026-01-20')).toMatchObject({
      ok: false,
      reason: 'too_long',
    });
    expect(extendRightsRequest(request, 3, '2026-01-20')).toMatchObject({ ok: false, reason: 'too_long' });
  });

  it('refuses once the initial due date has passed (the person must be told within the month)', () => {
    expect(extendRightsRequest(request, 1, '2026-01-31')).toMatchObject({ ok: true });
    expect(extendRightsRequest(request, 1, '2026-02-01')).toEqual({
      ok: false,
      reason: 'past_due',
      alreadyMonths: 0,
    });
  });
});

describe('overdue and due-soon rights requests (Paris calendar)', () => {
  const open = { dueOn: '2026-04-15', extendedUntil: null, status: 'in_progress' };

  it('is not overdue on the due date itself, even late in the Paris evening', () => {
    // 23:30 in Paris on 15 April is already 16 April… no: 21:30 UTC. The UTC date is still the 15th.
    expect(isRequestOverdue(open, new Date('2026-04-15T21:30:00Z'))).toBe(false);
    expect(daysUntilDue(open, new Date('2026-04-15T21:30:00Z'))).toBe(0);
  });

  it('is overdue from the first minute of the next Paris day, while UTC is still on the due date', () => {
    const justAfterMidnightParis = new Date('2026-04-15T22:01:00Z');
    expect(parisToday(justAfterMidnightParis)).toBe('2026-04-16');
    expect(isRequestOverdue(open, justAfterMidnightParis)).toBe(true);
  });

  it('uses the extended date when there is one', () => {
    const extended = { ...open, extendedUntil: '2026-05-15' };
    expect(isRequestOverdue(extended, new Date('2026-04-20T10:00:00Z'))).toBe(false);
    expect(daysUntilDue(extended, new Date('2026-05-10T10:00:00Z'))).toBe(5);
  });

  it('never flags answered, refused or closed requests', () => {
    for (const status of ['answered', 'refused', 'closed']) {
      expect(isRequestOverdue({ ...open, status }, new Date('2026-06-01T10:00:00Z'))).toBe(false);
      expect(isRequestDueSoon({ ...open, status }, new Date('2026-04-14T10:00:00Z'))).toBe(false);
    }
  });

  it('is due soon within seven days, not before, not once overdue', () => {
    expect(isRequestDueSoon(open, new Date('2026-04-07T10:00:00Z'))).toBe(false);
    expect(isRequestDueSoon(open, new Date('2026-04-08T10:00:00Z'))).toBe(true);
    expect(isRequestDueSoon(open, new Date('2026-04-15T10:00:00Z'))).toBe(true);
    expect(isRequestDueSoon(open, new Date('2026-04-16T10:00:00Z'))).toBe(false);
  });
});

describe('breach notification deadline (72 real hours)', () => {
  it('crosses the spring DST change: 10:00 Paris on 27 March 2026 → 11:00 Paris on 30 March', () => {
    const awareAt = parisWallClock('2026-03-27', 10);
    expect(awareAt.toISOString()).toBe('2026-03-27T09:00:00.000Z');
    const deadline = breachNotificationDeadline(awareAt);
    expect(deadline.toISOString()).toBe('2026-03-30T09:00:00.000Z');
    expect(formatParisInstant(deadline)).toBe('lundi 30 mars 2026 à 11:00');
    expect(deadline.getTime() - awareAt.getTime()).toBe(72 * 3_600_000);
  });

  it('crosses the autumn DST change: 10:00 Paris on 23 October 2026 → 09:00 Paris on 26 October', () => {
    const awareAt = parisWallClock('2026-10-23', 10);
    expect(awareAt.toISOString()).toBe('2026-10-23T08:00:00.000Z');
    const deadline = breachNotificationDeadline(awareAt);
    expect(formatParisInstant(deadline)).toBe('lundi 26 octobre 2026 à 09:00');
  });

  it('stays on the same wall-clock time without a DST change', () => {
    const deadline = breachNotificationDeadline(parisWallClock('2026-03-27', 14, 5));
    expect(formatParisInstant(parisWallClock('2026-03-27', 14, 5))).toBe('vendredi 27 mars 2026 à 14:05');
    expect(formatParisInstant(deadline)).toBe('lundi 30 mars 2026 à 15:05');
  });

  it('counts down while a notification is owed, then turns overdue', () => {
    const awareAt = new Date('2026-05-04T08:00:00Z');
    const base = {
      notificationDeadline: breachNotificationDeadline(awareAt),
      notifiedAt: null,
      notificationRequired: true,
    };
    expect(breachClock(base, new Date('2026-05-04T09:00:00Z'))).toEqual({
      remainingSeconds: 71 * 3600,
      overdue: false,
      notifiedLate: false,
    });
    expect(breachClock(base, new Date('2026-05-07T08:00:00Z')).remainingSeconds).toBe(0);
    expect(breachClock(base, new Date('2026-05-07T08:00:01Z'))).toEqual({
      remainingSeconds: null,
      overdue: true,
      notifiedLate: false,
    });
  });

  it('owes nothing once notified, and tells a late notification apart', () => {
    const deadline = new Date('2026-05-07T08:00:00Z');
    const now = new Date('2026-05-10T00:00:00Z');
    expect(
      breachClock(
        {
          notificationDeadline: deadline,
          notifiedAt: new Date('2026-05-06T08:00:00Z'),
          notificationRequired: true,
        },
        now,
      ),
    ).toEqual({ remainingSeconds: null, overdue: false, notifiedLate: false });
    expect(
      breachClock(
        {
          notificationDeadline: deadline,
          notifiedAt: new Date('2026-05-08T08:00:00Z'),
          notificationRequired: true,
        },
        now,
      ),
    ).toEqual({ remainingSeconds: null, overdue: false, notifiedLate: true });
    expect(
      breachClock({ notificationDeadline: deadline, notifiedAt: null, notificationRequired: false }, now),
    ).toEqual({ remainingSeconds: null, overdue: false, notifiedLate: false });
  });
});

describe('French display', () => {
  it('formats dates and countdowns', () => {
    expect(formatFrenchDate('2026-02-28')).toBe('28 février 2026');
    expect(formatCountdown(2 * 86_400 + 4 * 3_600 + 10 * 60 + 59)).toBe('2 j 4 h 10 min');
    expect(formatCountdown(59)).toBe('0 min');
    expect(formatCountdown(-1)).toBe('dépassé');
  });
});

describe('daily job schedule', () => {
  it('runs at the next 07:00 Paris, in winter and in summer time', () => {
    expect(nextDailyRun(new Date('2026-01-10T05:00:00Z')).toISOString()).toBe('2026-01-10T06:00:00.000Z');
    expect(nextDailyRun(new Date('2026-01-10T06:00:00Z')).toISOString()).toBe('2026-01-11T06:00:00.000Z');
    expect(nextDailyRun(new Date('2026-07-10T04:59:00Z')).toISOString()).toBe('2026-07-10T05:00:00.000Z');
    // The night of the spring change: 07:00 on 29 March 2026 is already summer time.
    expect(nextDailyRun(new Date('2026-03-28T07:00:00Z')).toISOString()).toBe('2026-03-29T05:00:00.000Z');
  });
});
