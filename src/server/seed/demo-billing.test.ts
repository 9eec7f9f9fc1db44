import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLuhnDigit } from '../../contracts/identifiers.js';
import { buildService } from '../modules/catalogue/catalogue.test-support.js';
import { buildSubscription } from '../modules/subscriptions/subscriptions.test-support.js';
import { costPools, invoices, organisations } from '../platform/db/schema.js';
import { createTestApp, type TestApp } from '../test/app.js';
import { buildOperator, buildOrganisation } from '../test/builders.js';
import { seedBilling } from './demo-billing.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const operator = await buildOperator(db);
  await db
    .update(organisations)
    .set({ siret: withLuhnDigit(`${operator.siren}0001`) })
    .where(eq(organisations.id, operator.id));
  const services = [
    await buildService(db, { domain: 'dematerialisation' }),
    await buildService(db, { domain: 'rgpd' }),
    await buildService(db, { domain: 'hebergement', unitLabel: 'sites' }),
  ];
  for (let i = 0; i < 4; i++) {
    const member = await buildOrganisation(db, { population: 300 * (i + 1) });
    for (const s of services)
      await buildSubscription(db, { memberId: member.id, serviceId: s.id, units: i + 1 });
  }
});
afterAll(() => t?.close());

describe('seedBilling', () => {
  it('prices every service and issues the year’s call once, with continuous numbers', async () => {
    const year = new Date().getFullYear();
    const first = await seedBilling(t.database.db);
    expect(first).toMatchObject({
      year,
      pools: 3,
      invoices: 4,
      firstNumber: `F-${year}-000001`,
      lastNumber: `F-${year}-000004`,
    });
    const pools = await t.database.db.select().from(costPools);
    expect(pools.map((p) => p.rule.kind).sort()).toEqual(['population', 'strata', 'units']);
    const again = await seedBilling(t.database.db);
    expect(again.invoices).toBe(0);
    expect(await t.database.db.$count(invoices)).toBe(4);
  });
});
