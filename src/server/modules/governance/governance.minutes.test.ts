import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AssemblyDetail, SessionDetail } from '../../../contracts/governance.js';
import { createSession } from '../../platform/auth/session.js';
import { useClock } from '../../platform/clock.js';
import {
  auditEvents,
  governanceItems,
  governanceMinutes,
  governanceSeats,
} from '../../platform/db/schema.js';
import { type TenantContext, withTenant } from '../../platform/db/tenancy.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildOrganisation, buildSignedInCast, buildUser, sessionAs } from '../../test/builders.js';
import { LATER_SESSION_ONLY } from './governance.minutes.service.js';
import { buildAssembly, buildSeats, buildSession } from './governance.test-support.js';

/**
 * The procès-verbal's life cycle: drafted from a closed session's record, adopted by the vote of an
 * item of a later session of the same assembly (once, never on rejection), frozen as adopted, then
 * published by those who manage the assembly and read by anyone.
 */

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let secretary: Session;
let official: Session;
let comite: Awaited<ReturnType<typeof buildAssembly>>;
let bureau: Awaited<ReturnType<typeof buildAssembly>>;
let titulars: Awaited<ReturnType<typeof buildSeats>>;
let restoreClock: (() => void) | null = null;

const v1 = '/api/v1/governance';
const at = (date: string) => {
  restoreClock?.();
  restoreClock = useClock(new Date(date));
};
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildSignedInCast(t);
  const db = t.database.db;
  secretary = await sessionAs(t, cast.operator, 'agent', ['governance'], 'Sam Secrétaire');
  comite = await buildAssembly(db, { memberId: cast.operator.id, kind: 'comite_syndical' });
  bureau = await buildAssembly(db, { memberId: cast.operator.id, kind: 'bureau' });
  titulars = await buildSeats(db, comite, 3, { prefix: 'Délégué' });
  const elu = await buildUser(db, { displayName: 'Élue du comité', email: 'elue-pv@test.example' });
  await db.update(governanceSeats).set({ userId: elu.id }).where(eq(governanceSeats.id, titulars[0].id));
  const { token } = await createSession(db, elu.id, null, 1);
  const me = await t.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { cookie: `socle_session=${token}` },
  });
  official = { cookie: `socle_session=${token}`, csrfToken: me.json().csrfToken, userId: elu.id };
});
afterEach(() => {
  restoreClock?.();
  restoreClock = null;
});
afterAll(() => t?.close());

/** Creates a session of the comité through the API, 30 minutes after `now`, then sits it (all present). */
async function sitWith(now: string, agenda: object[]) {
  at(now);
  const startsAt = new Date(new Date(now).getTime() + 30 * 60_000).toISOString();
  const created = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
    startsAt,
    place: 'Siège',
    agenda,
  });
  expect(created.statusCode, created.body).toBe(201);
  const id: string = created.json().id;
  at(new Date(new Date(now).getTime() + 60 * 60_000).toISOString());
  const present = await request(t.app, secretary, 'PUT', `${v1}/sessions/${id}/attendance`, {
    entries: titulars.map((s) => ({ seatId: s.id, status: 'present' })),
  });
  expect(present.statusCode, present.body).toBe(200);
  const detail: SessionDetail = (await request(t.app, secretary, 'GET', `${v1}/sessions/${id}`)).json();
  return { id, items: detail.items };
}

const adopt = (sessionId: string) => ({
  title: 'Approbation du procès-verbal de la séance précédente',
  decision: { kind: 'adopt_minutes', sessionId },
});

