import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, request, type TestApp } from '../../../test/app.js';
import { buildRgpdCast, fullProcessing } from '../rgpd.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildRgpdCast>>;
const PROCESSORS = '/api/v1/rgpd/processors';
let processorId: string;

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildRgpdCast(t);
});
afterAll(() => t?.close());

describe('shared processor directory', () => {
  it('lets the DPO add a processor', async () => {
    const response = await request(t.app, cast.dpo, 'POST', PROCESSORS, {
      name: 'Syndicat mixte e-Collectivités',
      siren: '200012345',
      contractClausesChecked: true,
      ownRegistry: true,
      dpoContact: 'dpo@e-collectivites.example',
      isOperator: true,
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      isOperator: true,
      linkedProcessings: 0,
      transfersOutsideEu: false,
    });
    processorId = response.json().id;
  });

  it('refuses bad bodies (400), anonymous (401), members and non-DPO operator agents (403)', async () => {
    expect((await request(t.app, cast.dpo, 'POST', PROCESSORS, { name: 'X', siren: '12' })).statusCode).toBe(
      400,
    );
    expect((await request(t.app, null, 'POST', PROCESSORS, { name: 'X' })).statusCode).toBe(401);
    for (const s of [cast.adminA, cast.cyberAgent]) {
      expect((await request(t.app, s, 'POST', PROCESSORS, { name: 'X' })).statusCode).toBe(403);
      expect(
        (await request(t.app, s, 'PATCH', `${PROCESSORS}/${processorId}`, { name: 'X' })).statusCode,
      ).toBe(403);
      expect((await request(t.app, s, 'DELETE', `${PROCESSORS}/${processorId}`)).statusCode).toBe(403);
    }
  });

  it('is readable by every logged-in user, not anonymously', async () => {
    const list = await request(t.app, cast.readerA, 'GET', `${PROCESSORS}?q=collectivit`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((p: { name: string }) => p.name)).toEqual([
      'Syndicat mixte e-Collectivités',
    ]);
    expect((await request(t.app, cast.adminB, 'GET', `${PROCESSORS}/${processorId}`)).statusCode).toBe(200);
    expect((await request(t.app, null, 'GET', PROCESSORS)).statusCode).toBe(401);
    expect((await request(t.app, null, 'GET', `${PROCESSORS}/${processorId}`)).statusCode).toBe(401);
    expect((await request(t.app, cast.dpo, 'GET', `${PROCESSORS}/nope`)).statusCode).toBe(400);
  });

  it('is linked to a member’s processings, and cannot be deleted while linked (409)', async () => {
    const processing = (
      await request(
        t.app,
        cast.adminA,
        'POST',
        `/api/v1/members/${cast.communeA.id}/processings`,
        fullProcessing({ processorIds: [processorId] }),
      )
    ).json();
    expect(processing.processors).toEqual([{ id: processorId, name: 'Syndicat mixte e-Collectivités' }]);
    const updated = await request(t.app, cast.dpo, 'PATCH', `${PROCESSORS}/${processorId}`, {
      transfersOutsideEu: true,
      transferDetails: 'Support hébergé au Canada (décision d’adéquation).',
    });
    expect(updated.json()).toMatchObject({ transfersOutsideEu: true, linkedProcessings: 1 });
    expect((await request(t.app, cast.dpo, 'DELETE', `${PROCESSORS}/${processorId}`)).statusCode).toBe(409);
    await request(
      t.app,
      cast.adminA,
      'PATCH',
      `/api/v1/members/${cast.communeA.id}/processings/${processing.id}`,
      {
        processorIds: [],
      },
    );
    expect((await request(t.app, cast.dpo, 'DELETE', `${PROCESSORS}/${processorId}`)).statusCode).toBe(204);
    expect((await request(t.app, cast.dpo, 'GET', `${PROCESSORS}/${processorId}`)).statusCode).toBe(404);
    expect(
      (await request(t.app, cast.dpo, 'PATCH', `${PROCESSORS}/${processorId}`, { name: 'Y' })).statusCode,
    ).toBe(404);
  });
});

