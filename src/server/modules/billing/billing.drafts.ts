/**
 * Draft invoices of a year, computed from the pricing year model: one per member that owes something
 * (the annual call), or what shares grew by since the invoices already issued (a complementary call).
 * Pure: nothing here reads or writes the database.
 */

import { frenchDate } from '../../../contracts/french.js';
import { describeRule } from '../pricing/engine/index.js';
import { assertPriced, describeFeeProrata, type YearModel } from '../pricing/pricing.model.js';
import { euros, plainSpaces, thousands } from './billing.format.js';
import type { InvoicedMember } from './billing.repository.js';

export interface DraftLine {
  /** Where the line comes from: the service's index in the year model, or `services.length` for the fee. */
  source: number;
  serviceId: string | null;
  serviceCode: string | null;
  label: string;
  totalCents: number;
  /** First sentence of the explanation ("Règle : …."): one shared string for every line of a source. */
  rule: string;
  /** The rest of the explanation, specific to the line (population, units, prorata); '' in a preview. */
  detail: string;
}

/** The explanation printed under an invoice line. */
export const explanationOf = (line: DraftLine) => line.rule + line.detail;

export interface Draft {
  memberId: string;
  memberName: string;
  totalCents: number;
  lines: DraftLine[];
  /** The member's call of the year this invoice would be: 1 for the annual call (the default). */
  call?: number;
}

/**
 * One draft invoice per member that owes something for the year: a line per service it used (its
 * share, prorated by months) and the membership fee. Sorted by member name, the numbering order.
 */
export function buildDrafts(model: YearModel, withExplanations = true): Draft[] {
  const { members, services, fee, year } = model;
  const lines: (DraftLine[] | undefined)[] = new Array(members.length);
  const push = (m: number, line: DraftLine) => {
    let list = lines[m];
    if (!list) {
      list = [];
      lines[m] = list;
    }
    list.push(line);
  };
  // Detail sentences shared by many lines are built once: a member's population (the same in every
  // service it uses) and each prorata.
  const populationDetails = new Array<string | undefined>(members.length);
  const populationOf = new Float64Array(members.length);
  const populationDetail = (m: number, population: number) => {
    let detail = populationDetails[m];
    if (detail === undefined || populationOf[m] !== population) {
      detail = ` Population : ${thousands(population)} habitants.`;
      populationDetails[m] = detail;
      populationOf[m] = population;
    }
    return detail;
  };
  const prorata = Array.from({ length: 12 }, (_, k) => ` Prorata : ${k}/12.`);
  for (let source = 0; source < services.length; source++) {
    const s = services[source];
    assertPriced(s);
    const allocation = s.allocation;
    if (!allocation) continue;
    const rule = `Règle : ${plainSpaces(describeRule(s.pool.rule))}.`;
    const { shareCents, months, population, units } = allocation.shares;
    const perUnit = s.pool.rule.kind === 'units';
    const byPopulation = s.pool.rule.kind !== 'equal' && !perUnit;
    for (let m = 0; m < members.length; m++) {
      const i = s.positions[m];
      if (i < 0) continue;
      let detail = '';
      if (withExplanations) {
        if (byPopulation) detail = populationDetail(m, population[i]);
        if (perUnit) detail += ` Unités déclarées : ${thousands(Math.max(0, units[i]))}.`;
        if (months[i] < 12) detail += prorata[months[i]];
      }
      push(m, {
        source,
        serviceId: s.pool.serviceId,
        serviceCode: s.pool.serviceCode,
        label: months[i] < 12 ? `${s.pool.serviceName} (${months[i]} mois)` : s.pool.serviceName,
        totalCents: shareCents[i],
        rule,
        detail,
      });
    }
  }
  if (fee?.allocation) {
    const rule = `Règle : ${plainSpaces(describeRule(fee.rule))}.`;
    const label = `Cotisation d'adhésion ${year}`;
    const { shareCents, population } = fee.allocation.shares;
    for (let m = 0; m < members.length; m++) {
      const i = fee.positions[m];
      if (i < 0) continue;
      const part = fee.prorata.get(members[m].id);
      push(m, {
        source: services.length,
        serviceId: null,
        serviceCode: null,
        label: part ? `${label} (à partir du ${frenchDate(part.joinedOn, { year: false })})` : label,
        totalCents: shareCents[i],
        rule,
        detail: withExplanations
          ? populationDetail(m, population[i]) + (part ? ` ${describeFeeProrata(part)}` : '')
          : '',
      });
    }
  }
  const drafts: Draft[] = [];
  for (let m = 0; m < members.length; m++) {
    const list = lines[m];
    if (!list) continue;
    const totalCents = list.reduce((sum, l) => sum + l.totalCents, 0);
    if (totalCents === 0) continue;
    drafts.push({ memberId: members[m].id, memberName: members[m].name, totalCents, lines: list });
  }
  const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
  drafts.sort((a, b) => collator.compare(a.memberName, b.memberName) || (a.memberId < b.memberId ? -1 : 1));
  return drafts;
}

