import { describe, expect, it } from 'vitest';
import {
  a,
  countOf,
  countOfTotal,
  dayOfMonth,
  de,
  elides,
  euros,
  forPdf,
  frenchDate,
  frenchDateTime,
  frenchSpaces,
  NBSP,
  NNBSP,
  parisDay,
  plural,
  shortDate,
  The,
  the,
} from './french.js';

/** Shows the no-break spaces: « ⍽ » for U+00A0, « ˽ » for U+202F. */
const visible = (text: string) => text.replaceAll(NBSP, '⍽').replaceAll(NNBSP, '˽');

describe('plurals', () => {
  it('follow the French rules: 0 and 1 take the singular', () => {
    expect(plural(0, 'facture', 'factures')).toBe('facture');
    expect(plural(1, 'facture', 'factures')).toBe('facture');
    expect(plural(2, 'facture', 'factures')).toBe('factures');
    expect(plural(1.5, 'heure', 'heures')).toBe('heure');
    expect(plural(1_000_000, 'facture', 'factures')).toBe('factures');
  });

  it('glue the count to its noun and group thousands', () => {
    expect(visible(countOf(1, 'facture', 'factures'))).toBe('1⍽facture');
    expect(visible(countOf(3, 'facture', 'factures'))).toBe('3⍽factures');
    expect(visible(countOf(1234, 'facture', 'factures'))).toBe('1˽234⍽factures');
    expect(`Émettre ${countOf(1, 'la facture', 'les factures')}`).not.toContain('1 factures');
  });

  it('say « plus de » of a list that stopped counting at its cap', () => {
    const found = (list: { total: number; totalIsExact?: boolean; totalIsEstimate?: boolean }) =>
      visible(countOfTotal(list, 'structure trouvée', 'structures trouvées'));
    expect(found({ total: 1, totalIsExact: true })).toBe('1⍽structure trouvée');
    expect(found({ total: 9_999 })).toBe('9˽999⍽structures trouvées');
    expect(found({ total: 1_000, totalIsExact: false })).toBe('plus de 1˽000⍽structures trouvées');
  });

  it('say « environ » of a list whose total is the database estimate', () => {
    const found = (list: { total: number; totalIsExact?: boolean; totalIsEstimate?: boolean }) =>
      visible(countOfTotal(list, 'structure trouvée', 'structures trouvées'));
    expect(found({ total: 6_500, totalIsExact: false, totalIsEstimate: true })).toBe(
      'environ 6˽500⍽structures trouvées',
    );
  });
});

describe('dates', () => {
  it('write the first of the month as « 1er »', () => {
    expect(dayOfMonth(1)).toBe('1er');
    expect(dayOfMonth(2)).toBe('2');
    expect(frenchDate('2026-03-01')).toBe('1er mars 2026');
    expect(frenchDate('2026-03-02')).toBe('2 mars 2026');
    expect(frenchDate('2026-03-01', { year: false })).toBe('1er mars');
    expect(frenchDate('2026-03-01', { weekday: true })).toBe('dimanche 1er mars 2026');
    expect(shortDate('2026-03-01')).toBe('01/03/2026');
  });

  it('read instants in Paris, whatever the zone of the machine', () => {
    const before = process.env.TZ;
    const results: string[] = [];
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        // 23:30 UTC on 28 February is already 1 March in Paris (UTC+1).
        results.push(
          `${frenchDateTime('2026-02-28T23:30:00Z')} | ${frenchDate(new Date('2026-02-28T23:30:00Z'))} | ${parisDay(new Date('2026-02-28T23:30:00Z'))}`,
        );
      }
    } finally {
      process.env.TZ = before;
    }
    expect(new Set(results)).toEqual(new Set(['1er mars 2026 à 00:30 | 1er mars 2026 | 2026-03-01']));
    // Summer time: UTC+2.
    expect(frenchDateTime('2026-07-14T08:05:00Z')).toBe('14 juillet 2026 à 10:05');
  });

  it('say nothing for nothing and give back what they cannot read', () => {
    expect(frenchDate(null)).toBe('—');
    expect(frenchDate('')).toBe('—');
    expect(frenchDate('demain')).toBe('demain');
  });
});

describe('elision and contraction', () => {
  it('elide before a vowel, a mute h, and y before a consonant', () => {
    expect(de('Auvers-le-Hamon')).toBe("d'Auvers-le-Hamon");
    expect(de('Écouflant')).toBe("d'Écouflant");
    expect(de('Yvré-l’Évêque')).toBe("d'Yvré-l’Évêque");
    expect(de('Hérouville-Saint-Clair')).toBe("d'Hérouville-Saint-Clair");
    expect(de('hébergement')).toBe("d'hébergement");
    expect(the('la', 'heure')).toBe("l'heure");
    expect(the('le', 'hôpital')).toBe("l'hôpital");
  });

  it('keep the article whole before a consonant, an aspirated h, and y before a vowel', () => {
    expect(de('Saint-Jean')).toBe('de Saint-Jean');
    expect(de('Hautefort')).toBe('de Hautefort');
    expect(the('le', 'hameau')).toBe('le hameau');
    expect(de('Yaoundé')).toBe('de Yaoundé');
    expect(the('le', 'SIREN')).toBe('le SIREN');
  });

  it("keep a name's own article, contracting Le and Les", () => {
    expect(de('La Roche-sur-Yon')).toBe('de La Roche-sur-Yon');
    expect(de("L'Île-d'Yeu")).toBe("de L'Île-d'Yeu");
    expect(de('Le Mans')).toBe('du Mans');
    expect(de('Les Sables-d’Olonne')).toBe('des Sables-d’Olonne');
    expect(a('Le Mans')).toBe('au Mans');
    expect(a('Les Herbiers')).toBe('aux Herbiers');
    expect(a('La Flèche')).toBe('à La Flèche');
    expect(a('Angers')).toBe('à Angers');
  });

  it('capitalise the article at the start of a sentence', () => {
    expect(The('le', 'SIREN')).toBe('Le SIREN');
    expect(The('la', 'adresse')).toBe("L'adresse");
    expect(The('le', 'EPCI')).toBe("L'EPCI");
    expect(elides('')).toBe(false);
  });
});

describe('spaces', () => {
  it('put a no-break space before « : » and in « », a narrow one before « ; ? ! »', () => {
    expect(visible(frenchSpaces('SIREN : manquant ; voir ? oui ! « Structure »'))).toBe(
      'SIREN⍽: manquant˽; voir˽? oui˽! «⍽Structure⍽»',
    );
  });

  it('add none where there was none', () => {
    expect(frenchSpaces('à 10:30, https://exemple.fr')).toBe('à 10:30, https://exemple.fr');
  });

  it('keep amounts in one piece, and stay printable with the PDF fonts', () => {
    expect(visible(euros(2_500_000))).toBe('25˽000,00⍽€');
    expect(visible(euros(-12_282))).toBe('-122,82⍽€');
    expect(visible(euros(5))).toBe('0,05⍽€');
    expect(euros(2_500_000)).toBe(
      new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(25_000),
    );
    expect(visible(forPdf(euros(2_500_000)))).toBe('25⍽000,00⍽€');
  });
});
