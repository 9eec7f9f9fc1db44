import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, rgpdBreaches } from '../../../platform/db/schema.js';
import { createTestApp, request, type TestApp } from '../../../test/app.js';
import { buildSignedInCast } from '../../../test/builders.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;

const base = (memberId: string) => `/api/v1/members/${memberId}`;
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  // buildSignedInCast signs in an operator agent holding the dpo scope: the DPO team.
  cast = await buildSignedInCast(t);
});
afterAll(() => t?.close());

describe("a member's user reports a breach to the DPO", () => {
  it('records it with its 72 h deadline, mails the DPO team and audits who reported it', async () => {
    const response = await request(t.app, cast.readerA, 'POST', `${base(cast.memberA.id)}/breaches/reports`, {
      awareAt: minutesAgo(30),
      description: 'Un ordinateur portable de la mairie a été volé ce matin.',
      nature: ['confidentiality'],
    });
    expect(response.statusCode, response.body).toBe(201);
    const breach = response.json();
    expect(breach).toMatchObject({
      memberId: cast.memberA.id,
      nature: ['confidentiality'],
      cnilNotificationRequired: true,
      notificationStatus: 'pending',
      overdue: false,
    });
    expect(breach.dataDescription).toContain('Un ordinateur portable de la mairie a été volé ce matin.');
    expect(breach.toQualify).toBe(true);
    const toQualify = await request(t.app, cast.operatorAgent, 'GET', '/api/v1/rgpd/breaches/to-qualify');
    expect(toQualify.json().items).toEqual([
      expect.objectContaining({ id: breach.id, memberId: cast.memberA.id, memberName: cast.memberA.name }),
    ]);
    const deadline = new Date(breach.notificationDeadline).getTime() - new Date(breach.awareAt).getTime();
    expect(deadline).toBe(72 * 3_600_000);

    const mails = t.mail.delivered.filter((m) => m.subject.startsWith('Violation de données signalée'));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Violation de données signalée : Syndicat des eaux A');
    expect(mails[0].text).toContain('Un ordinateur portable de la mairie a été volé ce matin.');
    expect(mails[0].text).toContain(`/operateur/rgpd/adherents/${cast.memberA.id}`);

    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'rgpd.breach.reported'), eq(auditEvents.targetId, breach.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorUserId: cast.readerA.userId, memberId: cast.memberA.id });
    // Ids and counts only in the audit trail.
    expect(JSON.stringify(audit[0].details)).not.toContain('ordinateur');
  });

  it('lets the DPO qualify it afterwards (no risk, with the reason)', async () => {
    const [row] = await t.database.db
      .select({ id: rgpdBreaches.id })
      .from(rgpdBreaches)
      .where(eq(rgpdBreaches.memberId, cast.memberA.id));
    const qualified = await request(
      t.app,
      cast.operatorAgent,
      'PATCH',
      `${base(cast.memberA.id)}/breaches/${row.id}`,
      {
        riskLevel: 'none',
        cnilNotificationRequired: false,
        notificationReason: 'Ordinateur chiffré : aucun risque pour les personnes.',
      },
    );
    expect(qualified.statusCode, qualified.body).toBe(200);
    expect(qualified.json()).toMatchObject({ notificationStatus: 'not_required', toQualify: false });
    const toQualify = await request(t.app, cast.operatorAgent, 'GET', '/api/v1/rgpd/breaches/to-qualify');
    expect(toQualify.json()).toMatchObject({ items: [], total: 0 });
    // A breach the register's writers record themselves needs no qualification.
    const recorded = await request(t.app, cast.adminA, 'POST', `${base(cast.memberA.id)}/breaches`, {
      awareAt: minutesAgo(10),
      nature: ['availability'],
      riskLevel: 'none',
      cnilNotificationRequired: false,
      notificationReason: 'Coupure de quelques minutes, sans perte.',
    });
    expect(recorded.statusCode, recorded.body).toBe(201);
    expect(recorded.json().toQualify).toBe(false);
  });

  it('says in French what is missing, and keeps other members out', async () => {
    const empty = await request(t.app, cast.agentA, 'POST', `${base(cast.memberA.id)}/breaches/reports`, {
      awareAt: minutesAgo(5),
      description: 'court',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors).toEqual([
      expect.objectContaining({
        path: 'body.description',
        message: expect.stringContaining('10 caractères'),
      }),
    ]);
    const foreign = await request(t.app, cast.adminB, 'POST', `${base(cast.memberA.id)}/breaches/reports`, {
      awareAt: minutesAgo(5),
      description: 'Tentative depuis une autre structure.',
    });
    expect(foreign.statusCode).toBe(403);
  });
});

describe("a member's user asks the DPO for help", () => {
  it('mails the request to the DPO team with the address to answer, and audits it', async () => {
    const before = t.mail.delivered.length;
    const response = await request(t.app, cast.agentA, 'POST', `${base(cast.memberA.id)}/rgpd/dpo-requests`, {
      message: 'Notre registre est vide : pouvez-vous nous aider à le constituer ?',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toEqual({ id: expect.any(String), notified: 1 });
    const mails = t.mail.delivered.slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('Demande au DPO : Syndicat des eaux A');
    expect(mails[0].text).toContain('Notre registre est vide');
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'rgpd.dpo.requested'), eq(auditEvents.memberId, cast.memberA.id)));
    expect(audit).toHaveLength(1);
  });
});

describe("the DPO team's to-do list of requests", () => {
  it('keeps each request open, oldest first, until the team closes it once', async () => {
    const ask = (message: string) =>
      request(t.app, cast.readerA, 'POST', `${base(cast.memberA.id)}/rgpd/dpo-requests`, { message });
    const first = (await ask('Première question sur notre registre.')).json().id;
    const second = (await ask('Deuxième question : la vidéoprotection ?')).json().id;
    const open = await request(t.app, cast.operatorAgent, 'GET', '/api/v1/rgpd/dpo-requests');
    expect(open.statusCode, open.body).toBe(200);
    const ids = open.json().items.map((r: { id: string }) => r.id);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
    expect(open.json().items.find((r: { id: string }) => r.id === first)).toMatchObject({
      memberName: cast.memberA.name,
      message: 'Première question sur notre registre.',
      closedAt: null,
    });

    const closed = await request(
      t.app,
      cast.operatorAgent,
      'POST',
      `/api/v1/rgpd/dpo-requests/${first}/close`,
    );
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().closedAt).not.toBeNull();
    const again = await request(
      t.app,
      cast.operatorAgent,
      'POST',
      `/api/v1/rgpd/dpo-requests/${first}/close`,
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('Cette demande au DPO est déjà classée.');

    const stillOpen = await request(t.app, cast.operatorAgent, 'GET', '/api/v1/rgpd/dpo-requests');
    expect(stillOpen.json().items.map((r: { id: string }) => r.id)).not.toContain(first);
    // The member sees its own requests, closed ones included.
    const own = await request(
      t.app,
      cast.readerA,
      'GET',
      `${base(cast.memberA.id)}/rgpd/dpo-requests?status=closed`,
    );
    expect(own.json().items.map((r: { id: string }) => r.id)).toEqual([first]);
    const other = await request(t.app, cast.adminB, 'GET', `${base(cast.memberA.id)}/rgpd/dpo-requests`);
    expect(other.statusCode).toBe(403);
  });
});
