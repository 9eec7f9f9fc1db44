import type {
  CostPool,
  CostPoolInput,
  CostSharing,
  Equity,
  MemberCosts,
  MembershipFee,
  PublicPrices,
  Simulation,
  SimulationInput,
} from '../../../contracts/pricing.js';
import type { Executor } from '../../platform/db/client.js';
import { invalid, notFound, unprocessable } from '../../platform/errors.js';
import {
  type Allocation,
  AllocationError,
  allocate,
  allocateColumns,
  describeRule,
  explainShare,
  type Profile,
  type Rule,
  SIMULATED_PREFIX,
  type Subscriber,
  simulateGrowth,
  stratumOf,
} from './engine/index.js';
import {
  aloneCentsFor,
  assertPriced,
  type PricedService,
  poolTotal,
  shareAt,
  type YearModel,
} from './pricing.model.js';
import * as repo from './pricing.repository.js';

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

const engineProblem = (error: AllocationError, prefix = 'body') =>
  error.code === 'invalid_rule' || error.code === 'invalid_pool'
    ? invalid(error.message, [
        { path: error.path ? `${prefix}.${error.path}` : prefix, message: error.message },
      ])
    : unprocessable(error.message, [{ path: error.path ?? prefix, message: error.message }]);

// ---------------------------------------------------------------------------------------------
// Pools and fee rules
// ---------------------------------------------------------------------------------------------

