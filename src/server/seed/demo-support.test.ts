import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService } from '../modules/catalogue/catalogue.test-support.js';
import { buildSubscription } from '../modules/subscriptions/subscriptions.test-support.js';
import { type Database, rowsOf } from '../platform/db/client.js';
import { buildOperator, buildOrganisation } from '../test/builders.js';
import { openTestDatabase } from '../test/database.js';
import { generateTickets, seedArticles, seedSupport, seedTrainings } from './demo-support.js';
import { Random } from './random.js';

describe('demo support desk', () => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase({ territorySample: true });
    const db = database.db;
    await buildOperator(db);
    const mail = await buildService(db, {
      code: 'HEB-MESSAGERIE',
      domain: 'hebergement',
      name: 'Messagerie',
    });
    for (let i = 0; i < 12; i++) {
      const member = await buildOrganisation(db, { name: `Commune ${i}`, status: 'member' });
      if (i % 2 === 0) await buildSubscription(db, { memberId: member.id, serviceId: mail.id });
    }
  });
  afterAll(async () => {
    await database.close();
  });

  it('generates open, waiting and closed tickets whatever the day and hour it runs', () => {
    const members = [{ id: 'm', services: ['s'], requesterId: 'u' }];
    // A Saturday morning (the CI run that found the gap), a Monday's opening, a Sunday night.
    for (const now of ['2026-12-05T07:17:00Z', '2026-12-07T08:00:00Z', '2026-12-06T22:30:00Z']) {
      const { tickets } = generateTickets(new Random(1414), members, ['a'], new Date(now), 400);
      const count = (status: string) => tickets.filter((t) => t.status === status).length;
      expect(count('waiting_member'), now).toBeGreaterThan(0);
      expect(count('in_progress') + count('open'), now).toBeGreaterThan(0);
      expect(count('closed'), now).toBeGreaterThan(250);
    }
  });

  it('seeds a year of tickets: most closed in time, some breached, some waiting, some open; once', async () => {
    const db = database.db;
    expect(await seedSupport(db, new Date(), 400)).toEqual({ tickets: 400 });
    const [stats] = rowsOf<Record<string, number>>(
      await db.execute(sql`SELECT
        count(*) FILTER (WHERE status = 'closed')::int AS closed,
        count(*) FILTER (WHERE status = 'waiting_member')::int AS waiting,
        count(*) FILTER (WHERE status IN ('open', 'in_progress'))::int AS active,
        count(*) FILTER (WHERE resolved_at > resolution_due_at)::int AS breached,
        count(*) FILTER (WHERE service_id IS NOT NULL)::int AS with_service,
        count(*) FILTER (WHERE satisfaction IS NOT NULL)::int AS rated,
        (max(created_at) - min(created_at) > interval '300 days')::int AS over_a_year
        FROM support_tickets`),
    );
    expect(stats?.closed).toBeGreaterThan(250);
    expect(stats?.breached).toBeGreaterThan(10);
    expect(stats?.waiting).toBeGreaterThan(0);
    expect(stats?.active).toBeGreaterThan(0);
    expect(stats?.with_service).toBeGreaterThan(50);
    expect(stats?.rated).toBeGreaterThan(100);
    expect(stats?.over_a_year).toBe(1);
    const levels = rowsOf(await db.execute(sql`SELECT * FROM support_service_levels`));
    expect(levels).toHaveLength(2);
    expect(await seedSupport(db, new Date(), 400)).toEqual({ tickets: 0 });
  });

  it('seeds a training calendar over the départements, some sessions full with a waiting list; once', async () => {
    const db = database.db;
    const seeded = await seedTrainings(db, new Date());
    expect(seeded.sessions).toBe(24);
    const full = rowsOf<{ id: string }>(
      await db.execute(sql`SELECT s.id FROM training_sessions s
        WHERE (SELECT count(*) FROM training_registrations r WHERE r.session_id = s.id AND r.status = 'confirmed') = s.capacity
          AND EXISTS (SELECT 1 FROM training_registrations r WHERE r.session_id = s.id AND r.status = 'waitlisted')`),
    );
    expect(full.length).toBeGreaterThan(0);
    const departements = rowsOf(
      await db.execute(
        sql`SELECT DISTINCT departement_code FROM training_sessions WHERE departement_code IS NOT NULL`,
      ),
    );
    expect(departements).toHaveLength(5);
    expect(await seedTrainings(db, new Date())).toEqual({ sessions: 0, registrations: 0 });
  });

  it('seeds twenty articles, some for members only; once', async () => {
    expect(await seedArticles(database.db)).toEqual({ articles: 20 });
    const members = rowsOf(
      await database.db.execute(sql`SELECT id FROM support_articles WHERE visibility = 'members'`),
    );
    expect(members.length).toBeGreaterThan(3);
    expect(await seedArticles(database.db)).toEqual({ articles: 0 });
  });
});
