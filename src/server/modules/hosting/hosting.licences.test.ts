import { eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useClock } from '../../platform/clock.js';
import { createTestApp, request, type TestApp } from '../../test/app.js';
import { multipart } from '../../test/bodies.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { pricingAdoptions } from '../pricing/pricing.schema.js';
import { subscriptionEvents, subscriptions } from '../subscriptions/subscriptions.schema.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { readUsageExport, thresholdReached } from './hosting.licences.service.js';
import { buildHostingCast } from './hosting.test-support.js';

let t: TestApp;
let cast: Awaited<ReturnType<typeof buildHostingCast>>;
const v1 = '/api/v1';
let restoreClock: () => void;

beforeAll(async () => {
  restoreClock = useClock({ now: () => new Date('2026-03-02T09:00:00.000Z') });
  t = await createTestApp();
  cast = await buildHostingCast(t);
});
afterAll(async () => {
  await t.close();
  restoreClock();
});

const file = (data: Buffer | string) =>
  multipart(
    {},
    {
      name: 'export.csv',
      data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
      type: 'text/csv',
    },
  );

async function payrollLicence(units: number, startDate = '2026-01-01') {
  const service = await buildService(t.database.db, {
    name: `Logiciel de paie ${Math.random().toString(36).slice(2, 6)}`,
    domain: 'logiciels_metiers',
    unitLabel: 'licences',
  });
  const subscription = await buildSubscription(t.database.db, {
    memberId: cast.memberA.id,
    serviceId: service.id,
    units,
    startDate,
  });
  return { service, subscription, url: `${v1}/members/${cast.memberA.id}/licences/${subscription.id}` };
}

describe('reading a software’s export', () => {
  it('counts active accounts, refuses a repeated one and an unknown state, or sums a count column', () => {
    const accounts = readUsageExport(
      Buffer.from(
        'Identifiant;Nom;Actif\nalice;Alice Martin;oui\nbruno;Bruno Petit;non\nALICE;Alice bis;oui\nchloe;Chloé;peut-être\n\ndavid;David;Actif\n',
      ),
    );
    expect(accounts).toMatchObject({ rows: 5, seatsUsed: 2, inactive: 1, encoding: 'utf-8' });
    expect(accounts.errors).toEqual([
      { line: 4, column: 'Identifiant', message: 'le compte « ALICE » figure déjà ligne 2.' },
      {
        line: 5,
        column: 'Actif',
        message: 'état « peut-être » inconnu (colonne « Actif » : actif ou inactif, oui ou non).',
      },
    ]);
    // Windows-1252, commas, a count column with a thin space.
    const counts = readUsageExport(
      iconv.encode('Service,Quantité\r\nÉtat civil,"1 200"\r\nPaie,12\r\nRH,douze\r\n', 'win1252'),
    );
    expect(counts).toMatchObject({ encoding: 'windows-1252', rows: 3, seatsUsed: 1212 });
    expect(counts.errors).toEqual([
      {
        line: 4,
        column: 'Quantité',
        message: "« douze » n'est pas un nombre entier positif (colonne « Quantité »).",
      },
    ]);
    expect(readUsageExport(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00])).errors[0]?.message).toContain(
      'classeur',
    );
  });

  it('tells which threshold the usage reaches', () => {
    expect([0, 8, 9, 10, 11].map((used) => thresholdReached(used, 10))).toEqual([0, 0, 90, 100, 100]);
    expect(thresholdReached(1, 0)).toBe(100);
    expect(thresholdReached(0, 0)).toBe(0);
  });
});

