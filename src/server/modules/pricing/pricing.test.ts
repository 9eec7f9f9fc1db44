import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CostPool,
  CostSharing,
  Equity,
  MemberCosts,
  PublicPrices,
  Simulation,
} from '../../../contracts/pricing.js';
import { currentYear } from '../../platform/clock.js';
import { organisations } from '../../platform/db/schema.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildSignedInCast, randomSiren, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { buildFeeRule, buildPool } from './pricing.test-support.js';

type SharedService = CostSharing['services'][number];
type Share = SharedService['shares'][number];
type CostLine = MemberCosts['lines'][number];
type SimulatedMember = Simulation['members'][number];
type GrowthPoint = Simulation['growth'][number];
type PricedService = PublicPrices['services'][number];
type PriceStratum = PricedService['strata'][number];
type DepartementEquity = Equity['byDepartement'][number];

/** The item `pick` finds; a test fails without it. */
function found<T>(items: T[], pick: (item: T) => boolean): T {
  const item = items.find(pick);
  if (item === undefined) throw new Error('expected item not found');
  return item;
}

const YEAR = currentYear();
let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let finance: Session;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  cast = await buildSignedInCast(t);
  finance = await sessionAs(t, cast.operator, 'agent', ['finance'], 'Frédérique Finances');
  await db.update(organisations).set({ population: 3000 }).where(eq(organisations.id, cast.memberB.id));
  const equal = await buildService(db, { name: 'Télétransmission des actes', code: 'DEMAT-ACTES' });
  const byPopulation = await buildService(db, {
    name: 'Parapheur électronique',
    code: 'PARAPHEUR',
    alonePrices: [
      { upToPopulation: 2000, aloneCents: 120_000 },
      { upToPopulation: null, aloneCents: 300_000 },
    ],
  });
  const communesOnly = await buildService(db, {
    name: 'État civil',
    code: 'ETAT-CIVIL',
    eligibleKinds: ['commune'],
  });
  ids.equal = equal.id;
  ids.population = byPopulation.id;
  ids.communesOnly = communesOnly.id;
  await buildPool(db, { serviceId: equal.id, year: YEAR, poolCents: 100_001 });
  await buildPool(db, {
    serviceId: byPopulation.id,
    year: YEAR,
    poolCents: 200_000,
    rule: { kind: 'population' },
  });
  await buildSubscription(db, { memberId: cast.memberA.id, serviceId: equal.id });
  await buildSubscription(db, { memberId: cast.memberA.id, serviceId: byPopulation.id });
  await buildSubscription(db, { memberId: cast.memberB.id, serviceId: equal.id, startDate: `${YEAR}-07-15` });
  await buildSubscription(db, { memberId: cast.memberB.id, serviceId: byPopulation.id });
  await buildSubscription(db, { memberId: cast.memberB.id, serviceId: communesOnly.id });
  await buildFeeRule(db, YEAR, 50, 100_000);
});
afterAll(() => t?.close());

