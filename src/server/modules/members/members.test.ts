import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  MemberDetail,
  MemberStats,
  MemberSummary,
  MembershipStatus,
} from '../../../contracts/members.js';
import { useClock } from '../../platform/clock.js';
import { auditEvents, membershipEvents, organisations } from '../../platform/db/schema.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import type { Page, ProblemBody } from '../../test/bodies.js';
import { buildSignedInCast, randomSiren } from '../../test/builders.js';
import { SAMPLE } from '../../test/territory-sample.js';

type MemberPage = Page<MemberSummary>;

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
const ids: Record<string, string> = {};

async function create(body: Record<string, unknown>) {
  const response = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/members', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<MemberDetail>();
}

async function setStatus(id: string, status: MembershipStatus) {
  await t.database.db.update(organisations).set({ status }).where(eq(organisations.id, id));
}

beforeAll(async () => {
  t = await createTestApp();
  cast = await buildSignedInCast(t);
  ids.laRoche = (await create({ kind: 'commune', siren: '218501914', communeCode: SAMPLE.laRocheSurYon })).id;
  ids.aizenay = (await create({ kind: 'commune', siren: '218500031', communeCode: SAMPLE.aizenay })).id;
  ids.nantes = (await create({ kind: 'commune', siren: '214401093', communeCode: SAMPLE.nantes })).id;
  ids.agglo = (await create({ kind: 'epci', siren: SAMPLE.epciLaRoche, epciCode: SAMPLE.epciLaRoche })).id;
  ids.ccas = (
    await create({
      kind: 'ccas',
      name: 'CCAS de La Roche-sur-Yon',
      siren: randomSiren(),
      communeCode: SAMPLE.laRocheSurYon,
      parentId: ids.laRoche,
      population: 120,
      address: '10 place Napoléon',
    })
  ).id;
  await setStatus(ids.laRoche, 'member');
  await setStatus(ids.agglo, 'member');
  await setStatus(ids.aizenay, 'requested');
  await setStatus(ids.nantes, 'accepted');
});
afterAll(() => t?.close());

