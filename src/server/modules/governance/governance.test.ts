import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetail } from '../../../contracts/governance.js';
import { createSession } from '../../platform/auth/session.js';
import { useClock } from '../../platform/clock.js';
import {
  acts,
  governanceConvocations,
  governanceItems,
  governanceSeats,
  memberDocuments,
  membershipEvents,
  organisations,
  outboxMails,
  pricingAdoptions,
} from '../../platform/db/schema.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { multipart, tinyPdf } from '../../test/bodies.js';
import { buildOrganisation, buildSignedInCast, buildUser, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { runDeliberationsReminderJob } from './governance.publication.service.js';
import { buildAssembly, buildSeats, buildSession } from './governance.test-support.js';

/**
 * The governance module through its routes: sessions and their deadline, convocations sent once
 * each (retried, never duplicated) with the recipient's link, attendance and quorum, votes into
 * deliberations and bound decisions executed once, officials' access, members' assemblies behind
 * their subscription, and designating delegates.
 */

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let secretary: Session;
let comite: Awaited<ReturnType<typeof buildAssembly>>;
let titulars: Awaited<ReturnType<typeof buildSeats>>;
let substitute: Awaited<ReturnType<typeof buildSeats>>[number];
let official: Session;
let stranger: Session;
let restoreClock: (() => void) | null = null;

const v1 = '/api/v1/governance';
/** Monday 2 March 2026, 10:00 in Paris. */
const MONDAY = new Date('2026-03-02T10:00:00+01:00');
const at = (date: Date) => {
  restoreClock?.();
  restoreClock = useClock(date);
};

async function signedInWithoutOrganisation(userId: string): Promise<Session> {
  const { token } = await createSession(t.database.db, userId, null, 1);
  const me = await t.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { cookie: `socle_session=${token}` },
  });
  return { cookie: `socle_session=${token}`, csrfToken: me.json().csrfToken, userId };
}

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildSignedInCast(t);
  const db = t.database.db;
  secretary = await sessionAs(t, cast.operator, 'agent', ['governance'], 'Sam Secrétaire');
  comite = await buildAssembly(db, {
    memberId: cast.operator.id,
    kind: 'comite_syndical',
    name: 'Comité syndical',
  });
  titulars = await buildSeats(db, comite, 5, { prefix: 'Délégué' });
  [substitute] = await buildSeats(db, comite, 1, {
    kind: 'substitute',
    prefix: 'Suppléant',
    substituteFor: titulars[0].id,
  });
  const elu = await buildUser(db, { displayName: 'Élue Sans Structure', email: 'elue@test.example' });
  await db.update(governanceSeats).set({ userId: elu.id }).where(eq(governanceSeats.id, titulars[1].id));
  official = await signedInWithoutOrganisation(elu.id);
  stranger = await signedInWithoutOrganisation((await buildUser(db)).id);
});
afterEach(() => {
  restoreClock?.();
  restoreClock = null;
});
afterAll(() => t?.close());

const agenda = [
  { title: 'Approbation du procès-verbal', explanatoryNote: 'Procès-verbal de la séance précédente.' },
];

describe('sessions and the convocation deadline', () => {
  it('answers 201 with the last day to convene, in jours francs', async () => {
    at(MONDAY);
    const response = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-16T18:00:00+01:00',
      place: 'Siège du syndicat, La Roche-sur-Yon',
      agenda,
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().convocationDueBy).toBe('2026-03-10');
  });

  it('refuses a past date, and an urgent session without its reason', async () => {
    at(MONDAY);
    const past = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-01T18:00:00+01:00',
      place: 'Siège',
      agenda,
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors).toEqual([{ path: 'body.startsAt', message: 'date passée' }]);
    const urgent = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-04T18:00:00+01:00',
      place: 'Siège',
      urgent: true,
      agenda,
    });
    expect(urgent.statusCode).toBe(400);
    expect(urgent.json().errors[0].path).toBe('body.urgencyReason');
  });
});

