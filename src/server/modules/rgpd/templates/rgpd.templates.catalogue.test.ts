import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, request, type TestApp } from '../../../test/app.js';
import { buildService } from '../../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../../subscriptions/subscriptions.test-support.js';
import { buildRgpdCast, fullProcessing } from '../rgpd.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildRgpdCast>>;
let serviceId: string;
let templateId: string;
let processorId: string;

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildRgpdCast(t);
  const service = await buildService(t.database.db, { name: 'Portail famille' });
  serviceId = service.id;
  await buildSubscription(t.database.db, { memberId: cast.communeA.id, serviceId });
  const { name, ...fields } = fullProcessing({ name: 'Portail famille — inscriptions' });
  templateId = (
    await request(t.app, cast.dpo, 'POST', '/api/v1/rgpd/templates', {
      code: 'portail-famille',
      name: 'Portail famille',
      fields: { name, ...fields },
    })
  ).json().id;
  processorId = (
    await request(t.app, cast.dpo, 'POST', '/api/v1/rgpd/processors', { name: 'Opérateur', isOperator: true })
  ).json().id;
});
afterAll(() => t?.close());

describe('catalogue services imply templates and processors', () => {
  const url = () => `/api/v1/rgpd/services/${serviceId}/implied`;

  it('lets the DPO name them, and everyone logged in read them', async () => {
    expect((await request(t.app, cast.readerA, 'GET', url())).json()).toEqual({
      serviceId,
      templates: [],
      processors: [],
    });
    const put = await request(t.app, cast.dpo, 'PUT', url(), {
      templateIds: [templateId],
      processorIds: [processorId],
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().templates.map((x: { code: string }) => x.code)).toEqual(['portail-famille']);
    expect((await request(t.app, cast.adminB, 'GET', url())).json().processors).toEqual([
      { id: processorId, name: 'Opérateur' },
    ]);
  });

  it('refuses unknown ids (400), anonymous (401), non-DPO (403), unknown services (404)', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const bad = await request(t.app, cast.dpo, 'PUT', url(), { templateIds: [unknown] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.templateIds.0');
    expect((await request(t.app, null, 'GET', url())).statusCode).toBe(401);
    expect((await request(t.app, null, 'PUT', url(), {})).statusCode).toBe(401);
    expect((await request(t.app, cast.adminA, 'PUT', url(), {})).statusCode).toBe(403);
    expect(
      (await request(t.app, cast.dpo, 'GET', `/api/v1/rgpd/services/${unknown}/implied`)).statusCode,
    ).toBe(404);
  });

  it('offers the subscriber the implied template until it is in its registry', async () => {
    const suggestions = `/api/v1/members/${cast.communeA.id}/rgpd/suggestions`;
    const offered = (await request(t.app, cast.readerA, 'GET', suggestions)).json();
    expect(offered.items).toEqual([
      {
        template: { id: templateId, code: 'portail-famille', name: 'Portail famille' },
        services: [{ id: serviceId, name: 'Portail famille' }],
        processors: [{ id: processorId, name: 'Opérateur' }],
      },
    ]);
    expect(
      (
        await request(t.app, cast.adminB, 'GET', `/api/v1/members/${cast.communeB.id}/rgpd/suggestions`)
      ).json().total,
    ).toBe(0);
    expect((await request(t.app, cast.readerA, 'POST', suggestions, { templateId })).statusCode).toBe(403);
    expect((await request(t.app, cast.adminB, 'POST', suggestions, { templateId })).statusCode).toBe(403);
    expect((await request(t.app, null, 'POST', suggestions, { templateId })).statusCode).toBe(401);
    expect((await request(t.app, cast.editorA, 'POST', suggestions, { templateId: 'x' })).statusCode).toBe(
      400,
    );
    const adopted = await request(t.app, cast.editorA, 'POST', suggestions, { templateId });
    expect(adopted.statusCode, adopted.body).toBe(201);
    expect(adopted.json()).toMatchObject({
      templateId,
      templateVersion: 1,
      processors: [{ id: processorId, name: 'Opérateur' }],
    });
    expect((await request(t.app, cast.readerA, 'GET', suggestions)).json().total).toBe(0);
    expect((await request(t.app, cast.editorA, 'POST', suggestions, { templateId })).statusCode).toBe(409);
    expect((await request(t.app, null, 'GET', suggestions)).statusCode).toBe(401);
    expect((await request(t.app, cast.adminB, 'GET', suggestions)).statusCode).toBe(403);
  });
});
