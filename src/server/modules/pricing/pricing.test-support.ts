import type { Db } from '../../platform/db/client.js';
import type { Rule } from './engine/index.js';
import { costPools, membershipFeeRules } from './pricing.schema.js';

/** A cost pool for `serviceId` and `year` (all of it in « other » unless itemised). Test-only. */
export async function buildPool(
  db: Db,
  input: {
    serviceId: string;
    year: number;
    rule?: Rule;
    poolCents?: number;
    licencesCents?: number;
    hostingCents?: number;
    staffCents?: number;
  },
) {
  const [row] = await db
    .insert(costPools)
    .values({
      serviceId: input.serviceId,
      year: input.year,
      licencesCents: input.licencesCents ?? 0,
      hostingCents: input.hostingCents ?? 0,
      staffCents: input.staffCents ?? 0,
      otherCents: input.poolCents ?? 100_000,
      rule: input.rule ?? { kind: 'equal' },
    })
    .returning();
  return row;
}

export async function buildFeeRule(db: Db, year: number, centsPerInhabitant = 50, minimumCents = 10_000) {
  await db
    .insert(membershipFeeRules)
    .values({ year, centsPerInhabitant: String(centsPerInhabitant), minimumCents })
    .onConflictDoNothing();
}