function toCostPool(row: repo.PoolRow): CostPool {
  return {
    serviceId: row.serviceId,
    serviceCode: row.serviceCode,
    serviceName: row.serviceName,
    year: row.year,
    licencesCents: row.licencesCents,
    hostingCents: row.hostingCents,
    staffCents: row.staffCents,
    otherCents: row.otherCents,
    poolCents: poolTotal(row),
    rule: row.rule as CostPool['rule'],
    ruleText: describeRule(row.rule),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listPools(db: Executor, year: number) {
  return { year, items: (await repo.poolsOfYear(db, year)).map(toCostPool) };
}

/** Checks the rule as the engine will read it, with one sample subscriber. */
function checkRule(poolCents: number, rule: Rule) {
  try {
    allocateColumns(poolCents, rule, [{ memberId: 'exemple', population: 1_000, units: 1, months: 12 }]);
  } catch (error) {
    if (
      error instanceof AllocationError &&
      (error.code === 'invalid_rule' || error.code === 'invalid_pool')
    ) {
      throw engineProblem(error);
    }
    if (!(error instanceof AllocationError)) throw error;
  }
}

export async function putPool(
  db: Executor,
  year: number,
  serviceId: string,
  input: CostPoolInput,
  actorUserId: string,
): Promise<CostPool> {
  const service = await repo.serviceById(db, serviceId);
  if (!service) throw notFound("Ce service n'existe pas dans le catalogue.");
  let rule = input.rule as Rule;
  if (rule.kind === 'units' && !rule.unitLabel && service.unitLabel) {
    rule = { ...rule, unitLabel: service.unitLabel };
  }
  const values = { ...input, rule, serviceId, year, updatedBy: actorUserId };
  checkRule(poolTotal(values), rule);
  await repo.upsertPool(db, values);
  const pool = (await repo.poolsOfYear(db, year)).find((p) => p.serviceId === serviceId);
  return toCostPool(pool!);
}

const feeOf = (year: number, rule: { centsPerInhabitant: number; minimumCents: number }): MembershipFee => ({
  year,
  centsPerInhabitant: rule.centsPerInhabitant,
  minimumCents: rule.minimumCents,
  ruleText: describeRule({ kind: 'membershipFee', ...rule }),
});

export async function getFee(db: Executor, year: number): Promise<MembershipFee> {
  const rule = await repo.feeRuleOf(db, year);
  if (!rule) throw notFound(`Aucune cotisation d'adhésion n'est définie pour ${year}.`);
  return feeOf(year, rule);
}

export async function putFee(
  db: Executor,
  year: number,
  input: { centsPerInhabitant: number; minimumCents: number },
  actorUserId: string,
): Promise<MembershipFee> {
  checkRule(0, { kind: 'membershipFee', ...input });
  await repo.upsertFeeRule(db, { year, ...input, updatedBy: actorUserId });
  return feeOf(year, input);
}

// ---------------------------------------------------------------------------------------------
// Reading the year's cost-sharing
// ---------------------------------------------------------------------------------------------

export function costSharing(model: YearModel, serviceId?: string): CostSharing {
  const services = model.services.filter((s) => !serviceId || s.pool.serviceId === serviceId);
  if (serviceId && services.length === 0) {
    throw notFound(`Ce service n'a pas de montant à répartir en ${model.year}.`);
  }
  return {
    year: model.year,
    services: services.map((s) => {
      assertPriced(s);
      const shares: CostSharing['services'][number]['shares'] = [];
      const c = s.allocation?.shares;
      if (c) {
        for (let i = 0; i < c.memberIds.length; i++) {
          shares.push({
            memberId: c.memberIds[i],
            shareCents: c.shareCents[i],
            aloneCents: aloneCentsFor(s.alone, c.population[i], c.months[i]),
          });
        }
      }
      return {
        serviceId: s.pool.serviceId,
        name: s.pool.serviceName,
        rule: s.pool.rule as CostSharing['services'][number]['rule'],
        poolCents: s.allocation?.poolCents ?? s.poolCents,
        shares,
      };
    }),
  };
}

/** Computed from the year's model alone: no database read. */
export function memberCosts(model: YearModel, memberId: string): MemberCosts {
  const m = model.memberIndex.get(memberId);
  if (m === undefined) throw notFound("Cette structure n'existe pas.");
  const member = model.members[m];
  const lines: MemberCosts['lines'] = [];
  let aloneTotal = 0;
  let savingsTotal = 0;
  for (const s of model.services) {
    const i = s.positions[m];
    if (i < 0) continue;
    assertPriced(s);
    const allocation = s.allocation!;
    const share = shareAt(allocation, i);
    const explanation = explainShare(allocation, share);
    const aloneCents = aloneCentsFor(s.alone, share.population, share.months);
    const savingsCents = aloneCents === null ? null : aloneCents - share.shareCents;
    if (aloneCents !== null && savingsCents !== null) {
      aloneTotal += aloneCents;
      savingsTotal += savingsCents;
    }
    lines.push({
      serviceId: s.pool.serviceId,
      serviceCode: s.pool.serviceCode,
      serviceName: s.pool.serviceName,
      months: share.months,
      shareCents: share.shareCents,
      aloneCents,
      savingsCents,
      explanationLines: explanation.lines,
    });
  }
  const fee = model.fee;
  const feePosition = fee?.allocation ? fee.positions[m] : -1;
  if (fee?.allocation && feePosition >= 0) {
    const share = shareAt(fee.allocation, feePosition);
    const explanation = explainShare(fee.allocation, share);
    lines.push({
      serviceId: null,
      serviceCode: null,
      serviceName: `Cotisation d'adhésion ${model.year}`,
      months: share.months,
      shareCents: share.shareCents,
      aloneCents: null,
      savingsCents: null,
      explanationLines: explanation.lines,
    });
  }
  return {
    memberId,
    memberName: member.name,
    year: model.year,
    totalCents: lines.reduce((sum, l) => sum + l.shareCents, 0),
    savingsCents: savingsTotal,
    aloneCents: aloneTotal,
    lines,
    unpriced: model.unpriced.get(memberId) ?? [],
  };
}

// ---------------------------------------------------------------------------------------------
// Simulation (nothing is written)
// ---------------------------------------------------------------------------------------------

const DEFAULT_STEPS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500];

function subscribersOf(service: PricedService): Subscriber[] {
  const c = service.allocation?.shares;
  if (!c) return [];
  return c.memberIds.map((memberId, i) => ({
    memberId,
    population: c.population[i],
    units: Math.max(0, c.units[i]),
    months: c.months[i],
  }));
}

const median = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function allocateOrEmpty(poolCents: number, rule: Rule, subscribers: Subscriber[]): Allocation | null {
  if (subscribers.length === 0) return null;
  try {
    return allocate(poolCents, rule, subscribers);
  } catch (error) {
    if (error instanceof AllocationError) throw engineProblem(error, 'body.rule');
    throw error;
  }
}

export async function simulate(db: Executor, model: YearModel, input: SimulationInput): Promise<Simulation> {
  const service = model.services.find((s) => s.pool.serviceId === input.serviceId);
  if (!service) throw notFound(`Ce service n'a pas de montant à répartir en ${model.year}.`);
  const catalogue = await repo.serviceById(db, input.serviceId);
  if (input.join && catalogue && !catalogue.eligibleKinds.includes(input.join.kind)) {
    throw unprocessable(`« ${catalogue.name} » n'est pas ouvert à ce type de structure.`, [
      { path: 'body.join.kind', message: 'type de structure non éligible' },
    ]);
  }
  const current = subscribersOf(service);
  const beforeRule = service.pool.rule;
  let afterRule = (input.rule as Rule | undefined) ?? beforeRule;
  if (afterRule.kind === 'units' && !afterRule.unitLabel && service.pool.unitLabel) {
    afterRule = { ...afterRule, unitLabel: service.pool.unitLabel };
  }
  if (input.rule) checkRule(service.poolCents, afterRule);
  const profile: Profile = input.join
    ? { population: input.join.population, units: input.join.units ?? 0, months: input.join.months ?? 12 }
    : {
        population: median(current.map((s) => s.population)),
        units: median(current.map((s) => s.units ?? 0)),
        months: 12,
      };
  const newcomers: Subscriber[] = Array.from({ length: input.join?.count ?? 0 }, (_, i) => ({
    ...profile,
    memberId: `${SIMULATED_PREFIX}${String(i + 1).padStart(6, '0')}`,
  }));
  const before = allocateOrEmpty(service.poolCents, beforeRule, current);
  const after = allocateOrEmpty(service.poolCents, afterRule, [...current, ...newcomers]);
  const afterById = new Map(after?.shares.map((s) => [s.memberId, s.shareCents]) ?? []);
  let growth: Simulation['growth'] = [];
  try {
    growth = simulateGrowth(
      service.poolCents,
      afterRule,
      current,
      profile,
      input.steps ?? DEFAULT_STEPS,
    ).filter((p) => p.subscribers > 0);
  } catch (error) {
    if (error instanceof AllocationError) throw engineProblem(error, 'body.rule');
    throw error;
  }
  return {
    serviceId: service.pool.serviceId,
    serviceName: service.pool.serviceName,
    year: model.year,
    poolCents: service.poolCents,
    before: {
      rule: beforeRule as Simulation['before']['rule'],
      ruleText: describeRule(beforeRule),
      poolCents: before?.poolCents ?? 0,
    },
    after: {
      rule: afterRule as Simulation['after']['rule'],
      ruleText: describeRule(afterRule),
      poolCents: after?.poolCents ?? 0,
    },
    members: (before?.shares ?? []).map((s) => {
      const afterCents = afterById.get(s.memberId) ?? 0;
      return {
        memberId: s.memberId,
        memberName: model.members[model.memberIndex.get(s.memberId)!].name,
        beforeCents: s.shareCents,
        afterCents,
        deltaCents: afterCents - s.shareCents,
      };
    }),
    newcomerShares: (after?.shares ?? [])
      .filter((s) => s.memberId.startsWith(SIMULATED_PREFIX))
      .map((s) => s.shareCents),
    growth,
  };
}

// ---------------------------------------------------------------------------------------------
// Public price list, savings and equity (aggregates only)
// ---------------------------------------------------------------------------------------------

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
      rule: rule as PublicPrices['services'][number]['rule'],
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
  const add = (allocation: { shares: { memberIds: string[]; shareCents: Float64Array } } | null) => {
    if (!allocation) return;
    const { memberIds, shareCents } = allocation.shares;
    for (let i = 0; i < memberIds.length; i++) totals[model.memberIndex.get(memberIds[i])!] += shareCents[i];
  };
  for (const s of model.services) {
    assertPriced(s);
    add(s.allocation);
  }
  add(model.fee?.allocation ?? null);
  return totals;
}

export function equity(model: YearModel, departementNames: Map<string, string>): Equity {
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
        name: departementNames.get(code) ?? 'Département non renseigné',
        ...perInhabitant(r),
      })),
  };
}
