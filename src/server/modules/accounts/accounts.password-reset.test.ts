import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, jobs, passwordResets } from '../../platform/db/schema.js';
import { JobRunner } from '../../platform/jobs/worker.js';
import { registerMailJobs } from '../../platform/mail/mailer.js';
import { createTestApp, login, request, type TestApp } from '../../test/app.js';
import { buildUser, TEST_PASSWORD } from '../../test/builders.js';
import { registerAccountsJobs } from './accounts.jobs.js';
import { PASSWORD_RESET_JOB } from './accounts.password-reset.service.js';
import { buildAccountsCast, freshIp, loginFrom, tokenOf } from './accounts.test-support.js';

const MAX_ATTEMPTS = 3;

describe('password reset by email', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
  beforeAll(async () => {
    // Mails are delivered by the job queue, run here by the tests themselves (`t.runJobs()`), so that
    // an answer can be shown not to wait for its mail.
    t = await createTestApp(
      { LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS), LOGIN_WINDOW_MINUTES: '15' },
      { runJobsAfterRequests: false },
    );
    cast = await buildAccountsCast(t.database.db);
  });
  afterAll(() => t.close());

  /** Asks for a link, then runs the queued work (the lookup, the link and its mail). */
  const ask = async (email: string) => {
    const response = await request(t.app, null, 'POST', '/api/v1/auth/password-reset', { email });
    await t.runJobs();
    return response;
  };
  const confirm = (token: string, newPassword: string) =>
    request(t.app, null, 'POST', '/api/v1/auth/password-reset/confirm', { token, newPassword });

  it('answers 202 the same way whether the account exists or not, and mails only an existing one', async () => {
    const user = await buildUser(t.database.db);
    const before = t.mail.delivered.length;
    const unknown = await ask('personne@nulle-part.example');
    const known = await ask(user.email.toUpperCase());
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(known.json()).toEqual(unknown.json());
    const sent = t.mail.delivered.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe(user.email);
    expect(sent[0].subject).toBe('Réinitialisation de votre mot de passe Socle');
    expect(sent[0].text).toContain('http://localhost:3000/reinitialiser-mot-de-passe?jeton=');
    expect(sent[0].text).not.toContain(TEST_PASSWORD);
  });

  it('answers before looking the address up: a known address is answered while its mail is still being sent', async () => {
    const user = await buildUser(t.database.db);
    const delivered = t.mail.delivered.length;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const deliver = t.mail.deliver;
    t.mail.deliver = async (mail) => {
      await gate;
      return deliver.call(t.mail, mail);
    };
    try {
      const send = (email: string) => request(t.app, null, 'POST', '/api/v1/auth/password-reset', { email });
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the answer waited for the mail')), 5_000),
      );
      const known = await Promise.race([send(user.email), timeout]);
      const unknown = await Promise.race([send('inconnu@nulle-part.example'), timeout]);
      expect(t.mail.delivered.length).toBe(delivered);
      expect(known.statusCode).toBe(202);
      expect(unknown.statusCode).toBe(known.statusCode);
      expect(unknown.body).toBe(known.body);
      expect(unknown.headers['content-type']).toBe(known.headers['content-type']);
      expect(unknown.headers['content-length']).toBe(known.headers['content-length']);
    } finally {
      release();
      await t.runJobs();
      t.mail.deliver = deliver;
    }
    expect(t.mail.delivered.slice(delivered).map((m) => m.to)).toEqual([user.email]);
  });

  it('queues the work as a durable job that another process can run, then empties its payload', async () => {
    const user = await buildUser(t.database.db);
    const before = t.mail.delivered.length;
    const response = await request(t.app, null, 'POST', '/api/v1/auth/password-reset', { email: user.email });
    expect(response.statusCode).toBe(202);
    const queued = await t.database.db.select().from(jobs).where(eq(jobs.name, PASSWORD_RESET_JOB));
    const pending = queued.filter((j) => j.state === 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0].payload).toMatchObject({ email: user.email });
    expect(t.mail.delivered.length).toBe(before);

    // This process stops here (no runner of its own ran the job); a new process's runner takes it.
    const restarted = new JobRunner(t.database.db, { pollMs: 0 });
    registerMailJobs(restarted, t.app.mailer);
    registerAccountsJobs(restarted, { config: t.app.config, mailer: t.app.mailer });
    expect((await restarted.runDue({ schedules: false })).done).toBe(2);
    expect(t.mail.delivered.slice(before).map((m) => m.to)).toEqual([user.email]);
    const [done] = await t.database.db.select().from(jobs).where(eq(jobs.id, pending[0].id));
    expect(done).toMatchObject({ state: 'done', payload: {} });
  });

  it('works once with the link from the outbox, then refuses it; old sessions end', async () => {
    const user = await buildUser(t.database.db, { roles: [{ organisation: cast.memberB, role: 'agent' }] });
    const oldSession = await login(t.app, user.email, TEST_PASSWORD);
    await ask(user.email);

    const admin = await login(t.app, cast.operatorAdmin.email, TEST_PASSWORD);
    const outbox = await request(t.app, admin, 'GET', `/api/v1/outbox?to=${encodeURIComponent(user.email)}`);
    expect(outbox.json().total).toBe(1);
    const mail = await request(t.app, admin, 'GET', `/api/v1/outbox/${outbox.json().items[0].id}`);
    const token = tokenOf(mail.json().text);

    const first = await confirm(token, 'mon-nouveau-secret-2026');
    expect(first.statusCode).toBe(200);
    expect((await request(t.app, oldSession, 'GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await loginFrom(t, freshIp(), user.email, 'mon-nouveau-secret-2026')).statusCode).toBe(200);

    const second = await confirm(token, 'encore-un-autre-secret');
    expect(second.statusCode).toBe(400);
    expect(second.json().detail).toMatch(/invalide, expiré ou déjà utilisé/);
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'auth.password_reset.completed'));
    expect(events.some((e) => e.actorUserId === user.id)).toBe(true);
  });

  it('refuses an expired link', async () => {
    const user = await buildUser(t.database.db);
    const before = t.mail.delivered.length;
    await ask(user.email);
    const token = tokenOf(t.mail.delivered[before].text);
    await t.database.db
      .update(passwordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResets.userId, user.id));
    expect((await confirm(token, 'mon-nouveau-secret-2026')).statusCode).toBe(400);
    expect((await loginFrom(t, freshIp(), user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses an unknown token, a short password and a malformed email with 400', async () => {
    expect((await confirm('x'.repeat(43), 'mon-nouveau-secret-2026')).statusCode).toBe(400);
    const short = await confirm('x'.repeat(43), 'court');
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0]).toEqual({
      path: 'body.newPassword',
      message: 'Le nouveau mot de passe doit contenir au moins 12 caractères.',
    });
    expect((await ask('pas-une-adresse')).statusCode).toBe(400);
  });

  it('sends at most three links an hour to one account', async () => {
    const user = await buildUser(t.database.db);
    const before = t.mail.delivered.length;
    for (let i = 0; i < 5; i++) expect((await ask(user.email)).statusCode).toBe(202);
    expect(t.mail.delivered.slice(before).filter((m) => m.to === user.email)).toHaveLength(3);
  });

  it('unblocks an account blocked by failed logins', async () => {
    const user = await buildUser(t.database.db);
    for (let i = 0; i < MAX_ATTEMPTS; i++) await loginFrom(t, freshIp(), user.email, 'wrong-password-123');
    expect((await loginFrom(t, freshIp(), user.email, TEST_PASSWORD)).statusCode).toBe(429);
    const before = t.mail.delivered.length;
    await ask(user.email);
    await confirm(tokenOf(t.mail.delivered[before].text), 'mon-nouveau-secret-2026');
    expect((await loginFrom(t, freshIp(), user.email, 'mon-nouveau-secret-2026')).statusCode).toBe(200);
  });
});
