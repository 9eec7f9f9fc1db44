import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_DATASETS } from '../../../contracts/opendata.js';
import { currentYear, today } from '../../platform/clock.js';
import {
  hostingIncidentServices,
  hostingIncidents,
  hostingIncidentUpdates,
} from '../../platform/db/schema.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { buildOperator, buildOrganisation } from '../../test/builders.js';
import { SCDL_COLUMNS } from '../acts/publication/scdl-schema.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildFeeRule, buildPool } from '../pricing/pricing.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';

let t: TestApp;
let hostedService: { id: string };
/** The first day of last month, in Paris: inside the availability dataset's window. */
const lastMonth = (() => {
  const [y, m] = today().split('-').map(Number);
  const index = y * 12 + (m - 1) - 1;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
})();
const v1 = '/api/v1';
const TRICKY = 'Syndicat « Eaux, assainissement » dit "SEA"';

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await buildOperator(db);
  const member = await buildOrganisation(db, { name: TRICKY, population: 1200 });
  await buildOrganisation(db, { name: 'Commune de Test', population: 300 });
  const service = await buildService(db, { name: 'Messagerie, agenda' });
  await buildPool(db, { serviceId: service.id, year: currentYear(), poolCents: 1_000_050 });
  await buildFeeRule(db, currentYear());
  await buildSubscription(db, { memberId: member.id, serviceId: service.id });
  // A hosted service down for 90 minutes last month (a resolved major outage).
  hostedService = await buildService(db, { name: 'Hébergement des sites', code: 'SITES' });
  const startedAt = new Date(`${lastMonth}-10T08:00:00Z`);
  const [incident] = await db
    .insert(hostingIncidents)
    .values({
      title: 'Panne',
      state: 'major_outage',
      phase: 'resolved',
      startedAt,
      resolvedAt: new Date(startedAt.getTime() + 90 * 60_000),
    })
    .returning();
  await db.insert(hostingIncidentServices).values({ incidentId: incident.id, serviceId: hostedService.id });
  await db.insert(hostingIncidentUpdates).values({
    incidentId: incident.id,
    phase: 'investigating',
    state: 'major_outage',
    message: 'Sites injoignables.',
    at: startedAt,
  });
});
afterAll(async () => {
  await t.close();
});

const csvOf = (body: string) =>
  parse(body, { columns: true, delimiter: ',', bom: false }) as Record<string, string>[];

describe('open data', () => {
  it('lists every dataset in a DCAT-style catalogue with its fields, licence and stable addresses', async () => {
    const response = await request(t.app, null, 'GET', `${v1}/open-data`);
    expect(response.statusCode).toBe(200);
    const catalogue = response.json();
    expect(catalogue['@type']).toBe('dcat:Catalog');
    expect(catalogue.license.id).toBe('etalab-2.0');
    expect(catalogue.datasets.map((d: { identifier: string }) => d.identifier)).toEqual([...OPEN_DATASETS]);
    for (const dataset of catalogue.datasets) {
      expect(dataset.fields.length).toBeGreaterThan(3);
      expect(dataset.fields.every((f: { description: string }) => f.description.length > 0)).toBe(true);
      expect(dataset.distributions.map((d: { downloadURL: string }) => d.downloadURL)).toEqual([
        expect.stringMatching(new RegExp(`/api/v1/open-data/${dataset.identifier}\\.csv$`)),
        expect.stringMatching(new RegExp(`/api/v1/open-data/${dataset.identifier}\\.json$`)),
      ]);
    }
    expect(
      catalogue.datasets.find((d: { identifier: string }) => d.identifier === 'deliberations').conformsTo,
    ).toContain('schema.data.gouv.fr/schemas/scdl/deliberations');
  });

  it('gives each dataset as an RFC 4180 CSV (UTF-8, no BOM, commas) that parses back to its JSON', async () => {
    for (const id of OPEN_DATASETS) {
      const csv = await request(t.app, null, 'GET', `${v1}/open-data/${id}.csv`);
      expect(csv.statusCode, id).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.rawPayload[0]).not.toBe(0xef);
      const json = (await request(t.app, null, 'GET', `${v1}/open-data/${id}.json`)).json();
      const header = csv.body.split('\r\n')[0]?.split(',');
      expect(header).toEqual(json.fields.map((f: { name: string }) => f.name));
      const rows = csvOf(csv.body);
      expect(rows).toHaveLength(json.items.length);
      rows.forEach((row, i) => {
        for (const [name, value] of Object.entries(json.items[i] as Record<string, unknown>)) {
          expect(row[name], `${id} ${name}`).toBe(value === null ? '' : String(value));
        }
      });
    }
  });

  it('publishes public fields of members, prices per year and the cost-sharing rules', async () => {
    const members = csvOf((await request(t.app, null, 'GET', `${v1}/open-data/adherents.csv`)).body);
    const tricky = members.find((m) => m.nom === TRICKY);
    expect(tricky).toMatchObject({ population: '1200', statut: 'Adhérent' });
    expect(members.some((m) => m.type === 'Opérateur')).toBe(false);
    expect(Object.keys(tricky ?? {})).not.toContain('address');

    const prices = csvOf((await request(t.app, null, 'GET', `${v1}/open-data/catalogue-tarifs.csv`)).body);
    expect(prices.length).toBeGreaterThan(0);
    expect(prices[0]).toMatchObject({ annee: String(currentYear()), service: 'Messagerie, agenda' });

    const rules = csvOf((await request(t.app, null, 'GET', `${v1}/open-data/regles-repartition.csv`)).body);
    expect(rules.map((r) => r.code_service)).toContain('COTISATION');
    expect(rules.find((r) => r.service === 'Messagerie, agenda')).toMatchObject({
      annee: String(currentYear()),
      cout_mutualise: '10000.5',
    });

    const deliberations = (await request(t.app, null, 'GET', `${v1}/open-data/deliberations.csv`)).body;
    expect(deliberations.split('\r\n')[0]).toBe(SCDL_COLUMNS.join(','));
  });
});

describe('the monthly availability of hosted services', () => {
  it('gives each of the last twelve months per service, with last month’s outage', async () => {
    const json = (await request(t.app, null, 'GET', `${v1}/open-data/disponibilite-services.json`)).json();
    const rows = json.items.filter((r: { code_service: string }) => r.code_service === 'SITES');
    expect(rows).toHaveLength(12);
    const outage = rows.find((r: { mois: string }) => r.mois === lastMonth);
    expect(outage).toMatchObject({ minutes_indisponibilite: 90, engagement: 0.995 });
    expect(outage.disponibilite).toBeLessThan(1);
    const csv = csvOf((await request(t.app, null, 'GET', `${v1}/open-data/disponibilite-services.csv`)).body);
    expect(csv.find((r) => r.code_service === 'SITES' && r.mois === lastMonth)?.minutes_indisponibilite).toBe(
      '90',
    );
  });
});
