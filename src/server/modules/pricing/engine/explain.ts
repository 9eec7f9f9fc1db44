/**
 * Plain-French explanation of one member's share: the rule in words, the member's parameters, the
 * intermediate exact values and the rounding. Recomputed from the allocation with exact BigInt
 * fractions, so it can be asked for one member without slowing down the allocation itself.
 */
import { fixedBasisPoints, stratumOf } from './allocate.js';
import {
  formatCents as fastFormatCents,
  formatDecimalText,
  formatEurosText,
  formatInteger,
} from './french.js';
import { roundHalfUp } from './rounding.js';
import type { Allocation, Rule, Share, Stratum } from './types.js';

/** A non-negative exact fraction. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

/** One member's share explained: the steps in French and the exact share before rounding. */
export interface ShareExplanation {
  memberId: string;
  shareCents: number;
  /** The exact share in cents, before rounding. */
  exact: Fraction;
  /** One sentence per step, in French. */
  lines: string[];
}

export interface Explanation extends ShareExplanation {
  /** Exact share before rounding, in euros as a decimal string rounded to 4 decimals ("40.2107"). */
  exactEuros: string;
  /** The lines joined by spaces. */
  text: string;
}

/** Only for numbers that are not integers (stratum weights); integers use the fast formatter. */
const decimalFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 4 });
const formatNumber = (n: number) => (Number.isSafeInteger(n) ? formatInteger(n) : decimalFormat.format(n));

/** `num / den` (non-negative) as a decimal string rounded half up to `digits` decimals, exactly. */
export function decimal(num: bigint, den: bigint, digits: number): `${number}` {
  const scale = 10n ** BigInt(digits);
  const scaled = (2n * num * scale + den) / (2n * den);
  if (digits === 0) return `${scaled}` as `${number}`;
  const text = scaled.toString().padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}` as `${number}`;
}

/** "52,41 €" */
export const formatCents = fastFormatCents;

const isExactTo4Decimals = (value: Fraction) => (value.num * 10_000n) % (value.den * 100n) === 0n;

/** An amount of cents in euros: "300,003 €" when exact to 4 decimals, else "≈ 40,2107 €". */
export function formatExactCents(value: Fraction): string {
  const text = decimal(value.num, value.den * 100n, 4);
  return isExactTo4Decimals(value) ? formatEurosText(text, 2) : `≈ ${formatEurosText(text, 4)}`;
}

/** "= 25,00 €" or "≈ 40,2107 €". */
function equals(value: Fraction): string {
  return isExactTo4Decimals(value) ? `= ${formatExactCents(value)}` : formatExactCents(value);
}

const integerFormat = new Intl.NumberFormat('fr-FR');
const formatInt = (n: number | bigint) =>
  typeof n === 'number' && !Number.isSafeInteger(n) ? integerFormat.format(n) : formatInteger(n);
const formatPercent = (num: bigint, den: bigint) =>
  `${formatDecimalText(decimal(num * 100n, den, 2), 2)}\u202f%`;
const plural = (n: number, one: string, many: string) => `${formatInt(n)} ${n > 1 ? many : one}`;

/** The member's exact share in cents, before rounding. */
export function exactShare(allocation: AllocationBase, share: Share): Fraction {
  const { rule, totals } = allocation;
  const pool = BigInt(allocation.poolCents);
  const m = BigInt(share.months);
  switch (rule.kind) {
    case 'strata': {
      const fixedCents = share.stratum === null ? undefined : rule.strata[share.stratum].fixedCents;
      if (fixedCents !== undefined) return { num: BigInt(fixedCents) * m, den: 12n };
      break;
    }
    case 'membershipFee': {
      const { int, scale } = rate(rule.centsPerInhabitant);
      const minimum = BigInt(rule.minimumCents) * scale;
      const byPopulation = BigInt(share.population) * int;
      return { num: (minimum > byPopulation ? minimum : byPopulation) * m, den: 12n * scale };
    }
    case 'fixedVariable': {
      const f = BigInt(fixedBasisPoints(rule.fixedPercent));
      const M = BigInt(totals.months);
      const PM = BigInt(totals.weightedPopulation);
      if (PM === 0n) return { num: pool * m, den: M };
      return {
        num: pool * (f * m * PM + (10_000n - f) * BigInt(share.weight) * M),
        den: 10_000n * M * PM,
      };
    }
    case 'population': {
      const b = allocation.bounds;
      if (share.bound !== null) return { num: BigInt(share.baseCents), den: 1n };
      if (b && b.freeWeight > 0)
        return { num: BigInt(b.freePoolCents) * BigInt(share.weight), den: BigInt(b.freeWeight) };
      break;
    }
  }
  if (totals.weight === 0) return { num: 0n, den: 1n };
  return { num: pool * BigInt(share.weight), den: BigInt(totals.weight) };
}

function rate(centsPerInhabitant: number): { int: bigint; scale: bigint } {
  const [whole, fraction = ''] = String(centsPerInhabitant).split('.');
  return { int: BigInt(whole + fraction), scale: 10n ** BigInt(fraction.length) };
}

function findShare(allocation: Allocation, memberId: string): Share | undefined {
  return allocation.shares.find((s) => s.memberId === memberId);
}

function stratumLabel(strata: readonly Stratum[], index: number): string {
  const upTo = strata[index].upTo;
  const from = index === 0 ? 0 : (strata[index - 1].upTo as number) + 1;
  if (upTo === null) return index === 0 ? 'toutes populations' : `${formatInt(from)} habitants et plus`;
  return index === 0
    ? `jusqu'à ${formatInt(upTo)} habitants`
    : `de ${formatInt(from)} à ${formatInt(upTo)} habitants`;
}

