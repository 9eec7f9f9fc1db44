import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Subscriber,
  type Subscription,
  type SubscriptionEvent,
  terminationEndDate,
} from '../../../contracts/subscriptions.js';
import { today } from '../../platform/clock.js';
import { auditEvents, subscriptions } from '../../platform/db/schema.js';
import type { FieldError } from '../../platform/errors.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildOrganisation, buildSignedInCast, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let finance: Session;
type Service = Awaited<ReturnType<typeof buildService>>;
let actes: Service;
let parapheur: Service;
let ccasOnly: Service;
let proposed: Service;
let perAgent: Service;

const base = (memberId: string) => `/api/v1/members/${memberId}/subscriptions`;

async function ask(session: Session, memberId: string, serviceId: string, extra: object = {}) {
  return request(t.app, session, 'POST', base(memberId), { serviceId, ...extra });
}

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildSignedInCast(t);
  finance = await sessionAs(t, cast.operator, 'agent', ['finance'], 'Fanny Finances');
  const db = t.database.db;
  actes = await buildService(db, {
    code: 'DEMAT-ACTES',
    name: 'Télétransmission des actes',
    noticeMonths: 3,
  });
  parapheur = await buildService(db, {
    code: 'DEMAT-PARAPHEUR',
    name: 'Parapheur électronique',
    noticeMonths: 0,
    requires: [actes.id],
  });
  ccasOnly = await buildService(db, { name: 'Aide sociale en ligne', eligibleKinds: ['ccas', 'commune'] });
  proposed = await buildService(db, { name: 'Coffre-fort numérique', status: 'proposed' });
  perAgent = await buildService(db, { name: 'Logiciel de paie', unitLabel: 'agents' });
});
afterAll(() => t?.close());

describe('a member requests a service', () => {
  it('creates a requested subscription with a dated, attributed event and an audit entry', async () => {
    const response = await ask(cast.adminA, cast.memberA.id, actes.id);
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      memberId: cast.memberA.id,
      memberName: 'Syndicat des eaux A',
      service: { id: actes.id, code: 'DEMAT-ACTES', noticeMonths: 3 },
      status: 'requested',
      requestedOn: today(),
      startDate: null,
      units: null,
    });
    expect(body.events).toEqual([
      expect.objectContaining({
        fromStatus: null,
        toStatus: 'requested',
        effectiveOn: today(),
        actor: { id: cast.adminA.userId, displayName: 'Dominique Référente' },
      }),
    ]);
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, body.id));
    expect(audit.map((a) => [a.action, a.memberId])).toEqual([['subscription.requested', cast.memberA.id]]);
  });

  it('refuses a second live subscription to the same service with 409', async () => {
    const response = await ask(cast.adminA, cast.memberA.id, actes.id);
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toBe(
      '« Syndicat des eaux A » a déjà une souscription au service « Télétransmission des actes » (statut : Demandée).',
    );
  });

  it('names the missing prerequisite, then accepts the request once it is requested', async () => {
    const missing = await ask(cast.adminB, cast.memberB.id, parapheur.id);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().detail).toBe(
      "Le service « Parapheur électronique » nécessite une souscription au service « Télétransmission des actes » : demandez-la d'abord.",
    );
    expect(missing.json().errors[0].path).toBe('body.serviceId');
    const ok = await ask(cast.adminA, cast.memberA.id, parapheur.id);
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('explains kind, service status and membership status refusals', async () => {
    const kind = await ask(cast.adminA, cast.memberA.id, ccasOnly.id);
    expect(kind.statusCode).toBe(422);
    expect(kind.json().detail).toBe(
      "Le service « Aide sociale en ligne » n'est pas proposé aux structures de type « Syndicat intercommunal » (réservé aux types : CCAS / CIAS, Commune).",
    );
    const notOpen = await ask(cast.adminA, cast.memberA.id, proposed.id);
    expect(notOpen.json().detail).toBe(
      "Le service « Coffre-fort numérique » n'est pas encore ouvert aux souscriptions.",
    );
    const prospect = await buildOrganisation(t.database.db, {
      name: 'Commune prospecte',
      status: 'prospect',
    });
    const prospectAdmin = await sessionAs(t, prospect, 'admin');
    const refused = await ask(prospectAdmin, prospect.id, actes.id);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toBe(
      "Seules les structures adhérentes peuvent souscrire un service : « Commune prospecte » est au statut « Prospect ». L'adhésion doit d'abord être effective.",
    );
  });

  it('requires units for per-unit services and refuses them otherwise', async () => {
    const missing = await ask(cast.adminB, cast.memberB.id, perAgent.id);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([{ path: 'body.units', message: "nombre d'agents obligatoire" }]);
    const extra = await ask(cast.adminB, cast.memberB.id, ccasOnly.id, { units: 3 });
    expect(extra.statusCode).toBe(422);
    const useless = await ask(cast.adminB, cast.memberB.id, actes.id, { units: 3 });
    expect(useless.statusCode).toBe(400);
    expect(useless.json().errors[0].path).toBe('body.units');
    const ok = await ask(cast.adminB, cast.memberB.id, perAgent.id, { units: 12 });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().units).toBe(12);
  });

  it('validates the body with field paths', async () => {
    const response = await ask(cast.adminA, cast.memberA.id, 'nope', { units: 0 });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((e: FieldError) => e.path)
        .sort(),
    ).toEqual(['body.serviceId', 'body.units']);
    const unknown = await ask(cast.adminA, cast.memberA.id, '00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([{ path: 'body.serviceId', message: 'service introuvable' }]);
  });

  it('answers 401 anonymously, 403 to other roles and other members; finance may ask on behalf', async () => {
    expect(
      (await request(t.app, null, 'POST', base(cast.memberA.id), { serviceId: perAgent.id })).statusCode,
    ).toBe(401);
    for (const session of [cast.agentA, cast.readerA, cast.adminB, cast.operatorAgent]) {
      expect((await ask(session, cast.memberA.id, perAgent.id, { units: 2 })).statusCode).toBe(403);
    }
    const onBehalf = await ask(finance, cast.memberA.id, perAgent.id, { units: 2 });
    expect(onBehalf.statusCode, onBehalf.body).toBe(201);
    expect(onBehalf.json().events[0].actor.displayName).toBe('Fanny Finances');
  });
});

