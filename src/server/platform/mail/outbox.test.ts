import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccountsCast } from '../../modules/accounts/accounts.test-support.js';
import { createTestApp, login, request, type Session, type TestApp } from '../../test/app.js';
import { TEST_PASSWORD } from '../../test/builders.js';

describe('mail outbox', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof buildAccountsCast>>;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp();
    cast = await buildAccountsCast(t.database.db);
    admin = await login(t.app, cast.operatorAdmin.email, TEST_PASSWORD);
    for (let i = 0; i < 3; i++) {
      await t.app.mailer.send(t.database.db, {
        to: `dest-${i}@test.example`,
        subject: `Sujet ${i}`,
        text: `Texte ${i}`,
        html: i === 0 ? '<p>Texte 0</p>' : undefined,
      });
    }
    await t.runJobs();
  });
  afterAll(() => t.close());

  it('lists sent mails newest first, with paging and a recipient filter', async () => {
    const first = await request(t.app, admin, 'GET', '/api/v1/outbox?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().total).toBe(3);
    expect(first.json().items.map((m: { subject: string }) => m.subject)).toEqual(['Sujet 2', 'Sujet 1']);
    expect(first.json().items[0]).not.toHaveProperty('text');
    const second = await request(
      t.app,
      admin,
      'GET',
      `/api/v1/outbox?limit=2&cursor=${first.json().nextCursor}`,
    );
    expect(second.json().items.map((m: { subject: string }) => m.subject)).toEqual(['Sujet 0']);
    expect(second.json().nextCursor).toBeNull();
    const filtered = await request(t.app, admin, 'GET', '/api/v1/outbox?to=DEST-1@test.example');
    expect(filtered.json().items.map((m: { to: string }) => m.to)).toEqual(['dest-1@test.example']);
  });

  it('shows one mail with its text and HTML', async () => {
    const list = (await request(t.app, admin, 'GET', '/api/v1/outbox?to=dest-0@test.example')).json();
    const mail = await request(t.app, admin, 'GET', `/api/v1/outbox/${list.items[0].id}`);
    expect(mail.statusCode).toBe(200);
    expect(mail.json()).toMatchObject({
      to: 'dest-0@test.example',
      text: 'Texte 0',
      html: '<p>Texte 0</p>',
      transport: 'memory',
    });
    expect(mail.json().sentAt).not.toBeNull();
  });

  it('answers 404 for an unknown mail and 400 for a malformed id or limit', async () => {
    expect(
      (await request(t.app, admin, 'GET', '/api/v1/outbox/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    expect((await request(t.app, admin, 'GET', '/api/v1/outbox/12')).statusCode).toBe(400);
    expect((await request(t.app, admin, 'GET', '/api/v1/outbox?limit=1000')).statusCode).toBe(400);
  });

  it('is for operator admins only: 401 anonymous, 403 operator agents and member admins', async () => {
    const list = (await request(t.app, admin, 'GET', '/api/v1/outbox')).json();
    const url = `/api/v1/outbox/${list.items[0].id}`;
    expect((await request(t.app, null, 'GET', '/api/v1/outbox')).statusCode).toBe(401);
    expect((await request(t.app, null, 'GET', url)).statusCode).toBe(401);
    for (const user of [cast.operatorDpo, cast.adminA]) {
      const session = await login(t.app, user.email, TEST_PASSWORD);
      expect((await request(t.app, session, 'GET', '/api/v1/outbox')).statusCode).toBe(403);
      expect((await request(t.app, session, 'GET', url)).statusCode).toBe(403);
    }
  });
});
