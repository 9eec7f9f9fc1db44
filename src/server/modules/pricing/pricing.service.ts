import type {
  AboveAlone,
  CostPool,
  CostPoolInput,
  CostSharing,
  FeeProration,
  MemberCosts,
  MembershipFee,
} from '../../../contracts/pricing.js';
import { type AuditSource, recordAudit } from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/client.js';
import { conflict, notFound } from '../../platform/errors.js';
import { requireService } from '../catalogue/catalogue.service.js';
import { describeRule, explainShare, formatCents, type Rule } from './engine/index.js';
import {
  aloneCentsFor,
  assertPriced,
  describeFeeProrata,
  poolTotal,
  shareAt,
  type YearModel,
} from './pricing.model.js';
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

const feeOf = (
  year: number,
  rule: { centsPerInhabitant: number; minimumCents: number; proration: FeeProration },
): MembershipFee => ({
  year,
  centsPerInhabitant: rule.centsPerInhabitant,
  minimumCents: rule.minimumCents,
  proration: rule.proration,
  ruleText: describeRule({
    kind: 'membershipFee',
    centsPerInhabitant: rule.centsPerInhabitant,
    minimumCents: rule.minimumCents,
  }),
});

export async function getFee(db: Executor, year: number): Promise<MembershipFee> {
  const rule = await repo.feeRuleOf(db, year);
  if (!rule) throw notFound(`Aucune cotisation d'adhésion n'est définie pour ${year}.`);
  return feeOf(year, rule);
}

export async function putFee(
  db: Executor,
  year: number,
  input: { centsPerInhabitant: number; minimumCents: number; proration?: FeeProration },
  source: AuditSource,
): Promise<MembershipFee> {
  const { proration = 'none', ...amounts } = input;
  checkRule(0, { kind: 'membershipFee', ...amounts });
  await repo.upsertFeeRule(db, { year, ...amounts, proration, updatedBy: source.actorUserId });
  const fee = feeOf(year, { ...amounts, proration });
  await recordAudit(db, {
    action: 'pricing.fee_saved',
    ...source,
    details: {
      year: fee.year,
      centsPerInhabitant: fee.centsPerInhabitant,
      minimumCents: fee.minimumCents,
      proration: fee.proration,
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

/** Members listed per service by `aboveAlone` (all are counted). */
const ABOVE_ALONE_LISTED = 100;

/**
 * Every service whose pooled share exceeds the stand-alone price of some subscribers, with them:
 * the operator's warning (a share above what a member would pay alone contradicts the point of
 * pooling). Computed from the year's model alone.
 */
export function aboveAlone(model: YearModel): AboveAlone {
  const services: AboveAlone['services'] = [];
  for (const s of model.services) {
    const c = s.allocation?.shares;
    if (!c || !s.alone) continue;
    const members: AboveAlone['services'][number]['members'] = [];
    for (let i = 0; i < c.memberIds.length; i++) {
      const aloneCents = aloneCentsFor(s.alone, c.population[i], c.months[i]);
      if (aloneCents === null || c.shareCents[i] <= aloneCents) continue;
      const m = model.memberIndex.get(c.memberIds[i]);
      const member = m === undefined ? undefined : model.members[m];
      members.push({
        memberId: c.memberIds[i],
        memberName: member?.name ?? c.memberIds[i],
        departementCode: member?.departementCode ?? null,
        shareCents: c.shareCents[i],
        aloneCents,
      });
    }
    if (members.length === 0) continue;
    members.sort(
      (a, b) =>
        b.shareCents - b.aloneCents - (a.shareCents - a.aloneCents) ||
        a.memberName.localeCompare(b.memberName, 'fr'),
    );
    services.push({
      serviceId: s.pool.serviceId,
      serviceName: s.pool.serviceName,
      ruleText: describeRule(s.pool.rule),
      subscribers: c.memberIds.length,
      count: members.length,
      members: members.slice(0, ABOVE_ALONE_LISTED),
    });
  }
  services.sort((a, b) => b.count - a.count || a.serviceName.localeCompare(b.serviceName, 'fr'));
  return { year: model.year, services };
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
    const part = fee.prorata.get(memberId);
    const explanationLines = [...explanation.lines];
    if (part) {
      explanationLines.push(describeFeeProrata(part));
      if (part.unit === 'day') {
        explanationLines.push(`Cotisation due pour l'année : ${formatCents(share.shareCents)}.`);
      }
    }
    lines.push({
      serviceId: null,
      serviceCode: null,
      serviceName: `Cotisation d'adhésion ${model.year}`,
      months: share.months,
      shareCents: share.shareCents,
      aloneCents: null,
      savingsCents: null,
      explanationLines,
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

// Adoption by the comité syndical (issue 12) ----------------------------------------------------

/** When the year's tariffs were adopted, and by which deliberation; null while not adopted. */
export async function pricingAdoption(db: Executor, year: number) {
  return repo.findAdoption(db, year);
}

/**
 * Records that the comité syndical adopted the year's tariffs (called by the governance module when
 * the item bound to it is adopted). Once only: a second adoption of the same year is refused.
 */
export async function adoptPricingYear(
  db: Executor,
  year: number,
  adoption: { adoptedOn: string; actId: string | null; deliberationNumber: string | null },
  source: AuditSource,
) {
  if (await repo.findAdoption(db, year)) {
    throw conflict(`Les tarifs ${year} sont déjà adoptés.`);
  }
  await repo.insertAdoption(db, { year, ...adoption });
  await recordAudit(db, {
    action: 'pricing.year_adopted',
    ...source,
    targetType: 'pricing_year',
    targetId: String(year),
    details: { actId: adoption.actId, deliberationNumber: adoption.deliberationNumber },
  });
}