describe('the procès-verbal', () => {
  it('is adopted once by a later session of the same assembly, never on rejection, frozen, then published', async () => {
    const db = t.database.db;
    const first = await buildSession(db, comite, {
      startsAt: new Date('2026-04-01T18:00:00+02:00'),
      status: 'closed',
      items: [{ title: 'Budget' }],
    });
    const firstUrl = `${v1}/sessions/${first.session.id}`;
    const before: SessionDetail = (await request(t.app, secretary, 'GET', firstUrl)).json();
    expect(before.minutes).toEqual({
      state: 'draft',
      adoptedAt: null,
      adoptedBy: null,
      sha256: null,
      publishedAt: null,
    });
    const assembly: AssemblyDetail = (
      await request(t.app, secretary, 'GET', `${v1}/assemblies/${comite.id}`)
    ).json();
    expect(assembly.minutesToAdopt.map((s) => s.sessionId)).toContain(first.session.id);

    // Another assembly's session, a session not closed: refused when the agenda is written, in French.
    at('2026-04-10T17:00:00+02:00');
    const bureauSession = await buildSession(db, bureau, {
      startsAt: new Date('2026-03-01T18:00:00+02:00'),
      status: 'closed',
    });
    const elsewhere = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-04-10T18:00:00+02:00',
      place: 'Siège',
      agenda: [adopt(bureauSession.session.id)],
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().detail).toBe(LATER_SESSION_ONLY);
    expect(elsewhere.json().errors[0].path).toBe('body.agenda.0.decision');
    const open = await buildSession(db, comite, {
      startsAt: new Date('2026-04-05T18:00:00+02:00'),
      status: 'held',
    });
    const notClosed = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-04-10T18:00:00+02:00',
      place: 'Siège',
      agenda: [adopt(open.session.id)],
    });
    expect(notClosed.statusCode).toBe(422);
    expect(notClosed.json().detail).toContain("n'est pas close");

    // The next session: a first item adopting it is rejected (nothing changes), a second adopted.
    const next = await sitWith('2026-04-10T17:00:00+02:00', [
      adopt(first.session.id),
      adopt(first.session.id),
    ]);
    const nextUrl = `${v1}/sessions/${next.id}`;
    expect(next.items[0]?.decision).toMatchObject({
      kind: 'adopt_minutes',
      session: { id: first.session.id },
      label: "Adopter le procès-verbal d'une séance : séance du 1er avril 2026",
    });
    const rejected = await request(t.app, secretary, 'POST', `${nextUrl}/items/${next.items[0]?.id}/vote`, {
      for: 1,
      against: 2,
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionExecuted: false });
    expect(((await request(t.app, secretary, 'GET', firstUrl)).json() as SessionDetail).minutes?.state).toBe(
      'draft',
    );
    // Publishing a draft is refused.
    const draftPublish = await request(t.app, secretary, 'POST', `${firstUrl}/minutes/publish`);
    expect(draftPublish.statusCode).toBe(422);
    expect(draftPublish.json().detail).toContain('pas encore adopté');
    expect((await request(t.app, secretary, 'GET', `${firstUrl}/minutes/adopted.pdf`)).statusCode).toBe(404);

    const adopted = await request(t.app, secretary, 'POST', `${nextUrl}/items/${next.items[1]?.id}/vote`, {
      for: 3,
      against: 0,
    });
    expect(adopted.json()).toMatchObject({ status: 'adopted', decisionExecuted: true });
    const after: SessionDetail = (await request(t.app, secretary, 'GET', firstUrl)).json();
    expect(after.minutes).toMatchObject({
      state: 'adopted',
      adoptedBy: { sessionId: next.id, deliberationNumber: expect.stringMatching(/^D260410/) },
      publishedAt: null,
    });
    const pdf = await request(t.app, secretary, 'GET', `${firstUrl}/minutes/adopted.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(sha256(pdf.rawPayload)).toBe(after.minutes?.sha256);
    // The assembly's officials read it too; it no longer awaits adoption.
    const asOfficial = await request(t.app, official, 'GET', `${firstUrl}/minutes/adopted.pdf`);
    expect(sha256(asOfficial.rawPayload)).toBe(after.minutes?.sha256);
    const assemblyAfter: AssemblyDetail = (
      await request(t.app, secretary, 'GET', `${v1}/assemblies/${comite.id}`)
    ).json();
    expect(assemblyAfter.minutesToAdopt.map((s) => s.sessionId)).not.toContain(first.session.id);

    // Frozen: what was adopted is never changed, whoever writes.
    await expect(
      db.execute(sql`UPDATE governance_minutes SET sha256 = 'x' WHERE session_id = ${first.session.id}`),
    ).rejects.toThrow();

    // Adopted once: a later agenda adopting it again is refused.
    at('2026-04-20T17:00:00+02:00');
    const again = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-04-20T18:00:00+02:00',
      place: 'Siège',
      agenda: [adopt(first.session.id)],
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().detail).toContain('est déjà adopté');

    // Published by who manages the assembly, once the list of deliberations is; then public.
    const publicUrl = `/api/v1/public/organisations/${cast.operator.id}/minutes/${first.session.id}`;
    expect((await request(t.app, null, 'GET', publicUrl)).statusCode).toBe(404);
    const byOfficial = await request(t.app, official, 'POST', `${firstUrl}/minutes/publish`);
    expect(byOfficial.statusCode).toBe(403);
    const early = await request(t.app, secretary, 'POST', `${firstUrl}/minutes/publish`);
    expect(early.statusCode).toBe(422);
    expect(early.json().detail).toContain('liste des délibérations');
    expect((await request(t.app, secretary, 'POST', `${firstUrl}/deliberations/publish`)).statusCode).toBe(
      200,
    );
    const published = await request(t.app, secretary, 'POST', `${firstUrl}/minutes/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect((await request(t.app, secretary, 'POST', `${firstUrl}/minutes/publish`)).statusCode).toBe(409);
    const readByAnyone = await request(t.app, null, 'GET', publicUrl);
    expect(readByAnyone.statusCode).toBe(200);
    expect(sha256(readByAnyone.rawPayload)).toBe(after.minutes?.sha256);
    const list = (
      await request(t.app, null, 'GET', `/api/v1/public/organisations/${cast.operator.id}/deliberations`)
    ).json();
    const listed = list.sessions.find((s: { sessionId: string }) => s.sessionId === first.session.id);
    expect(listed.minutes).toMatchObject({
      sha256: after.minutes?.sha256,
      publishedAt: published.json().publishedAt,
    });
    expect(((await request(t.app, secretary, 'GET', firstUrl)).json() as SessionDetail).minutes?.state).toBe(
      'published',
    );

    // Every transition audited.
    const audited = await db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.targetType, 'governance_session'), eq(auditEvents.targetId, first.session.id)),
      );
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['governance.minutes_adopted', 'governance.minutes_published']),
    );
  });

  it('is never adopted from its own session, and the anonymous public sees only published ones', async () => {
    const db = t.database.db;
    const earlier = await buildSession(db, comite, {
      startsAt: new Date('2026-05-01T18:00:00+02:00'),
      status: 'closed',
    });
    const sitting = await sitWith('2026-05-10T17:00:00+02:00', [adopt(earlier.session.id)]);
    // Bound to its own session (written behind the API's back): the vote is refused, nothing adopted.
    await db
      .update(governanceItems)
      .set({ decisionSessionId: sitting.id })
      .where(eq(governanceItems.id, sitting.items[0]?.id ?? ''));
    const own = await request(
      t.app,
      secretary,
      'POST',
      `${v1}/sessions/${sitting.id}/items/${sitting.items[0]?.id}/vote`,
      {
        for: 3,
        against: 0,
      },
    );
    expect(own.statusCode).toBe(400);
    expect(own.json().detail).toBe(LATER_SESSION_ONLY);
    const item = (await request(t.app, secretary, 'GET', `${v1}/sessions/${sitting.id}`)).json().items[0];
    expect(item.status).toBe('pending');
    // Not published: the public does not read it, a stranger neither.
    expect(
      (
        await request(
          t.app,
          null,
          'GET',
          `/api/v1/public/organisations/${cast.operator.id}/minutes/${earlier.session.id}`,
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (await request(t.app, cast.adminB, 'GET', `${v1}/sessions/${earlier.session.id}/minutes/adopted.pdf`))
        .statusCode,
    ).toBe(404);
  });

  it("is adopted by any assembly's later session, the platform's decisions staying the comité's", async () => {
    const closed = await buildSession(t.database.db, bureau, {
      startsAt: new Date('2026-06-01T10:00:00+02:00'),
      status: 'closed',
    });
    at('2026-06-15T09:00:00+02:00');
    const body = (decision: object) => ({
      startsAt: '2026-06-15T10:00:00+02:00',
      place: 'Siège',
      agenda: [{ title: 'Point du bureau', decision }],
    });
    const minutes = await request(
      t.app,
      secretary,
      'POST',
      `${v1}/assemblies/${bureau.id}/sessions`,
      body({ kind: 'adopt_minutes', sessionId: closed.session.id }),
    );
    expect(minutes.statusCode, minutes.body).toBe(201);
    const pricing = await request(
      t.app,
      secretary,
      'POST',
      `${v1}/assemblies/${bureau.id}/sessions`,
      body({ kind: 'adopt_pricing', year: 2027 }),
    );
    expect(pricing.statusCode).toBe(400);
    expect(pricing.json().detail).toContain('Seul le comité syndical');
  });

  it('is read under row level security by its organisation, and by anyone once published; never deleted', async () => {
    const db = t.database.db;
    const memberA = await buildOrganisation(db, { name: 'Commune A (PV)' });
    const council = await buildAssembly(db, { memberId: memberA.id, kind: 'conseil_municipal' });
    const adopter = await buildSession(db, council, {
      startsAt: new Date('2026-06-10T18:00:00+02:00'),
      status: 'closed',
      items: [{ title: 'PV 1' }, { title: 'PV 2' }],
    });
    const sessionIds: string[] = [];
    for (const [index, published] of [false, true].entries()) {
      const { session } = await buildSession(db, council, {
        startsAt: new Date(`2026-06-0${index + 1}T18:00:00+02:00`),
        status: 'closed',
      });
      sessionIds.push(session.id);
      await db.insert(governanceMinutes).values({
        sessionId: session.id,
        memberId: memberA.id,
        assemblyId: council.id,
        adoptedAt: new Date('2026-06-10T19:00:00+02:00'),
        adoptedBySessionId: adopter.session.id,
        adoptedByItemId: adopter.items[index]?.id ?? '',
        storageKey: `governance-minutes/${memberA.id}/${session.id}/rls.pdf`,
        sizeBytes: 10,
        sha256: 'x',
        publishedAt: published ? new Date('2026-06-11T09:00:00+02:00') : null,
      });
    }
    const seen = (context: TenantContext) =>
      withTenant(db, context, async (tx) =>
        (await tx.select().from(governanceMinutes).where(eq(governanceMinutes.memberId, memberA.id)))
          .map((m) => m.sessionId)
          .sort(),
      );
    const anonymous: TenantContext = { userId: null, memberId: null, operatorRole: null };
    expect(await seen({ userId: null, memberId: memberA.id, operatorRole: null })).toEqual(
      [...sessionIds].sort(),
    );
    expect(await seen({ userId: null, memberId: cast.memberB.id, operatorRole: null })).toEqual([
      sessionIds[1],
    ]);
    expect(await seen(anonymous)).toEqual([sessionIds[1]]);
    await expect(
      withTenant(db, { userId: null, memberId: memberA.id, operatorRole: null }, (tx) =>
        tx.delete(governanceMinutes).where(eq(governanceMinutes.memberId, memberA.id)),
      ),
    ).rejects.toThrow();
  });
});