describe('PUT /api/v1/pricing/pools/{year}/{serviceId}', () => {
  const body = {
    licencesCents: 50_000,
    hostingCents: 20_000,
    staffCents: 25_000,
    otherCents: 5_000,
    rule: { kind: 'fixedVariable', fixedPercent: 30 },
  };

  it('records an itemised pool and its rule for the finance team, and lists it', async () => {
    const url = `/api/v1/pricing/pools/${YEAR + 1}/${ids.equal}`;
    const response = await request(t.app, finance, 'PUT', url, body);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ poolCents: 100_000, rule: body.rule });
    expect(response.json().ruleText).toContain('à parts égales');
    const list = await request(t.app, finance, 'GET', `/api/v1/pricing/pools/${YEAR + 1}`);
    expect(list.json().items.map((p: CostPool) => p.serviceId)).toEqual([ids.equal]);
  });

  it('refuses rules the engine cannot apply, in French, with the field path', async () => {
    const response = await request(t.app, finance, 'PUT', `/api/v1/pricing/pools/${YEAR + 1}/${ids.equal}`, {
      ...body,
      rule: {
        kind: 'strata',
        strata: [
          { upTo: 500, weight: 1 },
          { upTo: 1000, weight: 2 },
        ],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe('body.rule.strata.1.upTo');
    expect(response.json().detail).toContain('sans limite supérieure');
  });

  it('answers 404 for an unknown service, 401 anonymous, 403 without the finance scope', async () => {
    const unknown = `/api/v1/pricing/pools/${YEAR}/00000000-0000-4000-8000-000000000000`;
    expect((await request(t.app, finance, 'PUT', unknown, body)).statusCode).toBe(404);
    const url = `/api/v1/pricing/pools/${YEAR}/${ids.equal}`;
    expect((await request(t.app, null, 'PUT', url, body)).statusCode).toBe(401);
    expect((await request(t.app, cast.operatorAgent, 'PUT', url, body)).statusCode).toBe(403);
    expect((await request(t.app, cast.adminA, 'PUT', url, body)).statusCode).toBe(403);
    expect((await request(t.app, cast.adminA, 'GET', `/api/v1/pricing/pools/${YEAR}`)).statusCode).toBe(403);
  });
});

describe('membership fee rules', () => {
  it('lets finance set the fee of a year and anyone read it', async () => {
    const url = `/api/v1/pricing/membership-fees/${YEAR + 1}`;
    const put = await request(t.app, finance, 'PUT', url, { centsPerInhabitant: 45.5, minimumCents: 15_000 });
    expect(put.statusCode, put.body).toBe(200);
    expect((await request(t.app, null, 'GET', url)).json()).toMatchObject({
      centsPerInhabitant: 45.5,
      minimumCents: 15_000,
    });
    expect(
      (await request(t.app, finance, 'PUT', url, { centsPerInhabitant: -1, minimumCents: 0 })).statusCode,
    ).toBe(400);
    expect(
      (await request(t.app, cast.adminA, 'PUT', url, { centsPerInhabitant: 1, minimumCents: 0 })).statusCode,
    ).toBe(403);
    expect(
      (await request(t.app, null, 'GET', `/api/v1/pricing/membership-fees/${YEAR + 5}`)).statusCode,
    ).toBe(404);
  });
});

describe('GET /api/v1/cost-sharing/{year}', () => {
  it('shares every pool exactly among the year’s subscribers, prorated by months', async () => {
    const response = await request(t.app, finance, 'GET', `/api/v1/cost-sharing/${YEAR}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.year).toBe(YEAR);
    const equal = body.services.find((s: SharedService) => s.serviceId === ids.equal);
    expect(equal.shares.reduce((sum: number, s: Share) => sum + s.shareCents, 0)).toBe(100_001);
    const a = equal.shares.find((s: Share) => s.memberId === cast.memberA.id).shareCents;
    const b = equal.shares.find((s: Share) => s.memberId === cast.memberB.id).shareCents;
    // A: 12 months, B: 6 months (July to December).
    expect(a).toBe(66_667);
    expect(b).toBe(33_334);
    const population = body.services.find((s: SharedService) => s.serviceId === ids.population);
    expect(population.shares.find((s: Share) => s.memberId === cast.memberA.id)).toEqual({
      memberId: cast.memberA.id,
      shareCents: 50_000,
      aloneCents: 120_000,
    });
    expect(population.shares.find((s: Share) => s.memberId === cast.memberB.id).aloneCents).toBe(300_000);
    expect(body.services.some((s: SharedService) => s.serviceId === ids.communesOnly)).toBe(false);
  });

  it('is for the finance team: 401, 403, and 400 on a bad year', async () => {
    expect((await request(t.app, null, 'GET', `/api/v1/cost-sharing/${YEAR}`)).statusCode).toBe(401);
    expect((await request(t.app, cast.adminA, 'GET', `/api/v1/cost-sharing/${YEAR}`)).statusCode).toBe(403);
    expect((await request(t.app, cast.operatorAgent, 'GET', `/api/v1/cost-sharing/${YEAR}`)).statusCode).toBe(
      403,
    );
    expect((await request(t.app, finance, 'GET', '/api/v1/cost-sharing/1800')).statusCode).toBe(400);
    expect((await request(t.app, cast.operatorAdmin, 'GET', `/api/v1/cost-sharing/${YEAR}`)).statusCode).toBe(
      200,
    );
  });
});

describe('GET /api/v1/members/{memberId}/costs/{year}', () => {
  it('shows a member its costs per service, explained in French, its fee and its savings', async () => {
    const response = await request(
      t.app,
      cast.readerA,
      'GET',
      `/api/v1/members/${cast.memberA.id}/costs/${YEAR}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.lines.map((l: CostLine) => l.serviceName)).toEqual([
      'Parapheur électronique',
      'Télétransmission des actes',
      `Cotisation d'adhésion ${YEAR}`,
    ]);
    const parapheur = body.lines[0];
    expect(parapheur).toMatchObject({ shareCents: 50_000, aloneCents: 120_000, savingsCents: 70_000 });
    expect(parapheur.explanationLines[0]).toBe('Règle : au prorata de la population.');
    expect(parapheur.explanationLines.at(-1)).toMatch(/^Total : 500,00\s€\.$/);
    expect(parapheur).not.toHaveProperty('explanation');
    // 1,000 inhabitants × 0.50 € = 500 € < the 1,000 € minimum.
    expect(body.lines[2].shareCents).toBe(100_000);
    expect(body.lines[2].explanationLines.join(' ')).toContain('minimum');
    expect(body.totalCents).toBe(50_000 + 66_667 + 100_000);
    expect(body.savingsCents).toBe(70_000);
  });

  it('lists subscribed services that have no price yet', async () => {
    const body = (
      await request(t.app, cast.adminB, 'GET', `/api/v1/members/${cast.memberB.id}/costs/${YEAR}`)
    ).json();
    expect(body.unpriced).toEqual([{ serviceId: ids.communesOnly, serviceName: 'État civil' }]);
    expect(body.lines.find((l: CostLine) => l.serviceId === ids.equal).explanationLines).toContain(
      "Durée d'abonnement : 6 mois sur 12 (prorata 6/12).",
    );
  });

  it('never shows a member another member’s costs; any operator agent may read them', async () => {
    const url = `/api/v1/members/${cast.memberB.id}/costs/${YEAR}`;
    expect((await request(t.app, cast.adminA, 'GET', url)).statusCode).toBe(403);
    expect((await request(t.app, null, 'GET', url)).statusCode).toBe(401);
    expect((await request(t.app, cast.operatorAgent, 'GET', url)).statusCode).toBe(200);
    const unknown = `/api/v1/members/00000000-0000-4000-8000-000000000000/costs/${YEAR}`;
    expect((await request(t.app, cast.operatorAgent, 'GET', unknown)).statusCode).toBe(404);
    expect(
      (await request(t.app, cast.operatorAgent, 'GET', `/api/v1/members/nope/costs/${YEAR}`)).statusCode,
    ).toBe(400);
  });

  it('reflects a new subscription at once (the cached year is invalidated)', async () => {
    const url = `/api/v1/members/${cast.memberA.id}/costs/${YEAR}`;
    const before = (await request(t.app, cast.adminA, 'GET', url)).json();
    const other = await t.database.db
      .insert(organisations)
      .values({
        kind: 'ccas',
        name: 'CCAS témoin',
        searchName: 'ccas temoin',
        siren: randomSiren(),
        population: 10,
        status: 'member',
      })
      .returning();
    await buildSubscription(t.database.db, { memberId: other[0].id, serviceId: ids.equal });
    const after = (await request(t.app, cast.adminA, 'GET', url)).json();
    const share = (body: MemberCosts) => found(body.lines, (l) => l.serviceId === ids.equal).shareCents;
    expect(share(after)).toBeLessThan(share(before));
  });
});

describe('POST /api/v1/pricing/simulations', () => {
  it('shows each member’s price before and after newcomers join, and the economies of scale', async () => {
    const response = await request(t.app, finance, 'POST', '/api/v1/pricing/simulations', {
      serviceId: ids.population,
      year: YEAR,
      join: { count: 3, population: 1000, kind: 'commune' },
      steps: [0, 1, 10, 100],
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const a = body.members.find((m: SimulatedMember) => m.memberId === cast.memberA.id);
    expect(a.beforeCents).toBe(50_000);
    // 200,000 × 1,000 / 7,000 = 28,571.43: the floor, or one more cent from the largest remainders.
    expect([28_571, 28_572]).toContain(a.afterCents);
    expect(a.deltaCents).toBe(a.afterCents - 50_000);
    expect(body.newcomerShares).toHaveLength(3);
    expect(body.growth.map((g: GrowthPoint) => g.subscribers)).toEqual([2, 3, 12, 102]);
    const averages = body.growth.map((g: GrowthPoint) => g.averageShareCents);
    expect(averages).toEqual([...averages].sort((x: number, y: number) => y - x));
  });

  it('simulates a change of rule without writing anything', async () => {
    const response = await request(t.app, finance, 'POST', '/api/v1/pricing/simulations', {
      serviceId: ids.population,
      year: YEAR,
      rule: { kind: 'equal' },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().members.map((m: SimulatedMember) => m.afterCents)).toEqual([100_000, 100_000]);
    const sharing = (
      await request(t.app, finance, 'GET', `/api/v1/cost-sharing/${YEAR}?serviceId=${ids.population}`)
    ).json();
    expect(sharing.services[0].rule).toEqual({ kind: 'population' });
  });

  it('refuses an ineligible profile (422), a bad body (400), and other roles (401/403)', async () => {
    const base = { serviceId: ids.communesOnly, year: YEAR };
    await buildPool(t.database.db, { serviceId: ids.communesOnly, year: YEAR + 2 });
    const ineligible = await request(t.app, finance, 'POST', '/api/v1/pricing/simulations', {
      ...base,
      year: YEAR + 2,
      join: { count: 1, population: 100, kind: 'ccas' },
    });
    expect(ineligible.statusCode).toBe(422);
    expect(ineligible.json().errors[0].path).toBe('body.join.kind');
    expect(
      (await request(t.app, finance, 'POST', '/api/v1/pricing/simulations', { ...base, join: { count: 0 } }))
        .statusCode,
    ).toBe(400);
    expect((await request(t.app, null, 'POST', '/api/v1/pricing/simulations', base)).statusCode).toBe(401);
    expect((await request(t.app, cast.adminA, 'POST', '/api/v1/pricing/simulations', base)).statusCode).toBe(
      403,
    );
  });
});

describe('public prices, savings and equity', () => {
  it('publishes the price list and the aggregate savings to anyone, with no member named', async () => {
    const response = await request(t.app, null, 'GET', `/api/v1/public/prices/${YEAR}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.membershipFee.ruleText).toContain('minimum');
    const parapheur = body.services.find((s: PricedService) => s.serviceId === ids.population);
    expect(parapheur.strata.map((s: PriceStratum) => s.label)).toEqual([
      "jusqu'à 2\u202f000 habitants",
      '2\u202f001 habitants et plus',
    ]);
    expect(parapheur.totalSavingsCents).toBe(120_000 + 300_000 - 200_000);
    expect(body.savings.totalSavingsCents).toBeGreaterThan(0);
    expect(response.body).not.toContain(cast.memberA.id);
    expect(response.body).not.toContain(cast.memberB.id);
  });

  it('gives the cost per inhabitant by size stratum and by département to signed-in people', async () => {
    const response = await request(t.app, cast.readerA, 'GET', `/api/v1/pricing/equity/${YEAR}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    const vendee = body.byDepartement.find((d: DepartementEquity) => d.code === '85');
    expect(vendee.name).toBe('Vendée');
    expect(vendee.members).toBeGreaterThanOrEqual(2);
    expect(vendee.centsPerInhabitant).toBeCloseTo(vendee.totalCents / vendee.population, 2);
    expect(body.byStratum).toHaveLength(7);
    expect((await request(t.app, null, 'GET', `/api/v1/pricing/equity/${YEAR}`)).statusCode).toBe(401);
  });
});
