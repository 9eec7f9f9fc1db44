import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../platform/db/schema.js';
import { createTestApp, request, type TestApp } from '../../../test/app.js';
import { buildOrganisation } from '../../../test/builders.js';
import { SAMPLE } from '../../../test/territory-sample.js';
import { buildRgpdCast, fullProcessing } from '../rgpd.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildRgpdCast>>;
let templateId: string;
const TEMPLATES = '/api/v1/rgpd/templates';

const templateBody = (code = 'etat-civil') => {
  const { name, ...fields } = fullProcessing();
  return { code, name: 'État civil', applicableKinds: ['commune'], fields: { name, ...fields } };
};

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildRgpdCast(t);
});
afterAll(() => t?.close());

describe('template library', () => {
  it('lets the DPO create a template (version 1)', async () => {
    const response = await request(t.app, cast.dpo, 'POST', TEMPLATES, templateBody());
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({
      code: 'etat-civil',
      version: 1,
      linkedProcessings: 0,
      applicableKinds: ['commune'],
    });
    expect(body.fields.retention).toHaveLength(1);
    templateId = body.id;
  });

  it('refuses a duplicate code (409), bad bodies (400), legitimate interest for public bodies (400)', async () => {
    expect((await request(t.app, cast.dpo, 'POST', TEMPLATES, templateBody())).statusCode).toBe(409);
    const bad = await request(t.app, cast.dpo, 'POST', TEMPLATES, { code: 'A B', name: '', fields: {} });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['body.code', 'body.name', 'body.fields.name']),
    );
    const li = templateBody('li');
    li.fields.legalBasis = 'legitimate_interest';
    const refused = await request(t.app, cast.dpo, 'POST', TEMPLATES, li);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('body.fields.legalBasis');
  });

  it('refuses template writes to anonymous (401) and to non-DPO people (403)', async () => {
    expect((await request(t.app, null, 'POST', TEMPLATES, templateBody('x1'))).statusCode).toBe(401);
    for (const s of [cast.adminA, cast.cyberAgent, cast.editorA]) {
      expect((await request(t.app, s, 'POST', TEMPLATES, templateBody('x2'))).statusCode).toBe(403);
      expect((await request(t.app, s, 'PATCH', `${TEMPLATES}/${templateId}`, { name: 'X' })).statusCode).toBe(
        403,
      );
      expect(
        (await request(t.app, s, 'POST', `${TEMPLATES}/${templateId}/apply`, { departement: '85' }))
          .statusCode,
      ).toBe(403);
    }
  });

  it('lists and reads templates for every logged-in user, filtered by kind; 401 anonymously', async () => {
    const list = (await request(t.app, cast.readerA, 'GET', TEMPLATES)).json();
    expect(list.items.map((i: { code: string }) => i.code)).toEqual(['etat-civil']);
    expect((await request(t.app, cast.readerA, 'GET', `${TEMPLATES}?kind=ccas`)).json().total).toBe(0);
    expect((await request(t.app, cast.readerA, 'GET', `${TEMPLATES}?kind=martian`)).statusCode).toBe(400);
    expect((await request(t.app, cast.adminB, 'GET', `${TEMPLATES}/${templateId}`)).statusCode).toBe(200);
    expect((await request(t.app, null, 'GET', TEMPLATES)).statusCode).toBe(401);
    expect((await request(t.app, null, 'GET', `${TEMPLATES}/${templateId}`)).statusCode).toBe(401);
    expect(
      (await request(t.app, cast.dpo, 'GET', `${TEMPLATES}/00000000-0000-4000-8000-000000000000`)).statusCode,
    ).toBe(404);
  });
});

