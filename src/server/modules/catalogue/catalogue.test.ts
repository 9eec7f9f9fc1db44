import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlonePrice } from '../../../contracts/catalogue.js';
import { auditEvents, catalogueServiceHistory } from '../../platform/db/schema.js';
import type { FieldError } from '../../platform/errors.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { buildSignedInCast, sessionAs } from '../../test/builders.js';
import { buildService } from './catalogue.test-support.js';

type Coded = { code: string };

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let actes: Awaited<ReturnType<typeof buildService>>;
let parapheur: Awaited<ReturnType<typeof buildService>>;

const validInput = (code: string) => ({
  code,
  domain: 'rgpd',
  name: 'DPO mutualisé',
  description: 'Un délégué à la protection des données partagé.',
  included: 'Registre, conseils, demandes de droits.',
  eligibleKinds: ['commune', 'ccas'],
  status: 'open',
  noticeMonths: 6,
  alonePrices: [
    { upToPopulation: 2000, aloneCents: 150_000 },
    { upToPopulation: null, aloneCents: 900_000 },
    { upToPopulation: 500, aloneCents: 90_000 },
  ],
});

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildSignedInCast(t);
  actes = await buildService(t.database.db, {
    code: 'DEMAT-ACTES',
    name: 'Télétransmission des actes',
    description: 'Envoi des actes au contrôle de légalité.',
    alonePrices: [
      { upToPopulation: null, aloneCents: 120_000 },
      { upToPopulation: 1000, aloneCents: 40_000 },
    ],
  });
  parapheur = await buildService(t.database.db, {
    code: 'DEMAT-PARAPHEUR',
    name: 'Parapheur électronique',
    requires: [actes.id],
  });
  await buildService(t.database.db, { code: 'OLD', name: 'Ancien service retiré', status: 'retired' });
  await buildService(t.database.db, { code: 'ETAT-CIVIL', name: 'État civil', domain: 'logiciels_metiers' });
  await buildService(t.database.db, {
    code: 'HEB-WEB',
    name: 'Hébergement de sites',
    domain: 'hebergement',
    status: 'proposed',
  });
});
afterAll(() => t?.close());

describe('GET /api/v1/catalogue/services', () => {
  it('lists services publicly by name (accents aside), without retired ones unless asked', async () => {
    const response = await request(t.app, null, 'GET', '/api/v1/catalogue/services');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.items.map((s: Coded) => s.code)).toEqual([
      'ETAT-CIVIL',
      'HEB-WEB',
      'DEMAT-PARAPHEUR',
      'DEMAT-ACTES',
    ]);
    expect(body.total).toBe(4);
    const retired = (await request(t.app, null, 'GET', '/api/v1/catalogue/services?status=retired')).json();
    expect(retired.items.map((s: Coded) => s.code)).toEqual(['OLD']);
  });

  it('filters by domain and searches without accents', async () => {
    const heb = (await request(t.app, null, 'GET', '/api/v1/catalogue/services?domain=hebergement')).json();
    expect(heb.items.map((s: Coded) => s.code)).toEqual(['HEB-WEB']);
    const search = (
      await request(t.app, null, 'GET', '/api/v1/catalogue/services?q=TELETRANSMISSION')
    ).json();
    expect(search.items.map((s: Coded) => s.code)).toEqual(['DEMAT-ACTES']);
    const legal = (await request(t.app, null, 'GET', '/api/v1/catalogue/services?q=legalite%20actes')).json();
    expect(legal.items.map((s: Coded) => s.code)).toEqual(['DEMAT-ACTES']);
  });

  it('pages with a cursor', async () => {
    const first = (await request(t.app, null, 'GET', '/api/v1/catalogue/services?limit=3')).json();
    expect(first.items).toHaveLength(3);
    expect(first.total).toBe(4);
    const second = (
      await request(t.app, null, 'GET', `/api/v1/catalogue/services?limit=3&cursor=${first.nextCursor}`)
    ).json();
    expect(second.items.map((s: Coded) => s.code)).toEqual(['DEMAT-ACTES']);
    expect(second.nextCursor).toBeNull();
  });

  it('answers 400 with the field path on a bad filter or a forged cursor', async () => {
    const bad = await request(t.app, null, 'GET', '/api/v1/catalogue/services?domain=jardinage');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toEqual({ path: 'query.domain', message: 'domaine inconnu' });
    const forged = Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url');
    const cursor = await request(t.app, null, 'GET', `/api/v1/catalogue/services?cursor=${forged}`);
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().errors[0].path).toBe('query.cursor');
  });
});

