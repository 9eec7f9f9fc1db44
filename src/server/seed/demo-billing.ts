/**
 * Demo pricing and billing: the current year's cost pool and rule for every catalogue service, the
 * membership fee, and the year's contribution call issued through the real issuing service (so the
 * numbers are continuous, as in production). Idempotent: a second call creates nothing.
 */
import { sql } from 'drizzle-orm';
import { runBilling } from '../modules/billing/billing.run.js';
import type { Rule } from '../modules/pricing/engine/index.js';
import { computeYearModel } from '../modules/pricing/pricing.model.js';
import { costPools, membershipFeeRules } from '../modules/pricing/pricing.schema.js';
import { currentYear } from '../platform/clock.js';
import { type Db, rowsOf } from '../platform/db/client.js';
import { SYSTEM_OPERATOR, withTenant } from '../platform/db/tenancy.js';

/** Yearly cost per subscriber the operator carries, by domain (cents), before pooling. */
const COST_PER_SUBSCRIBER: Record<string, number> = {
  dematerialisation: 42_000,
  logiciels_metiers: 135_000,
  rgpd: 38_000,
  cybersecurite: 52_000,
  hebergement: 27_000,
  accompagnement_formation: 18_000,
};

/** A rule per domain, so the demo shows every kind the engine knows. */
function ruleFor(domain: string, unitLabel: string | null, code: string): Rule {
  if (unitLabel) return { kind: 'units', unitLabel };
  switch (domain) {
    case 'dematerialisation':
      return {
        kind: 'strata',
        strata: [
          { upTo: 500, weight: 1 },
          { upTo: 2_000, weight: 1.5 },
          { upTo: 10_000, weight: 3 },
          { upTo: 50_000, weight: 6 },
          { upTo: null, weight: 10 },
        ],
      };
    case 'logiciels_metiers':
      return { kind: 'fixedVariable', fixedPercent: 30 };
    case 'rgpd':
      return { kind: 'population', floorCents: 15_000, ceilingCents: 2_500_000 };
    case 'hebergement':
      return code.length % 2 === 0
        ? {
            kind: 'strata',
            strata: [
              { upTo: 1_000, fixedCents: 18_000 },
              { upTo: 10_000, fixedCents: 42_000 },
              { upTo: null, fixedCents: 96_000 },
            ],
          }
        : { kind: 'equal' };
    default:
      return { kind: 'equal' };
  }
}

export interface BillingSeedReport {
  year: number;
  pools: number;
  invoices: number;
  firstNumber: string | null;
  lastNumber: string | null;
}

export async function seedBilling(db: Db, year = currentYear()): Promise<BillingSeedReport> {
  const services = rowsOf<{
    id: string;
    code: string;
    domain: string;
    unit_label: string | null;
    subscribers: unknown;
    declared_units: unknown;
  }>(
    await db.execute(sql`
      SELECT c.id, c.code, c.domain, c.unit_label,
        (SELECT count(*) FROM subscriptions s
          WHERE s.service_id = c.id AND s.status IN ('active', 'termination_requested', 'terminated')) AS subscribers,
        (SELECT count(*) FROM subscriptions s WHERE s.service_id = c.id AND s.units > 0) AS declared_units
      FROM catalogue_services c
      WHERE c.status IN ('open', 'closed')
      ORDER BY c.code`),
  );
  const pools = services.map((s) => {
    // A per-unit rule needs declared units; without any, the service is shared equally.
    const rule = ruleFor(s.domain, Number(s.declared_units) > 0 ? s.unit_label : null, s.code);
    // Pooling costs the operator less than the sum of what members would pay alone: a fixed base
    // plus a falling marginal cost per subscriber.
    const n = Number(s.subscribers);
    const perSubscriber = COST_PER_SUBSCRIBER[s.domain] ?? 30_000;
    const total = Math.round(perSubscriber * 8 + perSubscriber * 0.45 * n);
    const licences = Math.round(total * 0.4);
    const hosting = Math.round(total * 0.2);
    const staff = Math.round(total * 0.3);
    return {
      serviceId: s.id,
      year,
      licencesCents: licences,
      hostingCents: hosting,
      staffCents: staff,
      otherCents: total - licences - hosting - staff,
      rule,
    };
  });
  if (pools.length) await db.insert(costPools).values(pools).onConflictDoNothing();
  await db
    .insert(membershipFeeRules)
    .values({ year, centsPerInhabitant: '45', minimumCents: 15_000 })
    .onConflictDoNothing();

  const result = await withTenant(db, SYSTEM_OPERATOR, async (tx) =>
    runBilling(tx, await computeYearModel(tx, year), {
      year,
      mode: 'issue',
      // Some demo structures have no SIRET on record (as in a real registry being completed): the
      // demo's call is issued as an operator would after checking, forced and recorded in the audit.
      force: true,
      previewLimit: 0,
      actorUserId: null,
    }),
  );
  return {
    year,
    pools: pools.length,
    invoices: result.invoiceCount,
    firstNumber: result.firstNumber,
    lastNumber: result.lastNumber,
  };
}