describe('the operator decides', () => {
  const find = async (memberId: string, serviceId: string) => {
    const [row] = await t.database.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.memberId, memberId), eq(subscriptions.serviceId, serviceId)));
    return row;
  };
  const act = (session: Session | null, memberId: string, id: string, verb: string, body: object) =>
    request(t.app, session, 'POST', `${base(memberId)}/${id}/${verb}`, body);

  it('accepts a dependent service only after its prerequisite, and not before it starts', async () => {
    const p = await find(cast.memberA.id, parapheur.id);
    const a = await find(cast.memberA.id, actes.id);
    const early = await act(finance, cast.memberA.id, p.id, 'accept', { startDate: '2026-03-01' });
    expect(early.statusCode).toBe(422);
    expect(early.json().detail).toBe(
      "« Parapheur électronique » nécessite « Télétransmission des actes » : la souscription de « Syndicat des eaux A » à « Télétransmission des actes » doit d'abord être acceptée.",
    );
    const accepted = await act(finance, cast.memberA.id, a.id, 'accept', { startDate: '2026-03-01' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'active', startDate: '2026-03-01' });
    expect(accepted.json().events.map((e: SubscriptionEvent) => e.toStatus)).toEqual(['active', 'requested']);
    const before = await act(finance, cast.memberA.id, p.id, 'accept', { startDate: '2026-02-01' });
    expect(before.statusCode).toBe(422);
    expect(before.json().detail).toContain('ne démarre que le 01/03/2026');
    expect(before.json().errors[0].path).toBe('body.startDate');
    const ok = await act(cast.operatorAdmin, cast.memberA.id, p.id, 'accept', { startDate: '2026-04-01' });
    expect(ok.statusCode).toBe(200);
    const again = await act(cast.operatorAdmin, cast.memberA.id, p.id, 'accept', { startDate: '2026-04-01' });
    expect(again.statusCode).toBe(422);
    expect(again.json().detail).toBe(
      "Impossible d'accepter : la souscription est « Active » (attendu : « Demandée »).",
    );
  });

  it('refuses with a reason, after which the member may ask again', async () => {
    const s = await find(cast.memberB.id, perAgent.id);
    const noReason = await act(finance, cast.memberB.id, s.id, 'refuse', {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].path).toBe('body.reason');
    const refused = await act(finance, cast.memberB.id, s.id, 'refuse', { reason: 'Convention non signée.' });
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'refused', refusalReason: 'Convention non signée.' });
    expect(refused.json().events[0]).toMatchObject({ toStatus: 'refused', note: 'Convention non signée.' });
    expect((await ask(cast.adminB, cast.memberB.id, perAgent.id, { units: 5 })).statusCode).toBe(201);
  });

  it('validates the start date and keeps decisions to operator admins and finance agents', async () => {
    const s = await find(cast.memberB.id, perAgent.id);
    const live = await t.database.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.memberId, cast.memberB.id), eq(subscriptions.status, 'requested')));
    const id = live[0].id;
    expect(s).toBeDefined();
    const bad = await act(finance, cast.memberB.id, id, 'accept', { startDate: '01/03/2026' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toEqual({
      path: 'body.startDate',
      message: 'date attendue au format AAAA-MM-JJ',
    });
    expect((await act(null, cast.memberB.id, id, 'accept', { startDate: '2026-01-01' })).statusCode).toBe(
      401,
    );
    for (const session of [cast.operatorAgent, cast.adminB, cast.adminA]) {
      expect(
        (await act(session, cast.memberB.id, id, 'accept', { startDate: '2026-01-01' })).statusCode,
      ).toBe(403);
      expect((await act(session, cast.memberB.id, id, 'refuse', { reason: 'Non merci' })).statusCode).toBe(
        403,
      );
    }
    const wrongMember = await act(finance, cast.memberA.id, id, 'accept', { startDate: '2026-01-01' });
    expect(wrongMember.statusCode).toBe(404);
  });

  it('terminates at the end of the notice period, dependents first, and the operator confirms', async () => {
    const a = await find(cast.memberA.id, actes.id);
    const p = await find(cast.memberA.id, parapheur.id);
    const blocked = await act(cast.adminA, cast.memberA.id, a.id, 'terminate', {});
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().detail).toContain(
      "Le service « Parapheur électronique » dépend de « Télétransmission des actes » : résiliez d'abord « Parapheur électronique »",
    );
    expect((await act(cast.agentA, cast.memberA.id, p.id, 'terminate', {})).statusCode).toBe(403);
    expect((await act(cast.adminB, cast.memberA.id, p.id, 'terminate', {})).statusCode).toBe(403);
    const pEnd = terminationEndDate(today(), 0, '2026-04-01');
    const first = await act(cast.adminA, cast.memberA.id, p.id, 'terminate', {
      note: 'Changement de logiciel.',
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'termination_requested', endDate: pEnd });
    expect(first.json().events[0].note).toMatch(
      /^Préavis de 0 mois : fin le \d{2}\/\d{2}\/\d{4}\. Changement de logiciel\.$/,
    );
    const second = await act(cast.adminA, cast.memberA.id, a.id, 'terminate', {});
    expect(second.statusCode).toBe(200);
    expect(second.json().endDate).toBe(terminationEndDate(today(), 3, '2026-03-01'));

    expect((await act(cast.adminA, cast.memberA.id, p.id, 'confirm-termination', {})).statusCode).toBe(403);
    const tooEarly = await act(finance, cast.memberA.id, p.id, 'confirm-termination', {
      endDate: '2026-01-31',
    });
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.json().errors[0].path).toBe('body.endDate');
    const confirmed = await act(finance, cast.memberA.id, p.id, 'confirm-termination', {});
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'terminated', endDate: pEnd });
    expect(confirmed.json().events.map((e: SubscriptionEvent) => e.toStatus)).toEqual([
      'terminated',
      'termination_requested',
      'active',
      'requested',
    ]);
    expect(confirmed.json().events[0]).toMatchObject({
      effectiveOn: pEnd,
      actor: { displayName: 'Fanny Finances' },
    });
  });

  it('lets the member declare units of a per-unit service, as an event', async () => {
    const [s] = await t.database.db
      .select()
      .from(subscriptions)
      .where(and(eq(subscriptions.memberId, cast.memberB.id), eq(subscriptions.status, 'requested')));
    const url = `${base(cast.memberB.id)}/${s.id}`;
    expect((await request(t.app, cast.readerA, 'PATCH', url, { units: 7 })).statusCode).toBe(403);
    expect((await request(t.app, cast.adminB, 'PATCH', url, { units: 0 })).statusCode).toBe(400);
    const response = await request(t.app, cast.adminB, 'PATCH', url, { units: 7 });
    expect(response.statusCode).toBe(200);
    expect(response.json().units).toBe(7);
    expect(response.json().events[0].note).toBe('Nombre de agents déclaré : 5 → 7.');
  });
});