/** The rule in words (also used for catalogue and simulation screens). */
export function describeRule(rule: Rule): string {
  switch (rule.kind) {
    case 'equal':
      return 'parts égales entre les abonnés';
    case 'units':
      return `au prorata des unités déclarées (${rule.unitLabel ?? 'unités'})`;
    case 'population': {
      const bounds = [
        rule.floorCents === undefined ? null : `un plancher de ${formatCents(rule.floorCents)}`,
        rule.ceilingCents === undefined ? null : `un plafond de ${formatCents(rule.ceilingCents)}`,
      ].filter(Boolean);
      return `au prorata de la population${bounds.length ? `, avec ${bounds.join(' et ')} par membre` : ''}`;
    }
    case 'fixedVariable': {
      const f = fixedBasisPoints(rule.fixedPercent);
      const pct = (bp: number) => `${formatNumber(bp / 100)}\u202f%`;
      return `${pct(f)} à parts égales, ${pct(10_000 - f)} au prorata de la population`;
    }
    case 'strata': {
      const fixed = rule.strata[0]?.fixedCents !== undefined;
      const items = rule.strata.map(
        (s, i) =>
          `${stratumLabel(rule.strata, i)} : ${fixed && s.fixedCents !== undefined ? formatCents(s.fixedCents) : `poids ${formatNumber(s.weight ?? 0)}`}`,
      );
      return `${fixed ? 'prix fixe par tranche de population' : 'par tranche de population, au prorata du poids de la tranche'} (${items.join(' ; ')})`;
    }
    case 'membershipFee':
      return `cotisation de ${formatEurosText(decimal(rate(rule.centsPerInhabitant).int, rate(rule.centsPerInhabitant).scale * 100n, 4), 2)} par habitant, avec un minimum de ${formatCents(rule.minimumCents)}`;
  }
}

/** An allocation without its shares: what explaining one share needs besides the share. */
export type AllocationBase = Omit<Allocation, 'shares'>;

/**
 * The phrases of an explanation that depend only on the allocation (the rule in words, the pool, the
 * totals), built once per allocation: the year model's allocations live as long as the pricing is
 * unchanged, and every member's costs page explains one share of each of them.
 */
const phraseCache = new WeakMap<AllocationBase, Map<string, string>>();

function phrasesOf(allocation: AllocationBase) {
  let cache = phraseCache.get(allocation);
  if (!cache) {
    cache = new Map();
    phraseCache.set(allocation, cache);
  }
  const phrases = cache;
  return (key: string, build: () => string): string => {
    let text = phrases.get(key);
    if (text === undefined) {
      text = build();
      phrases.set(key, text);
    }
    return text;
  };
}

/**
 * Explains one member's share in plain French. Returns undefined when the member is not in the
 * allocation.
 */
export function explain(allocation: Allocation, memberId: string): Explanation | undefined {
  const share = findShare(allocation, memberId);
  if (!share) return undefined;
  const explanation = explainShare(allocation, share);
  const { num, den } = explanation.exact;
  return { ...explanation, exactEuros: decimal(num, den * 100n, 4), text: explanation.lines.join(' ') };
}

