import type {
  CostPool,
  CostPoolInput,
  CostSharing,
  MemberCosts,
  MembershipFee,
} from '../../../contracts/pricing.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/client.js';
import { notFound } from '../../platform/errors.js';
import { requireService } from '../catalogue/catalogue.service.js';
import { describeRule, explainShare, type Rule } from './engine/index.js';
import { aloneCentsFor, assertPriced, poolTotal, shareAt, type YearModel } from './pricing.model.js';
import * as repo from './pricing.repository.js';
import { checkRule } from './pricing.rules.js';

/*
 * Cost pools and fee rules, and the year's cost-sharing read from its model. Simulations are in
 * pricing.simulation.service.ts, the public price list and the equity report (aggregates) in
 * pricing.public.service.ts.
 */

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
    rule: row.rule,
    ruleText: describeRule(row.rule),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listPools(db: Executor, year: number) {
  return { year, items: (await repo.poolsOfYear(db, year)).map(toCostPool) };
}

export async function putPool(
  db: Executor,
  year: number,
  serviceId: string,
  input: CostPoolInput,
  source: AuditSource,
): Promise<CostPool> {
  const service = await requireService(db, serviceId);
  let rule: Rule = input.rule;
  if (rule.kind === 'units' && !rule.unitLabel && service.unitLabel) {
    rule = { ...rule, unitLabel: service.unitLabel };
  }
  const values = { ...input, rule, serviceId, year, updatedBy: source.actorUserId };
  checkRule(poolTotal(values), rule);
  await repo.upsertPool(db, values);
  const pool = (await repo.poolsOfYear(db, year)).find((p) => p.serviceId === serviceId);
  if (!pool) throw new Error(`cost pool ${year} of ${serviceId} not found after it was saved`);
  const saved = toCostPool(pool);
  await recordAudit(db, {
    action: 'pricing.pool_saved',
    ...source,
    targetType: 'catalogue_service',
    targetId: serviceId,
    details: { year, poolCents: saved.poolCents, rule: saved.rule.kind },
  });
  return saved;
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
  source: AuditSource,
): Promise<MembershipFee> {
  checkRule(0, { kind: 'membershipFee', ...input });
  await repo.upsertFeeRule(db, { year, ...input, updatedBy: source.actorUserId });
  const fee = feeOf(year, input);
  await recordAudit(db, {
    action: 'pricing.fee_saved',
    ...source,
    details: {
      year: fee.year,
      centsPerInhabitant: fee.centsPerInhabitant,
      minimumCents: fee.minimumCents,
    },
  });
  return fee;
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
        rule: s.pool.rule,
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
    const allocation = s.allocation;
    // Positions are only set from an allocation.
    if (i < 0 || !allocation) continue;
    assertPriced(s);
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
// For other modules (billing invoices the year's shares)
// ---------------------------------------------------------------------------------------------

export { describeRule, formatCents } from './engine/index.js';
export { assertPriced, computeYearModel, type YearModel, yearModel } from './pricing.model.js';
