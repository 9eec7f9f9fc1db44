import type { Simulation, SimulationInput } from '../../../contracts/pricing.js';
import type { Executor } from '../../platform/db/client.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import { findService } from '../catalogue/catalogue.service.js';
import {
  type Allocation,
  AllocationError,
  allocate,
  describeRule,
  type Profile,
  type Rule,
  SIMULATED_PREFIX,
  type Subscriber,
  simulateGrowth,
} from './engine/index.js';
import { memberOf, type PricedService, type YearModel } from './pricing.model.js';
import { checkRule, engineProblem } from './pricing.rules.js';

/*
 * Simulations: what newcomers or another rule would do to a service's shares, and the curve of the
 * economies of scale. Nothing is written.
 */

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
  const catalogue = await findService(db, input.serviceId);
  if (input.join && catalogue && !catalogue.eligibleKinds.includes(input.join.kind)) {
    throw unprocessable(`« ${catalogue.name} » n'est pas ouvert à ce type de structure.`, [
      { path: 'body.join.kind', message: 'type de structure non éligible' },
    ]);
  }
  const current = subscribersOf(service);
  const beforeRule = service.pool.rule;
  let afterRule: Rule = input.rule ?? beforeRule;
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
      rule: beforeRule,
      ruleText: describeRule(beforeRule),
      poolCents: before?.poolCents ?? 0,
    },
    after: {
      rule: afterRule,
      ruleText: describeRule(afterRule),
      poolCents: after?.poolCents ?? 0,
    },
    members: (before?.shares ?? []).map((s) => {
      const afterCents = afterById.get(s.memberId) ?? 0;
      return {
        memberId: s.memberId,
        memberName: memberOf(model, s.memberId).name,
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
