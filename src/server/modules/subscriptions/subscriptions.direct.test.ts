import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../platform/clock.js';
import { auditEvents } from '../../platform/db/schema.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildSignedInCast, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let finance: Session;
type Service = Awaited<ReturnType<typeof buildService>>;
let actes: Service;
let parapheur: Service;
let perAgent: Service;

const direct = (session: Session, memberId: string, body: object) =>
  request(t.app, session, 'POST', `/api/v1/members/${memberId}/subscriptions/direct`, body);

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildSignedInCast(t);
  finance = await sessionAs(t, cast.operator, 'agent', ['finance'], 'Fanny Finances');
  const db = t.database.db;
  actes = await buildService(db, { code: 'DEMAT-ACTES', name: 'Télétransmission des actes' });
  parapheur = await buildService(db, { name: 'Parapheur électronique', requires: [actes.id] });
  perAgent = await buildService(db, { name: 'Logiciel de paie', unitLabel: 'agents' });
});
afterAll(() => t?.close());

describe('the operator subscribes one member from its page', () => {
  it('makes an active subscription from the start date, with both steps dated, attributed and audited', async () => {
    const response = await direct(finance, cast.memberA.id, { serviceId: actes.id, startDate: today() });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ status: 'active', startDate: today(), memberId: cast.memberA.id });
    // Both written in one transaction (same instant): compared as a set.
    const events: { toStatus: string }[] = body.events;
    expect(events.map((e) => e.toStatus).sort()).toEqual(['active', 'requested']);
    expect(events.find((e) => e.toStatus === 'active')).toMatchObject({
      note: "Souscription enregistrée par l'opérateur.",
      actor: { id: finance.userId, displayName: 'Fanny Finances' },
    });
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, body.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['subscription.accepted', 'subscription.requested']);
  });

  it('refuses a service the member already holds with 409, and writes nothing', async () => {
    const again = await direct(cast.operatorAdmin, cast.memberA.id, {
      serviceId: actes.id,
      startDate: today(),
    });
    expect(again.statusCode).toBe(409);
    const list = await request(t.app, finance, 'GET', `/api/v1/members/${cast.memberA.id}/subscriptions`);
    expect(list.json().total).toBe(1);
  });

  it('applies the rules of a request: a missing prerequisite is named, nothing is left half done', async () => {
    const missing = await direct(finance, cast.memberB.id, { serviceId: parapheur.id, startDate: today() });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().detail).toContain('Télétransmission des actes');
    const list = await request(t.app, finance, 'GET', `/api/v1/members/${cast.memberB.id}/subscriptions`);
    expect(list.json().total).toBe(0);
  });

  it('asks for the units of a per-unit service', async () => {
    const without = await direct(finance, cast.memberB.id, { serviceId: perAgent.id, startDate: today() });
    expect(without.statusCode).toBe(400);
    expect(without.json().errors[0].path).toBe('body.units');
    const ok = await direct(finance, cast.memberB.id, {
      serviceId: perAgent.id,
      units: 12,
      startDate: today(),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'active', units: 12 });
  });

  it("is the operator's finance team's: a member admin requests instead, the DPO agent may not", async () => {
    const byMember = await direct(cast.adminB, cast.memberB.id, { serviceId: actes.id, startDate: today() });
    expect(byMember.statusCode).toBe(403);
    const byDpo = await direct(cast.operatorAgent, cast.memberB.id, {
      serviceId: actes.id,
      startDate: today(),
    });
    expect(byDpo.statusCode).toBe(403);
  });
});
