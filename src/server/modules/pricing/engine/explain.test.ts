import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../../contracts/defined.js';
import { allocate } from './allocate.js';
import { anyRule, pool, subscribers } from './arbitraries.js';
import { decimal, describeRule, explain, formatCents } from './explain.js';
import { AllocationError, type Subscriber } from './types.js';

/** Intl puts narrow and regular no-break spaces in French numbers; tests read them as spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');
const linesOf = (allocation: ReturnType<typeof allocate>, memberId: string) =>
  defined(explain(allocation, memberId)).lines.map(plain);

const twelve: Subscriber[] = [
  { memberId: 'm01', population: 1234 },
  ...Array.from({ length: 10 }, (_, i) => ({
    memberId: `m${String(i + 2).padStart(2, '0')}`,
    population: 5000,
  })),
  { memberId: 'm12', population: 5555 },
];

describe('explain', () => {
  it('explains a fixed + variable share step by step, in French', () => {
    const allocation = allocate(100_000, { kind: 'fixedVariable', fixedPercent: 30 }, twelve);
    const share = allocation.shares[0];
    const explanation = defined(explain(allocation, 'm01'));
    expect(explanation.lines.map(plain)).toEqual([
      'Règle : 30 % à parts égales, 70 % au prorata de la population.',
      'Montant à répartir : 1 000,00 € entre 12 abonnés.',
      'Votre population : 1 234 habitants sur 56 789 au total (2,17 %).',
      'Part fixe : 300,00 € ÷ 12 abonnés = 25,00 €.',
      'Part variable : 700,00 € × 1 234 ÷ 56 789 ≈ 15,2107 €.',
      'Montant avant arrondi ≈ 40,2107 €.',
      share.roundingCents === 1
        ? 'Arrondi : +0,01 € (centime restant attribué aux plus forts restes).'
        : 'Arrondi : au centime inférieur (les centimes restants sont allés aux plus forts restes).',
      `Total : ${plain(formatCents(share.shareCents))}.`,
    ]);
    expect(explanation.exactEuros).toBe('40.2107');
    expect(explanation.text).toBe(explanation.lines.join(' '));
  });

  it('states the extra rounding cent when the member received it', () => {
    const allocation = allocate(100, { kind: 'equal' }, [
      { memberId: 'a', population: 1 },
      { memberId: 'b', population: 1 },
      { memberId: 'c', population: 1 },
    ]);
    expect(linesOf(allocation, 'a')).toEqual([
      'Règle : parts égales entre les abonnés.',
      'Montant à répartir : 1,00 € entre 3 abonnés.',
      'Part égale : 1,00 € ÷ 3 abonnés ≈ 0,3333 €.',
      'Arrondi : +0,01 € (centime restant attribué aux plus forts restes).',
      'Total : 0,34 €.',
    ]);
    expect(linesOf(allocation, 'b').at(-2)).toBe(
      'Arrondi : au centime inférieur (les centimes restants sont allés aux plus forts restes).',
    );
  });

  it('explains the floor, the ceiling and the re-shared rest of the population rule', () => {
    const allocation = allocate(100_000, { kind: 'population', floorCents: 10_000, ceilingCents: 50_000 }, [
      { memberId: 'big', population: 90_000 },
      { memberId: 'mid', population: 9_000 },
      { memberId: 'tiny', population: 500, months: 6 },
    ]);
    expect(allocation.shares.map((s) => s.bound)).toEqual(['ceiling', null, 'floor']);
    const tiny = linesOf(allocation, 'tiny');
    expect(tiny).toContain("Durée d'abonnement : 6 mois sur 12 (prorata 6/12).");
    expect(tiny).toContain('Plancher : 100,00 € par membre, soit 50,00 € pour 6 mois.');
    expect(tiny).toContain(
      'Votre part au prorata (≈ 2,5189 €) est inférieure au plancher : vous payez le plancher.',
    );
    expect(linesOf(allocation, 'big')).toContain(
      'Votre part au prorata (≈ 906,8010 €) dépasse le plafond : vous payez le plafond.',
    );
    expect(linesOf(allocation, 'mid')).toContain(
      '1 membre paie le plancher et 1 membre paie le plafond ; les 450,00 € restants sont répartis entre les autres au prorata : 450,00 € × 108 000 ÷ 108 000 = 450,00 €.',
    );
  });

  it('explains a fixed stratum price prorated by months', () => {
    const allocation = allocate(
      0,
      {
        kind: 'strata',
        strata: [
          { upTo: 1000, fixedCents: 20_000 },
          { upTo: null, fixedCents: 50_000 },
        ],
      },
      [{ memberId: 'a', population: 1500, months: 5 }],
    );
    expect(linesOf(allocation, 'a')).toEqual([
      "Règle : prix fixe par tranche de population (jusqu'à 1 000 habitants : 200,00 € ; 1 001 habitants et plus : 500,00 €).",
      "Durée d'abonnement : 5 mois sur 12 (prorata 5/12).",
      'Votre tranche : 1 001 habitants et plus (1 500 habitants), prix annuel 500,00 €.',
      'Prorata : 500,00 € × 5/12 ≈ 208,3333 €.',
      'Arrondi : au centime le plus proche.',
      'Total : 208,33 €.',
    ]);
  });

  it('explains the membership fee minimum', () => {
    const allocation = allocate(
      0,
      { kind: 'membershipFee', centsPerInhabitant: 12.5, minimumCents: 15_000 },
      [{ memberId: 'small', population: 120 }],
    );
    expect(linesOf(allocation, 'small')).toEqual([
      'Règle : cotisation de 0,125 € par habitant, avec un minimum de 150,00 €.',
      'Votre population : 120 habitants, soit 15,00 € au tarif par habitant.',
      'Ce montant est inférieur au minimum : vous payez le minimum de 150,00 €.',
      'Total : 150,00 €.',
    ]);
  });

  it('explains a share per declared unit', () => {
    const allocation = allocate(10_000, { kind: 'units', unitLabel: 'agents' }, [
      { memberId: 'a', population: 1, units: 1 },
      { memberId: 'b', population: 1, units: 3 },
    ]);
    expect(linesOf(allocation, 'a')).toContain('Unités déclarées (agents) : 1 sur 4 au total.');
    expect(linesOf(allocation, 'a')).toContain('Part : 100,00 € × 1 ÷ 4 = 25,00 €.');
  });

  it('ends every explanation with the total, within one cent of the exact amount it shows', () => {
    fc.assert(
      fc.property(pool, anyRule, subscribers({ maxLength: 10 }), (poolCents, rule, list) => {
        let allocation: ReturnType<typeof allocate>;
        try {
          allocation = allocate(poolCents, rule, list);
        } catch (error) {
          expect(error).toBeInstanceOf(AllocationError);
          return;
        }
        for (const share of allocation.shares) {
          const explanation = defined(explain(allocation, share.memberId));
          expect(explanation.lines[0].startsWith('Règle : ')).toBe(true);
          expect(explanation.lines.at(-1)).toBe(`Total : ${formatCents(share.shareCents)}.`);
          const exactTenThousandths = BigInt(explanation.exactEuros.replace('.', ''));
          const diff = exactTenThousandths - BigInt(share.shareCents) * 100n;
          expect(diff >= -100n && diff <= 100n).toBe(true);
          expect(explanation.text.includes('+0,01')).toBe(share.roundingCents === 1);
          expect(explanation.text.includes("Durée d'abonnement")).toBe(share.months < 12);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('returns nothing for a member outside the allocation', () => {
    expect(explain(allocate(10, { kind: 'equal' }, [{ memberId: 'a', population: 1 }]), 'z')).toBeUndefined();
  });

  it('describes each rule in words', () => {
    expect(plain(describeRule({ kind: 'population', floorCents: 15_000 }))).toBe(
      'au prorata de la population, avec un plancher de 150,00 € par membre',
    );
    expect(plain(describeRule({ kind: 'fixedVariable', fixedPercent: 12.5 }))).toBe(
      '12,5 % à parts égales, 87,5 % au prorata de la population',
    );
  });

  it('formats exact decimals with half-up rounding', () => {
    expect(decimal(1n, 3n, 4)).toBe('0.3333');
    expect(decimal(2n, 3n, 4)).toBe('0.6667');
    expect(decimal(5n, 2n, 0)).toBe('3');
    expect(decimal(123_456n, 100n, 2)).toBe('1234.56');
  });
});