describe('DPO designation', () => {
  const url = () => `/api/v1/members/${cast.communeA.id}/rgpd/designation`;

  it('is empty until recorded, then kept (DPO or member admin)', async () => {
    expect((await request(t.app, cast.readerA, 'GET', url())).json()).toMatchObject({
      cnilNumber: null,
      updatedAt: null,
    });
    const put = await request(t.app, cast.adminA, 'PUT', url(), {
      cnilNumber: 'DPO-12345',
      designatedOn: '2024-05-02',
      dpoName: 'Syndicat mixte e-Collectivités',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ cnilNumber: 'DPO-12345', designatedOn: '2024-05-02' });
    const again = await request(t.app, cast.dpo, 'PUT', url(), {
      cnilNumber: 'DPO-12346',
      designatedOn: '2024-05-03',
      dpoName: 'Syndicat mixte e-Collectivités',
    });
    expect(again.json().cnilNumber).toBe('DPO-12346');
  });

  it('refuses bad dates (400), anonymous (401), editors, readers and other members (403)', async () => {
    expect((await request(t.app, cast.adminA, 'PUT', url(), { designatedOn: '2024-02-30' })).statusCode).toBe(
      400,
    );
    expect((await request(t.app, null, 'PUT', url(), {})).statusCode).toBe(401);
    expect((await request(t.app, null, 'GET', url())).statusCode).toBe(401);
    for (const s of [cast.editorA, cast.readerA, cast.adminB]) {
      expect((await request(t.app, s, 'PUT', url(), {})).statusCode).toBe(403);
    }
    expect((await request(t.app, cast.adminB, 'GET', url())).statusCode).toBe(403);
  });
});

describe('member rgpd role (editors)', () => {
  const url = (userId = '') =>
    `/api/v1/members/${cast.communeA.id}/rgpd/editors${userId ? `/${userId}` : ''}`;

  it('lists editors, grants the role to a user of the member and revokes it', async () => {
    const before = (await request(t.app, cast.readerA, 'GET', url())).json();
    expect(before.items.map((e: { displayName: string }) => e.displayName)).toEqual(['Claude Éditrice']);
    expect(
      (
        await request(
          t.app,
          cast.readerA,
          'PATCH',
          `/api/v1/members/${cast.communeA.id}/processings/00000000-0000-4000-8000-000000000000`,
          { name: 'x' },
        )
      ).statusCode,
    ).toBe(403);
    const granted = await request(t.app, cast.adminA, 'PUT', url(cast.readerA.userId));
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json().total).toBe(2);
    const created = await request(
      t.app,
      cast.readerA,
      'POST',
      `/api/v1/members/${cast.communeA.id}/processings`,
      {
        name: 'Créé par une lectrice promue',
      },
    );
    expect(created.statusCode).toBe(201);
    expect((await request(t.app, cast.dpo, 'DELETE', url(cast.readerA.userId))).statusCode).toBe(204);
    expect((await request(t.app, cast.dpo, 'DELETE', url(cast.readerA.userId))).statusCode).toBe(404);
  });

  it('refuses users outside the member (422), bad ids (400), anonymous (401), non-admins and other members (403)', async () => {
    expect((await request(t.app, cast.adminA, 'PUT', url(cast.adminB.userId))).statusCode).toBe(422);
    expect((await request(t.app, cast.adminA, 'PUT', url('nope'))).statusCode).toBe(400);
    expect((await request(t.app, null, 'PUT', url(cast.agentA.userId))).statusCode).toBe(401);
    expect((await request(t.app, null, 'GET', url())).statusCode).toBe(401);
    for (const s of [cast.editorA, cast.agentA, cast.adminB, cast.cyberAgent]) {
      expect((await request(t.app, s, 'PUT', url(cast.agentA.userId))).statusCode).toBe(403);
      expect((await request(t.app, s, 'DELETE', url(cast.editorA.userId))).statusCode).toBe(403);
    }
    expect((await request(t.app, cast.adminB, 'GET', url())).statusCode).toBe(403);
  });
});