describe('POST /api/v1/rgpd/templates/{id}/apply', () => {
  it('applies to the communes of a département in one go and reports per member', async () => {
    const response = await request(t.app, cast.dpo, 'POST', `${TEMPLATES}/${templateId}/apply`, {
      departement: '85',
      kind: 'commune',
    });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report.created).toBe(2);
    expect(
      report.members.map((m: { memberName: string; outcome: string }) => [m.memberName, m.outcome]),
    ).toEqual([
      ['Aizenay', 'created'],
      ['La Roche-sur-Yon', 'created'],
    ]);
    const list = (
      await request(t.app, cast.adminA, 'GET', `/api/v1/members/${cast.communeA.id}/processings`)
    ).json();
    expect(list.items[0]).toMatchObject({ name: 'Gestion de l’état civil', templateId, status: 'draft' });
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'rgpd.template.apply'));
    expect(audit).toHaveLength(1);
  });

  it('skips members that already have it, kinds it does not suit and unknown ids', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const report = (
      await request(t.app, cast.dpo, 'POST', `${TEMPLATES}/${templateId}/apply`, {
        memberIds: [cast.communeA.id, cast.spl.id, unknown],
      })
    ).json();
    expect(report.created).toBe(0);
    expect(report.members.map((m: { outcome: string }) => m.outcome)).toEqual([
      'already_present',
      'not_applicable',
      'not_found',
    ]);
  });

  it('selects by EPCI', async () => {
    const other = await buildOrganisation(t.database.db, {
      name: 'Commune de l’agglo',
      kind: 'commune',
      communeCode: SAMPLE.aiguillon,
      epciCode: SAMPLE.epciLaRoche,
    });
    const report = (
      await request(t.app, cast.dpo, 'POST', `${TEMPLATES}/${templateId}/apply`, {
        epciCode: SAMPLE.epciLaRoche,
      })
    ).json();
    expect(report.members.find((m: { memberId: string }) => m.memberId === other.id).outcome).toBe('created');
    expect(report.created).toBe(1);
  });

  it('answers 400 without a target, 401 anonymously, 404 for an unknown template', async () => {
    expect((await request(t.app, cast.dpo, 'POST', `${TEMPLATES}/${templateId}/apply`, {})).statusCode).toBe(
      400,
    );
    expect(
      (await request(t.app, null, 'POST', `${TEMPLATES}/${templateId}/apply`, { departement: '85' }))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await request(t.app, cast.dpo, 'POST', `${TEMPLATES}/00000000-0000-4000-8000-000000000000/apply`, {
          departement: '85',
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('template updates merged field by field', () => {
  let processingA: string;
  let processingB: string;
  const urlA = () => `/api/v1/members/${cast.communeA.id}/processings/${processingA}`;
  const urlB = () => `/api/v1/members/${cast.communeB.id}/processings/${processingB}`;

  beforeAll(async () => {
    const listA = (
      await request(t.app, cast.dpo, 'GET', `/api/v1/members/${cast.communeA.id}/processings`)
    ).json();
    processingA = listA.items.find((i: { templateId: string }) => i.templateId === templateId).id;
    const listB = (
      await request(t.app, cast.dpo, 'GET', `/api/v1/members/${cast.communeB.id}/processings`)
    ).json();
    processingB = listB.items.find((i: { templateId: string }) => i.templateId === templateId).id;
    // Commune A adjusts its software locally; the template then changes purposes, software and retention.
    await request(t.app, cast.adminA, 'PATCH', urlA(), { software: 'Logiciel maison' });
  });

  it('shows no update before the template changes', async () => {
    const update = (await request(t.app, cast.readerA, 'GET', `${urlA()}/template-update`)).json();
    expect(update).toMatchObject({ available: false, differences: [], fromVersion: 1, toVersion: 1 });
  });

  it('publishes version 2 when the DPO changes the fields (a rename alone does not)', async () => {
    const renamed = (
      await request(t.app, cast.dpo, 'PATCH', `${TEMPLATES}/${templateId}`, { name: 'État civil (modèle)' })
    ).json();
    expect(renamed.version).toBe(1);
    const changed = await request(t.app, cast.dpo, 'PATCH', `${TEMPLATES}/${templateId}`, {
      fields: {
        purposes: 'Tenue des registres, délivrance des actes, mentions marginales.',
        software: 'Logiciel régional',
        retention: [{ dataCategory: 'Actes', duration: '100 ans', finalFate: 'archiving' }],
      },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ version: 2, linkedProcessings: 3 });
    expect(changed.json().fields.dataCategories).toEqual(['Identité', 'Filiation']);
    const bad = await request(t.app, cast.dpo, 'PATCH', `${TEMPLATES}/${templateId}`, {
      fields: { legalBasis: 'nope' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('offers the template’s changes with current and proposed values, keeping local-only adjustments out', async () => {
    const summary = (
      await request(t.app, cast.adminA, 'GET', `/api/v1/members/${cast.communeA.id}/processings`)
    ).json();
    expect(summary.items.find((i: { id: string }) => i.id === processingA).templateUpdateAvailable).toBe(
      true,
    );
    const update = (await request(t.app, cast.adminA, 'GET', `${urlA()}/template-update`)).json();
    expect(update).toMatchObject({ available: true, fromVersion: 1, toVersion: 2 });
    expect(update.differences.map((d: { field: string }) => d.field)).toEqual([
      'purposes',
      'retention',
      'software',
    ]);
    expect(update.differences.find((d: { field: string }) => d.field === 'software')).toMatchObject({
      current: 'Logiciel maison',
      proposed: 'Logiciel régional',
    });
  });

  it('accepts some fields (versioned) and keeps offering the others until dismissed', async () => {
    const accepted = await request(t.app, cast.editorA, 'POST', `${urlA()}/template-update`, {
      accept: ['purposes'],
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      purposes: 'Tenue des registres, délivrance des actes, mentions marginales.',
      software: 'Logiciel maison',
      templateVersion: 1,
      templateUpdateAvailable: true,
    });
    const still = (await request(t.app, cast.adminA, 'GET', `${urlA()}/template-update`)).json();
    expect(still.differences.map((d: { field: string }) => d.field)).toEqual(['retention', 'software']);
    const dismissed = (
      await request(t.app, cast.adminA, 'POST', `${urlA()}/template-update`, {
        accept: ['retention'],
        dismiss: true,
      })
    ).json();
    expect(dismissed).toMatchObject({
      templateVersion: 2,
      templateUpdateAvailable: false,
      software: 'Logiciel maison',
    });
    expect(dismissed.retention[0].duration).toBe('100 ans');
    const versions = (await request(t.app, cast.adminA, 'GET', `${urlA()}/versions`)).json();
    expect(versions.items[0].changes.map((c: { field: string }) => c.field)).toEqual([
      'retention',
      'templateVersion',
    ]);
  });

  it('accepts everything at once, which also clears the update', async () => {
    const body = (
      await request(t.app, cast.dpo, 'POST', `${urlB()}/template-update`, {
        accept: ['purposes', 'retention', 'software'],
      })
    ).json();
    expect(body).toMatchObject({
      software: 'Logiciel régional',
      templateVersion: 2,
      templateUpdateAvailable: false,
    });
  });

  it('refuses decisions on fields not offered (400), empty decisions (400), no pending update (409), readers and others (403)', async () => {
    expect(
      (await request(t.app, cast.adminA, 'POST', `${urlA()}/template-update`, { accept: [] })).statusCode,
    ).toBe(400);
    expect(
      (await request(t.app, cast.adminA, 'POST', `${urlA()}/template-update`, { dismiss: true })).statusCode,
    ).toBe(409);
    await request(t.app, cast.dpo, 'PATCH', `${TEMPLATES}/${templateId}`, {
      fields: { department: 'Population' },
    });
    const notOffered = await request(t.app, cast.adminA, 'POST', `${urlA()}/template-update`, {
      accept: ['name'],
    });
    expect(notOffered.statusCode).toBe(400);
    expect(notOffered.json().errors[0].path).toBe('body.accept.0');
    expect(
      (await request(t.app, cast.readerA, 'POST', `${urlA()}/template-update`, { dismiss: true })).statusCode,
    ).toBe(403);
    expect(
      (await request(t.app, cast.adminB, 'POST', `${urlA()}/template-update`, { dismiss: true })).statusCode,
    ).toBe(403);
    expect((await request(t.app, cast.adminB, 'GET', `${urlA()}/template-update`)).statusCode).toBe(403);
    expect((await request(t.app, null, 'GET', `${urlA()}/template-update`)).statusCode).toBe(401);
    expect(
      (await request(t.app, null, 'POST', `${urlA()}/template-update`, { dismiss: true })).statusCode,
    ).toBe(401);
  });

  it('answers 404 for a processing without template', async () => {
    const own = (
      await request(
        t.app,
        cast.adminA,
        'POST',
        `/api/v1/members/${cast.communeA.id}/processings`,
        fullProcessing({ name: 'Local' }),
      )
    ).json();
    const response = await request(
      t.app,
      cast.adminA,
      'GET',
      `/api/v1/members/${cast.communeA.id}/processings/${own.id}/template-update`,
    );
    expect(response.statusCode).toBe(404);
  });
});

describe('POST …/processings/{id}/copy', () => {
  it('copies a processing (with its processors) to other members as drafts, once', async () => {
    const processor = (
      await request(t.app, cast.dpo, 'POST', '/api/v1/rgpd/processors', { name: 'Éditeur de logiciels SA' })
    ).json();
    const source = (
      await request(
        t.app,
        cast.adminA,
        'POST',
        `/api/v1/members/${cast.communeA.id}/processings`,
        fullProcessing({ name: 'Cimetières', status: 'validated', processorIds: [processor.id] }),
      )
    ).json();
    const url = `/api/v1/members/${cast.communeA.id}/processings/${source.id}/copy`;
    const first = (await request(t.app, cast.dpo, 'POST', url, { memberIds: [cast.communeB.id] })).json();
    expect(first.created).toBe(1);
    const copy = (
      await request(
        t.app,
        cast.dpo,
        'GET',
        `/api/v1/members/${cast.communeB.id}/processings/${first.members[0].processingId}`,
      )
    ).json();
    expect(copy).toMatchObject({ name: 'Cimetières', status: 'draft', memberId: cast.communeB.id });
    expect(copy.processors.map((p: { name: string }) => p.name)).toEqual(['Éditeur de logiciels SA']);
    const again = (await request(t.app, cast.dpo, 'POST', url, { memberIds: [cast.communeB.id] })).json();
    expect(again.members[0].outcome).toBe('already_present');
    expect(
      (await request(t.app, cast.adminA, 'POST', url, { memberIds: [cast.communeB.id] })).statusCode,
    ).toBe(403);
    expect((await request(t.app, null, 'POST', url, { memberIds: [cast.communeB.id] })).statusCode).toBe(401);
    expect((await request(t.app, cast.dpo, 'POST', url, { memberIds: [] })).statusCode).toBe(400);
    const wrongOwner = `/api/v1/members/${cast.communeB.id}/processings/${source.id}/copy`;
    expect(
      (await request(t.app, cast.dpo, 'POST', wrongOwner, { memberIds: [cast.spl.id] })).statusCode,
    ).toBe(404);
  });
});