describe('GET /api/v1/members', () => {
  it('lists members publicly with official populations, never the operator', async () => {
    const response = await request(t.app, null, 'GET', '/api/v1/members?limit=200');
    expect(response.statusCode).toBe(200);
    const body = response.json<MemberPage>();
    expect(body.total).toBe(7);
    expect(body.totalIsExact).toBe(true);
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((m) => m.kind)).not.toContain('operator');
    const laRoche = body.items.find((m) => m.id === ids.laRoche);
    expect(laRoche).toEqual({
      id: ids.laRoche,
      name: 'La Roche-sur-Yon',
      kind: 'commune',
      epciType: null,
      siren: '218501914',
      communeCode: '85191',
      epciCode: null,
      departementCode: '85',
      status: 'member',
      population: 54849,
    });
    expect(body.items.find((m) => m.id === ids.agglo)).toMatchObject({
      epciType: 'CA',
      population: 102445,
    });
    expect(body.items.find((m) => m.id === ids.ccas)).toMatchObject({ population: 120 });
    expect(JSON.stringify(body)).not.toContain('Napoléon');
  });

  it('finds members by name words, accents and hyphens aside', async () => {
    const body = (await request(t.app, null, 'GET', '/api/v1/members?q=roche%20YON')).json<MemberPage>();
    expect(body.items.map((m) => m.id).sort()).toEqual([ids.laRoche, ids.agglo, ids.ccas].sort());
    const aizenay = (await request(t.app, null, 'GET', '/api/v1/members?q=A%C3%AFzenay')).json<MemberPage>();
    expect(aizenay.items.map((m) => m.id)).toEqual([ids.aizenay]);
  });

  it('finds members by SIREN (spaces allowed), SIRET and INSEE code', async () => {
    const bySiren = (
      await request(t.app, null, 'GET', '/api/v1/members?q=218%20501%20914')
    ).json<MemberPage>();
    expect(bySiren.items.map((m) => m.id)).toEqual([ids.laRoche]);
    const bySiret = (
      await request(t.app, null, 'GET', '/api/v1/members?q=21850191400019')
    ).json<MemberPage>();
    expect(bySiret.items.map((m) => m.id)).toEqual([ids.laRoche]);
    const byInsee = (await request(t.app, null, 'GET', '/api/v1/members?q=85191')).json<MemberPage>();
    expect(byInsee.items.map((m) => m.id).sort()).toEqual([ids.laRoche, ids.ccas].sort());
  });

  it('filters by kind, département, status and EPCI (its communes and their satellites, and itself)', async () => {
    const get = async (qs: string) =>
      (await request(t.app, null, 'GET', `/api/v1/members?${qs}`))
        .json<MemberPage>()
        .items.map((m) => m.id)
        .sort();
    expect(await get('kind=commune')).toEqual([ids.laRoche, ids.aizenay, ids.nantes].sort());
    expect(await get('departement=44')).toEqual([ids.nantes]);
    expect(await get('status=requested')).toEqual([ids.aizenay]);
    expect(await get(`epci=${SAMPLE.epciLaRoche}`)).toEqual([ids.laRoche, ids.agglo, ids.ccas].sort());
    expect(await get(`epci=${SAMPLE.epciLaRoche}&kind=commune`)).toEqual([ids.laRoche]);
  });

  const sorts: [string, (a: MemberSummary, b: MemberSummary) => boolean][] = [
    ['name', (a, b) => a.name.localeCompare(b.name, 'fr') <= 0],
    ['-name', (a, b) => a.name.localeCompare(b.name, 'fr') >= 0],
    ['population', (a, b) => (a.population ?? -1) <= (b.population ?? -1)],
    ['-population', (a, b) => (a.population ?? -1) >= (b.population ?? -1)],
    ['status', () => true],
    ['-status', () => true],
    ['updatedAt', () => true],
    ['-updatedAt', () => true],
  ];
  it.each(sorts)('pages through every member once, in %s order', async (sort, inOrder) => {
    const seen: MemberSummary[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = `sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await request(t.app, null, 'GET', `/api/v1/members?${qs}`);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<MemberPage>();
      expect(body.total).toBe(7);
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen.map((m) => m.id)).size).toBe(7);
    for (let i = 1; i < seen.length; i++) expect(inOrder(seen[i - 1], seen[i])).toBe(true);
    if (sort === '-population') expect(seen[0].population).toBe(327734);
  });

  it('answers 400 with the field path for bad query parameters', async () => {
    const limit = await request(t.app, null, 'GET', '/api/v1/members?limit=0');
    expect(limit.statusCode).toBe(400);
    expect(limit.json().errors[0].path).toBe('query.limit');
    const kind = await request(t.app, null, 'GET', '/api/v1/members?kind=ville');
    expect(kind.statusCode).toBe(400);
    expect(kind.json().errors[0]).toMatchObject({
      path: 'query.kind',
      message: 'type de structure inconnu',
    });
    const cursor = await request(t.app, null, 'GET', '/api/v1/members?cursor=bm9wZQ');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().errors[0].path).toBe('query.cursor');
  });

  it('refuses a cursor made for another sort', async () => {
    const first = (await request(t.app, null, 'GET', '/api/v1/members?limit=1&sort=name')).json();
    const response = await request(
      t.app,
      null,
      'GET',
      `/api/v1/members?sort=updatedAt&cursor=${first.nextCursor}`,
    );
    expect(response.statusCode).toBe(400);
  });
});

describe('GET /api/v1/members/{memberId}', () => {
  it('shows public fields and the parent body to anonymous visitors, nothing private', async () => {
    const response = await request(t.app, null, 'GET', `/api/v1/members/${ids.ccas}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      name: 'CCAS de La Roche-sur-Yon',
      kind: 'ccas',
      departementCode: '85',
      departementName: 'Vendée',
      parent: { id: ids.laRoche, name: 'La Roche-sur-Yon' },
      private: null,
    });
  });

  it('shows private fields to the operator and to the member’s own users only', async () => {
    const operator = (
      await request(t.app, cast.operatorAgent, 'GET', `/api/v1/members/${cast.memberA.id}`)
    ).json();
    expect(operator.private).toMatchObject({ usersCount: 3, documentsCount: 0, contacts: [] });
    const own = (await request(t.app, cast.readerA, 'GET', `/api/v1/members/${cast.memberA.id}`)).json();
    expect(own.private).not.toBeNull();
    const other = (await request(t.app, cast.adminB, 'GET', `/api/v1/members/${cast.memberA.id}`)).json();
    expect(other.private).toBeNull();
    const ccas = (await request(t.app, cast.operatorAdmin, 'GET', `/api/v1/members/${ids.ccas}`)).json();
    expect(ccas.private.address).toBe('10 place Napoléon');
  });

  it('answers 404 for an unknown id or the operator, 400 for a malformed id', async () => {
    expect(
      (await request(t.app, null, 'GET', '/api/v1/members/00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    expect((await request(t.app, null, 'GET', `/api/v1/members/${cast.operator.id}`)).statusCode).toBe(404);
    const bad = await request(t.app, null, 'GET', '/api/v1/members/12');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('params.memberId');
  });
});

describe('POST /api/v1/members', () => {
  it('creates a commune from its INSEE code with official name and département, history and audit', async () => {
    const body = await create({ kind: 'commune', siren: '200082139', communeCode: SAMPLE.lesSablesDOlonne });
    expect(body).toMatchObject({
      name: "Les Sables-d'Olonne",
      departementCode: '85',
      status: 'prospect',
      population: 49603,
    });
    const [event] = await t.database.db
      .select()
      .from(membershipEvents)
      .where(eq(membershipEvents.memberId, body.id));
    expect(event).toMatchObject({
      fromStatus: null,
      toStatus: 'prospect',
      actorUserId: cast.operatorAdmin.userId,
    });
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, body.id), eq(auditEvents.action, 'member.created')));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorUserId).toBe(cast.operatorAdmin.userId);
  });

  it('dates the first step on the day in Paris: created at 00:30 on 1 March, effective on 1 March', async () => {
    // 23:30 UTC on 28 February is 00:30 on 1 March in Paris (UTC+1 in winter).
    const restore = useClock(new Date('2026-02-28T23:30:00Z'));
    try {
      const body = await create({ kind: 'autre', name: 'Structure de minuit', siren: randomSiren() });
      const [event] = await t.database.db
        .select()
        .from(membershipEvents)
        .where(eq(membershipEvents.memberId, body.id));
      expect(event.effectiveOn).toBe('2026-03-01');
    } finally {
      restore();
    }
  });

  it('answers 409 naming the field when the SIREN is taken', async () => {
    const response = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/members', {
      kind: 'syndicat_mixte',
      name: 'Doublon',
      siren: '218501914',
    });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain('La Roche-sur-Yon');
    expect(response.json().errors[0].path).toBe('body.siren');
  });

  it('refuses unknown territory codes, a wrong official SIREN and an unknown parent, field by field', async () => {
    const unknown = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/members', {
      kind: 'commune',
      siren: randomSiren(),
      communeCode: '85999',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ProblemBody>().errors.map((e) => e.path)).toContain('body.communeCode');
    const wrongSiren = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/members', {
      kind: 'epci',
      siren: randomSiren(),
      epciCode: SAMPLE.epciSables,
    });
    expect(wrongSiren.statusCode).toBe(400);
    expect(wrongSiren.json().errors[0].path).toBe('body.siren');
    const parent = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/members', {
      kind: 'ccas',
      name: 'CCAS fantôme',
      siren: randomSiren(),
      parentId: '00000000-0000-4000-8000-000000000000',
    });
    expect(parent.statusCode).toBe(400);
    expect(parent.json().errors[0].path).toBe('body.parentId');
    const count = await t.database.db
      .select()
      .from(organisations)
      .where(eq(organisations.name, 'CCAS fantôme'));
    expect(count).toHaveLength(0);
  });

  it('answers 400 with the field path for a SIREN failing its check digit', async () => {
    const response = await request(t.app, cast.operatorAdmin, 'POST', '/api/v1/members', {
      kind: 'autre',
      name: 'Test',
      siren: '123456789',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe('body.siren');
  });

  it('answers 401 anonymously and 403 to operator agents and member admins', async () => {
    const body = { kind: 'autre', name: 'Test', siren: randomSiren() };
    expect((await request(t.app, null, 'POST', '/api/v1/members', body)).statusCode).toBe(401);
    expect((await request(t.app, cast.operatorAgent, 'POST', '/api/v1/members', body)).statusCode).toBe(403);
    expect((await request(t.app, cast.adminA, 'POST', '/api/v1/members', body)).statusCode).toBe(403);
  });
});