describe('convocations', () => {
  it('sends one mail per titular, retried on failure and never twice; refuses a late one unless urgent', async () => {
    at(MONDAY);
    const created = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-20T18:00:00+01:00',
      place: 'Siège',
      agenda,
    });
    const sessionId = created.json().id;
    const before = t.mail.delivered.length;
    t.mail.failNext(1);
    const sent = await request(t.app, secretary, 'POST', `${v1}/sessions/${sessionId}/convocations`);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ queued: 5, alreadySent: 0, paper: 0 });
    // One delivery failed: four mails went, the fifth waits for its retry.
    expect(t.mail.delivered.length - before).toBe(4);
    const again = await request(t.app, secretary, 'POST', `${v1}/sessions/${sessionId}/convocations`);
    expect(again.json()).toMatchObject({ queued: 0, alreadySent: 5 });
    at(new Date(MONDAY.getTime() + 60_000));
    await t.runJobs();
    at(new Date(MONDAY.getTime() + 3_600_000));
    await t.runJobs();
    const mails = t.mail.delivered.slice(before);
    expect(mails).toHaveLength(5);
    expect(new Set(mails.map((m) => m.to)).size).toBe(5);
    expect(mails[0].text).toMatch(/\/convocation\?jeton=[A-Za-z0-9_-]{43}/);
    const rows = await t.database.db
      .select()
      .from(governanceConvocations)
      .where(eq(governanceConvocations.sessionId, sessionId));
    expect(rows.every((r) => r.sentAt !== null && /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
    // The token itself is stored nowhere but in the mail.
    const token = /jeton=([A-Za-z0-9_-]+)/.exec(mails[0].text)?.[1] ?? '';
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);

    // Past the deadline (10 March for the 16th): refused, unless urgent.
    at(new Date('2026-03-11T09:00:00+01:00'));
    const late = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-16T18:00:00+01:00',
      place: 'Siège',
      agenda,
    });
    const refused = await request(t.app, secretary, 'POST', `${v1}/sessions/${late.json().id}/convocations`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain('Le délai de convocation est dépassé');
    const urgent = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-13T18:00:00+01:00',
      place: 'Siège',
      urgent: true,
      urgencyReason: 'Délibération budgétaire avant la date limite légale.',
      agenda,
    });
    expect(urgent.json().convocationDueBy).toBe('2026-03-11');
    expect(
      (await request(t.app, secretary, 'POST', `${v1}/sessions/${urgent.json().id}/convocations`)).statusCode,
    ).toBe(200);
  });

  it('records opening and receipt through the personal link, and convenes the substitute of an unavailable titular', async () => {
    at(MONDAY);
    const created = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-27T18:00:00+01:00',
      place: 'Siège',
      agenda,
    });
    const sessionId = created.json().id;
    const before = t.mail.delivered.length;
    await request(t.app, secretary, 'POST', `${v1}/sessions/${sessionId}/convocations`);
    const mail = t.mail.delivered.slice(before).find((m) => m.to === titulars[0].email);
    const token = /jeton=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    const opened = await request(t.app, null, 'GET', `${v1}/convocations/${token}`);
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({
      fullName: 'Délégué 1',
      receivedAt: null,
      canDeclareUnavailable: true,
    });
    const receipt = await request(t.app, null, 'POST', `${v1}/convocations/${token}/receipt`);
    expect(receipt.json().receivedAt).not.toBeNull();
    const unavailable = await request(t.app, null, 'POST', `${v1}/convocations/${token}/unavailability`);
    expect(unavailable.json().unavailableAt).not.toBeNull();
    await t.runJobs();
    const toSubstitute = t.mail.delivered.slice(before).filter((m) => m.to === substitute.email);
    expect(toSubstitute).toHaveLength(1);
    expect(toSubstitute[0].text).toContain('Le titulaire que vous suppléez ne pourra pas siéger');
    // Declared twice: the substitute is not convened twice.
    await request(t.app, null, 'POST', `${v1}/convocations/${token}/unavailability`);
    await t.runJobs();
    expect(t.mail.delivered.slice(before).filter((m) => m.to === substitute.email)).toHaveLength(1);
    const detail: SessionDetail = (
      await request(t.app, secretary, 'GET', `${v1}/sessions/${sessionId}`)
    ).json();
    const first = detail.convocations.find((c) => c.seatId === titulars[0].id);
    expect(first?.openedAt).not.toBeNull();
    expect(first?.receivedAt).not.toBeNull();
    expect(detail.convocations).toHaveLength(6);
    expect((await request(t.app, null, 'GET', `${v1}/convocations/${'x'.repeat(43)}`)).statusCode).toBe(404);
  });
});

describe('a page polling a session', () => {
  it('gets 304 with its ETag until something the page shows changes, whoever changes it', async () => {
    at(MONDAY);
    const created = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-27T18:00:00+01:00',
      place: 'Siège',
      agenda,
    });
    const url = `${v1}/sessions/${created.json().id}`;
    const get = (who: Session, etag?: string) =>
      t.app.inject({
        method: 'GET',
        url,
        headers: { cookie: who.cookie, ...(etag ? { 'if-none-match': etag } : {}) },
      });
    let etag = '';
    /** The page asked again: a 304 while nothing changed, else the new version's ETag. */
    const changed = async () => {
      const response = await get(secretary, etag);
      expect([200, 304]).toContain(response.statusCode);
      if (response.statusCode === 304) {
        expect(response.body).toBe('');
        return false;
      }
      expect(response.headers.etag).not.toBe(etag);
      etag = String(response.headers.etag);
      return true;
    };
    expect(await changed()).toBe(true);
    expect(await changed()).toBe(false);
    // An official sees their own convocations only: another version of the page, another ETag.
    const asOfficial = await get(official, etag);
    expect(asOfficial.statusCode).toBe(200);
    expect(asOfficial.headers.etag).not.toBe(etag);

    const before = t.mail.delivered.length;
    await request(t.app, secretary, 'POST', `${url}/convocations`);
    await t.runJobs();
    expect(await changed()).toBe(true);
    expect(await changed()).toBe(false);
    // The recipient acknowledges through the link (no session): the secretary's page changes.
    const mail = t.mail.delivered.slice(before).find((m) => m.to === titulars[3].email);
    const token = /jeton=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    expect((await request(t.app, null, 'POST', `${v1}/convocations/${token}/receipt`)).statusCode).toBe(200);
    expect(await changed()).toBe(true);
    // A seat renamed in the assembly.
    await t.database.db
      .update(governanceSeats)
      .set({ fullName: 'Délégué 4 (renommé)' })
      .where(eq(governanceSeats.id, titulars[3].id));
    expect(await changed()).toBe(true);
    const renamed: SessionDetail = (await get(secretary)).json();
    expect(renamed.attendance.map((a) => a.fullName)).toContain('Délégué 4 (renommé)');
    expect(await changed()).toBe(false);
  });
});

