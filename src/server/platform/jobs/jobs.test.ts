import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildAccountsCast } from '../../modules/accounts/accounts.test-support.js';
import { createTestApp, login, request, type Session, type TestApp } from '../../test/app.js';
import { TEST_PASSWORD } from '../../test/builders.js';
import { openAnotherConnection } from '../../test/database.js';
import { useClock } from '../clock.js';
import type { Database } from '../db/client.js';
import { auditEvents, jobSchedules, jobs, outboxMails } from '../db/schema.js';
import { ANONYMOUS, SYSTEM_OPERATOR, withTenant } from '../db/tenancy.js';
import { MAIL_SEND_JOB } from '../mail/mailer.js';
import { enqueue } from './queue.js';
import { JobRunner, nextCronRun, retryDelayMs, safeErrorMessage } from './worker.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('durable jobs', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
  let admin: Session;
  /** The test's clock: each test sets it; jobs read it (run_at, leases, backoff). */
  let at = new Date('2026-04-13T08:00:00Z');
  let restoreClock: () => void;
  const jobsNamed = (name: string) => t.database.db.select().from(jobs).where(eq(jobs.name, name));

  beforeAll(async () => {
    // The queue is driven by hand here: requests do not run jobs behind the test's back.
    t = await createTestApp({}, { runJobsAfterRequests: false });
    cast = await buildAccountsCast(t.database.db);
    admin = await login(t.app, cast.operatorAdmin.email, TEST_PASSWORD);
    restoreClock = useClock({ now: () => at });
  });
  afterAll(async () => {
    restoreClock?.();
    await t?.close();
  });
  afterEach(() => {
    at = new Date(at.getTime() + 86_400_000);
  });

  describe('enqueueing', () => {
    it('happens in the caller’s transaction: a rolled-back action leaves no job', async () => {
      t.app.jobs.register('test.rollback', async () => {});
      await expect(
        withTenant(t.database.db, SYSTEM_OPERATOR, async (tx) => {
          await enqueue(tx, 'test.rollback', { id: 1 });
          throw new Error('the action fails');
        }),
      ).rejects.toThrow('the action fails');
      expect(await jobsNamed('test.rollback')).toEqual([]);
    });

    it('is open to a visitor’s transaction, which cannot read the queue back (RLS)', async () => {
      const seen = await withTenant(t.database.db, ANONYMOUS, async (tx) => {
        await enqueue(tx, 'test.visitor', { id: 2 });
        await enqueue(tx, 'test.visitor', { id: 3 }, { singletonKey: 'visitor-key' });
        await enqueue(tx, 'test.visitor', { id: 4 }, { singletonKey: 'visitor-key' });
        return tx.select().from(jobs);
      });
      expect(seen).toEqual([]);
      const rows = await jobsNamed('test.visitor');
      expect(rows.map((r) => (r.payload as { id: number }).id).sort()).toEqual([2, 3]);
      expect(rows.every((r) => r.state === 'pending' && r.runAt.getTime() === at.getTime())).toBe(true);
    });

    it('with a singleton key, does nothing while such a job waits or runs, and queues again after', async () => {
      const calls: unknown[] = [];
      t.app.jobs.register('test.singleton', async (payload) => {
        calls.push(payload.n);
      });
      const db = t.database.db;
      await enqueue(db, 'test.singleton', { n: 1 }, { singletonKey: 'refresh' });
      await enqueue(db, 'test.singleton', { n: 2 }, { singletonKey: 'refresh' });
      expect(await jobsNamed('test.singleton')).toHaveLength(1);
      await t.runJobs();
      expect(calls).toEqual([1]);
      await enqueue(db, 'test.singleton', { n: 3 }, { singletonKey: 'refresh' });
      await t.runJobs();
      expect(calls).toEqual([1, 3]);
    });
  });

  describe('running', () => {
    it('retries a failing job with exponential backoff, then declares it dead with its last error', async () => {
      let calls = 0;
      t.app.jobs.register('test.flaky', async () => {
        calls++;
        throw new Error(`refusé pour jean.dupont@commune.example via smtp://jean:secret@mail.example`);
      });
      const start = at;
      await enqueue(t.database.db, 'test.flaky', {}, { maxAttempts: 3 });
      expect(await t.runJobs()).toMatchObject({ failed: 1 });
      let [job] = await jobsNamed('test.flaky');
      expect(job).toMatchObject({ state: 'pending', attempts: 1, lockedBy: null, lockedUntil: null });
      expect(job.runAt.getTime() - start.getTime()).toBe(30_000);
      // Personal data and credentials never reach the operator page.
      expect(job.lastError).toBe('refusé pour [adresse masquée] via smtp://[masqué]@mail.example');

      at = new Date(start.getTime() + 29_000);
      expect(await t.runJobs()).toMatchObject({ failed: 0 });
      at = new Date(start.getTime() + 30_000);
      expect(await t.runJobs()).toMatchObject({ failed: 1 });
      [job] = await jobsNamed('test.flaky');
      expect(job.runAt.getTime() - at.getTime()).toBe(60_000);

      at = new Date(at.getTime() + 60_000);
      expect(await t.runJobs()).toMatchObject({ failed: 1 });
      [job] = await jobsNamed('test.flaky');
      expect(job).toMatchObject({ state: 'dead', attempts: 3 });
      expect(job.finishedAt?.getTime()).toBe(at.getTime());
      at = new Date(at.getTime() + 86_400_000);
      await t.runJobs();
      expect(calls).toBe(3);
    });

    it('doubles the delay from 30 s up to one hour', () => {
      expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n) / 1000)).toEqual([
        30, 60, 120, 240, 480, 960, 1920, 3600, 3600,
      ]);
      expect(safeErrorMessage('x'.repeat(600))).toHaveLength(500);
    });

    it('takes over a job whose runner died once its lease expired; an exhausted one is dead', async () => {
      const ran: string[] = [];
      t.app.jobs.register('test.orphan', async (payload) => {
        ran.push(String(payload.label));
      });
      const lease = { state: 'running' as const, lockedBy: 'gone:1:abc', attempts: 1, runAt: at };
      await t.database.db.insert(jobs).values([
        {
          ...lease,
          name: 'test.orphan',
          payload: { label: 'expired' },
          lockedUntil: new Date(at.getTime() - 1),
        },
        {
          ...lease,
          name: 'test.orphan',
          payload: { label: 'held' },
          lockedUntil: new Date(at.getTime() + 60_000),
        },
        {
          ...lease,
          name: 'test.orphan',
          payload: { label: 'exhausted' },
          maxAttempts: 1,
          lockedUntil: new Date(at.getTime() - 1),
        },
      ]);
      await t.runJobs();
      expect(ran).toEqual(['expired']);
      const rows = await jobsNamed('test.orphan');
      const byLabel = Object.fromEntries(rows.map((r) => [(r.payload as { label: string }).label, r]));
      expect(byLabel.expired).toMatchObject({ state: 'done', attempts: 2 });
      expect(byLabel.held).toMatchObject({ state: 'running', lockedBy: 'gone:1:abc' });
      expect(byLabel.exhausted).toMatchObject({ state: 'dead', attempts: 1 });
      expect(byLabel.exhausted.lastError).toMatch(/processus qui l'exécutait s'est arrêté/);
    });

    it('stops claiming on stop() but finishes the job it is running', async () => {
      const runner = new JobRunner(t.database.db);
      let finished = false;
      let started!: () => void;
      const hasStarted = new Promise<void>((resolve) => {
        started = resolve;
      });
      runner.register('test.slow', async () => {
        started();
        await sleep(200);
        finished = true;
      });
      await enqueue(t.database.db, 'test.slow', {});
      await enqueue(t.database.db, 'test.slow', {});
      const run = runner.runDue();
      await hasStarted;
      await runner.stop();
      expect(finished).toBe(true);
      expect((await run).done).toBeGreaterThanOrEqual(1);
      expect(await runner.runDue()).toEqual({ done: 0, failed: 0, scheduled: 0 });
    });
  });

  describe('keeping its slots full', () => {
    /** A promise the test settles: a job blocked on it runs until the test says. */
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return { opened, open };
    };

    it('runs quick jobs in the other slots while a slow one is blocked', async () => {
      const runner = new JobRunner(t.database.db, { concurrency: 2, pollMs: 0 });
      const blocked = gate();
      let slowFinished = false;
      const quick: number[] = [];
      runner.register('test.slot-slow', async () => {
        await blocked.opened;
        slowFinished = true;
      });
      runner.register('test.slot-quick', async (payload) => {
        await sleep(2);
        quick.push(Number(payload.n));
      });
      // The slow job is claimed first (earlier run_at), then the quick ones one slot at a time.
      await enqueue(t.database.db, 'test.slot-slow', {}, { runAt: new Date(at.getTime() - 1000) });
      for (let n = 0; n < 6; n++) await enqueue(t.database.db, 'test.slot-quick', { n });
      const run = runner.runDue();
      await expect.poll(() => quick.length, { timeout: 10_000 }).toBe(6);
      expect(slowFinished).toBe(false);
      blocked.open();
      expect(await run).toEqual({ done: 7, failed: 0, scheduled: 0 });
      expect(slowFinished).toBe(true);
      expect(quick.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('claims a job that comes due while a slow one runs, at the next tick', async () => {
      const runner = new JobRunner(t.database.db, { concurrency: 2, pollMs: 30 });
      const blocked = gate();
      const ran: string[] = [];
      runner.register('test.tick-slow', async () => {
        await blocked.opened;
        ran.push('slow');
      });
      runner.register('test.tick-later', async () => {
        ran.push('later');
      });
      await enqueue(t.database.db, 'test.tick-slow', {});
      await enqueue(t.database.db, 'test.tick-later', {}, { runAt: new Date(at.getTime() + 10_000) });
      const run = runner.runDue();
      await sleep(100);
      expect(ran).toEqual([]);
      // Now due (the slow job's lease of 60 s still holds); nothing was queued meanwhile.
      at = new Date(at.getTime() + 10_000);
      await expect.poll(() => ran, { timeout: 5_000 }).toEqual(['later']);
      blocked.open();
      expect(await run).toMatchObject({ done: 2, failed: 0 });
    });

    it('on stop(), claims nothing more and waits for the jobs it runs', async () => {
      const runner = new JobRunner(t.database.db, { concurrency: 4, pollMs: 20 });
      const blocked = gate();
      const started = gate();
      let slowFinished = false;
      let quickRuns = 0;
      runner.register('test.stop-slow', async () => {
        started.open();
        await blocked.opened;
        slowFinished = true;
      });
      runner.register('test.stop-quick', async () => {
        quickRuns++;
      });
      await enqueue(t.database.db, 'test.stop-slow', {});
      runner.start();
      await started.opened;
      let stopped = false;
      const stopping = runner.stop().then(() => {
        stopped = true;
      });
      // Queued after stop(), with free slots and several polling periods: never claimed.
      for (let n = 0; n < 3; n++) await enqueue(t.database.db, 'test.stop-quick', { n });
      runner.wake();
      await sleep(150);
      expect(stopped).toBe(false);
      blocked.open();
      await stopping;
      expect(slowFinished).toBe(true);
      expect(quickRuns).toBe(0);
      expect((await jobsNamed('test.stop-slow'))[0]).toMatchObject({ state: 'done', lockedBy: null });
      expect((await jobsNamed('test.stop-quick')).map((j) => j.state)).toEqual([
        'pending',
        'pending',
        'pending',
      ]);
      expect(await runner.runDue()).toEqual({ done: 0, failed: 0, scheduled: 0 });
      await t.database.db.delete(jobs).where(eq(jobs.name, 'test.stop-quick'));
    });

    it('claims at once when woken after an enqueue, instead of waiting for its next poll', async () => {
      const runner = new JobRunner(t.database.db, { pollMs: 60_000 });
      const ran: number[] = [];
      runner.register('test.woken', async (payload) => {
        ran.push(Number(payload.n));
      });
      runner.start();
      await sleep(50); // the first look found nothing: the runner pauses for a minute
      await enqueue(t.database.db, 'test.woken', { n: 1 });
      runner.wake();
      await expect.poll(() => ran, { timeout: 5_000 }).toEqual([1]);
      await runner.stop();
    });

    it.runIf(process.env.SOCLE_TEST_DB === 'postgres')(
      'claims again once its last job finishes: a job that job queued, committed after a claim for a freed slot, is run',
      async () => {
        // On PostgreSQL a claim can run while a job's transaction that queues another job is still
        // open (on PGlite's single session it cannot). The quick job frees a slot, the runner claims
        // and finds nothing, then the queuer commits and finishes: its job must still run.
        const runner = new JobRunner(t.database.db, { concurrency: 2, pollMs: 0 });
        const ran: string[] = [];
        runner.register('test.race-queuer', async (_payload, { db }) => {
          await db.transaction(async (tx) => {
            await enqueue(tx, 'test.race-queued', {});
            for (let i = 0; i < 500 && (await jobsNamed('test.race-quick'))[0]?.state !== 'done'; i++) {
              await sleep(10);
            }
            await sleep(200); // the runner's claim for the freed slot runs meanwhile
          });
          ran.push('queuer');
        });
        runner.register('test.race-quick', async () => {
          ran.push('quick');
        });
        runner.register('test.race-queued', async () => {
          ran.push('queued');
        });
        await enqueue(t.database.db, 'test.race-queuer', {}, { runAt: new Date(at.getTime() - 1000) });
        await enqueue(t.database.db, 'test.race-quick', {});
        expect(await runner.runDue()).toEqual({ done: 3, failed: 0, scheduled: 0 });
        expect(ran).toEqual(['quick', 'queuer', 'queued']);
      },
    );
  });

  describe('with several processes', () => {
    let other: Database;
    beforeAll(async () => {
      other = await openAnotherConnection(t.database);
    });
    afterAll(() => other?.close());

    it('never runs the same job twice: two runners on the same database share the queue', async () => {
      const calls = new Map<number, number>();
      const handler = async (payload: Record<string, unknown>) => {
        await sleep(5);
        const n = Number(payload.n);
        calls.set(n, (calls.get(n) ?? 0) + 1);
      };
      const first = new JobRunner(t.database.db, { concurrency: 3 }).register('test.shared', handler);
      const second = new JobRunner(other.db, { concurrency: 3 }).register('test.shared', handler);
      for (let n = 0; n < 40; n++) await enqueue(t.database.db, 'test.shared', { n });
      const reports = await Promise.all([first.runDue(), second.runDue(), first.runDue(), second.runDue()]);
      expect(reports.reduce((sum, r) => sum + r.done, 0)).toBe(40);
      expect([...calls.values()].every((count) => count === 1)).toBe(true);
      expect(calls.size).toBe(40);
      const states = await t.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(jobs)
        .where(and(eq(jobs.name, 'test.shared'), eq(jobs.state, 'done')));
      expect(states[0].n).toBe(40);
    });

    it('runs a due schedule once, whichever runners look at it', async () => {
      const runs: unknown[] = [];
      const handler = async (payload: Record<string, unknown>) => {
        runs.push(payload.scheduledAt);
      };
      const runners = [t.database.db, other.db, t.database.db].map((db) =>
        new JobRunner(db).register('test.daily', handler).schedule('test.daily', '0 7 * * *'),
      );
      // Written at the first look, due at the next 07:00 in Paris.
      at = new Date('2026-06-01T04:00:00Z');
      await Promise.all(runners.map((r) => r.runDue()));
      const [row] = await t.database.db
        .select()
        .from(jobSchedules)
        .where(eq(jobSchedules.name, 'test.daily'));
      expect(row.nextRunAt.toISOString()).toBe('2026-06-01T05:00:00.000Z');
      expect(runs).toEqual([]);

      at = new Date('2026-06-01T05:00:01Z');
      const reports = await Promise.all(runners.map((r) => r.runDue()));
      expect(reports.reduce((sum, r) => sum + r.scheduled, 0)).toBe(1);
      expect(runs).toEqual(['2026-06-01T05:00:00.000Z']);
      await Promise.all(runners.map((r) => r.runDue()));
      expect(runs).toHaveLength(1);
      const [moved] = await t.database.db
        .select()
        .from(jobSchedules)
        .where(eq(jobSchedules.name, 'test.daily'));
      expect(moved.nextRunAt.toISOString()).toBe('2026-06-02T05:00:00.000Z');

      // Down for three days: one run on return, not three.
      at = new Date('2026-06-05T09:00:00Z');
      await Promise.all(runners.map((r) => r.runDue()));
      expect(runs).toEqual(['2026-06-01T05:00:00.000Z', '2026-06-02T05:00:00.000Z']);
      const [later] = await t.database.db
        .select()
        .from(jobSchedules)
        .where(eq(jobSchedules.name, 'test.daily'));
      expect(later.nextRunAt.toISOString()).toBe('2026-06-06T05:00:00.000Z');
    });
  });

  describe('schedules in Paris time', () => {
    it('keep 07:00 in Paris across the changes of time', () => {
      // Saturday 28 March 2026 07:00 CET is 06:00 UTC; Sunday 29 March is summer time (05:00 UTC).
      expect(nextCronRun('0 7 * * *', new Date('2026-03-28T06:00:00Z')).toISOString()).toBe(
        '2026-03-29T05:00:00.000Z',
      );
      // Back to winter time on Sunday 25 October 2026.
      expect(nextCronRun('0 7 * * *', new Date('2026-10-24T05:00:00Z')).toISOString()).toBe(
        '2026-10-25T06:00:00.000Z',
      );
      // Strictly after: at 07:00 sharp, the next run is the next day.
      expect(nextCronRun('0 7 * * *', new Date('2026-01-10T06:00:00Z')).toISOString()).toBe(
        '2026-01-11T06:00:00.000Z',
      );
      expect(nextCronRun('30 8 * * 1', new Date('2026-04-15T12:00:00Z')).toISOString()).toBe(
        '2026-04-20T06:30:00.000Z',
      );
    });

    it('refuse a malformed cron expression when declared', () => {
      expect(() => new JobRunner(t.database.db).schedule('test.bad', 'tous les jours')).toThrow();
    });
  });

  describe('mails', () => {
    const mailTo = async (to: string) => {
      const [row] = await t.database.db.select().from(outboxMails).where(eq(outboxMails.toAddress, to));
      return row;
    };
    const mailJob = async (outboxId: string) => {
      const [row] = await t.database.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.name, MAIL_SEND_JOB), sql`${jobs.payload}->>'outboxId' = ${outboxId}`));
      return row;
    };

    it('are recorded and queued with the caller’s action, and sent by the job', async () => {
      await expect(
        withTenant(t.database.db, ANONYMOUS, async (tx) => {
          await t.app.mailer.send(tx, { to: 'annule@test.example', subject: 'Annulé', text: '…' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow();
      expect(await mailTo('annule@test.example')).toBeUndefined();

      await withTenant(t.database.db, ANONYMOUS, (tx) =>
        t.app.mailer.send(tx, { to: 'recu@test.example', subject: 'Reçu', text: 'Bonjour' }),
      );
      const queued = await mailTo('recu@test.example');
      expect(queued).toMatchObject({ sentAt: null, error: null, transport: 'memory' });
      expect(t.mail.delivered.some((m) => m.to === 'recu@test.example')).toBe(false);
      await t.runJobs();
      expect(t.mail.delivered.filter((m) => m.to === 'recu@test.example')).toEqual([
        { to: 'recu@test.example', subject: 'Reçu', text: 'Bonjour' },
      ]);
      expect((await mailTo('recu@test.example')).sentAt?.getTime()).toBe(at.getTime());
      expect((await mailJob(queued.id)).payload).toEqual({ outboxId: queued.id });
    });

    it('are retried when the SMTP server fails, and sent once it answers again', async () => {
      t.mail.failNext(2, 'Connexion refusée par le serveur SMTP');
      await t.app.mailer.send(t.database.db, { to: 'patience@test.example', subject: 'Relance', text: '…' });
      const { id } = await mailTo('patience@test.example');
      expect(await t.runJobs()).toMatchObject({ failed: 1 });
      expect(await mailTo('patience@test.example')).toMatchObject({
        sentAt: null,
        error: 'Connexion refusée par le serveur SMTP',
      });
      expect(await mailJob(id)).toMatchObject({ state: 'pending', attempts: 1 });
      at = new Date(at.getTime() + 30_000);
      expect(await t.runJobs()).toMatchObject({ failed: 1 });
      at = new Date(at.getTime() + 60_000);
      expect(await t.runJobs()).toMatchObject({ failed: 0 });
      expect(await mailTo('patience@test.example')).toMatchObject({ error: null });
      expect((await mailTo('patience@test.example')).sentAt).not.toBeNull();
      expect(await mailJob(id)).toMatchObject({ state: 'done', attempts: 3, lastError: null });
      expect(t.mail.delivered.filter((m) => m.to === 'patience@test.example')).toHaveLength(1);
    });

    it('end dead after ten failures, still in the outbox with their error, and can be retried', async () => {
      t.mail.failNext(10, 'Serveur SMTP injoignable');
      await t.app.mailer.send(t.database.db, {
        to: 'perdu@test.example',
        subject: 'Jamais perdu',
        text: '…',
      });
      const { id } = await mailTo('perdu@test.example');
      for (let attempt = 1; attempt <= 10; attempt++) {
        await t.runJobs();
        at = new Date(at.getTime() + retryDelayMs(attempt));
      }
      const dead = await mailJob(id);
      expect(dead).toMatchObject({ state: 'dead', attempts: 10, lastError: 'Serveur SMTP injoignable' });
      expect(await mailTo('perdu@test.example')).toMatchObject({
        sentAt: null,
        error: 'Serveur SMTP injoignable',
      });

      const retried = await request(t.app, admin, 'POST', `/api/v1/jobs/${dead.id}/retry`);
      expect(retried.statusCode).toBe(200);
      expect(retried.json()).toMatchObject({ id: dead.id, state: 'pending', attempts: 0 });
      await t.runJobs();
      expect(await mailJob(id)).toMatchObject({ state: 'done', attempts: 1 });
      expect(t.mail.delivered.filter((m) => m.to === 'perdu@test.example')).toHaveLength(1);
    });
  });

  describe('the operator page', () => {
    it('lists jobs newest first, filtered by state and name, page by page', async () => {
      t.app.jobs.register('test.page', async (payload) => {
        if (payload.fail) throw new Error('échec voulu');
      });
      for (let i = 0; i < 3; i++) {
        await enqueue(t.database.db, 'test.page', { i }, { maxAttempts: 1 });
        at = new Date(at.getTime() + 1000);
      }
      await enqueue(t.database.db, 'test.page', { fail: true }, { maxAttempts: 1 });
      await t.runJobs();
      const first = await request(t.app, admin, 'GET', '/api/v1/jobs?name=test.page&limit=3');
      expect(first.statusCode).toBe(200);
      expect(first.json().total).toBe(4);
      expect(first.json().items.map((j: { state: string }) => j.state)).toEqual(['dead', 'done', 'done']);
      expect(first.json().items[0]).toMatchObject({ name: 'test.page', attempts: 1, maxAttempts: 1 });
      expect(first.json().items[0].lastError).toBe('échec voulu');
      const second = await request(
        t.app,
        admin,
        'GET',
        `/api/v1/jobs?name=test.page&limit=3&cursor=${first.json().nextCursor}`,
      );
      expect(second.json().items).toHaveLength(1);
      expect(second.json().nextCursor).toBeNull();
      const dead = await request(t.app, admin, 'GET', '/api/v1/jobs?state=dead&name=test.page');
      expect(dead.json().total).toBe(1);
      expect((await request(t.app, admin, 'GET', '/api/v1/jobs?state=lost')).statusCode).toBe(400);
    });

    it('lists the schedules with their next run', async () => {
      const response = await request(t.app, admin, 'GET', '/api/v1/jobs/schedules');
      expect(response.statusCode).toBe(200);
      expect(response.json().items).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'rgpd.reminders', cron: '0 7 * * *' })]),
      );
    });

    it('retries dead jobs only, and audits it', async () => {
      const [dead] = await t.database.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.name, 'test.page'), eq(jobs.state, 'dead')));
      const [done] = await t.database.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.name, 'test.page'), eq(jobs.state, 'done')));
      const refused = await request(t.app, admin, 'POST', `/api/v1/jobs/${done.id}/retry`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().detail).toBe('Seul un travail abandonné peut être relancé.');
      expect(
        (await request(t.app, admin, 'POST', '/api/v1/jobs/00000000-0000-4000-8000-000000000000/retry'))
          .statusCode,
      ).toBe(404);
      expect((await request(t.app, admin, 'POST', `/api/v1/jobs/${dead.id}/retry`)).statusCode).toBe(200);
      const [event] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, dead.id));
      expect(event).toMatchObject({
        action: 'jobs.retried',
        actorUserId: admin.userId,
        targetType: 'job',
        details: { name: 'test.page' },
      });
    });

    it('is for operator admins only', async () => {
      expect((await request(t.app, null, 'GET', '/api/v1/jobs')).statusCode).toBe(401);
      for (const user of [cast.operatorDpo, cast.adminA]) {
        const session = await login(t.app, user.email, TEST_PASSWORD);
        expect((await request(t.app, session, 'GET', '/api/v1/jobs')).statusCode).toBe(403);
        expect((await request(t.app, session, 'GET', '/api/v1/jobs/schedules')).statusCode).toBe(403);
      }
    });
  });
});
