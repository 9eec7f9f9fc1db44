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
    expect(qualified.json().notificationStatus).toBe('not_required');
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
    expect(response.json()).toEqual({ notified: 1 });
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