describe('reading subscriptions', () => {
  it('shows a member its subscriptions, to all its users and the operator, not to others', async () => {
    for (const session of [cast.adminA, cast.readerA, cast.operatorAgent]) {
      const response = await request(t.app, session, 'GET', base(cast.memberA.id));
      expect(response.statusCode).toBe(200);
      expect(response.json().items.every((s: Subscription) => s.memberId === cast.memberA.id)).toBe(true);
      expect(response.json().total).toBe(3);
    }
    expect((await request(t.app, cast.adminB, 'GET', base(cast.memberA.id))).statusCode).toBe(403);
    expect((await request(t.app, null, 'GET', base(cast.memberA.id))).statusCode).toBe(401);
    const [own] = (await request(t.app, cast.adminA, 'GET', base(cast.memberA.id))).json().items;
    expect((await request(t.app, cast.adminB, 'GET', `${base(cast.memberA.id)}/${own.id}`)).statusCode).toBe(
      403,
    );
    expect((await request(t.app, cast.adminB, 'GET', `${base(cast.memberB.id)}/${own.id}`)).statusCode).toBe(
      404,
    );
    expect((await request(t.app, cast.readerA, 'GET', `${base(cast.memberA.id)}/${own.id}`)).statusCode).toBe(
      200,
    );
  });

  it('answers 404 for an unknown member and 400 for a malformed id', async () => {
    const unknown = await request(
      t.app,
      cast.operatorAgent,
      'GET',
      base('00000000-0000-4000-8000-000000000000'),
    );
    expect(unknown.statusCode).toBe(404);
    const bad = await request(t.app, cast.operatorAgent, 'GET', base('abc'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('params.memberId');
  });

  it('gives the operator a queue, oldest first, page by page', async () => {
    const first = await request(
      t.app,
      cast.operatorAgent,
      'GET',
      '/api/v1/subscriptions?status=requested&limit=1',
    );
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.total).toBeGreaterThanOrEqual(2);
    const seen = [...body.items];
    let cursor = body.nextCursor;
    while (cursor) {
      const page = (
        await request(
          t.app,
          cast.operatorAgent,
          'GET',
          `/api/v1/subscriptions?status=requested&limit=1&cursor=${cursor}`,
        )
      ).json();
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(body.total);
    expect(new Set(seen.map((s) => s.id)).size).toBe(body.total);
    expect(seen.every((s) => s.status === 'requested')).toBe(true);
    const created = seen.map((s) => s.createdAt);
    expect([...created].sort()).toEqual(created);
    const byMember = (
      await request(t.app, cast.operatorAgent, 'GET', `/api/v1/subscriptions?memberId=${cast.memberB.id}`)
    ).json();
    expect(byMember.items.every((s: Subscription) => s.memberId === cast.memberB.id)).toBe(true);
    expect((await request(t.app, cast.adminA, 'GET', '/api/v1/subscriptions')).statusCode).toBe(403);
    expect((await request(t.app, null, 'GET', '/api/v1/subscriptions')).statusCode).toBe(401);
    const bad = await request(t.app, cast.operatorAgent, 'GET', '/api/v1/subscriptions?status=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.status');
    const forged = Buffer.from(
      JSON.stringify(['yesterday', '00000000-0000-4000-8000-000000000000']),
    ).toString('base64url');
    expect(
      (await request(t.app, cast.operatorAgent, 'GET', `/api/v1/subscriptions?cursor=${forged}`)).statusCode,
    ).toBe(400);
  });

  it('lists and exports the subscribers of a service for the operator', async () => {
    const url = `/api/v1/catalogue/services/${actes.id}/subscribers`;
    const response = await request(t.app, cast.operatorAgent, 'GET', url);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.items.map((s: Subscriber) => [s.memberName, s.status])).toEqual([
      ['Syndicat des eaux A', 'termination_requested'],
    ]);
    expect(body.items[0]).toMatchObject({
      kind: 'syndicat_intercommunal',
      population: 1000,
      startDate: '2026-03-01',
    });
    const terminated = (
      await request(
        t.app,
        cast.operatorAgent,
        'GET',
        `/api/v1/catalogue/services/${parapheur.id}/subscribers?status=terminated`,
      )
    ).json();
    expect(terminated.total).toBe(1);

    const csv = await request(t.app, cast.operatorAgent, 'GET', `${url}.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/souscripteurs-demat-actes-\d{4}-\d{2}-\d{2}\.csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0].split(';').slice(0, 3)).toEqual(['Structure', 'Type', 'SIREN']);
    expect(lines[1]).toContain('Syndicat des eaux A;Syndicat intercommunal;');
    expect(lines[1]).toContain('Résiliation demandée;');

    const xlsx = await request(
      t.app,
      cast.operatorAgent,
      'GET',
      `/api/v1/catalogue/services/${perAgent.id}/subscribers.xlsx`,
    );
    expect(xlsx.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(xlsx.rawPayload).buffer);
    const sheet = workbook.getWorksheet('Souscripteurs');
    expect(sheet?.getRow(1).values).toContain('Nombre de agents');
    expect(sheet?.rowCount).toBe(3);

    for (const path of [url, `${url}.csv`, `${url}.xlsx`]) {
      expect((await request(t.app, cast.adminA, 'GET', path)).statusCode).toBe(403);
      expect((await request(t.app, null, 'GET', path)).statusCode).toBe(401);
    }
    const unknown = '/api/v1/catalogue/services/00000000-0000-4000-8000-000000000000/subscribers';
    expect((await request(t.app, cast.operatorAgent, 'GET', unknown)).statusCode).toBe(404);
    expect((await request(t.app, cast.operatorAgent, 'GET', `${url}?limit=0`)).json().errors[0].path).toBe(
      'query.limit',
    );
  });
});

it('documents every catalogue and subscription route in the OpenAPI document', async () => {
  const paths = Object.keys((await request(t.app, null, 'GET', '/api/v1/openapi.json')).json().paths);
  expect(paths).toEqual(
    expect.arrayContaining([
      '/api/v1/catalogue/services',
      '/api/v1/catalogue/services/{serviceId}',
      '/api/v1/catalogue/services/{serviceId}/history',
      '/api/v1/members/{memberId}/subscriptions',
      '/api/v1/members/{memberId}/subscriptions/{subscriptionId}',
      '/api/v1/members/{memberId}/subscriptions/{subscriptionId}/accept',
      '/api/v1/members/{memberId}/subscriptions/{subscriptionId}/refuse',
      '/api/v1/members/{memberId}/subscriptions/{subscriptionId}/terminate',
      '/api/v1/members/{memberId}/subscriptions/{subscriptionId}/confirm-termination',
      '/api/v1/subscriptions',
      '/api/v1/catalogue/services/{serviceId}/subscribers',
      '/api/v1/catalogue/services/{serviceId}/subscribers.csv',
      '/api/v1/catalogue/services/{serviceId}/subscribers.xlsx',
      '/api/v1/catalogue/services/{serviceId}/bulk-subscriptions',
    ]),
  );
});
