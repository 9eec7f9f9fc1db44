import { sql } from 'drizzle-orm';
import type { Equity, PublicPrices } from '../../../contracts/pricing.js';
import type { Database, Executor } from '../../platform/db/client.js';
import { withTenant } from '../../platform/db/tenancy.js';
import { type ColumnarAllocation, describeRule, stratumOf } from './engine/index.js';
import { aloneCentsFor, assertPriced, PRICING_READER, type YearModel, yearModels } from './pricing.model.js';
import { departementNames } from './pricing.repository.js';
import { costPools } from './pricing.schema.js';

/*
 * What the year's cost-sharing tells everyone: the public price list with the savings of
 * mutualisation, and the equity report (cost per inhabitant by size and by département). Aggregates
 * only: no member is named.
 */

const integer = new Intl.NumberFormat('fr-FR');

/** "jusqu'à 500 habitants", "de 501 à 2 000 habitants", "50 001 habitants et plus". */
export function stratumLabel(strata: readonly { upTo: number | null }[], index: number): string {
  const upTo = strata[index].upTo;
  const from = index === 0 ? 0 : (strata[index - 1].upTo as number) + 1;
  if (upTo === null) return index === 0 ? 'toutes populations' : `${integer.format(from)} habitants et plus`;
  return index === 0
    ? `jusqu'à ${integer.format(upTo)} habitants`
    : `de ${integer.format(from)} à ${integer.format(upTo)} habitants`;
}

/** Size strata of the equity report and of price lists without strata of their own. */
export const SIZE_STRATA: { upTo: number | null }[] = [
  { upTo: 500 },
  { upTo: 1_000 },
  { upTo: 2_000 },
  { upTo: 3_500 },
  { upTo: 10_000 },
  { upTo: 50_000 },
  { upTo: null },
];

export function publicPrices(model: YearModel): PublicPrices {
  let subscribers = 0;
  let totalShare = 0;
  let totalAlone = 0;
  let totalSavings = 0;
  const services: PublicPrices['services'] = [];
  for (const s of model.services) {
    if (s.error || !s.allocation) continue;
    const rule = s.pool.rule;
    const strata: { upTo: number | null; aloneCents?: number }[] =
      rule.kind === 'strata'
        ? rule.strata.map((x) => ({ upTo: x.upTo }))
        : s.alone
          ? s.alone.map((a) => ({ upTo: a.upTo, aloneCents: a.aloneCents }))
          : SIZE_STRATA;
    const stats = strata.map(() => ({ n: 0, min: Number.POSITIVE_INFINITY, max: 0, sum: 0 }));
    const c = s.allocation.shares;
    let serviceAlone = 0;
    let serviceSavings = 0;
    for (let i = 0; i < c.memberIds.length; i++) {
      const share = c.shareCents[i];
      totalShare += share;
      const alone = aloneCentsFor(s.alone, c.population[i], c.months[i]);
      if (alone !== null) {
        serviceAlone += alone;
        serviceSavings += alone - share;
      }
      // The price list shows what a whole year costs: part-year subscribers would blur it.
      if (c.months[i] !== 12) continue;
      const st = stats[stratumOf(strata, c.population[i])];
      st.n++;
      st.sum += share;
      if (share < st.min) st.min = share;
      if (share > st.max) st.max = share;
    }
    subscribers += c.memberIds.length;
    totalAlone += serviceAlone;
    totalSavings += serviceSavings;
    services.push({
      serviceId: s.pool.serviceId,
      code: s.pool.serviceCode,
      name: s.pool.serviceName,
      domain: s.pool.domain,
      rule,
      ruleText: describeRule(rule),
      poolCents: s.allocation.poolCents,
      subscribers: c.memberIds.length,
      strata: strata.map((x, k) => {
        const st = stats[k];
        const representative = x.upTo ?? (k > 0 ? (strata[k - 1].upTo as number) + 1 : 0);
        return {
          label: stratumLabel(strata, k),
          upTo: x.upTo,
          subscribers: st.n,
          minCents: st.n ? st.min : null,
          maxCents: st.n ? st.max : null,
          averageCents: st.n ? Math.round(st.sum / st.n) : null,
          aloneCents: x.aloneCents ?? aloneCentsFor(s.alone, representative, 12),
        };
      }),
      totalAloneCents: serviceAlone,
      totalSavingsCents: serviceSavings,
    });
  }
  return {
    year: model.year,
    membershipFee: model.fee
      ? {
          ruleText: describeRule(model.fee.rule),
          centsPerInhabitant: model.fee.rule.centsPerInhabitant,
          minimumCents: model.fee.rule.minimumCents,
        }
      : null,
    services,
    savings: {
      subscribers,
      totalShareCents: totalShare,
      totalAloneCents: totalAlone,
      totalSavingsCents: totalSavings,
    },
  };
}