/** Explains `share`, one of the shares of `allocation` (the same object for every share of it). */
export function explainShare(allocation: AllocationBase, share: Share): ShareExplanation {
  const { rule, totals } = allocation;
  const once = phrasesOf(allocation);
  const lines: string[] = [];
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  lines.push(once('rule', () => `Règle : ${describeRule(rule)}.`));
  const pool = once('pool', () => formatCents(allocation.poolCents));
  const allYear = totals.months === 12 * totals.subscribers;
  const subscribers = once('subscribers', () => plural(totals.subscribers, 'abonné', 'abonnés'));
  if (!allocation.derivedPool) {
    lines.push(once('amount', () => `Montant à répartir : ${pool} entre ${subscribers}.`));
  }
  if (share.months < 12) {
    lines.push(`Durée d'abonnement : ${share.months} mois sur 12 (prorata ${share.months}/12).`);
  }
  const exact = exactShare(allocation, share);
  const m = share.months;
  /** A months-weighted quantity, shown per year when everyone subscribes the whole year. */
  const perYear = (weight: number) => formatInt(allYear ? weight / 12 : weight);
  const totalPerYear = (key: string, weight: number) => once(key, () => perYear(weight));

  const populationLine = () => {
    if (allYear) {
      return `Votre population : ${plural(share.population, 'habitant', 'habitants')} sur ${once('population', () => formatInt(totals.population))} au total (${formatPercent(BigInt(share.population), BigInt(Math.max(totals.population, 1)))}).`;
    }
    return `Votre population pondérée par la durée : ${formatInt(share.population)} habitants × ${m} mois = ${formatInt(share.weight)} habitants-mois sur ${once('weightedPopulation', () => formatInt(totals.weightedPopulation))} au total (${formatPercent(BigInt(share.weight), BigInt(Math.max(totals.weightedPopulation, 1)))}).`;
  };

  switch (rule.kind) {
    case 'equal':
      lines.push(
        allYear
          ? `Part égale : ${pool} ÷ ${subscribers} ${equals(exact)}.`
          : `Part égale au prorata des mois : ${pool} × ${m} mois ÷ ${once('months', () => formatInt(totals.months))} mois d'abonnement au total ${equals(exact)}.`,
      );
      break;
    case 'units': {
      const label = rule.unitLabel ?? 'unités';
      lines.push(
        allYear
          ? `Unités déclarées (${label}) : ${formatInt(share.units ?? 0)} sur ${once('units/year', () => formatInt(totals.weightedUnits / 12))} au total.`
          : `Unités déclarées (${label}) : ${formatInt(share.units ?? 0)} × ${m} mois = ${formatInt(share.weight)} unités-mois sur ${once('units', () => formatInt(totals.weightedUnits))} au total.`,
      );
      lines.push(
        `Part : ${pool} × ${perYear(share.weight)} ÷ ${totalPerYear('weight/year', totals.weight)} ${equals(exact)}.`,
      );
      break;
    }
    case 'fixedVariable': {
      const f = BigInt(fixedBasisPoints(rule.fixedPercent));
      const P = BigInt(allocation.poolCents);
      lines.push(populationLine());
      // The fixed part depends on the months only.
      lines.push(
        once(`fixed:${m}`, () => {
          const fixedPool = formatExactCents({ num: P * f, den: 10_000n });
          const fixedPart = { num: P * f * BigInt(m), den: 10_000n * BigInt(totals.months) };
          return allYear
            ? `Part fixe : ${fixedPool} ÷ ${subscribers} ${equals(fixedPart)}.`
            : `Part fixe : ${fixedPool} × ${m} mois ÷ ${formatInt(totals.months)} mois d'abonnement ${equals(fixedPart)}.`;
        }),
      );
      if (totals.weightedPopulation > 0) {
        const variablePart = {
          num: P * (10_000n - f) * BigInt(share.weight),
          den: 10_000n * BigInt(totals.weightedPopulation),
        };
        const variablePool = once('variablePool', () =>
          formatExactCents({ num: P * (10_000n - f), den: 10_000n }),
        );
        lines.push(
          `Part variable : ${variablePool} × ${perYear(share.weight)} ÷ ${totalPerYear('weightedPopulation/year', totals.weightedPopulation)} ${equals(variablePart)}.`,
        );
      }
      lines.push(`Montant avant arrondi ${equals(exact)}.`);
      break;
    }
    case 'population': {
      lines.push(populationLine());
      const b = allocation.bounds;
      const proportionalShare =
        totals.weight > 0
          ? { num: BigInt(allocation.poolCents) * BigInt(share.weight), den: BigInt(totals.weight) }
          : { num: 0n, den: 1n };
      const floor = rule.floorCents;
      if (floor !== undefined) {
        lines.push(
          once(
            `floor:${m}`,
            () =>
              `Plancher : ${formatCents(floor)} par membre${m < 12 ? `, soit ${formatCents(roundHalfUp(floor * m, 12))} pour ${m} mois` : ''}.`,
          ),
        );
      }
      const ceiling = rule.ceilingCents;
      if (ceiling !== undefined) {
        lines.push(
          once(
            `ceiling:${m}`,
            () =>
              `Plafond : ${formatCents(ceiling)} par membre${m < 12 ? `, soit ${formatCents(roundHalfUp(ceiling * m, 12))} pour ${m} mois` : ''}.`,
          ),
        );
      }
      if (share.bound === 'floor') {
        lines.push(
          `Votre part au prorata (${formatExactCents(proportionalShare)}) est inférieure au plancher : vous payez le plancher.`,
        );
      } else if (share.bound === 'ceiling') {
        lines.push(
          `Votre part au prorata (${formatExactCents(proportionalShare)}) dépasse le plafond : vous payez le plafond.`,
        );
      } else if (b && (b.atFloor > 0 || b.atCeiling > 0)) {
        const redistributed = once('redistributed', () => {
          const clamped = [
            b.atFloor ? `${plural(b.atFloor, 'membre paie', 'membres paient')} le plancher` : null,
            b.atCeiling ? `${plural(b.atCeiling, 'membre paie', 'membres paient')} le plafond` : null,
          ].filter(Boolean);
          const free = formatCents(b.freePoolCents);
          return `${cap(clamped.join(' et '))} ; les ${free} restants sont répartis entre les autres au prorata : ${free}`;
        });
        lines.push(
          `${redistributed} × ${perYear(share.weight)} ÷ ${totalPerYear('freeWeight/year', b.freeWeight)} ${equals(exact)}.`,
        );
      } else {
        lines.push(
          `Part au prorata : ${pool} × ${perYear(share.weight)} ÷ ${totalPerYear('weight/year', totals.weight)} ${equals(exact)}.`,
        );
      }
      break;
    }
    case 'strata': {
      const s = rule.strata[share.stratum ?? stratumOf(rule.strata, share.population)];
      const label = once(`stratum:${share.stratum ?? 0}`, () =>
        stratumLabel(rule.strata, share.stratum ?? 0),
      );
      if (s.fixedCents !== undefined) {
        lines.push(
          `Votre tranche : ${label} (${plural(share.population, 'habitant', 'habitants')}), prix annuel ${formatCents(s.fixedCents)}.`,
        );
        if (m < 12) lines.push(`Prorata : ${formatCents(s.fixedCents)} × ${m}/12 ${equals(exact)}.`);
      } else {
        const scale = allocation.weightScale ?? 1;
        lines.push(
          `Votre tranche : ${label} (${plural(share.population, 'habitant', 'habitants')}), poids ${formatNumber(s.weight ?? 0)}.`,
        );
        const totalWeight = once('strata/weight', () =>
          formatNumber(totals.weight / scale / (allYear ? 12 : 1)),
        );
        lines.push(`Poids total des abonnés${allYear ? '' : ' (pondéré par les mois)'} : ${totalWeight}.`);
        lines.push(
          `Part : ${pool} × ${formatNumber(share.weight / scale / (allYear ? 12 : 1))} ÷ ${totalWeight} ${equals(exact)}.`,
        );
      }
      break;
    }
    case 'membershipFee': {
      const { int, scale } = rate(rule.centsPerInhabitant);
      const byPopulation = { num: BigInt(share.population) * int, den: scale };
      lines.push(
        `Votre population : ${plural(share.population, 'habitant', 'habitants')}, soit ${formatExactCents(byPopulation)} au tarif par habitant.`,
      );
      if (byPopulation.num < BigInt(rule.minimumCents) * scale) {
        lines.push(
          `Ce montant est inférieur au minimum : vous payez le minimum de ${formatCents(rule.minimumCents)}.`,
        );
      }
      if (m < 12) lines.push(`Prorata : ${m}/12 ${equals(exact)}.`);
      break;
    }
  }

  const fractional = exact.num % exact.den !== 0n;
  if (allocation.derivedPool) {
    if (fractional) lines.push('Arrondi : au centime le plus proche.');
  } else if (share.roundingCents === 1) {
    lines.push('Arrondi : +0,01 € (centime restant attribué aux plus forts restes).');
  } else if (fractional) {
    lines.push('Arrondi : au centime inférieur (les centimes restants sont allés aux plus forts restes).');
  }
  lines.push(`Total : ${formatCents(share.shareCents)}.`);
  return {
    memberId: share.memberId,
    shareCents: share.shareCents,
    exact,
    lines,
  };
}
