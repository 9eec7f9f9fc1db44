import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkRecord,
  type ScdlActSource,
  type ScdlRecord,
  scdlMatiereName,
  scdlPrefectureCode,
  subMatiereCode,
  subMatiereLabel,
  toScdlDeliberationsCsv,
  validateScdlDeliberations,
} from './scdl.js';
import { SCDL_COLUMNS, SCDL_DELIBERATIONS_CUSTOM_CHECKS } from './scdl-schema.js';

// A SIRET on La Roche-sur-Yon's SIREN (218501914) with a valid check digit.
const SIRET = '21850191400012';

const act = (overrides: Partial<ScdlActSource> = {}): ScdlActSource => ({
  nature: 'DE',
  memberName: 'Commune de La Roche-sur-Yon',
  memberSiret: SIRET,
  number: 'DEL2026_042',
  decidedOn: '2026-12-04',
  classification: '7.1.2',
  subMatiereLabel: 'Décisions budgétaires',
  subject: 'Budget primitif 2027, adoption (budget principal)',
  prefectureId: '085-218501914-20261204-DEL2026_042-DE',
  acknowledgedAt: new Date('2026-12-05T09:00:00Z'),
  votesMembers: 45,
  votesFor: 38,
  votesAgainst: 4,
  votesAbstention: 2,
  documentUrl: 'https://socle.example.fr/public/actes/3f1c/document.pdf',
  ...overrides,
});

const records = (csv: string): Record<string, string>[] =>
  parse(csv, { columns: true, bom: true, delimiter: ',' });

/** A valid record, to break one cell at a time. */
const validRecord = (): ScdlRecord => ({
  COLL_NOM: 'Commune de La Roche-sur-Yon',
  COLL_SIRET: SIRET,
  DELIB_ID: 'DEL2026_042',
  DELIB_DATE: '2026-12-04',
  DELIB_MATIERE_CODE: '7.1',
  DELIB_MATIERE_NOM: 'finances locales/décisions budgétaires',
  DELIB_OBJET: 'Budget primitif 2027',
  BUDGET_ANNEE: '2027',
  BUDGET_NOM: 'Budget principal',
  PREF_ID: 'PREF085',
  PREF_DATE: '2026-12-05',
  VOTE_EFFECTIF: '45',
  VOTE_REEL: '44',
  VOTE_POUR: '38',
  VOTE_CONTRE: '4',
  VOTE_ABSTENTION: '2',
  DELIB_URL: 'https://socle.example.fr/public/actes/3f1c/document.pdf',
});

const header = SCDL_COLUMNS.join(',');
const fileOf = (...rows: ScdlRecord[]) =>
  [header, ...rows.map((r) => SCDL_COLUMNS.map((c) => JSON.stringify(r[c])).join(','))].join('\r\n');