describe('PATCH /api/v1/members/{memberId}', () => {
  it('lets the operator admin rename a member, which search then finds', async () => {
    const response = await request(t.app, cast.operatorAdmin, 'PATCH', `/api/v1/members/${cast.memberB.id}`, {
      name: 'Syndicat Vendée Numérique',
    });
    expect(response.statusCode, response.body).toBe(200);
    const found = (
      await request(t.app, null, 'GET', '/api/v1/members?q=vendee%20numerique')
    ).json<MemberPage>();
    expect(found.items.map((m) => m.id)).toEqual([cast.memberB.id]);
  });

  it('lets a member admin edit its own address and population, nothing else', async () => {
    const ok = await request(t.app, cast.adminA, 'PATCH', `/api/v1/members/${cast.memberA.id}`, {
      address: '1 rue de la Mairie',
      postalCode: '85000',
      population: 4200,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      population: 4200,
      private: { address: '1 rue de la Mairie', postalCode: '85000' },
    });
    const name = await request(t.app, cast.adminA, 'PATCH', `/api/v1/members/${cast.memberA.id}`, {
      name: 'Autre',
    });
    expect(name.statusCode).toBe(403);
    expect(name.json().detail).toContain('name');
  });

  it('refuses an entered population for a commune, with the field path', async () => {
    const response = await request(t.app, cast.operatorAdmin, 'PATCH', `/api/v1/members/${ids.laRoche}`, {
      population: 1,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe('body.population');
  });

  it('answers 400 for a malformed postal code and 409 for a SIREN already used', async () => {
    const bad = await request(t.app, cast.adminA, 'PATCH', `/api/v1/members/${cast.memberA.id}`, {
      postalCode: '85',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.postalCode');
    const dup = await request(t.app, cast.operatorAdmin, 'PATCH', `/api/v1/members/${cast.memberA.id}`, {
      siren: '218501914',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].path).toBe('body.siren');
  });

  it('answers 401 anonymously, 403 to readers and to another member’s admin, 404 for an unknown member', async () => {
    const url = `/api/v1/members/${cast.memberA.id}`;
    expect((await request(t.app, null, 'PATCH', url, { city: 'X' })).statusCode).toBe(401);
    expect((await request(t.app, cast.readerA, 'PATCH', url, { city: 'X' })).statusCode).toBe(403);
    expect((await request(t.app, cast.adminB, 'PATCH', url, { city: 'X' })).statusCode).toBe(403);
    expect((await request(t.app, cast.operatorAgent, 'PATCH', url, { city: 'X' })).statusCode).toBe(403);
    const unknown = '/api/v1/members/00000000-0000-4000-8000-000000000000';
    expect((await request(t.app, cast.operatorAdmin, 'PATCH', unknown, { city: 'X' })).statusCode).toBe(404);
  });
});

describe('GET /api/v1/members/stats', () => {
  it('counts members by département and kind, and covered population without double counting', async () => {
    const body = (await request(t.app, null, 'GET', '/api/v1/members/stats')).json<MemberStats>();
    expect(body.byDepartement.map((d) => d.code)).toEqual(['44', '49', '53', '72', '85']);
    // memberA, memberB (builder, status member), La Roche and its agglomeration.
    expect(body.byDepartement.find((d) => d.code === '85')).toEqual({
      code: '85',
      name: 'Vendée',
      members: 4,
    });
    expect(body.byDepartement.find((d) => d.code === '44')?.members).toBe(0);
    expect(body.byKind).toEqual(
      expect.arrayContaining([
        { kind: 'commune', count: 1 },
        { kind: 'epci', count: 1 },
      ]),
    );
    // La Roche-sur-Yon is both a member and in its member agglomeration: counted once.
    expect(body.populationCovered).toBe(54849);
    expect(body.pending).toBeUndefined();
  });

  it('adds the pending membership steps for the operator', async () => {
    const body = (await request(t.app, cast.operatorAgent, 'GET', '/api/v1/members/stats')).json();
    expect(body.pending).toEqual({ requested: 1, accepted: 1, withdrawal_requested: 0 });
    const member = (await request(t.app, cast.adminA, 'GET', '/api/v1/members/stats')).json();
    expect(member.pending).toBeUndefined();
  });
});

describe('exports', () => {
  it('exports the filtered list as CSV for Excel: BOM, semicolons, French headers', async () => {
    const response = await request(
      t.app,
      cast.operatorAgent,
      'GET',
      `/api/v1/members/export.csv?epci=${SAMPLE.epciLaRoche}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="adherents-.*\.csv"/);
    const raw = response.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0].split(';').slice(0, 4)).toEqual(['Nom', 'Type', "Type d'EPCI", 'SIREN']);
    expect(lines).toHaveLength(4);
    expect(lines.some((l) => l.startsWith('La Roche-sur-Yon;Commune;'))).toBe(true);
    expect(raw.toString('utf8')).toContain("Communauté d'agglomération");
  });

  it('exports XLSX with a bold, frozen header row', async () => {
    const response = await request(
      t.app,
      cast.operatorAdmin,
      'GET',
      '/api/v1/members/export.xlsx?kind=commune',
    );
    expect(response.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    // exceljs declares its own Buffer (an ArrayBuffer): give it the payload's bytes as one.
    await workbook.xlsx.load(new Uint8Array(response.rawPayload).buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('Nom');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBe(1 + 4);
  });

  it('answers 401 anonymously, 403 to members, 400 for a bad filter', async () => {
    expect((await request(t.app, null, 'GET', '/api/v1/members/export.csv')).statusCode).toBe(401);
    expect((await request(t.app, cast.adminA, 'GET', '/api/v1/members/export.xlsx')).statusCode).toBe(403);
    const bad = await request(t.app, cast.operatorAdmin, 'GET', '/api/v1/members/export.csv?status=ancien');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.status');
  });
});

describe('OpenAPI', () => {
  it('documents every member route with its schemas', async () => {
    const doc = (await request(t.app, null, 'GET', '/api/v1/openapi.json')).json();
    for (const path of [
      '/api/v1/members',
      '/api/v1/members/stats',
      '/api/v1/members/export.csv',
      '/api/v1/members/{memberId}',
      '/api/v1/members/{memberId}/contacts/{contactId}',
      '/api/v1/members/{memberId}/documents/{documentId}',
      '/api/v1/members/{memberId}/transitions',
      '/api/v1/members/{memberId}/history',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/v1/members'].get.responses['200']).toBeDefined();
  });
});
