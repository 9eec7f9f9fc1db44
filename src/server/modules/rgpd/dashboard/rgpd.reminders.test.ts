import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  memberContacts,
  rgpdBreaches,
  rgpdProcessings,
  rgpdRightsRequests,
} from '../../../platform/db/schema.js';
import { Mailer, MemoryTransport } from '../../../platform/mail/mailer.js';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { buildOperator, buildOrganisation, buildUser } from '../../../test/builders.js';
import { breachNotificationDeadline, parisWallClock, rightsRequestDueOn } from '../rgpd.deadlines.js';
import { runRgpdReminders, scheduleRgpdReminders } from './rgpd.reminders.js';

describe('daily RGPD reminders', () => {
  let t: TestApp;
  // 07:00 in Paris on Monday 13 April 2026.
  const now = parisWallClock('2026-04-13', 7);
  const mail = new MemoryTransport();
  let mailer: Mailer;

  beforeAll(async () => {
    t = await createTestApp();
    mailer = new Mailer(mail);
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
    const report = await runRgpdReminders(t.database.db, mailer, now);
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
    const again = await runRgpdReminders(t.database.db, mailer, new Date(now.getTime() + 3 * 3_600_000));
    expect(again).toEqual({ day: '2026-04-13', items: 0, referentMails: 0, dpoMails: 0 });
    expect(mail.delivered.length).toBe(before);
  });

  it('reminds requests and breaches again the next day, reviews only a week later', async () => {
    const nextDay = await runRgpdReminders(t.database.db, mailer, parisWallClock('2026-04-14', 7));
    expect(nextDay.items).toBe(3);
    const weekLater = await runRgpdReminders(t.database.db, mailer, parisWallClock('2026-04-20', 7));
    // Both requests are now overdue, 30 April's is not yet within 7 days; the breach's window has
    // closed; the review comes back after seven days.
    expect(weekLater.items).toBe(3);
    const last = mail.delivered.at(-1);
    expect(last?.text).toContain('Cantine');
  });

  it('runs at 07:00 Paris time and stops when the app closes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const app = Fastify();
      const run = vi.fn(async () => ({ items: 0 }));
      app.decorate('database', { db: {} } as never);
      app.decorate('mailer', mailer);
      const clock = () => parisWallClock('2026-04-13', 6, 30);
      const schedule = scheduleRgpdReminders(app, clock, run as never);
      expect(schedule.next().toISOString()).toBe('2026-04-13T05:00:00.000Z');
      await vi.advanceTimersByTimeAsync(29 * 60_000);
      expect(run).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(run).toHaveBeenCalledTimes(1);
      await app.close();
      await vi.advanceTimersByTimeAsync(48 * 3_600_000);
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
