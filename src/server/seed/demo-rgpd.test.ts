import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../platform/db/client.js';
import { memberContacts } from '../platform/db/schema.js';
import { createTestApp, request, type TestApp } from '../test/app.js';
import { buildOperator, buildOrganisation, sessionAs } from '../test/builders.js';
import { SAMPLE } from '../test/territory-sample.js';
import { DEMO_TEMPLATES, seedRgpd } from './demo-rgpd.js';

const IDS = {
  laRoche: '00000000-0000-4000-8000-000000000001',
  aizenay: '00000000-0000-4000-8000-000000000002',
  agglo: '00000000-0000-4000-8000-000000000003',
  ccas: '00000000-0000-4000-8000-000000000004',
  noReferent: '00000000-0000-4000-8000-000000000005',
};

async function prepare(t: TestApp) {
  const db = t.database.db;
  await buildOperator(db);
  const orgs = [
    await buildOrganisation(db, {
      id: IDS.laRoche,
      name: 'La Roche-sur-Yon',
      kind: 'commune',
      communeCode: SAMPLE.laRocheSurYon,
    }),
    await buildOrganisation(db, {
      id: IDS.aizenay,
      name: 'Aizenay',
      kind: 'commune',
      communeCode: SAMPLE.aizenay,
    }),
    await buildOrganisation(db, {
      id: IDS.agglo,
      name: 'La Roche-sur-Yon Agglomération',
      kind: 'epci',
      epciCode: SAMPLE.epciLaRoche,
    }),
    await buildOrganisation(db, { id: IDS.ccas, name: 'CCAS de La Roche-sur-Yon', kind: 'ccas' }),
  ];
  await buildOrganisation(db, {
    id: IDS.noReferent,
    name: 'Sans référent',
    kind: 'commune',
    communeCode: SAMPLE.aiguillon,
  });
  for (const org of orgs) {
    await db
      .insert(memberContacts)
      .values({ memberId: org.id, role: 'referent_rgpd', firstName: 'R', lastName: 'GPD' });
  }
  return orgs;
}

const fingerprint = async (t: TestApp) =>
  rowsOf(
    await t.database.db.execute(
      sql`SELECT id, member_id, name, status, template_version, completion, last_review_on FROM rgpd_processings ORDER BY id`,
    ),
  );

describe('seedRgpd', () => {
  let t: TestApp;
  let other: TestApp;
  let report: Awaited<ReturnType<typeof seedRgpd>>;

  beforeAll(async () => {
    t = await createTestApp();
    other = await createTestApp();
    await prepare(t);
    await prepare(other);
    report = await seedRgpd(t.database.db);
    await seedRgpd(other.database.db);
  }, 240_000);
  afterAll(async () => {
    await t?.close();
    await other?.close();
  });

  it('seeds at least 15 templates and the shared processors', () => {
    expect(DEMO_TEMPLATES.length).toBeGreaterThanOrEqual(15);
    expect(report.templates).toBe(DEMO_TEMPLATES.length);
    expect(report.processors).toBeGreaterThanOrEqual(4);
  });

  it('builds a registry and a designation for every member with a référent RGPD, and only them', async () => {
    expect(report.members).toBe(4);
    const perMember = rowsOf<{ member_id: string; n: unknown }>(
      await t.database.db.execute(
        sql`SELECT member_id, count(*) AS n FROM rgpd_processings GROUP BY member_id`,
      ),
    );
    const counts = new Map(perMember.map((r) => [r.member_id, Number(r.n)]));
    expect(counts.get(IDS.laRoche)).toBeGreaterThanOrEqual(10);
    for (const id of [IDS.aizenay, IDS.agglo, IDS.ccas]) expect(counts.get(id)).toBeGreaterThan(0);
    expect(counts.has(IDS.noReferent)).toBe(false);
  });

  it('is deterministic and runs once', async () => {
    expect(await fingerprint(t)).toEqual(await fingerprint(other));
    expect((await seedRgpd(t.database.db)).processings).toBe(0);
  });

  it('gives La Roche-sur-Yon a registry that works through the API: validated, due, DPIAs, template updates', async () => {
    const admin = await sessionAs(t, await buildOperator(t.database.db), 'agent', ['dpo']);
    const summary = (
      await request(t.app, admin, 'GET', `/api/v1/members/${IDS.laRoche}/rgpd/summary`)
    ).json();
    expect(summary.processings).toBeGreaterThanOrEqual(10);
    expect(summary.validated).toBeGreaterThan(0);
    expect(summary.templateUpdatesAvailable).toBeGreaterThan(0);
    const list = (await request(t.app, admin, 'GET', `/api/v1/members/${IDS.laRoche}/processings`)).json();
    const withUpdate = list.items.find(
      (p: { templateUpdateAvailable: boolean }) => p.templateUpdateAvailable,
    );
    const update = (
      await request(
        t.app,
        admin,
        'GET',
        `/api/v1/members/${IDS.laRoche}/processings/${withUpdate.id}/template-update`,
      )
    ).json();
    expect(update, JSON.stringify(update)).toHaveProperty('differences');
    expect(update.differences.length).toBeGreaterThan(0);
    const pdf = await request(t.app, admin, 'GET', `/api/v1/members/${IDS.laRoche}/registry.pdf`);
    expect(pdf.statusCode).toBe(200);
    const published = (
      await request(t.app, null, 'GET', `/api/v1/public/members/${IDS.laRoche}/registry`)
    ).json();
    expect(published.processings.length).toBeGreaterThan(0);
  });
});