const COMPLEMENT = 'Complément — ';
const FEE_KEY = '';

/**
 * The complementary call: each member already invoiced for the year gets, per service and for the
 * membership fee, what its share now exceeds what it was invoiced net of credit notes (a subscription
 * started after the annual call, more units declared, a longer prorata); members never invoiced get
 * their whole year, as in the annual call. Amounts invoiced above the current shares are counted, not
 * credited: a credit note is the operator's decision.
 */
export function complementaryDrafts(
  drafts: Draft[],
  invoiced: Map<string, InvoicedMember>,
  year: number,
): {
  drafts: Draft[];
  upToDate: number;
  firstInvoices: number;
  overbilledMembers: number;
  overbilledCents: number;
} {
  const result: Draft[] = [];
  let upToDate = 0;
  let firstInvoices = 0;
  let overbilledMembers = 0;
  let overbilledCents = 0;
  const seen = new Set<string>();
  for (const d of drafts) {
    seen.add(d.memberId);
    const before = invoiced.get(d.memberId);
    if (!before) {
      result.push(d);
      firstInvoices++;
      continue;
    }
    const lines: DraftLine[] = [];
    let over = 0;
    const matched = new Set<string>();
    for (const l of d.lines) {
      const key = l.serviceId ?? FEE_KEY;
      matched.add(key);
      const already = before.netCents.get(key) ?? 0;
      const due = l.totalCents - already;
      if (due < 0) over -= due;
      if (due <= 0) continue;
      lines.push({
        ...l,
        label: COMPLEMENT + l.label,
        totalCents: due,
        detail: `${l.detail} Part ${year} : ${euros(l.totalCents)} ; déjà facturé : ${euros(already)}.`,
      });
    }
    for (const [key, cents] of before.netCents) if (!matched.has(key) && cents > 0) over += cents;
    if (over > 0) {
      overbilledMembers++;
      overbilledCents += over;
    }
    if (lines.length === 0) {
      upToDate++;
      continue;
    }
    result.push({
      memberId: d.memberId,
      memberName: d.memberName,
      totalCents: lines.reduce((sum, l) => sum + l.totalCents, 0),
      lines,
      call: before.lastCall + 1,
    });
  }
  // Members invoiced for the year who owe nothing now (their subscriptions were cancelled since).
  for (const [memberId, before] of invoiced) {
    if (seen.has(memberId)) continue;
    let over = 0;
    for (const cents of before.netCents.values()) if (cents > 0) over += cents;
    if (over > 0) {
      overbilledMembers++;
      overbilledCents += over;
    }
  }
  return { drafts: result, upToDate, firstInvoices, overbilledMembers, overbilledCents };
}

/** Totals of a run, per service (the fee counted as one). */
export function summarise(drafts: Draft[]) {
  const byService = new Map<
    string,
    { serviceId: string | null; name: string; lines: number; totalCents: number }
  >();
  let totalCents = 0;
  for (const d of drafts) {
    totalCents += d.totalCents;
    for (const l of d.lines) {
      const key = l.serviceId ?? 'fee';
      let s = byService.get(key);
      if (!s) {
        s = {
          serviceId: l.serviceId,
          name: l.label
            .replace(COMPLEMENT, '')
            .replace(/ \(\d+ mois\)$/, '')
            .replace(/ \(à partir du [^)]*\)$/, ''),
          lines: 0,
          totalCents: 0,
        };
        byService.set(key, s);
      }
      s.lines++;
      s.totalCents += l.totalCents;
    }
  }
  return { totalCents, services: [...byService.values()] };
}