describe('GET /api/v1/catalogue/services/{serviceId}', () => {
  it('shows prerequisites both ways and alone prices sorted, open-ended last', async () => {
    const response = await request(t.app, null, 'GET', `/api/v1/catalogue/services/${actes.id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.alonePrices).toEqual([
      { upToPopulation: 1000, aloneCents: 40_000 },
      { upToPopulation: null, aloneCents: 120_000 },
    ]);
    expect(body.requiredBy).toEqual([
      { id: parapheur.id, code: 'DEMAT-PARAPHEUR', name: 'Parapheur électronique' },
    ]);
    expect(body.forCurrentMember).toBeNull();
    const p = (await request(t.app, null, 'GET', `/api/v1/catalogue/services/${parapheur.id}`)).json();
    expect(p.prerequisites.map((s: Coded) => s.code)).toEqual(['DEMAT-ACTES']);
  });

  it('tells a member user whether its structure may request the service, and why not', async () => {
    const body = (
      await request(t.app, cast.readerA, 'GET', `/api/v1/catalogue/services/${parapheur.id}`)
    ).json();
    expect(body.forCurrentMember.eligible).toBe(false);
    expect(body.forCurrentMember.reasons).toEqual([
      "Le service « Parapheur électronique » nécessite une souscription au service « Télétransmission des actes » : demandez-la d'abord.",
    ]);
    const ok = (await request(t.app, cast.readerA, 'GET', `/api/v1/catalogue/services/${actes.id}`)).json();
    expect(ok.forCurrentMember).toEqual({ eligible: true, reasons: [], subscription: null });
    const operator = (
      await request(t.app, cast.operatorAdmin, 'GET', `/api/v1/catalogue/services/${actes.id}`)
    ).json();
    expect(operator.forCurrentMember).toBeNull();
  });

  it('answers 404 for an unknown service and 400 for a malformed id', async () => {
    const missing = await request(
      t.app,
      null,
      'GET',
      '/api/v1/catalogue/services/00000000-0000-4000-8000-000000000000',
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toBe("Ce service n'existe pas dans le catalogue.");
    const bad = await request(t.app, null, 'GET', '/api/v1/catalogue/services/abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('params.serviceId');
  });
});

describe('POST and PATCH /api/v1/catalogue/services', () => {
  it('lets an operator admin create a service with prerequisites, prices, history and audit', async () => {
    const response = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/catalogue/services', {
      ...validInput('rgpd-dpo'),
      prerequisiteIds: [actes.id],
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ code: 'RGPD-DPO', status: 'open', noticeMonths: 6, unitLabel: null });
    expect(body.prerequisites.map((s: Coded) => s.code)).toEqual(['DEMAT-ACTES']);
    expect(body.alonePrices.map((p: AlonePrice) => p.upToPopulation)).toEqual([500, 2000, null]);
    const history = await t.database.db
      .select()
      .from(catalogueServiceHistory)
      .where(eq(catalogueServiceHistory.serviceId, body.id));
    expect(history).toHaveLength(1);
    expect(history[0].changes.prerequisites).toEqual({ before: null, after: ['DEMAT-ACTES'] });
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, body.id));
    expect(audit.map((a) => a.action)).toEqual(['catalogue.service_created']);
  });

  it('refuses a duplicate code with 409 on body.code', async () => {
    const response = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/catalogue/services', {
      ...validInput('DEMAT-ACTES'),
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().errors[0].path).toBe('body.code');
    expect(response.json().detail).toContain('Télétransmission des actes');
  });

  it('validates fields in French with their paths', async () => {
    const response = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/catalogue/services', {
      ...validInput('X-1'),
      eligibleKinds: [],
      noticeMonths: -1,
      alonePrices: [{ upToPopulation: 500, aloneCents: -3 }],
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().errors.map((e: FieldError) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.eligibleKinds',
        'body.noticeMonths',
        'body.alonePrices.0.aloneCents',
        'body.alonePrices',
      ]),
    );
    const messages = response
      .json()
      .errors.map((e: FieldError) => e.message)
      .join(' ');
    expect(messages).toContain('au moins un type de structure éligible');
    expect(messages).toContain('tranche sans limite supérieure');
  });

  it('refuses an unknown prerequisite with its index', async () => {
    const response = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/catalogue/services', {
      ...validInput('X-2'),
      prerequisiteIds: [actes.id, '00000000-0000-4000-8000-000000000000'],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'body.prerequisiteIds.1', message: 'service introuvable' },
    ]);
  });

  it('refuses a prerequisite cycle and names the loop', async () => {
    const response = await request(
      t.app,
      cast.operatorAdmin,
      'PATCH',
      `/api/v1/catalogue/services/${actes.id}`,
      {
        prerequisiteIds: [parapheur.id],
      },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toBe(
      'Prérequis circulaire refusé : « Télétransmission des actes » nécessite « Parapheur électronique » nécessite « Télétransmission des actes ».',
    );
    expect(response.json().errors[0].path).toBe('body.prerequisiteIds.0');
    const self = await request(t.app, cast.operatorAdmin, 'PATCH', `/api/v1/catalogue/services/${actes.id}`, {
      prerequisiteIds: [actes.id],
    });
    expect(self.statusCode).toBe(400);
    const after = (await request(t.app, null, 'GET', `/api/v1/catalogue/services/${actes.id}`)).json();
    expect(after.prerequisites).toEqual([]);
  });

  it('updates fields and prices, writing one history row with before and after', async () => {
    const service = await buildService(t.database.db, { name: 'Messagerie', noticeMonths: 3 });
    const response = await request(
      t.app,
      cast.operatorAdmin,
      'PATCH',
      `/api/v1/catalogue/services/${service.id}`,
      {
        noticeMonths: 6,
        status: 'closed',
        unitLabel: 'boîtes aux lettres',
        alonePrices: [{ upToPopulation: null, aloneCents: 5_000 }],
      },
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      noticeMonths: 6,
      status: 'closed',
      unitLabel: 'boîtes aux lettres',
    });
    const unchanged = await request(
      t.app,
      cast.operatorAdmin,
      'PATCH',
      `/api/v1/catalogue/services/${service.id}`,
      {
        noticeMonths: 6,
      },
    );
    expect(unchanged.statusCode).toBe(200);
    const history = await request(
      t.app,
      cast.operatorAgent,
      'GET',
      `/api/v1/catalogue/services/${service.id}/history`,
    );
    expect(history.statusCode).toBe(200);
    const items = history.json().items;
    expect(items).toHaveLength(1);
    expect(items[0].actor.displayName).toBe('Alex Opérateur');
    expect(items[0].changes).toEqual({
      noticeMonths: { before: 3, after: 6 },
      status: { before: 'open', after: 'closed' },
      unitLabel: { before: null, after: 'boîtes aux lettres' },
      alonePrices: { before: [], after: [{ upToPopulation: null, aloneCents: 5_000 }] },
    });
  });

  it('refuses an empty patch with 400', async () => {
    const response = await request(
      t.app,
      cast.operatorAdmin,
      'PATCH',
      `/api/v1/catalogue/services/${actes.id}`,
      {},
    );
    expect(response.statusCode).toBe(400);
  });

  it('answers 401 to anonymous visitors and 403 to anyone but an operator admin', async () => {
    const anonymous = await request(t.app, null, 'POST', '/api/v1/catalogue/services', validInput('Y-1'));
    expect(anonymous.statusCode).toBe(401);
    const finance = await sessionAs(t, cast.operator, 'agent', ['finance']);
    for (const session of [cast.operatorAgent, finance, cast.adminA]) {
      const post = await request(t.app, session, 'POST', '/api/v1/catalogue/services', validInput('Y-2'));
      expect(post.statusCode).toBe(403);
      const patch = await request(t.app, session, 'PATCH', `/api/v1/catalogue/services/${actes.id}`, {
        name: 'Piraté',
      });
      expect(patch.statusCode).toBe(403);
    }
    expect(
      (await request(t.app, null, 'GET', `/api/v1/catalogue/services/${actes.id}/history`)).statusCode,
    ).toBe(401);
    expect(
      (await request(t.app, cast.adminA, 'GET', `/api/v1/catalogue/services/${actes.id}/history`)).statusCode,
    ).toBe(403);
  });
});
