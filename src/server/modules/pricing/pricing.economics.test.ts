/**
 * Economics that make sense: the operator is warned of every service whose pooled share exceeds the
 * stand-alone price for some members, and the membership fee of a structure joining during the year
 * follows the year's proration setting (none, by month, by day), in its costs and its invoice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingRunResult } from '../../../contracts/billing.js';
import type { AboveAlone, MemberCosts, MembershipFee } from '../../../contracts/pricing.js';
import { membershipEvents } from '../../platform/db/schema.js';
import { createTestApp, request, type Session, type TestApp } from '../../test/app.js';
import { buildSignedInCast, sessionAs } from '../../test/builders.js';
import { buildService } from '../catalogue/catalogue.test-support.js';
import { buildSubscription } from '../subscriptions/subscriptions.test-support.js';
import { feeProrata } from './pricing.model.js';
import { buildPool } from './pricing.test-support.js';

/** A leap year: 366 days. */
const YEAR = 2028;
let t: TestApp;
let cast: Awaited<ReturnType<typeof buildSignedInCast>>;
let finance: Session;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  cast = await buildSignedInCast(t);
  finance = await sessionAs(t, cast.operator, 'agent', ['finance']);
  // Two members of 1,000 inhabitants share 100,000 equally: 50,000 each.
  const dear = await buildService(db, {
    name: 'Hébergement',
    alonePrices: [{ upToPopulation: null, aloneCents: 40_000 }],
  });
  const cheap = await buildService(db, {
    name: 'Messagerie',
    alonePrices: [{ upToPopulation: null, aloneCents: 90_000 }],
  });
  for (const service of [dear, cheap]) {
    await buildPool(db, { serviceId: service.id, year: YEAR, poolCents: 100_000 });
    for (const member of [cast.memberA, cast.memberB]) {
      await buildSubscription(db, { memberId: member.id, serviceId: service.id, startDate: `${YEAR}-01-01` });
    }
  }
  // Member B joined on 4 December.
  await db.insert(membershipEvents).values({
    memberId: cast.memberB.id,
    fromStatus: 'accepted',
    toStatus: 'member',
    effectiveOn: `${YEAR}-12-04`,
  });
});
afterAll(() => t?.close());

describe('shares above the stand-alone price', () => {
  it('are listed for the operator, service by service, with the members concerned', async () => {
    const response = await request(t.app, finance, 'GET', `/api/v1/pricing/above-alone/${YEAR}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<AboveAlone>();
    expect(body.services).toHaveLength(1);
    const [service] = body.services;
    expect(service).toMatchObject({ serviceName: 'Hébergement', subscribers: 2, count: 2 });
    expect(new Set(service.members.map((m) => m.memberName))).toEqual(
      new Set([cast.memberA.name, cast.memberB.name]),
    );
    expect(service.members.every((m) => m.shareCents === 50_000 && m.aloneCents === 40_000)).toBe(true);
  });

  it('are for the finance team only', async () => {
    expect((await request(t.app, cast.adminA, 'GET', `/api/v1/pricing/above-alone/${YEAR}`)).statusCode).toBe(
      403,
    );
  });
});

describe('the membership fee of a structure joining during the year', () => {
  const feeLine = async (memberId: string) => {
    const costs = await request(t.app, finance, 'GET', `/api/v1/members/${memberId}/costs/${YEAR}`);
    expect(costs.statusCode, costs.body).toBe(200);
    const line = costs.json<MemberCosts>().lines.find((l) => l.serviceId === null);
    if (!line) throw new Error('no fee line');
    return line;
  };
  const setFee = async (proration?: string) => {
    const response = await request(t.app, finance, 'PUT', `/api/v1/pricing/membership-fees/${YEAR}`, {
      centsPerInhabitant: 50,
      minimumCents: 10_000,
      ...(proration ? { proration } : {}),
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<MembershipFee>();
  };

  it('is the whole year by default', async () => {
    expect((await setFee()).proration).toBe('none');
    expect((await feeLine(cast.memberB.id)).shareCents).toBe(50_000);
    expect((await feeLine(cast.memberA.id)).shareCents).toBe(50_000);
  });

  it('counts the months from the month of joining', async () => {
    expect((await setFee('month')).proration).toBe('month');
    const line = await feeLine(cast.memberB.id);
    // 50,000 × 1/12.
    expect(line.shareCents).toBe(4_167);
    expect(line.explanationLines).toContain('Adhésion le 4 décembre 2028 : prorata de 1 mois sur 12.');
    expect((await feeLine(cast.memberA.id)).shareCents).toBe(50_000);
  });

  it('counts the days from the day of joining, and the invoice says so', async () => {
    await setFee('day');
    const line = await feeLine(cast.memberB.id);
    // 50,000 × 28/366 (4 to 31 December of a leap year).
    expect(line.shareCents).toBe(3_825);
    expect(line.explanationLines).toContain('Adhésion le 4 décembre 2028 : prorata de 28 jours sur 366.');
    const preview = await request(t.app, finance, 'POST', '/api/v1/billing/runs', {
      year: YEAR,
      mode: 'preview',
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const invoice = preview.json<BillingRunResult>().invoices.find((i) => i.memberId === cast.memberB.id);
    expect(invoice?.lines.find((l) => l.serviceId === null)).toMatchObject({
      label: `Cotisation d'adhésion ${YEAR} (à partir du 4 décembre)`,
      totalCents: 3_825,
    });
  });

  it('is refused with a French message for an unknown setting', async () => {
    const response = await request(t.app, finance, 'PUT', `/api/v1/pricing/membership-fees/${YEAR}`, {
      centsPerInhabitant: 50,
      minimumCents: 10_000,
      proration: 'week',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ path: 'body.proration' });
  });

  it('prorates by the calendar: first day and first month are the whole year, after the year is nothing', () => {
    expect(feeProrata('day', 2027, '2027-01-01')).toBeNull();
    expect(feeProrata('month', 2027, '2027-01-20')).toBeNull();
    expect(feeProrata('day', 2027, '2027-12-31')).toEqual({
      joinedOn: '2027-12-31',
      unit: 'day',
      count: 1,
      of: 365,
    });
    expect(feeProrata('month', 2027, '2028-02-01')?.count).toBe(0);
    expect(feeProrata('none', 2027, '2027-06-01')).toBeNull();
  });
});