describe('licences', () => {
  it('imports usage from the export after a dry run, all or nothing, by the member’s admins and agents', async () => {
    const { url } = await payrollLicence(10);
    const bad = file('login;statut\nalice;actif\nbruno;?\n');
    const dry = await request(t.app, cast.agentA, 'POST', `${url}/usage/import`, bad.payload, bad.headers);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      rows: 2,
      seatsUsed: 1,
      seatsAllowed: 10,
      licence: null,
    });
    expect(dry.json().errors).toHaveLength(1);
    const refused = await request(
      t.app,
      cast.agentA,
      'POST',
      `${url}/usage/import?dryRun=false`,
      bad.payload,
      bad.headers,
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Ligne 3');
    const list = await request(t.app, cast.readerA, 'GET', `${v1}/members/${cast.memberA.id}/licences`);
    expect(list.json().items.find((l: { seatsUsed: number | null }) => l.seatsUsed !== null)).toBeUndefined();

    const good = file('login;statut\nalice;actif\nbruno;inactif\nchloe;actif\n');
    const reader = await request(
      t.app,
      cast.readerA,
      'POST',
      `${url}/usage/import`,
      good.payload,
      good.headers,
    );
    expect(reader.statusCode).toBe(403);
    const applied = await request(
      t.app,
      cast.agentA,
      'POST',
      `${url}/usage/import?dryRun=false`,
      good.payload,
      good.headers,
    );
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({
      dryRun: false,
      seatsUsed: 2,
      inactive: 1,
      licence: { seatsUsed: 2, seatsAllowed: 10, source: 'import', nearCap: false },
    });
    const empty = file('login;statut\n');
    const nothing = await request(
      t.app,
      cast.agentA,
      'POST',
      `${url}/usage/import?dryRun=false`,
      empty.payload,
      empty.headers,
    );
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('aucune ligne');
  });

  it('mails the member’s admins once per threshold crossed, again after falling back', async () => {
    const { service, url } = await payrollLicence(10);
    const declare = (seatsUsed: number) =>
      request(t.app, cast.agentA, 'PUT', `${url}/usage`, { seatsUsed }).then((r) => {
        expect(r.statusCode).toBe(200);
        return t.mail.delivered.filter((m) => m.subject.includes(service.name));
      });
    expect(await declare(5)).toHaveLength(0);
    const near = await declare(9);
    // Member A's admin only (not its agent or reader).
    expect(near.map((m) => [m.to, m.subject])).toEqual([
      [expect.stringContaining('@'), `[Socle] Licences ${service.name} : bientôt au plafond`],
    ]);
    expect(near[0]?.text).toContain('9 licences sur 10');
    expect(await declare(9)).toHaveLength(1);
    const full = await declare(10);
    expect(full.map((m) => m.subject)).toEqual([
      `[Socle] Licences ${service.name} : bientôt au plafond`,
      `[Socle] Licences ${service.name} : plafond atteint`,
    ]);
    expect(await declare(11)).toHaveLength(2);
    expect(await declare(4)).toHaveLength(2);
    expect(await declare(9)).toHaveLength(3);
  });

  it('become the declared units of a year the operator confirms, through the subscriptions’ change', async () => {
    const { subscription, url } = await payrollLicence(10);
    await request(t.app, cast.agentA, 'PUT', `${url}/usage`, { seatsUsed: 7 });
    const route = `${v1}/hosting/licences/declared-units`;
    expect((await request(t.app, cast.adminA, 'POST', route, { year: 2026 })).statusCode).toBe(403);
    const preview = await request(t.app, cast.hostingTeam, 'POST', route, { year: 2026 });
    expect(preview.statusCode).toBe(200);
    const change = preview
      .json()
      .changes.find((c: { subscriptionId: string }) => c.subscriptionId === subscription.id);
    expect(change).toMatchObject({ memberName: 'Commune A', units: 10, seatsUsed: 7, unitLabel: 'licences' });
    const [untouched] = await t.database.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, subscription.id));
    expect(untouched?.units).toBe(10);

    const confirmed = await request(t.app, cast.hostingTeam, 'POST', route, { year: 2026, confirm: true });
    expect(confirmed.json()).toMatchObject({ year: 2026, confirmed: true });
    const [row] = await t.database.db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, subscription.id));
    expect(row?.units).toBe(7);
    const events = await t.database.db
      .select()
      .from(subscriptionEvents)
      .where(eq(subscriptionEvents.subscriptionId, subscription.id));
    expect(events.map((e) => e.note)).toContainEqual('Nombre de licences déclaré : 10 → 7.');
    const again = await request(t.app, cast.hostingTeam, 'POST', route, { year: 2026 });
    expect(
      again.json().changes.some((c: { subscriptionId: string }) => c.subscriptionId === subscription.id),
    ).toBe(false);

    // Not delivered in 2025; 2024's tariffs adopted: refused.
    expect(
      (await request(t.app, cast.hostingTeam, 'POST', route, { year: 2025 }))
        .json()
        .changes.some((c: { subscriptionId: string }) => c.subscriptionId === subscription.id),
    ).toBe(false);
    await t.database.db.insert(pricingAdoptions).values({ year: 2024, adoptedOn: '2023-12-12' });
    const adopted = await request(t.app, cast.hostingTeam, 'POST', route, { year: 2024, confirm: true });
    expect(adopted.statusCode).toBe(422);
    expect(adopted.body).toContain('adoptés');
  });
});
