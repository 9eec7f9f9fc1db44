import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as clock from '../../../platform/clock.js';
import { createTestApp, request, type Session, type TestApp } from '../../../test/app.js';
import { buildRgpdCast, fullProcessing } from '../rgpd.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildRgpdCast>>;
let base: string;

async function create(session: Session, body: Record<string, unknown>, memberId = cast.communeA.id) {
  const response = await request(t.app, session, 'POST', `/api/v1/members/${memberId}/processings`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildRgpdCast(t);
  base = `/api/v1/members/${cast.communeA.id}/processings`;
});
afterAll(() => t?.close());

describe('POST /api/v1/members/{memberId}/processings', () => {
  it('creates a complete processing with completion 100 and version 1 (member admin)', async () => {
    const body = await create(cast.adminA, fullProcessing());
    expect(body).toMatchObject({
      memberId: cast.communeA.id,
      name: 'Gestion de l’état civil',
      legalBasis: 'legal_obligation',
      status: 'draft',
      completion: 100,
      missingFields: [],
      dpiaRequired: false,
      version: 1,
      templateUpdateAvailable: false,
    });
  });

  it('computes completion from the required fields and names what is missing', async () => {
    const body = await create(cast.dpo, { name: 'Traitement à compléter' });
    expect(body.completion).toBeLessThan(20);
    expect(body.missingFields).toContain('Finalités');
    expect(body.missingFields).toContain('Base légale');
  });

  it('lets a member user holding the rgpd role edit the registry', async () => {
    await create(cast.editorA, fullProcessing({ name: 'Listes électorales' }));
  });

  it('marks a DPIA required from two EDPB criteria', async () => {
    const body = await create(
      cast.dpo,
      fullProcessing({ name: 'Vidéoprotection', dpiaCriteria: ['systematic_monitoring', 'large_scale'] }),
    );
    expect(body.dpiaRequired).toBe(true);
    expect(body.missingFields).toContain('Statut de l’AIPD');
    expect(body.completion).toBeLessThan(100);
  });

  it('refuses « not required » for the DPIA without a reason', async () => {
    const response = await request(
      t.app,
      cast.dpo,
      'POST',
      base,
      fullProcessing({ name: 'Sans motif', dpiaStatus: 'not_required' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'body.dpiaNotRequiredReason', message: expect.stringContaining('pourquoi') },
    ]);
  });

  it('refuses legitimate interest for a commune, with a French explanation', async () => {
    const response = await request(
      t.app,
      cast.adminA,
      'POST',
      base,
      fullProcessing({ legalBasis: 'legitimate_interest' }),
    );
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.errors[0].path).toBe('body.legalBasis');
    expect(body.detail).toMatch(/autorité publique/);
  });

  it('accepts legitimate interest for an SPL (private law)', async () => {
    const body = await create(
      cast.adminSpl,
      fullProcessing({ name: 'Prospection', legalBasis: 'legitimate_interest' }),
      cast.spl.id,
    );
    expect(body.legalBasis).toBe('legitimate_interest');
  });

  it('answers 400 with field paths for invalid bodies', async () => {
    const response = await request(t.app, cast.adminA, 'POST', base, {
      name: '',
      legalBasis: 'whim',
      dpiaCriteria: ['astrology'],
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.legalBasis', 'body.dpiaCriteria.0']));
  });

  it('refuses unknown processors', async () => {
    const response = await request(
      t.app,
      cast.adminA,
      'POST',
      base,
      fullProcessing({ processorIds: ['00000000-0000-4000-8000-000000000000'] }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe('body.processorIds.0');
  });

  it('answers 401 anonymously and 403 to readers, plain agents, other members and non-DPO operator agents', async () => {
    expect((await request(t.app, null, 'POST', base, fullProcessing())).statusCode).toBe(401);
    for (const session of [cast.readerA, cast.agentA, cast.adminB, cast.cyberAgent]) {
      expect((await request(t.app, session, 'POST', base, fullProcessing())).statusCode).toBe(403);
    }
  });
});

describe('GET /api/v1/members/{memberId}/processings', () => {
  it('lists the registry with the issue’s fields, sorted by name, for the DPO and every user of the member', async () => {
    for (const session of [cast.dpo, cast.operatorAdmin, cast.adminA, cast.readerA]) {
      const response = await request(t.app, session, 'GET', base);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.total).toBeGreaterThanOrEqual(4);
      const names = body.items.map((i: { name: string }) => i.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(Object.keys(body.items[0])).toEqual(
        expect.arrayContaining([
          'id',
          'name',
          'purposes',
          'legalBasis',
          'status',
          'completion',
          'dpiaRequired',
        ]),
      );
    }
  });

  it('pages with a cursor and filters by text', async () => {
    const first = (await request(t.app, cast.dpo, 'GET', `${base}?limit=2`)).json();
    expect(first.items).toHaveLength(2);
    const second = (
      await request(t.app, cast.dpo, 'GET', `${base}?limit=2&cursor=${first.nextCursor}`)
    ).json();
    expect(second.items[0].id).not.toBe(first.items[1].id);
    const found = (await request(t.app, cast.dpo, 'GET', `${base}?q=lectorales`)).json();
    expect(found.items.map((i: { name: string }) => i.name)).toEqual(['Listes électorales']);
  });

  it('answers 400 for a bad member id, 401 anonymously, 403 to another member and to non-DPO operator agents', async () => {
    expect((await request(t.app, cast.dpo, 'GET', '/api/v1/members/nope/processings')).statusCode).toBe(400);
    expect((await request(t.app, null, 'GET', base)).statusCode).toBe(401);
    expect((await request(t.app, cast.adminB, 'GET', base)).statusCode).toBe(403);
    expect((await request(t.app, cast.cyberAgent, 'GET', base)).statusCode).toBe(403);
  });

  it('answers 404 for an unknown member', async () => {
    const response = await request(
      t.app,
      cast.dpo,
      'GET',
      '/api/v1/members/00000000-0000-4000-8000-000000000000/processings',
    );
    expect(response.statusCode).toBe(404);
  });
});

describe('one processing: read, change (versioned), delete', () => {
  let id: string;
  beforeAll(async () => {
    id = (await create(cast.adminA, fullProcessing({ name: 'Restauration scolaire' }))).id;
  });

  it('reads it, and 404s when asked under another member', async () => {
    const ok = await request(t.app, cast.readerA, 'GET', `${base}/${id}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('Restauration scolaire');
    const elsewhere = await request(
      t.app,
      cast.dpo,
      'GET',
      `/api/v1/members/${cast.communeB.id}/processings/${id}`,
    );
    expect(elsewhere.statusCode).toBe(404);
    expect((await request(t.app, null, 'GET', `${base}/${id}`)).statusCode).toBe(401);
    expect((await request(t.app, cast.adminB, 'GET', `${base}/${id}`)).statusCode).toBe(403);
  });

  it('versions every change with the field diff and the author', async () => {
    const patched = await request(t.app, cast.editorA, 'PATCH', `${base}/${id}`, {
      purposes: 'Inscriptions, facturation des repas.',
      dataCategories: ['Identité', 'Régime alimentaire'],
      version: 1,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().version).toBe(2);
    const versions = (await request(t.app, cast.readerA, 'GET', `${base}/${id}/versions`)).json();
    expect(versions.total).toBe(2);
    expect(versions.items[0]).toMatchObject({ version: 2, actorName: 'Claude Éditrice' });
    expect(versions.items[0].changes).toEqual([
      {
        field: 'purposes',
        before: 'Tenue des registres d’état civil, délivrance des actes.',
        after: 'Inscriptions, facturation des repas.',
      },
      {
        field: 'dataCategories',
        before: ['Identité', 'Filiation'],
        after: ['Identité', 'Régime alimentaire'],
      },
    ]);
    const v1 = (await request(t.app, cast.dpo, 'GET', `${base}/${id}/versions/1`)).json();
    expect(v1.snapshot.purposes).toBe('Tenue des registres d’état civil, délivrance des actes.');
    expect((await request(t.app, cast.dpo, 'GET', `${base}/${id}/versions/9`)).statusCode).toBe(404);
    expect((await request(t.app, cast.adminB, 'GET', `${base}/${id}/versions`)).statusCode).toBe(403);
    expect((await request(t.app, null, 'GET', `${base}/${id}/versions/1`)).statusCode).toBe(401);
  });

  it('writes no version when nothing changes', async () => {
    const response = await request(t.app, cast.adminA, 'PATCH', `${base}/${id}`, {
      purposes: 'Inscriptions, facturation des repas.',
    });
    expect(response.json().version).toBe(2);
  });

  it('refuses a stale version with 409', async () => {
    const response = await request(t.app, cast.adminA, 'PATCH', `${base}/${id}`, { name: 'X', version: 1 });
    expect(response.statusCode).toBe(409);
  });

  it('sets the review dates when the processing is validated', async () => {
    const response = await request(t.app, cast.dpo, 'PATCH', `${base}/${id}`, { status: 'validated' });
    const body = response.json();
    const today = clock.today();
    expect(body.lastReviewOn).toBe(today);
    expect(body.nextReviewOn).toBe(`${Number(today.slice(0, 4)) + 1}${today.slice(4)}`);
  });

  it('refuses bad patches (400), anonymous (401), readers and other members (403)', async () => {
    expect((await request(t.app, cast.adminA, 'PATCH', `${base}/${id}`, { status: 'done' })).statusCode).toBe(
      400,
    );
    expect(
      (await request(t.app, cast.adminA, 'PATCH', `${base}/${id}`, { legalBasis: 'legitimate_interest' }))
        .statusCode,
    ).toBe(400);
    expect((await request(t.app, null, 'PATCH', `${base}/${id}`, { name: 'X' })).statusCode).toBe(401);
    expect((await request(t.app, cast.readerA, 'PATCH', `${base}/${id}`, { name: 'X' })).statusCode).toBe(
      403,
    );
    expect((await request(t.app, cast.adminB, 'PATCH', `${base}/${id}`, { name: 'X' })).statusCode).toBe(403);
    const elsewhere = await request(
      t.app,
      cast.dpo,
      'PATCH',
      `/api/v1/members/${cast.communeB.id}/processings/${id}`,
      {
        name: 'X',
      },
    );
    expect(elsewhere.statusCode).toBe(404);
  });

  it('deletes it (editor), then 404', async () => {
    expect((await request(t.app, cast.readerA, 'DELETE', `${base}/${id}`)).statusCode).toBe(403);
    expect((await request(t.app, null, 'DELETE', `${base}/${id}`)).statusCode).toBe(401);
    expect((await request(t.app, cast.adminA, 'DELETE', `${base}/not-a-uuid`)).statusCode).toBe(400);
    expect((await request(t.app, cast.adminA, 'DELETE', `${base}/${id}`)).statusCode).toBe(204);
    expect((await request(t.app, cast.adminA, 'GET', `${base}/${id}`)).statusCode).toBe(404);
  });
});

describe('GET /api/v1/members/{memberId}/rgpd/summary', () => {
  it('sums up the registry and tells whether the user may edit it', async () => {
    const asAdmin = (
      await request(t.app, cast.adminA, 'GET', `/api/v1/members/${cast.communeA.id}/rgpd/summary`)
    ).json();
    expect(asAdmin.processings).toBeGreaterThanOrEqual(4);
    expect(asAdmin.completion).toBeGreaterThan(0);
    expect(asAdmin.dpiaRequiredNotDone).toBe(1);
    expect(asAdmin.canEdit).toBe(true);
    const asReader = (
      await request(t.app, cast.readerA, 'GET', `/api/v1/members/${cast.communeA.id}/rgpd/summary`)
    ).json();
    expect(asReader.canEdit).toBe(false);
    const empty = (
      await request(t.app, cast.dpo, 'GET', `/api/v1/members/${cast.communeB.id}/rgpd/summary`)
    ).json();
    expect(empty).toMatchObject({ processings: 0, completion: 0, canEdit: true });
  });

  it('answers 400, 401 and 403 like the registry', async () => {
    expect((await request(t.app, cast.dpo, 'GET', '/api/v1/members/x/rgpd/summary')).statusCode).toBe(400);
    expect(
      (await request(t.app, null, 'GET', `/api/v1/members/${cast.communeA.id}/rgpd/summary`)).statusCode,
    ).toBe(401);
    expect(
      (await request(t.app, cast.adminB, 'GET', `/api/v1/members/${cast.communeA.id}/rgpd/summary`))
        .statusCode,
    ).toBe(403);
  });
});

describe('OpenAPI document', () => {
  it('describes the registry, template, processor and public routes with their schemas', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    for (const path of [
      '/api/v1/members/{memberId}/processings',
      '/api/v1/members/{memberId}/processings/{processingId}/template-update',
      '/api/v1/members/{memberId}/registry.pdf',
      '/api/v1/rgpd/templates',
      '/api/v1/rgpd/templates/{templateId}/apply',
      '/api/v1/rgpd/processors',
      '/api/v1/public/members/{memberId}/registry',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const list = doc.paths['/api/v1/members/{memberId}/processings'].get.responses['200'];
    expect(JSON.stringify(list)).toContain('completion');
  });
});
