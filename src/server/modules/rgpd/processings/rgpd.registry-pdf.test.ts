import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberContacts } from '../../../platform/db/schema.js';
import { createTestApp, request, type TestApp } from '../../../test/app.js';
import { buildRgpdCast, fullProcessing } from '../rgpd.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildRgpdCast>>;
let memberUrl: string;

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildRgpdCast(t);
  memberUrl = `/api/v1/members/${cast.communeA.id}`;
  await t.database.db
    .insert(memberContacts)
    .values({ memberId: cast.communeA.id, role: 'maire_president', firstName: 'Luc', lastName: 'Bouard' });
  const processor = (
    await request(t.app, cast.dpo, 'POST', '/api/v1/rgpd/processors', { name: 'Hébergeur Régional' })
  ).json();
  await request(t.app, cast.dpo, 'PUT', `${memberUrl}/rgpd/designation`, {
    cnilNumber: 'DPO-98765',
    designatedOn: '2023-01-16',
    dpoName: 'Service DPO mutualisé',
  });
  await request(
    t.app,
    cast.adminA,
    'POST',
    `${memberUrl}/processings`,
    fullProcessing({ isPublic: true, processorIds: [processor.id] }),
  );
  await request(
    t.app,
    cast.adminA,
    'POST',
    `${memberUrl}/processings`,
    fullProcessing({
      name: 'Vidéoprotection urbaine',
      legalBasis: 'public_task',
      dpiaCriteria: ['systematic_monitoring', 'large_scale'],
      dpiaStatus: 'done',
      transfers: [{ country: 'Suisse', safeguard: 'Décision d’adéquation' }],
    }),
  );
  await request(t.app, cast.adminB, 'POST', `/api/v1/members/${cast.communeB.id}/processings`, {
    name: 'Traitement d’Aizenay',
    isPublic: true,
  });
});
afterAll(() => t?.close());

describe('GET /api/v1/members/{memberId}/registry.pdf', () => {
  it('prints the registry for a CNIL inspection (parsed back)', async () => {
    const response = await request(t.app, cast.readerA, 'GET', `${memberUrl}/registry.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const { PDFParse } = await import('pdf-parse');
    const { text } = await new PDFParse({ data: response.rawPayload }).getText();
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Registre des activités de traitement',
      'La Roche-sur-Yon',
      'Représentant légal : Luc Bouard',
      'DPO-98765',
      '16/01/2023',
      '2 traitement(s)',
      'Gestion de l’état civil',
      'Obligation légale',
      'Actes : 75 ans, puis archivage',
      'Hébergeur Régional',
      'Vidéoprotection urbaine',
      'Suisse',
      'Requise',
      'Surveillance systématique',
    ]) {
      expect(flat).toContain(expected);
    }
    expect(flat).not.toContain('Aizenay');
  });

  it('answers 400, 401, 403 (other member) and 404 (unknown member)', async () => {
    expect((await request(t.app, cast.dpo, 'GET', '/api/v1/members/x/registry.pdf')).statusCode).toBe(400);
    expect((await request(t.app, null, 'GET', `${memberUrl}/registry.pdf`)).statusCode).toBe(401);
    expect((await request(t.app, cast.adminB, 'GET', `${memberUrl}/registry.pdf`)).statusCode).toBe(403);
    expect(
      (
        await request(
          t.app,
          cast.dpo,
          'GET',
          '/api/v1/members/00000000-0000-4000-8000-000000000000/registry.pdf',
        )
      ).statusCode,
    ).toBe(404);
  });
});

describe('registry CSV and XLSX exports', () => {
  it('exports one row per processing in CSV (BOM, ;) and XLSX', async () => {
    const csv = await request(t.app, cast.dpo, 'GET', `${memberUrl}/registry.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0].split(';').slice(0, 3)).toEqual(['Traitement', 'Finalités', 'Base légale']);
    expect(lines).toHaveLength(3);
    const xlsx = await request(t.app, cast.adminA, 'GET', `${memberUrl}/registry.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Registre');
    expect(sheet?.rowCount).toBe(3);
    expect(sheet?.getRow(2).getCell(1).value).toBe('Gestion de l’état civil');
  });

  it('answers 401 and 403 like the registry', async () => {
    for (const format of ['csv', 'xlsx']) {
      expect((await request(t.app, null, 'GET', `${memberUrl}/registry.${format}`)).statusCode).toBe(401);
      expect((await request(t.app, cast.adminB, 'GET', `${memberUrl}/registry.${format}`)).statusCode).toBe(
        403,
      );
      expect(
        (await request(t.app, cast.cyberAgent, 'GET', `${memberUrl}/registry.${format}`)).statusCode,
      ).toBe(403);
    }
  });
});

describe('GET /api/v1/public/members/{memberId}/registry', () => {
  it('shows anonymously only the published processings, without security details or agents', async () => {
    const response = await request(t.app, null, 'GET', `/api/v1/public/members/${cast.communeA.id}/registry`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.member).toMatchObject({ id: cast.communeA.id, name: 'La Roche-sur-Yon' });
    expect(body.processings.map((p: { name: string }) => p.name)).toEqual(['Gestion de l’état civil']);
    expect(body.processings[0].processors).toEqual(['Hébergeur Régional']);
    expect(body.processings[0].dataSubjects).toEqual(['Usagers']);
    const raw = response.body;
    for (const hidden of ['securityMeasures', 'Comptes nominatifs', 'actorUserId', 'Bouard', 'DPO-98765']) {
      expect(raw).not.toContain(hidden);
    }
  });

  it('is the same for a logged-in user of another member, and 404s for unknown members, 400 for bad ids', async () => {
    const asOther = await request(
      t.app,
      cast.adminB,
      'GET',
      `/api/v1/public/members/${cast.communeA.id}/registry`,
    );
    expect(asOther.json().processings).toHaveLength(1);
    expect(
      (
        await request(
          t.app,
          null,
          'GET',
          '/api/v1/public/members/00000000-0000-4000-8000-000000000000/registry',
        )
      ).statusCode,
    ).toBe(404);
    expect((await request(t.app, null, 'GET', '/api/v1/public/members/x/registry')).statusCode).toBe(400);
  });
});