describe('toScdlDeliberationsCsv', () => {
  it('writes the 17 columns of SCDL Délibérations 2.1.5, in order, and the file validates', () => {
    const { csv, rows, omitted } = toScdlDeliberationsCsv([
      act(),
      act({ number: 'DEL2026_043', classification: '8.4', subMatiereLabel: 'Aménagement du territoire' }),
    ]);
    expect(rows).toBe(2);
    expect(omitted).toEqual([]);
    expect(csv.split('\r\n')[0]).toBe(
      'COLL_NOM,COLL_SIRET,DELIB_ID,DELIB_DATE,DELIB_MATIERE_CODE,DELIB_MATIERE_NOM,DELIB_OBJET,' +
        'BUDGET_ANNEE,BUDGET_NOM,PREF_ID,PREF_DATE,VOTE_EFFECTIF,VOTE_REEL,VOTE_POUR,VOTE_CONTRE,' +
        'VOTE_ABSTENTION,DELIB_URL',
    );
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(validateScdlDeliberations(csv)).toEqual([]);
    expect(validateScdlDeliberations(Buffer.from(csv, 'utf8'))).toEqual([]);

    const [first, second] = records(csv);
    expect(first).toEqual({
      COLL_NOM: 'Commune de La Roche-sur-Yon',
      COLL_SIRET: SIRET,
      DELIB_ID: 'DEL2026_042',
      DELIB_DATE: '2026-12-04',
      DELIB_MATIERE_CODE: '7.1',
      DELIB_MATIERE_NOM: 'finances locales/décisions budgétaires',
      DELIB_OBJET: 'Budget primitif 2027, adoption (budget principal)',
      BUDGET_ANNEE: '',
      BUDGET_NOM: '',
      PREF_ID: 'PREF085',
      PREF_DATE: '2026-12-05',
      VOTE_EFFECTIF: '45',
      VOTE_REEL: '44',
      VOTE_POUR: '38',
      VOTE_CONTRE: '4',
      VOTE_ABSTENTION: '2',
      DELIB_URL: 'https://socle.example.fr/public/actes/3f1c/document.pdf',
    });
    expect(second.DELIB_MATIERE_NOM).toBe('domaines de compétences par thèmes/aménagement du territoire');
    // The subject's comma is inside quotes, not a separator.
    expect(csv).toContain('"Budget primitif 2027, adoption (budget principal)"');
  });

  it('writes only deliberations', () => {
    const { rows, omitted } = toScdlDeliberationsCsv([act({ nature: 'AR' }), act({ nature: 'AI' }), act()]);
    expect(rows).toBe(1);
    expect(omitted).toEqual([]);
  });

  it('leaves the prefecture and votes empty when unknown, and the file still validates', () => {
    const { csv } = toScdlDeliberationsCsv([
      act({ prefectureId: null, acknowledgedAt: null, votesMembers: null }),
      act({ number: 'B', votesAbstention: null }),
    ]);
    expect(validateScdlDeliberations(csv)).toEqual([]);
    for (const r of records(csv)) {
      for (const c of ['VOTE_EFFECTIF', 'VOTE_REEL', 'VOTE_POUR', 'VOTE_CONTRE', 'VOTE_ABSTENTION'])
        expect(r[c]).toBe('');
    }
    expect(records(csv)[0].PREF_ID).toBe('');
    expect(records(csv)[0].PREF_DATE).toBe('');
  });

  it('leaves DELIB_URL empty rather than write an address that cannot be followed', () => {
    const { csv, rows } = toScdlDeliberationsCsv([
      act({ documentUrl: '/api/v1/public/members/x/acts/y.pdf' }),
    ]);
    expect(rows).toBe(1);
    expect(records(csv)[0].DELIB_URL).toBe('');
    expect(validateScdlDeliberations(csv)).toEqual([]);
  });

  it('dates the acknowledgement in Paris', () => {
    // 23:30 UTC on 5 December is 00:30 on 6 December in Paris.
    const { csv } = toScdlDeliberationsCsv([act({ acknowledgedAt: new Date('2026-12-05T23:30:00Z') })]);
    expect(records(csv)[0].PREF_DATE).toBe('2026-12-06');
  });

  it('neutralises a subject a spreadsheet would take for a formula, and the file stays valid', () => {
    const { csv } = toScdlDeliberationsCsv([
      act({ subject: '=HYPERLINK("http://evil.example","cliquez")' }),
      act({ number: 'B', subject: '- Approbation du compte administratif', memberName: '@Commune' }),
      act({ number: 'C', subject: 'Tarifs\r\n2027 :\tcantine' }),
    ]);
    expect(validateScdlDeliberations(csv)).toEqual([]);
    const [a, b, c] = records(csv);
    expect(a.DELIB_OBJET).toBe('\'=HYPERLINK("http://evil.example","cliquez")');
    expect(b.DELIB_OBJET).toBe("'- Approbation du compte administratif");
    expect(b.COLL_NOM).toBe("'@Commune");
    expect(c.DELIB_OBJET).toBe('Tarifs 2027 : cantine');
    // No cell of the file starts a formula.
    for (const r of records(csv)) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('leaves out, with the reason, what the schema cannot describe', () => {
    const { csv, rows, omitted } = toScdlDeliberationsCsv([
      act({ number: 'NO_SIRET', memberSiret: null }),
      act({ number: 'BAD_SIRET', memberSiret: '21850191400018' }),
      act({ number: 'LEVEL1', classification: '7' }),
      act({ number: 'NO_LABEL', subMatiereLabel: null }),
      act({ number: 'VOTES', votesMembers: 30, votesFor: 40 }),
      act({ number: 'ACK_BEFORE', acknowledgedAt: new Date('2026-12-01T10:00:00Z') }),
      act({ number: 'OK' }),
    ]);
    expect(rows).toBe(1);
    expect(records(csv).map((r) => r.DELIB_ID)).toEqual(['OK']);
    expect(validateScdlDeliberations(csv)).toEqual([]);
    const reasons = Object.fromEntries(omitted.map((o) => [o.number, o.reasons.join(' | ')]));
    expect(reasons.NO_SIRET).toBe('SIRET de la structure inconnu : renseignez-le dans sa fiche.');
    expect(reasons.BAD_SIRET).toBe('SIRET de la structure invalide : « 21850191400018 ».');
    expect(reasons.LEVEL1).toMatch(/sans sous-matière/);
    expect(reasons.NO_LABEL).toBe(
      'Libellé de la sous-matière 7.1 introuvable dans la classification de la structure.',
    );
    expect(reasons.VOTES).toMatch(/VOTE_EFFECTIF : la valeur de la colonne VOTE_EFFECTIF « 30 »/);
    expect(reasons.ACK_BEFORE).toMatch(/PREF_DATE .* supérieure ou égale .* DELIB_DATE/);
  });

  it('accepts a SIRET typed with spaces', () => {
    const { csv, rows } = toScdlDeliberationsCsv([act({ memberSiret: '218 501 914 00012' })]);
    expect(rows).toBe(1);
    expect(records(csv)[0].COLL_SIRET).toBe(SIRET);
  });

  it('always writes a valid file, whatever the subjects, names and votes', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== '');
    const votes = fc.option(fc.nat({ max: 200 }), { nil: null });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            subject: text,
            memberName: text,
            votesMembers: votes,
            votesFor: votes,
            votesAgainst: votes,
          }),
          { maxLength: 8 },
        ),
        (variants) => {
          const { csv, rows, omitted } = toScdlDeliberationsCsv(
            variants.map((v, i) => act({ ...v, number: `N${i}` })),
          );
          return (
            validateScdlDeliberations(csv).length === 0 &&
            rows + omitted.length === variants.length &&
            records(csv).length === rows
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the helpers of the mapping', () => {
  it.each([
    ['7.1.2', '7.1'],
    ['7.10', '7.10'],
    ['7.10.1.2', '7.10'],
    ['7', null],
    ['9.4', '9.4'],
  ])('sub-matière of %s is %s', (code, sub) => {
    expect(subMatiereCode(code)).toBe(sub);
  });

  it('finds the level-2 label in the classification entries', () => {
    const entries = [
      { code: '7', label: 'Finances locales' },
      { code: '7.1', label: 'Décisions budgétaires' },
      { code: '7.1.2', label: 'Budget primitif' },
    ];
    expect(subMatiereLabel('7.1.2', entries)).toBe('Décisions budgétaires');
    expect(subMatiereLabel('7.2', entries)).toBeNull();
    expect(subMatiereLabel('7', entries)).toBeNull();
  });

  it('names the matière in lower case, without comma, parenthesis nor inner slash', () => {
    expect(scdlMatiereName('1.5', 'Transactions /protocole d’accord transactionnel')).toBe(
      'commande publique/transactions protocole d’accord transactionnel',
    );
    expect(scdlMatiereName('7.9', 'Prise de participation (SEM, etc...)')).toBe(
      'finances locales/prise de participation sem etc...',
    );
    expect(scdlMatiereName('7.1', ' ( ) ')).toBeNull();
  });

  it.each([
    ['085-218501914-20261204-DEL2026_042-DE', 'PREF085'],
    ['02A-212000046-20261204-A1-AR', 'PREF02A'],
    ['971-219710013-20261204-A1-AR', 'PREF971'],
    ['unknown', ''],
    [null, ''],
  ])('prefecture of %s is « %s »', (id, pref) => {
    expect(scdlPrefectureCode(id)).toBe(pref);
  });
});

describe('validateScdlDeliberations (the schema as a test oracle)', () => {
  it('accepts a valid record with every column filled, and a BOM', () => {
    expect(validateScdlDeliberations(fileOf(validRecord()))).toEqual([]);
    expect(validateScdlDeliberations(`\ufeff${fileOf(validRecord())}`)).toEqual([]);
  });

  const broken: [string, Partial<ScdlRecord>, string, string][] = [
    ['a missing name', { COLL_NOM: '' }, 'COLL_NOM', 'required'],
    ['a missing identifier', { DELIB_ID: '' }, 'DELIB_ID', 'required'],
    ['a missing subject', { DELIB_OBJET: '' }, 'DELIB_OBJET', 'required'],
    ['a missing matière name', { DELIB_MATIERE_NOM: '' }, 'DELIB_MATIERE_NOM', 'required'],
    ['a missing decision date', { DELIB_DATE: '' }, 'DELIB_DATE', 'required'],
    ['a SIRET of 13 digits', { COLL_SIRET: '2185019140001' }, 'COLL_SIRET', 'pattern'],
    ['a SIREN instead of a SIRET', { COLL_SIRET: '218501914' }, 'COLL_SIRET', 'pattern'],
    [
      'a SIRET with a wrong check digit',
      { COLL_SIRET: '21850191400018' },
      'COLL_SIRET',
      'french-siret-value',
    ],
    ['a French date', { DELIB_DATE: '04/12/2026' }, 'DELIB_DATE', 'type'],
    ['a date that does not exist', { DELIB_DATE: '2026-02-30' }, 'DELIB_DATE', 'type'],
    ['a level-3 matière code', { DELIB_MATIERE_CODE: '7.1.2' }, 'DELIB_MATIERE_CODE', 'pattern'],
    ['a level-1 matière code', { DELIB_MATIERE_CODE: '7' }, 'DELIB_MATIERE_CODE', 'pattern'],
    ['a budget year of 2 digits', { BUDGET_ANNEE: '27' }, 'BUDGET_ANNEE', 'pattern'],
    ['a budget period backwards', { BUDGET_ANNEE: '2028/2027' }, 'BUDGET_ANNEE', 'year-interval-value'],
    ['a budget period of one year', { BUDGET_ANNEE: '2027/2027' }, 'BUDGET_ANNEE', 'year-interval-value'],
    ['a budget year without budget name', { BUDGET_NOM: '' }, 'BUDGET_ANNEE', 'cohesive-columns-value'],
    [
      'a prefecture date before the decision',
      { PREF_DATE: '2026-12-03' },
      'PREF_DATE',
      'compare-columns-value',
    ],
    ['a prefecture date in French', { PREF_DATE: '05/12/2026' }, 'PREF_DATE', 'type'],
    ['a decimal vote count', { VOTE_POUR: '38.5' }, 'VOTE_POUR', 'type'],
    ['votes partly filled', { VOTE_CONTRE: '' }, 'VOTE_EFFECTIF', 'cohesive-columns-value'],
    ['more voters than members', { VOTE_EFFECTIF: '40' }, 'VOTE_EFFECTIF', 'compare-columns-value'],
    ['a sum that does not add up', { VOTE_REEL: '43' }, 'VOTE_REEL', 'sum-columns-value'],
    [
      'more votes for than voters',
      { VOTE_POUR: '50', VOTE_REEL: '56' },
      'VOTE_EFFECTIF',
      'compare-columns-value',
    ],
    ['an address without scheme', { DELIB_URL: 'socle.example.fr/acte.pdf' }, 'DELIB_URL', 'format'],
    [
      'a matière name without slash',
      { DELIB_MATIERE_NOM: 'finances locales' },
      'DELIB_MATIERE_NOM',
      'nomenclature-actes-value',
    ],
    [
      'an unknown matière',
      { DELIB_MATIERE_NOM: 'sport/football' },
      'DELIB_MATIERE_NOM',
      'nomenclature-actes-value',
    ],
    [
      'a space after the slash',
      { DELIB_MATIERE_NOM: 'finances locales/ budget' },
      'DELIB_MATIERE_NOM',
      'nomenclature-actes-value',
    ],
    [
      'a space before the slash',
      { DELIB_MATIERE_NOM: 'finances locales /budget' },
      'DELIB_MATIERE_NOM',
      'nomenclature-actes-value',
    ],
  ];

  it.each(broken)('refuses %s', (_, change, column, check) => {
    const errors = validateScdlDeliberations(fileOf({ ...validRecord(), ...change }));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors).toContainEqual(expect.objectContaining({ line: 2, column, check }));
  });

  it('has a failing case for every custom check of the schema', () => {
    const covered = new Set(broken.map(([, , , check]) => check));
    for (const check of SCDL_DELIBERATIONS_CUSTOM_CHECKS) expect(covered).toContain(check.name);
  });

  it('accepts what the schema allows: accents and case in the matière, a period, empty optional cells', () => {
    expect(
      checkRecord({
        ...validRecord(),
        DELIB_MATIERE_NOM: 'FINANCES LOCALES/Décisions',
        BUDGET_ANNEE: '2026/2027',
      }),
    ).toEqual([]);
    expect(
      checkRecord({ ...validRecord(), DELIB_MATIERE_NOM: 'Liberte publiques et pouvoirs de police/x' }),
    ).not.toEqual([]);
    expect(
      checkRecord({ ...validRecord(), DELIB_MATIERE_NOM: 'Libertes publiques et pouvoirs de police/x' }),
    ).toEqual([]);
    const empty = Object.fromEntries(
      [
        'BUDGET_ANNEE',
        'BUDGET_NOM',
        'PREF_ID',
        'PREF_DATE',
        'VOTE_EFFECTIF',
        'VOTE_REEL',
        'VOTE_POUR',
        'VOTE_CONTRE',
        'VOTE_ABSTENTION',
        'DELIB_URL',
      ].map((c) => [c, '']),
    );
    expect(checkRecord({ ...validRecord(), ...empty })).toEqual([]);
  });

  it('refuses a wrong header, a semicolon file, a short row, a blank row and bad bytes', () => {
    const row = fileOf(validRecord()).split('\r\n')[1];
    expect(validateScdlDeliberations(`${header.replace('DELIB_OBJET', 'OBJET')}\r\n${row}`)).toEqual([
      expect.objectContaining({ line: 1, check: 'header' }),
    ]);
    const reordered = SCDL_COLUMNS.toReversed().join(',');
    expect(validateScdlDeliberations(reordered)[0].check).toBe('header');
    expect(validateScdlDeliberations(header.replaceAll(',', ';'))).toEqual([
      expect.objectContaining({ check: 'header', message: expect.stringMatching(/virgule/) }),
    ]);
    expect(validateScdlDeliberations(`${header}\r\n${row.split(',').slice(0, 16).join(',')}`)).toEqual([
      expect.objectContaining({ line: 2, check: 'cell-count' }),
    ]);
    expect(validateScdlDeliberations(`${header}\r\n${','.repeat(16)}\r\n${row}`)).toEqual([
      expect.objectContaining({ line: 2, check: 'blank-row' }),
    ]);
    expect(validateScdlDeliberations(Buffer.from([0x43, 0x4f, 0xe9, 0x0a]))).toEqual([
      expect.objectContaining({ check: 'encoding' }),
    ]);
    expect(validateScdlDeliberations(`${header}\r\n"unclosed`)[0].check).toBe('format');
    expect(validateScdlDeliberations('')[0].check).toBe('header');
  });

  it('numbers the lines it reports', () => {
    const errors = validateScdlDeliberations(fileOf(validRecord(), { ...validRecord(), DELIB_DATE: 'hier' }));
    expect(errors).toContainEqual(expect.objectContaining({ line: 3, column: 'DELIB_DATE', check: 'type' }));
    expect(errors.every((e) => e.line === 3)).toBe(true);
  });
});
