import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defined } from '../../../contracts/defined.js';
import { users } from '../../kernel/identity.schema.js';
import { useClock } from '../../platform/clock.js';
import { rowsOf } from '../../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../../platform/db/tenancy.js';
import { emitEvent } from '../../platform/events/events.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { buildSignedInCast } from '../../test/builders.js';
import { webhookDeliveries, webhookEndpoints, webhookEvents } from './webhooks.schema.js';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from './webhooks.service.js';
import { checkedAddresses, isPrivateAddress, postToTarget } from './webhooks.target.js';

/** A local receiver: records every request, answers `failures` 500s before its 204s. */
interface Received {
  headers: Record<string, string>;
  body: string;
  path: string;
}
const received: Received[] = [];
let failures = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: Buffer.concat(chunks).toString('utf8'),
      path: req.url ?? '',
    });
    if (failures > 0) {
      failures--;
      res.writeHead(500).end('en panne');
    } else res.writeHead(204).end();
  });
});

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let base: string;
const v1 = '/api/v1';

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  t = await createTestApp({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  cast = await buildSignedInCast(t);
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  received.length = 0;
  failures = 0;
});

async function createWebhook(path: string, events: string[] = ['member.updated']) {
  const response = await request(t.app, cast.adminA, 'POST', `${v1}/members/${cast.memberA.id}/webhooks`, {
    url: `${base}/${path}`,
    events,
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; secret: string };
}

const touchMemberA = (city: string) =>
  request(t.app, cast.operatorAdmin, 'PATCH', `${v1}/members/${cast.memberA.id}`, { city });

const deliveriesOf = async (webhookId: string) =>
  (
    await request(
      t.app,
      cast.adminA,
      'GET',
      `${v1}/members/${cast.memberA.id}/webhooks/${webhookId}/deliveries`,
    )
  ).json().items as {
    id: string;
    status: string;
    attempts: number;
    responseStatus: number | null;
    eventType: string;
  }[];

describe('webhooks', () => {
  it('signs each delivery per Standard Webhooks, verified by the package itself, and logs it', async () => {
    const hook = await createWebhook('signed');
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const list = await request(t.app, cast.adminA, 'GET', `${v1}/members/${cast.memberA.id}/webhooks`);
    expect(list.json().items[0]).toMatchObject({ id: hook.id, enabled: true, events: ['member.updated'] });
    expect(list.body).not.toContain(hook.secret);

    expect((await touchMemberA('La Roche-sur-Yon')).statusCode).toBe(200);
    const hit = defined(
      received.find((r) => r.path === '/signed'),
      'delivery',
    );
    const payload = new Webhook(hook.secret).verify(hit.body, hit.headers) as {
      type: string;
      data: { memberId: string; fields: string[] };
    };
    expect(payload).toMatchObject({
      type: 'member.updated',
      data: { memberId: cast.memberA.id, fields: ['city'] },
    });
    expect(() => new Webhook(hook.secret).verify(`${hit.body} `, hit.headers)).toThrow();

    const [delivery] = await deliveriesOf(hook.id);
    expect(delivery).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      responseStatus: 204,
      eventType: 'member.updated',
    });

    // Replay: the same message (same webhook-id) is sent again.
    const replay = await request(
      t.app,
      cast.adminA,
      'POST',
      `${v1}/members/${cast.memberA.id}/webhooks/${hook.id}/deliveries/${defined(delivery, 'delivery').id}/replay`,
    );
    expect(replay.statusCode).toBe(202);
    const again = received.filter((r) => r.path === '/signed');
    expect(again).toHaveLength(2);
    expect(again[1]?.headers['webhook-id']).toBe(hit.headers['webhook-id']);
    await request(t.app, cast.adminA, 'DELETE', `${v1}/members/${cast.memberA.id}/webhooks/${hook.id}`);
  });

  it('retries with backoff until the receiver answers, then disables an endpoint failing for 24 h and mails its owner', async () => {
    const hook = await createWebhook('flaky');
    failures = 2;
    let at = Date.now();
    let frozen = true;
    const restore = useClock({ now: () => (frozen ? new Date(at) : new Date()) });
    try {
      await touchMemberA('Nantes');
      expect((await deliveriesOf(hook.id))[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        responseStatus: 500,
      });
      for (const delay of RETRY_DELAYS_MS.slice(0, 2)) {
        at += delay;
        await t.runJobs();
      }
      expect((await deliveriesOf(hook.id))[0]).toMatchObject({
        status: 'succeeded',
        attempts: 3,
        responseStatus: 204,
      });
      expect(received.filter((r) => r.path === '/flaky')).toHaveLength(3);

      // Now the receiver stays down: every attempt over about 24 h fails, then the endpoint is disabled.
      failures = 1000;
      await touchMemberA('Angers');
      for (const delay of RETRY_DELAYS_MS) {
        at += delay + 1000;
        await t.runJobs();
      }
      // Back to today: the test's sessions last an hour.
      frozen = false;
      const [last] = await deliveriesOf(hook.id);
      expect(last).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, responseStatus: 500 });
      expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeGreaterThan(23 * 3_600_000);
      const list = await request(t.app, cast.adminA, 'GET', `${v1}/members/${cast.memberA.id}/webhooks`);
      expect(list.json().items.find((w: { id: string }) => w.id === hook.id)).toMatchObject({
        enabled: false,
      });
      const [owner] = await t.database.db.select().from(users).where(eq(users.id, cast.adminA.userId));
      expect(t.mail.delivered.some((m) => m.to === owner?.email && /désactivé/.test(m.subject))).toBe(true);
      // A disabled endpoint receives nothing more, and its deliveries are not replayed.
      const before = received.length;
      await touchMemberA('Laval');
      expect(received.length).toBe(before);
      const replay = await request(
        t.app,
        cast.adminA,
        'POST',
        `${v1}/members/${cast.memberA.id}/webhooks/${hook.id}/deliveries/${defined(last, 'last').id}/replay`,
      );
      expect(replay.statusCode).toBe(409);
    } finally {
      restore();
    }
  });

  it('records no event and sends nothing for a rolled-back change', async () => {
    const hook = await createWebhook('rollback');
    const count = async () =>
      Number(
        rowsOf<{ n: number }>(
          await t.database.db.execute(
            sql`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = ${hook.id}`,
          ),
        )[0]?.n,
      );
    await expect(
      withTenant(t.database.db, SYSTEM_OPERATOR, async (tx) => {
        const queued = await emitEvent(tx, {
          type: 'member.updated',
          memberId: cast.memberA.id,
          data: { fields: ['city'] },
        });
        expect(queued).toBe(1);
        throw new Error('annulé');
      }),
    ).rejects.toThrow('annulé');
    // A refused request (conflicting SIREN) rolls back its change and its event alike.
    const refused = await request(t.app, cast.operatorAdmin, 'PATCH', `${v1}/members/${cast.memberA.id}`, {
      siren: cast.memberB.siren,
    });
    expect(refused.statusCode).toBe(409);
    await t.runJobs();
    expect(await count()).toBe(0);
    expect(received.filter((r) => r.path === '/rollback')).toHaveLength(0);
    await touchMemberA('Cholet');
    expect(await count()).toBe(1);
    await request(t.app, cast.adminA, 'DELETE', `${v1}/members/${cast.memberA.id}/webhooks/${hook.id}`);
  });

  it("gives the operator's endpoints every member's events, and keeps each member to its own", async () => {
    const created = await request(t.app, cast.operatorAdmin, 'POST', `${v1}/webhooks`, {
      url: `${base}/operator`,
      events: ['member.updated', 'subscription.changed'],
    });
    expect(created.statusCode).toBe(201);
    const mine = await createWebhook('member-a');
    await request(t.app, cast.operatorAdmin, 'PATCH', `${v1}/members/${cast.memberB.id}`, { city: 'Saumur' });
    expect(received.map((r) => r.path)).toEqual(['/operator']);
    const operatorLog = await request(
      t.app,
      cast.operatorAdmin,
      'GET',
      `${v1}/webhooks/${created.json().id}/deliveries`,
    );
    expect(operatorLog.json().items[0]).toMatchObject({ memberId: cast.memberB.id, status: 'succeeded' });
    // Member A's admin does not see the operator's endpoints nor B's, nor may B's admin see A's.
    expect((await request(t.app, cast.adminA, 'GET', `${v1}/webhooks`)).statusCode).toBe(403);
    expect(
      (
        await request(
          t.app,
          cast.adminB,
          'GET',
          `${v1}/members/${cast.memberA.id}/webhooks/${mine.id}/deliveries`,
        )
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await request(
          t.app,
          cast.adminB,
          'GET',
          `${v1}/members/${cast.memberB.id}/webhooks/${mine.id}/deliveries`,
        )
      ).statusCode,
    ).toBe(404);
    for (const session of [cast.agentA, cast.readerA, cast.operatorAgent]) {
      expect(
        (await request(t.app, session, 'GET', `${v1}/members/${cast.memberA.id}/webhooks`)).statusCode,
      ).toBe(403);
    }
    await request(t.app, cast.adminA, 'DELETE', `${v1}/members/${cast.memberA.id}/webhooks/${mine.id}`);
    await request(t.app, cast.operatorAdmin, 'DELETE', `${v1}/webhooks/${created.json().id}`);
  });

  it("hides a member's endpoints, deliveries and events from another member even without the filter (RLS)", async () => {
    const hook = await createWebhook('rls');
    await touchMemberA('Challans');
    const asB = { userId: cast.adminB.userId, memberId: cast.memberB.id, operatorRole: null };
    const seenByB = await withTenant(t.database.db, asB, async (tx) => ({
      endpoints: await tx.select().from(webhookEndpoints),
      deliveries: await tx.select().from(webhookDeliveries),
      events: await tx.select().from(webhookEvents),
    }));
    expect(seenByB.endpoints).toEqual([]);
    expect(seenByB.deliveries).toEqual([]);
    // B sees the events about itself (an earlier test changed B), never those about A.
    expect(seenByB.events.filter((e) => e.memberId !== cast.memberB.id)).toEqual([]);
    const asA = { userId: cast.adminA.userId, memberId: cast.memberA.id, operatorRole: null };
    const seenByA = await withTenant(t.database.db, asA, (tx) => tx.select().from(webhookEndpoints));
    expect(seenByA.map((e) => e.id)).toContain(hook.id);
    await request(t.app, cast.adminA, 'DELETE', `${v1}/members/${cast.memberA.id}/webhooks/${hook.id}`);
  });

  it('refuses targets on private, loopback or link-local addresses, names resolving to them included', async () => {
    const refused = await request(t.app, cast.adminA, 'POST', `${v1}/members/${cast.memberA.id}/webhooks`, {
      url: 'http://localhost:9/webhooks',
      events: ['member.updated'],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([
      { path: 'body.url', message: expect.stringContaining('adresse privée, locale ou réservée') },
    ]);
    const badEvent = await request(t.app, cast.adminA, 'POST', `${v1}/members/${cast.memberA.id}/webhooks`, {
      url: 'https://exemple.fr/webhooks',
      events: ['member.deleted'],
    });
    expect(badEvent.statusCode).toBe(400);
    expect(badEvent.body).toContain("type d'événement inconnu");

    const fake = (address: string) => async () => [{ address, family: address.includes(':') ? 6 : 4 }];
    const policy = { allowHttp: false, allowedHosts: [] };
    await expect(
      checkedAddresses('https://rebind.exemple.fr/x', { ...policy, resolve: fake('10.1.2.3') }),
    ).rejects.toThrow('adresse privée');
    await expect(
      checkedAddresses('https://ll.exemple.fr/x', { ...policy, resolve: fake('169.254.169.254') }),
    ).rejects.toThrow('adresse privée');
    await expect(
      checkedAddresses('https://v6.exemple.fr/x', { ...policy, resolve: fake('::ffff:127.0.0.1') }),
    ).rejects.toThrow('adresse privée');
    await expect(
      checkedAddresses('http://public.exemple.fr/x', { ...policy, resolve: fake('93.184.216.34') }),
    ).rejects.toThrow('https://');
    await expect(
      checkedAddresses('https://public.exemple.fr/x', { ...policy, resolve: fake('93.184.216.34') }),
    ).resolves.toHaveLength(1);
    await expect(checkedAddresses('https://[fd00::1]/x', policy)).rejects.toThrow('adresse privée');
    expect(
      ['127.0.0.1', '10.0.0.1', '172.20.1.1', '192.168.1.1', 'fe80::1', '::1', '100.64.0.1'].every(
        isPrivateAddress,
      ),
    ).toBe(true);
    expect(['93.184.216.34', '2001:4860:4860::8888'].some(isPrivateAddress)).toBe(false);

    // A delivery connects to the address it checked, whatever the name resolves to later (rebinding).
    const port = (receiver.address() as AddressInfo).port;
    let lookups = 0;
    const result = await postToTarget(`http://receiver.exemple.fr:${port}/pinned`, {}, '{}', {
      allowHttp: true,
      allowedHosts: ['receiver.exemple.fr'],
      resolve: async () => {
        lookups++;
        return [{ address: '127.0.0.1', family: 4 }];
      },
    });
    expect(result.status).toBe(204);
    expect(lookups).toBe(1);
    expect(received.find((r) => r.path === '/pinned')?.headers.host).toBe(`receiver.exemple.fr:${port}`);
  });
});
