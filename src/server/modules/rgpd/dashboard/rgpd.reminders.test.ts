import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useClock } from '../../../platform/clock.js';
import {
  jobSchedules,
  memberContacts,
  rgpdBreaches,
  rgpdProcessings,
  rgpdRightsRequests,
} from '../../../platform/db/schema.js';
import type { Mailer, MemoryTransport } from '../../../platform/mail/mailer.js';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { buildOperator, buildOrganisation, buildUser } from '../../../test/builders.js';
import { breachNotificationDeadline, parisWallClock, rightsRequestDueOn } from '../rgpd.deadlines.js';
import { RGPD_REMINDERS_JOB } from '../rgpd.jobs.js';
import { runRgpdReminders } from './rgpd.reminders.js';

describe('daily RGPD reminders', () => {
  let t: TestApp;
  // 07:00 in Paris on Monday 13 April 2026.
  const now = parisWallClock('2026-04-13', 7);
  let mail: MemoryTransport;
  let mailer: Mailer;
  /** The reminders, then the mail.send jobs they queued (as the runner would a moment later). */
  const remind = async (at: Date) => {
    const report = await runRgpdReminders(t.database.db, mailer, at);
    await t.runJobs();
    return report;
  };

  beforeAll(async () => {
    t = await createTestApp();
    mailer = t.app.mailer;
    mail = t.mail;
    const db = t.database.db;
    const operator = await buildOperator(db);
    await buildUser(db, {
      email: 'dpo@operateur.example',
      roles: [{ organisation: operator, role: 'agent', scopes: ['dpo'] }],
    });
    await buildUser(db, {
      email: 'compta@operateur.example',
      roles: [{ organisation: operator, role: 'agent', scopes: ['finance'] }],
    });
    const member = await buildOrganisation(db, { name: 'Commune de Test' });
    const quiet = await buildOrganisation(db, { name: 'Commune tranquille' });
    await db.insert(memberContacts).values([
      {
        memberId: member.id,
        role: 'referent_rgpd',
        firstName: 'R',
        lastName: 'G',
        email: 'Referent@commune.example',
      },
      {
        memberId: member.id,
        role: 'maire_president',
        firstName: 'M',
        lastName: 'P',
        email: 'maire@commune.example',
      },
      {
        memberId: quiet.id,
        role: 'referent_rgpd',
        firstName: 'Q',
        lastName: 'T',
        email: 'rgpd@tranquille.example',
      },
    ]);
    await db.insert(rgpdRightsRequests).values([
      // Due on 16 April: within 7 days.
      {
        memberId: member.id,
        type: 'access',
        requesterName: 'A',
        receivedOn: '2026-03-16',
        dueOn: rightsRequestDueOn('2026-03-16'),
        status: 'received',
      },
      // Due on 10 April: overdue.
      {
        memberId: member.id,
        type: 'erasure',
        requesterName: 'B',
        receivedOn: '2026-03-10',
        dueOn: rightsRequestDueOn('2026-03-10'),
        status: 'in_progress',
      },
      // Due on 30 April: not yet.
      {
        memberId: member.id,
        type: 'access',
        requesterName: 'C',
        receivedOn: '2026-03-30',
        dueOn: rightsRequestDueOn('2026-03-30'),
        status: 'received',
      },
      // Answered: never reminded.
      {
        memberId: quiet.id,
        type: 'access',
        requesterName: 'D',
        receivedOn: '2026-03-12',
        dueOn: rightsRequestDueOn('2026-03-12'),
        status: 'answered',
        answer: 'ok',
        answeredOn: '2026-03-20',
      },
    ]);
    const awareAt = new Date(now.getTime() - 10 * 3_600_000);
    await db.insert(rgpdBreaches).values({
      memberId: member.id,
      awareAt,
      notificationDeadline: breachNotificationDeadline(awareAt),
      nature: ['confidentiality'],
      riskLevel: 'low',
      cnilNotificationRequired: true,
    });
    await db.insert(rgpdProcessings).values([
      { memberId: member.id, name: 'Cantine', nextReviewOn: '2026-04-01' },
      { memberId: member.id, name: 'Cimetières', nextReviewOn: '2026-12-01' },
    ]);
  });
  afterAll(() => t?.close());

  it('mails the référent and the DPO team, in French, about what is due', async () => {
    const report = await remind(now);
    expect(report).toEqual({ day: '2026-04-13', items: 4, referentMails: 1, dpoMails: 1 });
    expect(mail.delivered.map((m) => m.to).sort()).toEqual([
      'dpo@operateur.example',
      'referent@commune.example',
    ]);
    const referent = mail.delivered.find((m) => m.to === 'referent@commune.example');
    expect(referent?.subject).toBe('[Urgent] RGPD – échéances de Commune de Test au 13 avril 2026');
    expect(referent?.text).toContain('à traiter avant le 16 avril 2026');
    expect(referent?.text).toContain('EN RETARD : la réponse était due le 10 avril 2026');
    expect(referent?.text).toContain('notifier à la CNIL avant le mercredi 15 avril 2026 à 21:00');
    expect(referent?.text).toContain('« Cantine » : revue en retard');
    expect(referent?.text).not.toContain('Cimetières');
    // Requesters' names are personal data: they stay out of mails.
    expect(referent?.text).not.toMatch(/requester|Demandeur/);
    const dpo = mail.delivered.find((m) => m.to === 'dpo@operateur.example');
    expect(dpo?.subject).toBe('RGPD – 4 échéances chez 1 structure (13 avril 2026)');
  });

  it('never mails the same item twice on the same day', async () => {
    const before = mail.delivered.length;
    const again = await remind(new Date(now.getTime() + 3 * 3_600_000));
    expect(again).toEqual({ day: '2026-04-13', items: 0, referentMails: 0, dpoMails: 0 });
    expect(mail.delivered.length).toBe(before);
  });

  it('reminds requests and breaches again the next day, reviews only a week later', async () => {
    const nextDay = await remind(parisWallClock('2026-04-14', 7));
    expect(nextDay.items).toBe(3);
    const weekLater = await remind(parisWallClock('2026-04-20', 7));
    // Both requests are now overdue, 30 April's is not yet within 7 days; the breach's window has
    // closed; the review comes back after seven days.
    expect(weekLater.items).toBe(3);
    const last = mail.delivered.at(-1);
    expect(last?.text).toContain('Cantine');
  });

  it('runs from the job schedule every day at 07:00 Paris time, once', async () => {
    await t.runJobs(); // writes the declared schedule
    const scheduleOf = async () => {
      const [row] = await t.database.db
        .select()
        .from(jobSchedules)
        .where(eq(jobSchedules.name, RGPD_REMINDERS_JOB));
      return row;
    };
    expect((await scheduleOf()).cron).toBe('0 7 * * *');
    // The next run falls on Tuesday 21 April 2026 at 07:00 in Paris (05:00 UTC, summer time).
    const due = parisWallClock('2026-04-21', 7);
    await t.database.db
      .update(jobSchedules)
      .set({ nextRunAt: due })
      .where(eq(jobSchedules.name, RGPD_REMINDERS_JOB));
    let at = new Date(due.getTime() - 60_000);
    const restore = useClock({ now: () => at });
    try {
      const before = mail.delivered.length;
      expect(await t.runJobs()).toEqual({ done: 0, failed: 0, scheduled: 0 });
      at = due;
      // The scheduled run, then the two mails it queued, in one pass of the runner.
      expect(await t.runJobs()).toEqual({ done: 3, failed: 0, scheduled: 1 });
      expect(mail.delivered.slice(before).map((m) => m.subject)).toEqual(
        expect.arrayContaining([
          '[Urgent] RGPD – échéances de Commune de Test au 21 avril 2026',
          'RGPD – 2 échéances chez 1 structure (21 avril 2026)',
        ]),
      );
      at = new Date(due.getTime() + 3_600_000);
      expect(await t.runJobs()).toEqual({ done: 0, failed: 0, scheduled: 0 });
      expect((await scheduleOf()).nextRunAt.toISOString()).toBe('2026-04-22T05:00:00.000Z');
      expect((await scheduleOf()).lastRunAt?.toISOString()).toBe(due.toISOString());
    } finally {
      restore();
    }
  });
});
