import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingReport } from '../modules/support/support.training-reports.service.js';
import { type Database, rowsOf } from '../platform/db/client.js';
import { buildOperator, buildOrganisation } from '../test/builders.js';
import { openTestDatabase } from '../test/database.js';
import { seedTrainingFollowUp } from './demo-training.js';

describe('demo training follow-up', () => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase({ territorySample: true });
    await buildOperator(database.db);
    for (const departementCode of ['44', '49', '53', '72', '85']) {
      for (let i = 0; i < 3; i++) {
        await buildOrganisation(database.db, { name: `Syndicat ${departementCode}-${i}`, departementCode });
      }
    }
  });
  afterAll(async () => {
    await database.close();
  });

  it('seeds past sessions with attendance, survey answers and waiting lists, one still to record; once', async () => {
    const db = database.db;
    const now = new Date();
    const seeded = await seedTrainingFollowUp(db, now);
    expect(seeded.pastSessions).toBe(11);
    expect(seeded.attendees).toBeGreaterThan(60);
    expect(seeded.surveyAnswers).toBeGreaterThan(30);
    const pending = rowsOf<{ n: number }>(
      await db.execute(sql`SELECT count(*)::int AS n FROM training_sessions
        WHERE ends_at < now() AND attendance_recorded_at IS NULL`),
    );
    expect(pending[0]?.n).toBe(1);
    const from = new Date(now.getTime() - 100 * 86_400_000).toISOString().slice(0, 10);
    const report = await trainingReport(db, { from, to: now.toISOString().slice(0, 10) });
    expect(report.territories.map((t) => t.departementCode)).toEqual(['44', '49', '53', '72', '85']);
    expect(report.sessions).toHaveLength(11);
    expect(report.sessions.some((s) => s.fillRate === 1 && s.waitlisted > 0)).toBe(true);
    expect(report.waitingLists.length).toBeGreaterThan(0);
    expect(report.sessions.filter((s) => s.overallAverage !== null).length).toBe(10);
    expect(await seedTrainingFollowUp(db, now)).toEqual({ pastSessions: 0, attendees: 0, surveyAnswers: 0 });
  });
});