describe("the sitting's live state", () => {
  it('answers the quorum (substitutes sitting for an absent titular) and the items, 304 while unchanged', async () => {
    at(MONDAY);
    const { session, items } = await buildSession(t.database.db, comite, {
      startsAt: new Date('2026-03-02T09:00:00+01:00'),
      items: [{ title: 'Point en direct' }],
    });
    const url = `${v1}/sessions/${session.id}/live`;
    const get = (who: Session, etag?: string) =>
      t.app.inject({
        method: 'GET',
        url,
        headers: { cookie: who.cookie, ...(etag ? { 'if-none-match': etag } : {}) },
      });
    const first = await get(official);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      id: session.id,
      status: 'planned',
      quorum: { inOffice: 5, required: 3, present: 0, reached: false },
      items: [{ id: items[0].id, status: 'pending', votedAt: null }],
    });
    const etag = String(first.headers.etag);
    expect((await get(official, etag)).statusCode).toBe(304);
    // The same answer for the secretary: one version for every reader.
    expect((await get(secretary, etag)).statusCode).toBe(304);
    await request(t.app, secretary, 'PUT', `${v1}/sessions/${session.id}/attendance`, {
      entries: [
        { seatId: titulars[0].id, status: 'excused' },
        { seatId: substitute.id, status: 'present' },
        { seatId: titulars[1].id, status: 'present' },
        { seatId: titulars[2].id, status: 'present' },
      ],
    });
    const changed = await get(official, etag);
    expect(changed.statusCode).toBe(200);
    expect(changed.json().quorum).toEqual({ inOffice: 5, required: 3, present: 3, reached: true });
    expect(changed.json().status).toBe('held');
    // The whole page counts the same.
    const detail: SessionDetail = (
      await request(t.app, secretary, 'GET', `${v1}/sessions/${session.id}`)
    ).json();
    expect(detail.quorum).toEqual(changed.json().quorum);
    expect(detail.revision).toBe(changed.json().revision);
    expect((await get(stranger)).statusCode).toBe(404);
    expect((await request(t.app, null, 'GET', url)).statusCode).toBe(401);
  });
});

describe("agenda items' documents", () => {
  it('attaches a checked file to an item, downloadable by the officials and through the link', async () => {
    at(MONDAY);
    const created = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-27T18:00:00+01:00',
      place: 'Siège',
      agenda,
    });
    const sessionId = created.json().id;
    const detail0: SessionDetail = (
      await request(t.app, secretary, 'GET', `${v1}/sessions/${sessionId}`)
    ).json();
    const itemId = detail0.items[0].id;
    const upload = (who: Session, file: { name: string; data: Buffer }) => {
      const body = multipart({}, file);
      return request(
        t.app,
        who,
        'POST',
        `${v1}/sessions/${sessionId}/items/${itemId}/documents`,
        body.payload,
        body.headers,
      );
    };
    const pdf = tinyPdf();
    const added = await upload(secretary, { name: 'Rapport du président.pdf', data: pdf });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({
      fileName: 'Rapport du président.pdf',
      mediaType: 'application/pdf',
      sizeBytes: pdf.length,
    });
    // A renamed file, or a type not accepted: refused in French, naming the field.
    const renamed = await upload(secretary, {
      name: 'rapport.pdf',
      data: Buffer.from('MZ\u0090 pas un PDF'),
    });
    expect(renamed.statusCode).toBe(415);
    expect(renamed.json().detail).toContain('Types acceptés : PDF, ODT');
    expect(renamed.json().errors[0].path).toBe('body.file');
    expect((await upload(secretary, { name: 'script.exe', data: pdf })).statusCode).toBe(415);
    // Reading is not managing.
    expect((await upload(official, { name: 'a.pdf', data: pdf })).statusCode).toBe(403);

    const documentId = added.json().id;
    const url = `${v1}/sessions/${sessionId}/documents/${documentId}`;
    const asOfficial = await request(t.app, official, 'GET', url);
    expect(asOfficial.statusCode).toBe(200);
    expect(asOfficial.headers['content-type']).toBe('application/pdf');
    expect(Buffer.from(asOfficial.rawPayload).equals(pdf)).toBe(true);
    expect((await request(t.app, stranger, 'GET', url)).statusCode).toBe(404);
    const detail: SessionDetail = (
      await request(t.app, official, 'GET', `${v1}/sessions/${sessionId}`)
    ).json();
    expect(detail.items[0].documents.map((d) => d.id)).toEqual([documentId]);

    // Through the convocation's personal link.
    const before = t.mail.delivered.length;
    await request(t.app, secretary, 'POST', `${v1}/sessions/${sessionId}/convocations`);
    await t.runJobs();
    const mail = t.mail.delivered.slice(before).find((m) => m.to === titulars[0].email);
    const token = /jeton=([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
    const opened = await request(t.app, null, 'GET', `${v1}/convocations/${token}`);
    expect(opened.json().agenda[0].documents[0]).toMatchObject({
      id: documentId,
      fileName: 'Rapport du président.pdf',
    });
    const linked = await request(t.app, null, 'GET', `${v1}/convocations/${token}/documents/${documentId}`);
    expect(linked.statusCode).toBe(200);
    expect(Buffer.from(linked.rawPayload).equals(pdf)).toBe(true);
    // Another session's document is not reachable through this link.
    const other = await request(
      t.app,
      null,
      'GET',
      `${v1}/convocations/${token}/documents/${crypto.randomUUID()}`,
    );
    expect(other.statusCode).toBe(404);
  });
});

