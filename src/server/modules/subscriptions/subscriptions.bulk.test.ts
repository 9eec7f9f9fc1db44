import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkReportItem } from '../../../contracts/subscriptions.js';
import { subscriptionEvents, subscriptions } from '../../platform/db/schema.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildOrganisation, buildSignedInCast, sessionAs } from '../../test/builders.js';
import { SAMPLE } from '../../test/territory-sample.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from './subscriptions.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let finance: Session;
type Service = Awaited<ReturnType<typeof buildService>>;
let actes: Service;
let proposed: Service;

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildSignedInCast(t);
  finance = await sessionAs(t, cast.operator, 'agent', ['finance'], 'Fanny Finances');
  actes = await buildService(t.database.db, {
    code: 'DEMAT-ACTES',
    name: 'Télétransmission des actes',
    noticeMonths: 3,
  });
  proposed = await buildService(t.database.db, { name: 'Coffre-fort numérique', status: 'proposed' });
});
afterAll(() => t?.close());

describe('bulk subscriptions', () => {
  let laRoche: { id: string };
  let agglo: { id: string };
  let ccas: { id: string };
  let service: Service;
  const url = () => `/api/v1/catalogue/services/${service.id}/bulk-subscriptions`;

  beforeAll(async () => {
    const db = t.database.db;
    laRoche = await buildOrganisation(db, {
      kind: 'commune',
      name: 'La Roche-sur-Yon',
      communeCode: SAMPLE.laRocheSurYon,
      status: 'member',
    });
    agglo = await buildOrganisation(db, {
      kind: 'epci',
      name: 'La Roche-sur-Yon Agglomération',
      epciCode: SAMPLE.epciLaRoche,
      status: 'member',
    });
    ccas = await buildOrganisation(db, {
      kind: 'ccas',
      name: 'CCAS de La Roche-sur-Yon',
      communeCode: SAMPLE.laRocheSurYon,
      status: 'prospect',
    });
    await buildSubscription(db, { memberId: agglo.id, serviceId: actes.id });
    service = await buildService(db, {
      name: 'Archivage électronique',
      eligibleKinds: ['commune', 'epci'],
      requires: [actes.id],
    });
  });

  it('previews with dryRun and writes nothing', async () => {
    const response = await request(t.app, finance, 'POST', url(), {
      epciCode: SAMPLE.epciLaRoche,
      startDate: '2026-01-01',
      dryRun: true,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ dryRun: true, created: 1, skipped: 2 });
    const rows = await t.database.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.serviceId, service.id));
    expect(rows).toEqual([]);
  });

  it('subscribes an EPCI’s structures in one action and reports each one', async () => {
    const response = await request(t.app, finance, 'POST', url(), {
      epciCode: SAMPLE.epciLaRoche,
      startDate: '2026-01-01',
    });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({
      serviceId: service.id,
      startDate: '2026-01-01',
      dryRun: false,
      created: 1,
      skipped: 2,
    });
    const byId = new Map<string, BulkReportItem>(report.items.map((i: BulkReportItem) => [i.memberId, i]));
    expect(byId.get(agglo.id)).toMatchObject({ outcome: 'created', reason: null });
    expect(byId.get(laRoche.id)).toMatchObject({
      outcome: 'skipped',
      reason:
        "« Archivage électronique » nécessite « Télétransmission des actes » : la souscription de « La Roche-sur-Yon » à « Télétransmission des actes » doit d'abord être acceptée.",
    });
    const ccasReason = byId.get(ccas.id)?.reason;
    expect(ccasReason).toContain('« Prospect »');
    expect(ccasReason).toContain("n'est pas proposé aux structures de type « CCAS / CIAS »");
    const created = byId.get(agglo.id)?.subscriptionId;
    if (!created) throw new Error('the agglomeration was not subscribed');
    const events = await t.database.db
      .select()
      .from(subscriptionEvents)
      .where(eq(subscriptionEvents.subscriptionId, created));
    expect(events).toMatchObject([{ fromStatus: null, toStatus: 'active', effectiveOn: '2026-01-01' }]);
    const again = (
      await request(t.app, finance, 'POST', url(), { memberIds: [agglo.id], startDate: '2026-01-01' })
    ).json();
    expect(again.items).toEqual([
      expect.objectContaining({
        memberId: agglo.id,
        outcome: 'skipped',
        reason: 'Déjà souscrit (statut : Active).',
      }),
    ]);
  });

  it('reports unknown ids and filters by kind', async () => {
    const response = await request(t.app, cast.operatorAdmin, 'POST', url(), {
      memberIds: [laRoche.id, '00000000-0000-4000-8000-000000000000'],
      kind: 'epci',
      startDate: '2026-01-01',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ created: 0, skipped: 2 });
    expect(response.json().items).toEqual([
      expect.objectContaining({
        memberId: laRoche.id,
        outcome: 'skipped',
        reason: 'Type « Commune » hors du filtre demandé.',
      }),
      expect.objectContaining({
        memberId: '00000000-0000-4000-8000-000000000000',
        outcome: 'skipped',
        reason: 'Aucune structure adhérente ne porte cet identifiant.',
      }),
    ]);
  });

  it('validates the selection, refuses a closed service, and is for admins and finance only', async () => {
    const two = await request(t.app, finance, 'POST', url(), {
      epciCode: SAMPLE.epciLaRoche,
      departement: '85',
      startDate: '2026-01-01',
    });
    expect(two.statusCode).toBe(400);
    expect(two.json().errors[0]).toEqual({
      path: 'body.memberIds',
      message: 'choisissez exactement un critère : memberIds, epciCode ou departement',
    });
    const noDate = await request(t.app, finance, 'POST', url(), { departement: '85' });
    expect(noDate.json().errors[0].path).toBe('body.startDate');
    const closedUrl = `/api/v1/catalogue/services/${proposed.id}/bulk-subscriptions`;
    const closed = await request(t.app, finance, 'POST', closedUrl, {
      departement: '85',
      startDate: '2026-01-01',
    });
    expect(closed.statusCode).toBe(422);
    expect(closed.json().detail).toBe(
      "Le service « Coffre-fort numérique » n'est pas encore ouvert aux souscriptions.",
    );
    const body = { departement: '85', startDate: '2026-01-01' };
    expect((await request(t.app, null, 'POST', url(), body)).statusCode).toBe(401);
    for (const session of [cast.operatorAgent, cast.adminA]) {
      expect((await request(t.app, session, 'POST', url(), body)).statusCode).toBe(403);
    }
  });
});
