import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PublicStatus, statusSchema } from '../../../contracts/hosting.js';
import { today, useClock } from '../../platform/clock.js';
import { rowsOf } from '../../platform/db/client.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { hostingMaintenanceServices, hostingMaintenances } from './hosting.schema.js';
import { buildHostingCast } from './hosting.test-support.js';

/**
 * The public status answer is a row (hosting_status_answer) rebuilt in the transaction of each write
 * to what it shows, and by the `hosting.status.rebuild` job when time alone moves it on (Paris midnight,
 * a maintenance starting): checked here on the real clock (the row is built at the database's clock),
 * then with the platform's clock moved past midnight and past a maintenance's start.
 */

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildHostingCast>>;
const v1 = '/api/v1';

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildHostingCast(t);
  // The schedules are written at the real time: the midnight run is then due once the clock passes it.
  await t.runJobs();
});
afterAll(async () => {
  await t.close();
});

async function stored() {
  const [row] = rowsOf<{ body: string; built_at: Date | string; valid_until: Date | string }>(
    await t.database.db.execute(sql`SELECT body, built_at, valid_until FROM hosting_status_answer`),
  );
  if (!row) throw new Error('no stored status answer');
  return { body: row.body, builtAt: new Date(row.built_at), validUntil: new Date(row.valid_until) };
}

async function publicStatus(): Promise<{ body: string; status: PublicStatus }> {
  const response = await request(t.app, null, 'GET', `${v1}/status`);
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('application/json');
  return { body: response.body, status: statusSchema.parse(response.json()) };
}

/** The next midnight in Europe/Paris after `at`. */
function nextParisMidnight(at: Date): Date {
  const day = today(at);
  let probe = new Date(at.getTime());
  while (today(probe) === day) probe = new Date(probe.getTime() + 15 * 60_000);
  // Back to the exact minute: Paris midnights fall on a whole quarter hour of UTC.
  while (today(new Date(probe.getTime() - 60_000)) !== day) probe = new Date(probe.getTime() - 60_000);
  return probe;
}

describe('the stored status answer', () => {
  it('shows a committed change at once, from the row the write rebuilt', async () => {
    const opened = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents`, {
      serviceIds: [cast.service.id],
      title: 'Messagerie lente',
      state: 'degraded',
      message: 'Les envois sont retardés.',
    });
    expect(opened.statusCode).toBe(201);
    const { id } = opened.json() as { id: string };
    let answer = await publicStatus();
    // Served as the row holds it (its updatedAt is the instant of the rebuild, not of the request).
    expect(answer.body).toBe((await stored()).body);
    expect(answer.status.updatedAt).toBe((await stored()).builtAt.toISOString());
    expect(answer.status.incidents.map((i) => i.id)).toEqual([id]);
    expect(answer.status.services.find((s) => s.serviceId === cast.service.id)?.state).toBe('degraded');

    const resolved = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents/${id}/updates`, {
      phase: 'resolved',
      message: 'Les envois sont repartis.',
    });
    expect(resolved.statusCode).toBe(201);
    answer = await publicStatus();
    expect(answer.body).toBe((await stored()).body);
    expect(answer.status.incidents).toEqual([]);
    expect(answer.status.recentIncidents.map((i) => i.id)).toEqual([id]);
    expect(answer.status.services.find((s) => s.serviceId === cast.service.id)?.state).toBe('operational');

    // A catalogue service renamed is a change of what the answer shows.
    await t.database.db.execute(
      sql`UPDATE catalogue_services SET name = 'Messagerie collaborative' WHERE id = ${cast.service.id}`,
    );
    answer = await publicStatus();
    expect(answer.body).toBe((await stored()).body);
    expect(answer.status.services.find((s) => s.serviceId === cast.service.id)?.name).toBe(
      'Messagerie collaborative',
    );
  });

  it('moves to the new day at Paris midnight: built live at once, stored again by the scheduled job', async () => {
    const opened = await request(t.app, cast.hostingTeam, 'POST', `${v1}/hosting/incidents`, {
      serviceIds: [cast.other.id],
      title: 'Sites internet indisponibles',
      state: 'major_outage',
      message: 'Analyse en cours.',
    });
    expect(opened.statusCode).toBe(201);
    const before = await stored();
    const midnight = nextParisMidnight(new Date());
    expect(before.validUntil.getTime()).toBeLessThanOrEqual(midnight.getTime());
    const history = (s: PublicStatus) => s.services.find((x) => x.serviceId === cast.other.id)?.history ?? [];

    const after = new Date(midnight.getTime() + 60_000);
    const restoreClock = useClock({ now: () => new Date(after.getTime()) });
    try {
      // The row no longer holds: the answer is built for this instant, with the new day.
      let answer = await publicStatus();
      expect(answer.status.updatedAt).toBe(after.toISOString());
      expect(answer.body).not.toBe((await stored()).body);
      expect(history(answer.status).at(-1)).toEqual({ date: today(after), state: 'major_outage' });

      // The midnight schedule rebuilds the row as of now; the answer is read from it again.
      await t.runJobs();
      const rebuilt = await stored();
      expect(rebuilt.builtAt.toISOString()).toBe(after.toISOString());
      answer = await publicStatus();
      expect(answer.body).toBe(rebuilt.body);
      expect(history(answer.status).at(-1)).toEqual({ date: today(after), state: 'major_outage' });
    } finally {
      restoreClock();
    }
  });

  it('queues its rebuild at a maintenance’s start, and never shows the maintenance late', async () => {
    const startsAt = new Date(Date.now() + 1000);
    const [row] = await t.database.db
      .insert(hostingMaintenances)
      .values({
        title: 'Mise à jour',
        message: 'Redémarrage.',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3_600_000),
      })
      .returning({ id: hostingMaintenances.id });
    if (!row) throw new Error('maintenance');
    await t.database.db
      .insert(hostingMaintenanceServices)
      .values({ maintenanceId: row.id, serviceId: cast.service.id });
    const before = await stored();
    // Valid until the start (unless midnight comes first), and the job waits for that instant.
    if (nextParisMidnight(new Date()) > startsAt) {
      expect(before.validUntil.toISOString()).toBe(startsAt.toISOString());
      const jobs = rowsOf<{ run_at: Date | string }>(
        await t.database.db.execute(
          sql`SELECT run_at FROM jobs WHERE name = 'hosting.status.rebuild' AND state = 'pending'`,
        ),
      );
      expect(jobs.map((j) => new Date(j.run_at).toISOString())).toContain(startsAt.toISOString());
    }
    const state = (s: PublicStatus) => s.services.find((x) => x.serviceId === cast.service.id)?.state;
    expect(state((await publicStatus()).status)).toBe('operational');

    const started = new Date(startsAt.getTime() + 1);
    const restoreClock = useClock({ now: () => new Date(started.getTime()) });
    try {
      expect(state((await publicStatus()).status)).toBe('maintenance');
      await t.runJobs();
      const rebuilt = await stored();
      expect(rebuilt.builtAt.toISOString()).toBe(started.toISOString());
      const answer = await publicStatus();
      expect(answer.body).toBe(rebuilt.body);
      expect(state(answer.status)).toBe('maintenance');
    } finally {
      restoreClock();
    }
  });
});