describe('closing a sitting', () => {
  it('prepares the second convocation when the quorum was not reached, ready to convene', async () => {
    // Friday 20 March 2026 in the evening; the session sat at 18:00 the same day.
    at(new Date('2026-03-20T21:00:00+01:00'));
    const { session } = await buildSession(t.database.db, comite, {
      startsAt: new Date('2026-03-20T18:00:00+01:00'),
      status: 'convened',
      items: [
        { title: 'Budget primitif', explanatoryNote: 'Le budget de l’année.' },
        { title: 'Tarifs', classification: '7.1' },
      ],
    });
    const url = `${v1}/sessions/${session.id}`;
    await request(t.app, secretary, 'PUT', `${url}/attendance`, {
      entries: [{ seatId: titulars[0].id, status: 'present' }],
    });
    // An official reads the session but may not manage it: told so (403) before any lock, which RLS
    // would refuse them (no write policy); nor record attendance.
    const refused = await request(t.app, official, 'POST', `${url}/close`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toBe('Votre rôle ne permet pas de gérer cette assemblée.');
    expect(
      (
        await request(t.app, official, 'PUT', `${url}/attendance`, {
          entries: [{ seatId: titulars[1].id, status: 'present' }],
        })
      ).statusCode,
    ).toBe(403);
    const closed = await request(t.app, secretary, 'POST', `${url}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    const body = closed.json();
    expect(body.quorum).toEqual({ inOffice: 5, required: 3, present: 1, reached: false });
    // Three days later at the earliest (the 23rd), but five jours francs must lie between today, when
    // the convocations may still leave, and the sitting: Thursday 26 at the same hour.
    expect(body.secondConvocation).toMatchObject({ itemCount: 2, convocationDueBy: '2026-03-20' });
    expect(body.secondConvocation.startsAt).toBe(new Date('2026-03-26T18:00:00+01:00').toISOString());
    const second: SessionDetail = (
      await request(t.app, secretary, 'GET', `${v1}/sessions/${body.secondConvocation.id}`)
    ).json();
    expect(second).toMatchObject({ status: 'planned', secondConvocation: true, place: 'Salle du conseil' });
    expect(second.items.map((i) => [i.title, i.classification, i.explanatoryNote])).toEqual([
      ['Budget primitif', '5.2', 'Le budget de l’année.'],
      ['Tarifs', '7.1', ''],
    ]);
    expect(second.quorum.required).toBe(0);
    const first: SessionDetail = (await request(t.app, secretary, 'GET', url)).json();
    expect(first.status).toBe('closed');
    expect(first.closedAt).not.toBeNull();
    expect(first.reconvenedAs?.id).toBe(body.secondConvocation.id);
    expect((await request(t.app, secretary, 'POST', `${url}/close`)).statusCode).toBe(409);
    const late = await request(t.app, secretary, 'PUT', `${url}/attendance`, {
      entries: [{ seatId: titulars[1].id, status: 'present' }],
    });
    expect(late.statusCode).toBe(422);
    // Ready to convene: the convocations leave within the deadline.
    const convened = await request(
      t.app,
      secretary,
      'POST',
      `${v1}/sessions/${body.secondConvocation.id}/convocations`,
    );
    expect(convened.statusCode, convened.body).toBe(200);
    // A second convocation closed without anyone present prepares nothing more.
    at(new Date('2026-03-27T20:00:00+01:00'));
    const again = await request(
      t.app,
      secretary,
      'POST',
      `${v1}/sessions/${body.secondConvocation.id}/close`,
    );
    expect(again.json()).toMatchObject({ quorum: { required: 0, reached: true }, secondConvocation: null });
  });

  it('closes a sitting with quorum without preparing anything; refuses one not convened or not begun', async () => {
    at(MONDAY);
    const { session } = await buildSession(t.database.db, comite, {
      startsAt: new Date('2026-03-02T09:00:00+01:00'),
      status: 'held',
    });
    await request(t.app, secretary, 'PUT', `${v1}/sessions/${session.id}/attendance`, {
      entries: titulars.slice(0, 3).map((s) => ({ seatId: s.id, status: 'present' })),
    });
    const closed = await request(t.app, secretary, 'POST', `${v1}/sessions/${session.id}/close`);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      quorum: { reached: true },
      secondConvocation: null,
    });
    const planned = await buildSession(t.database.db, comite, {
      startsAt: new Date('2026-03-01T09:00:00+01:00'),
    });
    const refused = await request(t.app, secretary, 'POST', `${v1}/sessions/${planned.session.id}/close`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain("n'a pas été convoquée");
    const future = await buildSession(t.database.db, comite, {
      startsAt: new Date('2026-03-03T09:00:00+01:00'),
      status: 'convened',
    });
    const early = await request(t.app, secretary, 'POST', `${v1}/sessions/${future.session.id}/close`);
    expect(early.statusCode).toBe(422);
    expect(early.json().detail).toContain("n'a pas encore commencé");
  });
});

describe('after the sitting: the list of deliberations', () => {
  it('publishes the closed session’s list for anyone to read, and reminds its secretary before the week ends', async () => {
    at(new Date('2026-03-05T20:00:00+01:00'));
    const created = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-03-05T21:00:00+01:00',
      place: 'Siège',
      urgent: true,
      urgencyReason: 'Publication à vérifier',
      agenda: [{ title: 'Point adopté' }, { title: 'Point rejeté' }],
    });
    const sessionId = created.json().id;
    const url = `${v1}/sessions/${sessionId}`;
    at(new Date('2026-03-05T21:30:00+01:00'));
    await request(t.app, secretary, 'PUT', `${url}/attendance`, {
      entries: titulars.map((s) => ({ seatId: s.id, status: 'present' })),
    });
    const detail0: SessionDetail = (await request(t.app, secretary, 'GET', url)).json();
    const [adopt, reject] = detail0.items;
    expect(
      (await request(t.app, secretary, 'POST', `${url}/items/${adopt.id}/vote`, { for: 4, against: 1 }))
        .statusCode,
    ).toBe(200);
    expect(
      (await request(t.app, secretary, 'POST', `${url}/items/${reject.id}/vote`, { for: 1, against: 4 }))
        .statusCode,
    ).toBe(200);
    const early = await request(t.app, secretary, 'POST', `${url}/deliberations/publish`);
    expect(early.statusCode).toBe(422);
    expect((await request(t.app, secretary, 'POST', `${url}/close`)).statusCode).toBe(200);

    const publicUrl = `/api/v1/public/organisations/${cast.operator.id}/deliberations`;
    const before = (await request(t.app, null, 'GET', publicUrl)).json();
    expect(before.sessions.map((x: { sessionId: string }) => x.sessionId)).not.toContain(sessionId);

    // Five days after the closing, the secretary is reminded, once.
    const reminders = () =>
      t.mail.delivered.filter((m) => m.subject.startsWith('Liste des délibérations à publier'));
    const sent = reminders().length;
    at(new Date('2026-03-10T08:00:00+01:00'));
    await runReminder();
    await t.runJobs();
    expect(reminders().length).toBe(sent + 1);
    expect(reminders().at(-1)?.text).toContain('12 mars 2026');
    at(new Date('2026-03-11T08:00:00+01:00'));
    await runReminder();
    await t.runJobs();
    expect(reminders().length).toBe(sent + 1);

    // The procès-verbal drafted from the record.
    const minutes = await request(t.app, secretary, 'GET', `${url}/minutes.pdf`);
    expect(minutes.statusCode).toBe(200);
    expect(minutes.headers['content-type']).toBe('application/pdf');
    expect(minutes.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await request(t.app, official, 'GET', `${url}/minutes.pdf`)).statusCode).toBe(403);
    const published = await request(t.app, secretary, 'POST', `${url}/deliberations/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect((await request(t.app, secretary, 'POST', `${url}/deliberations/publish`)).statusCode).toBe(409);
    const list = (await request(t.app, null, 'GET', publicUrl)).json();
    const mine = list.sessions.find((x: { sessionId: string }) => x.sessionId === sessionId);
    expect(mine).toMatchObject({ assemblyName: 'Comité syndical' });
    expect(mine.deliberations).toEqual([
      expect.objectContaining({ position: 1, title: 'Point adopté', for: 4, against: 1, abstention: 0 }),
    ]);
    // The act is not published yet: its number shows on the public list once it is (RLS on acts).
    expect(mine.deliberations[0].actNumber).toBeNull();
  });
});

async function runReminder() {
  await runDeliberationsReminderJob(t.database.db, t.app.mailer, 'https://socle.example');
}

describe('the sitting: attendance, quorum, votes and what they change', () => {
  let requested: { id: string };

  beforeAll(async () => {
    requested = await buildOrganisation(t.database.db, { name: 'Commune candidate', status: 'requested' });
  });

  async function pastSession(items: Parameters<typeof buildSession>[2]['items']) {
    return buildSession(t.database.db, comite, { startsAt: new Date('2026-03-02T09:00:00+01:00'), items });
  }

  it('shows the quorum turning reached; refuses a second proxy; votes need the quorum', async () => {
    at(MONDAY);
    const { session, items } = await pastSession([{ title: 'Point sans quorum' }]);
    const url = `${v1}/sessions/${session.id}`;
    const twoPresent = await request(t.app, secretary, 'PUT', `${url}/attendance`, {
      entries: [
        { seatId: titulars[0].id, status: 'present' },
        { seatId: titulars[1].id, status: 'present' },
        { seatId: titulars[2].id, status: 'represented', proxySeatId: titulars[0].id },
      ],
    });
    expect(twoPresent.statusCode, twoPresent.body).toBe(200);
    expect(twoPresent.json().quorum).toEqual({ inOffice: 5, required: 3, present: 2, reached: false });
    const noQuorum = await request(t.app, secretary, 'POST', `${url}/items/${items[0].id}/vote`, {
      for: 3,
      against: 0,
    });
    expect(noQuorum.statusCode).toBe(422);
    expect(noQuorum.json().detail).toContain("Le quorum n'est pas atteint");
    const secondProxy = await request(t.app, secretary, 'PUT', `${url}/attendance`, {
      entries: [{ seatId: titulars[3].id, status: 'represented', proxySeatId: titulars[0].id }],
    });
    expect(secondProxy.statusCode).toBe(400);
    expect(secondProxy.json().errors).toEqual([
      {
        path: 'body.entries.0.proxySeatId',
        message: 'ce membre détient déjà un pouvoir (un seul par personne)',
      },
    ]);
    const third = await request(t.app, secretary, 'PUT', `${url}/attendance`, {
      entries: [{ seatId: titulars[4].id, status: 'present' }],
    });
    expect(third.json().quorum).toEqual({ inOffice: 5, required: 3, present: 3, reached: true });
    const detail: SessionDetail = (await request(t.app, secretary, 'GET', url)).json();
    expect(detail.quorum.reached).toBe(true);
    expect(detail.attendance.find((a) => a.seatId === titulars[2].id)).toMatchObject({
      status: 'represented',
      proxySeatId: titulars[0].id,
    });
  });

  it('turns an adopted item into a deliberation and accepts the membership once; a rejected one changes nothing', async () => {
    at(MONDAY);
    const other = await buildOrganisation(t.database.db, { name: 'Commune refusée', status: 'requested' });
    const { session, items } = await pastSession([
      {
        title: 'Adhésion de la commune candidate',
        decisionKind: 'accept_membership',
        decisionMemberId: requested.id,
      },
      {
        title: 'Adhésion de la commune refusée',
        decisionKind: 'accept_membership',
        decisionMemberId: other.id,
      },
      { title: 'Tarifs 2026', decisionKind: 'adopt_pricing', decisionYear: 2026 },
    ]);
    const url = `${v1}/sessions/${session.id}`;
    await request(t.app, secretary, 'PUT', `${url}/attendance`, {
      entries: titulars.map((s, i) =>
        i === 4
          ? { seatId: s.id, status: 'represented', proxySeatId: titulars[0].id }
          : { seatId: s.id, status: 'present' },
      ),
    });
    const adopted = await request(t.app, secretary, 'POST', `${url}/items/${items[0].id}/vote`, {
      for: 3,
      against: 1,
      abstention: 1,
    });
    expect(adopted.statusCode, adopted.body).toBe(200);
    expect(adopted.json()).toMatchObject({ status: 'adopted', decisionExecuted: true, result: { cast: 4 } });
    const [act] = await t.database.db.select().from(acts).where(eq(acts.id, adopted.json().actId));
    expect(act).toMatchObject({
      memberId: cast.operator.id,
      nature: 'DE',
      number: 'D2603020900_1',
      subject: 'Adhésion de la commune candidate',
      sessionOn: '2026-03-02',
      votesMembers: 5,
      votesPresent: 5,
      votesFor: 3,
      votesAgainst: 1,
      votesAbstention: 1,
    });
    const [member] = await t.database.db
      .select()
      .from(organisations)
      .where(eq(organisations.id, requested.id));
    expect(member.status).toBe('member');
    const history = await t.database.db
      .select()
      .from(membershipEvents)
      .where(eq(membershipEvents.memberId, requested.id));
    expect(history.map((e) => [e.toStatus, e.decisionReference])).toEqual([
      ['accepted', 'Délibération D2603020900_1'],
      ['member', null],
    ]);
    // Exactly once: a second vote on the item is refused and changes nothing.
    const twice = await request(t.app, secretary, 'POST', `${url}/items/${items[0].id}/vote`, {
      for: 5,
      against: 0,
    });
    expect(twice.statusCode).toBe(409);
    expect(
      await t.database.db.select().from(membershipEvents).where(eq(membershipEvents.memberId, requested.id)),
    ).toHaveLength(2);

    // A tie without the chair's vote rejects: no act, no decision.
    const rejected = await request(t.app, secretary, 'POST', `${url}/items/${items[1].id}/vote`, {
      for: 2,
      against: 2,
      abstention: 1,
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', actId: null, decisionExecuted: false });
    const [stillRequested] = await t.database.db
      .select()
      .from(organisations)
      .where(eq(organisations.id, other.id));
    expect(stillRequested.status).toBe('requested');
    const [rejectedItem] = await t.database.db
      .select()
      .from(governanceItems)
      .where(eq(governanceItems.id, items[1].id));
    expect(rejectedItem.decisionExecutedAt).toBeNull();

    // The chair's vote breaks a tie: the year's tariffs adopted, the deliberation referenced.
    const tariffs = await request(t.app, secretary, 'POST', `${url}/items/${items[2].id}/vote`, {
      for: 2,
      against: 2,
      chairVote: 'for',
    });
    expect(tariffs.json()).toMatchObject({ status: 'adopted', result: { chairPrevailed: true } });
    const [adoption] = await t.database.db
      .select()
      .from(pricingAdoptions)
      .where(eq(pricingAdoptions.year, 2026));
    expect(adoption).toMatchObject({ adoptedOn: '2026-03-02', deliberationNumber: 'D2603020900_3' });
  });

  it('refuses more votes than voters, and weighs named ballots by college', async () => {
    at(MONDAY);
    const { session, items } = await pastSession([
      { title: 'Point nominatif', namedVote: true },
      { title: 'Point compté' },
    ]);
    const url = `${v1}/sessions/${session.id}`;
    await request(t.app, secretary, 'PUT', `${url}/attendance`, {
      entries: titulars.slice(0, 3).map((s) => ({ seatId: s.id, status: 'present' })),
    });
    const tooMany = await request(t.app, secretary, 'POST', `${url}/items/${items[1].id}/vote`, {
      for: 3,
      against: 1,
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().detail).toContain('dépassent le nombre de votants (3');
    const college = await request(t.app, secretary, 'POST', `${v1}/assemblies/${comite.id}/colleges`, {
      name: 'EPCI',
      seats: 2,
      voteWeight: 3,
    });
    expect(college.statusCode, college.body).toBe(201);
    await t.database.db
      .update(governanceSeats)
      .set({ collegeId: college.json().id })
      .where(eq(governanceSeats.id, titulars[0].id));
    const named = await request(t.app, secretary, 'POST', `${url}/items/${items[0].id}/vote`, {
      ballots: [
        { seatId: titulars[0].id, choice: 'for' },
        { seatId: titulars[1].id, choice: 'against' },
        { seatId: titulars[2].id, choice: 'against' },
      ],
    });
    expect(named.json()).toMatchObject({ status: 'adopted', result: { for: 3, against: 2, weighted: true } });
    const detail: SessionDetail = (await request(t.app, official, 'GET', url)).json();
    expect(detail.items[0].ballots.map((b) => b.choice).sort()).toEqual(['against', 'against', 'for']);
    await t.database.db
      .update(governanceSeats)
      .set({ collegeId: null })
      .where(eq(governanceSeats.id, titulars[0].id));
  });
});

describe('who reaches what', () => {
  it('lets an official read the assemblies they sit in, and nobody else', async () => {
    at(MONDAY);
    const list = (await request(t.app, official, 'GET', `${v1}/assemblies`)).json();
    expect(list.items.map((a: { id: string; canManage: boolean }) => [a.id, a.canManage])).toEqual([
      [comite.id, false],
    ]);
    expect((await request(t.app, official, 'GET', `${v1}/assemblies/${comite.id}`)).statusCode).toBe(200);
    const me = (await request(t.app, official, 'GET', `${v1}/me`)).json();
    expect(me.seats).toHaveLength(1);
    expect(me.seats[0]).toMatchObject({ assemblyId: comite.id, operatorAssembly: true });
    expect(me.upcoming.length).toBeGreaterThan(0);
    expect((await request(t.app, official, 'GET', `${v1}/operator-overview`)).statusCode).toBe(200);
    // Reading is not managing.
    const write = await request(t.app, official, 'POST', `${v1}/assemblies/${comite.id}/sessions`, {
      startsAt: '2026-04-20T18:00:00+02:00',
      place: 'Siège',
      agenda,
    });
    expect(write.statusCode).toBe(403);
    for (const session of [stranger, cast.adminA, cast.operatorAgent]) {
      expect((await request(t.app, session, 'GET', `${v1}/assemblies/${comite.id}`)).statusCode).toBe(404);
    }
    expect((await request(t.app, stranger, 'GET', `${v1}/operator-overview`)).statusCode).toBe(403);
    expect((await request(t.app, null, 'GET', `${v1}/assemblies`)).statusCode).toBe(401);
  });

  it("lets a member's admin and assemblees people manage its council only with the subscription", async () => {
    at(MONDAY);
    const db = t.database.db;
    const council = await buildAssembly(db, {
      memberId: cast.memberA.id,
      kind: 'conseil_municipal',
      name: 'Conseil municipal',
    });
    await buildSeats(db, council, 3, { prefix: 'Conseiller' });
    const assemblees = await sessionAs(t, cast.memberA, 'assemblees', [], 'Agent Assemblées');
    const body = { startsAt: '2026-03-20T18:00:00+01:00', place: 'Mairie', agenda };
    const url = `${v1}/assemblies/${council.id}/sessions`;
    const unsubscribed = await request(t.app, cast.adminA, 'POST', url, body);
    expect(unsubscribed.statusCode).toBe(403);
    expect(unsubscribed.json().detail).toContain('Convocations électroniques des élus');
    const service = await buildService(db, {
      name: 'Convocations électroniques des élus',
      code: 'DEMAT-CONVOCATIONS',
    });
    await buildSubscription(db, { memberId: cast.memberA.id, serviceId: service.id });
    const created = await request(t.app, assemblees, 'POST', url, body);
    expect(created.statusCode, created.body).toBe(201);
    // A commune below 3,500 inhabitants: 3 jours francs.
    expect(created.json().convocationDueBy).toBe('2026-03-16');
    expect((await request(t.app, cast.readerA, 'POST', url, body)).statusCode).toBe(403);
    expect((await request(t.app, cast.readerA, 'GET', `${v1}/assemblies/${council.id}`)).statusCode).toBe(
      200,
    );
    expect((await request(t.app, cast.adminB, 'GET', `${v1}/assemblies/${council.id}`)).statusCode).toBe(404);
    expect((await request(t.app, cast.adminB, 'POST', url, body)).statusCode).toBe(404);
    expect((await request(t.app, cast.adminB, 'GET', `${v1}/sessions/${created.json().id}`)).statusCode).toBe(
      404,
    );
    // The operator's secretary does not manage a member's council.
    expect((await request(t.app, secretary, 'POST', url, body)).statusCode).toBe(403);
    const bound = await request(t.app, cast.adminA, 'POST', url, {
      ...body,
      agenda: [{ title: 'Adhésion', decision: { kind: 'adopt_pricing', year: 2027 } }],
    });
    expect(bound.statusCode).toBe(400);
    expect(bound.json().errors[0].path).toBe('body.agenda.0.decision');
  });

  it('lets a member designate its delegates to the comité with the designating deliberation', async () => {
    at(MONDAY);
    const db = t.database.db;
    const [document] = await db
      .insert(memberDocuments)
      .values({
        memberId: cast.memberB.id,
        kind: 'deliberation',
        title: 'Délibération désignant les délégués',
        fileName: 'd.pdf',
        mediaType: 'application/pdf',
        sizeBytes: 10,
        sha256: 'x',
        storageKey: `members/${cast.memberB.id}/d.pdf`,
      })
      .returning();
    const url = `/api/v1/members/${cast.memberB.id}/governance/delegates`;
    const designated = await request(t.app, cast.adminB, 'POST', url, {
      designationDocumentId: document.id,
      termStart: '2026-03-01',
      delegates: [
        { kind: 'titular', fullName: 'Claire Titulaire', email: 'claire@test.example' },
        { kind: 'substitute', fullName: 'Paul Suppléant', email: null },
      ],
    });
    expect(designated.statusCode, designated.body).toBe(201);
    const seats = designated.json().seats;
    expect(seats).toHaveLength(2);
    expect(seats[1].substituteForSeatId).toBe(seats[0].id);
    expect(seats[0].designationDocument).toEqual({
      id: document.id,
      title: 'Délibération désignant les délégués',
    });
    const mine = (await request(t.app, cast.adminB, 'GET', url)).json();
    expect(mine.seats.map((s: { fullName: string }) => s.fullName)).toEqual([
      'Claire Titulaire',
      'Paul Suppléant',
    ]);
    expect(
      (
        await request(t.app, cast.adminA, 'POST', url, {
          designationDocumentId: document.id,
          termStart: '2026-03-01',
          delegates: [{ kind: 'titular', fullName: 'X', email: null }],
        })
      ).statusCode,
    ).toBe(403);
    const rows = await db
      .select()
      .from(governanceSeats)
      .where(
        and(eq(governanceSeats.assemblyId, comite.id), eq(governanceSeats.designatedBy, cast.memberB.id)),
      );
    expect(rows).toHaveLength(2);
    const [outbox] = await db.select().from(outboxMails).limit(1);
    expect(outbox).toBeDefined();
  });
});