/** Each member's total for the year (every service + the fee), by member index. */
export function memberTotals(model: YearModel): Float64Array {
  const totals = new Float64Array(model.members.length);
  const add = (allocation: ColumnarAllocation | null, positions: Int32Array) => {
    if (!allocation) return;
    const { shareCents } = allocation.shares;
    for (let m = 0; m < positions.length; m++) {
      const i = positions[m];
      if (i >= 0) totals[m] += shareCents[i];
    }
  };
  for (const s of model.services) {
    assertPriced(s);
    add(s.allocation, s.positions);
  }
  if (model.fee) add(model.fee.allocation, model.fee.positions);
  return totals;
}

/** The equity report of the model's year (département names read in `db`). */
export async function equity(db: Executor, model: YearModel): Promise<Equity> {
  const names = await departementNames(db);
  const totals = memberTotals(model);
  const row = () => ({ members: 0, population: 0, totalCents: 0 });
  const byStratum = SIZE_STRATA.map(row);
  const byDepartement = new Map<string, ReturnType<typeof row>>();
  model.members.forEach((m, i) => {
    if (totals[i] === 0) return;
    for (const r of [
      byStratum[stratumOf(SIZE_STRATA, m.population)],
      (() => {
        const code = m.departementCode ?? '??';
        let d = byDepartement.get(code);
        if (!d) {
          d = row();
          byDepartement.set(code, d);
        }
        return d;
      })(),
    ]) {
      r.members++;
      r.population += m.population;
      r.totalCents += totals[i];
    }
  });
  const perInhabitant = (r: ReturnType<typeof row>) => ({
    ...r,
    centsPerInhabitant: r.population > 0 ? Math.round((r.totalCents / r.population) * 100) / 100 : null,
  });
  return {
    year: model.year,
    byStratum: SIZE_STRATA.map((s, k) => ({
      label: stratumLabel(SIZE_STRATA, k),
      upTo: s.upTo,
      ...perInhabitant(byStratum[k]),
    })),
    byDepartement: [...byDepartement.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, r]) => ({
        code,
        name: names.get(code) ?? 'Département non renseigné',
        ...perInhabitant(r),
      })),
  };
}

/**
 * The year's price list, read as the pricing reader in a transaction of its own (as the public price
 * list is): for a one-page view outside the pricing routes (the governance module's overview for the
 * comité's officials, who may not read members' subscriptions themselves).
 */
export function yearPrices(database: Database, year: number): Promise<PublicPrices> {
  return yearModels(database, null).asReader(year, (model) => publicPrices(model));
}

/** The years that have a price list (cost pools), with the date their pools last changed: open data. */
export function pricedYears(database: Database): Promise<{ year: number; modifiedOn: string }[]> {
  return withTenant(database.db, PRICING_READER, (db) =>
    db
      .select({
        year: costPools.year,
        modifiedOn: sql<string>`to_char(max(${costPools.updatedAt}) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')`,
      })
      .from(costPools)
      .groupBy(costPools.year)
      .orderBy(costPools.year),
  );
}
