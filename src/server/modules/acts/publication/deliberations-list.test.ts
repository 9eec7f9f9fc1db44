import { describe, expect, it } from 'vitest';
import {
  deliberationsListPdf,
  deliberationsListTitle,
  outcomeText,
  type SessionDeliberation,
  voteOutcome,
} from './deliberations-list.js';
import { readPdf } from './pdf-reader.test-support.js';

const acts: SessionDeliberation[] = [
  {
    number: 'DEL2026_042',
    subject: 'Budget primitif 2027 du budget principal',
    classificationLabel: 'Décisions budgétaires',
    votesMembers: 45,
    votesPresent: 42,
    votesFor: 38,
    votesAgainst: 4,
    votesAbstention: 2,
    publishedAt: new Date('2026-12-07T09:00:00Z'),
  },
  {
    number: 'DEL2026_043',
    subject: 'Motion relative à la fermeture du bureau de poste',
    classificationLabel: 'Voeux et motions',
    votesFor: 10,
    votesAgainst: 30,
    votesAbstention: 2,
  },
  {
    number: 'DEL2026_044',
    subject: 'Tarifs de la restauration scolaire',
    votesFor: 43,
    votesAgainst: 0,
    votesAbstention: 0,
  },
  { number: 'DEL2026_045', subject: 'Dénomination d’une voie nouvelle' },
];

describe('voteOutcome and outcomeText (CGCT L2121-20: absolute majority of the votes cast)', () => {
  it.each([
    [
      { votesFor: 38, votesAgainst: 4, votesAbstention: 2 },
      'adopted',
      'Adoptée (pour : 38, contre : 4, abstentions : 2)',
    ],
    [
      { votesFor: 10, votesAgainst: 30, votesAbstention: 2 },
      'rejected',
      'Rejetée (pour : 10, contre : 30, abstentions : 2)',
    ],
    // Abstentions are not votes cast: 5 for, 4 against, 30 abstentions is adopted.
    [
      { votesFor: 5, votesAgainst: 4, votesAbstention: 30 },
      'adopted',
      'Adoptée (pour : 5, contre : 4, abstentions : 30)',
    ],
    [{ votesFor: 43, votesAgainst: 0, votesAbstention: 0 }, 'adopted', "Adoptée à l'unanimité"],
    [
      { votesFor: 40, votesAgainst: 0, votesAbstention: 3 },
      'adopted',
      'Adoptée (pour : 40, contre : 0, abstentions : 3)',
    ],
    [
      { votesFor: 20, votesAgainst: 20, votesAbstention: 1 },
      null,
      'Partage égal des voix (pour : 20, contre : 20, abstentions : 1) : résultat à préciser',
    ],
    // The chair's casting vote settled the tie.
    [{ votesFor: 20, votesAgainst: 20, outcome: 'adopted' }, 'adopted', 'Adoptée (pour : 20, contre : 20)'],
    [{ outcome: 'adopted' }, 'adopted', 'Adoptée'],
    [{}, null, 'Résultat du vote non renseigné'],
    [{ votesFor: 12 }, null, 'Résultat du vote non renseigné'],
  ] as [Partial<SessionDeliberation>, string | null, string][])('%o → %s, « %s »', (votes, outcome, text) => {
    const act = { number: 'X', subject: 'Objet', ...votes };
    expect(voteOutcome(act)).toBe(outcome);
    expect(outcomeText(act)).toBe(text);
  });
});

describe('deliberationsListPdf', () => {
  it('lists the session’s deliberations with their outcome, and says when it was put online', async () => {
    const pdf = await deliberationsListPdf({
      memberName: 'Commune de La Roche-sur-Yon',
      sessionOn: '2026-12-04',
      // 00:15 in Paris on 5 December.
      onlineAt: new Date('2026-12-04T23:15:00Z'),
      acts,
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, info } = await readPdf(pdf);
    expect(text).toContain('Liste des délibérations de la séance du 4 décembre 2026');
    expect(text).toContain('Commune de La Roche-sur-Yon');
    expect(text).toContain('Conseil municipal');
    expect(text).toContain('4 délibérations examinées lors de la séance.');
    expect(text).toContain('Délibération n° DEL2026_042 Budget primitif 2027 du budget principal');
    expect(text).toContain('Matière : Décisions budgétaires');
    expect(text).toContain('Membres en exercice : 45 — Présents ou représentés : 42');
    expect(text).toContain('Adoptée (pour : 38, contre : 4, abstentions : 2)');
    expect(text).toContain('Publiée le 07/12/2026');
    expect(text).toContain('Motion relative à la fermeture du bureau de poste');
    expect(text).toContain('Rejetée (pour : 10, contre : 30, abstentions : 2)');
    expect(text).toContain("Adoptée à l'unanimité");
    expect(text).toContain('Dénomination d’une voie nouvelle');
    expect(text).toContain('Résultat du vote non renseigné');
    expect(text).toContain('Liste mise en ligne le 05/12/2026 à 00:15');
    expect(text).toContain('Article L2121-25 du code général des collectivités territoriales');
    expect(text).toContain('Page 1 / 1');
    expect(String(info.Title)).toBe(
      'Liste des délibérations de la séance du 4 décembre 2026 — Commune de La Roche-sur-Yon',
    );
    // In the order given.
    expect(text.indexOf('DEL2026_042')).toBeLessThan(text.indexOf('DEL2026_043'));
    expect(text.indexOf('DEL2026_044')).toBeLessThan(text.indexOf('DEL2026_045'));
  });

  it('runs over several pages with the footer on each', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      number: `DEL2027_${String(i + 1).padStart(3, '0')}`,
      subject: `Délibération ${i + 1} : ${'attribution de subventions aux associations '.repeat(3)}`,
      votesFor: 30,
      votesAgainst: 1,
      votesAbstention: 0,
    }));
    const pdf = await deliberationsListPdf({
      memberName: 'Syndicat mixte e-Collectivités Vendée',
      assembly: 'Comité syndical',
      sessionOn: '2027-03-01',
      onlineAt: new Date('2027-03-02T08:00:00Z'),
      acts: many,
    });
    const { pages } = await readPdf(pdf);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toContain('Liste des délibérations de la séance du 1er mars 2027');
    expect(pages[0]).toContain('Comité syndical');
    pages.forEach((page, i) => {
      expect(page).toContain('Liste mise en ligne le 02/03/2027 à 09:00');
      expect(page).toContain(`Page ${i + 1} / ${pages.length}`);
    });
    const all = pages.join(' ');
    for (const act of many) expect(all).toContain(`Délibération n° ${act.number}`);
  });

  it('says when no deliberation was examined', async () => {
    const pdf = await deliberationsListPdf({
      memberName: 'Commune des Sables-d’Olonne',
      sessionOn: '2026-12-15',
      onlineAt: new Date('2026-12-16T10:00:00Z'),
      acts: [],
    });
    const { text } = await readPdf(pdf);
    expect(text).toContain("Aucune délibération n'a été examinée lors de cette séance.");
  });

  it('prints characters the standard fonts lack without failing', async () => {
    const pdf = await deliberationsListPdf({
      memberName: 'Commune de Saint-Ŵenceslas',
      sessionOn: '2026-12-04',
      onlineAt: new Date('2026-12-05T10:00:00Z'),
      acts: [{ number: 'D1', subject: 'Jumelage avec Łódź 🇵🇱' }],
    });
    const { text } = await readPdf(pdf);
    expect(text).toContain('Commune de Saint-Wenceslas');
    expect(text).toContain('Jumelage avec Lódz ??');
  });

  it('refuses a session date that is not a calendar date', async () => {
    await expect(
      deliberationsListPdf({ memberName: 'X', sessionOn: '2026-02-30', onlineAt: new Date(), acts: [] }),
    ).rejects.toThrow(RangeError);
    expect(() => deliberationsListTitle('04/12/2026')).toThrow(RangeError);
  });
});
