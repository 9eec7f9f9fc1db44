import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACT_NATURES } from '../../../../contracts/acts.js';
import {
  departementCode,
  InvalidIdentifierPart,
  parsePrefectureIdentifier,
  prefectureIdentifier,
} from './prefecture-identifier.js';

const base = {
  departement: '85',
  siren: '218501914',
  decidedOn: '2026-12-04',
  number: 'DEL2026_042',
  nature: 'DE' as const,
};

describe('prefectureIdentifier', () => {
  it('builds DDD-SIREN-YYYYMMDD-NUMBER-NATURE', () => {
    expect(prefectureIdentifier(base)).toBe('085-218501914-20261204-DEL2026_042-DE');
  });

  it('writes the département on 3 characters: padded, Corsica with its letter, overseas as is', () => {
    expect(departementCode('85')).toBe('085');
    expect(departementCode('1')).toBe('001');
    expect(departementCode('01')).toBe('001');
    expect(departementCode('085')).toBe('085');
    expect(departementCode('2A')).toBe('02A');
    expect(departementCode('2b')).toBe('02B');
    expect(departementCode('02A')).toBe('02A');
    expect(departementCode('971')).toBe('971');
    expect(departementCode('976')).toBe('976');
    expect(departementCode('988')).toBe('988');
    expect(prefectureIdentifier({ ...base, departement: '2A', siren: '212000046' })).toBe(
      '02A-212000046-20261204-DEL2026_042-DE',
    );
  });

  it('refuses départements that do not exist', () => {
    for (const bad of ['20', '020', '96', '00', '979', '2C', '', 'AB', '1234']) {
      expect(() => departementCode(bad), bad).toThrow(InvalidIdentifierPart);
    }
  });

  it('refuses a bad SIREN, date, number or nature with a French message', () => {
    expect(() => prefectureIdentifier({ ...base, siren: '21850191' })).toThrow(/SIREN invalide/);
    expect(() => prefectureIdentifier({ ...base, decidedOn: '2026-02-30' })).toThrow(
      /Date de décision invalide/,
    );
    expect(() => prefectureIdentifier({ ...base, decidedOn: '04/12/2026' })).toThrow(
      /Date de décision invalide/,
    );
    expect(() => prefectureIdentifier({ ...base, number: 'del2026' })).toThrow(/Numéro invalide/);
    expect(() => prefectureIdentifier({ ...base, number: '_DEL' })).toThrow(/Numéro invalide/);
    expect(() => prefectureIdentifier({ ...base, number: 'DEL_' })).toThrow(/Numéro invalide/);
    expect(() => prefectureIdentifier({ ...base, number: 'A'.repeat(16) })).toThrow(/Numéro invalide/);
    expect(() => prefectureIdentifier({ ...base, number: 'DEL-1' })).toThrow(/Numéro invalide/);
    expect(() => prefectureIdentifier({ ...base, nature: 'XX' as 'DE' })).toThrow(/Nature invalide/);
  });

  it('accepts the extreme numbers S²LOW accepts', () => {
    expect(prefectureIdentifier({ ...base, number: '1' })).toBe('085-218501914-20261204-1-DE');
    expect(prefectureIdentifier({ ...base, number: 'A_____________9' })).toBe(
      '085-218501914-20261204-A_____________9-DE',
    );
  });

  it('reads back what it writes', () => {
    const numberArb = fc
      .tuple(
        fc.stringMatching(/^[A-Z0-9]$/),
        fc.stringMatching(/^[A-Z0-9_]{0,13}$/),
        fc.stringMatching(/^[A-Z0-9]$/),
      )
      .map(([a, b, c]) => (b.length === 0 && a === c ? a : `${a}${b}${c}`).slice(0, 15))
      .filter((n) => /^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$/.test(n));
    fc.assert(
      fc.property(
        fc.constantFrom('1', '44', '85', '2A', '2B', '971', '974', '976'),
        fc.stringMatching(/^\d{9}$/),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        numberArb,
        fc.constantFrom(...ACT_NATURES),
        (departement, siren, date, number, nature) => {
          const decidedOn = date.toISOString().slice(0, 10);
          const id = prefectureIdentifier({ departement, siren, decidedOn, number, nature });
          expect(parsePrefectureIdentifier(id)).toEqual({
            departement: departementCode(departement),
            siren,
            decidedOn,
            number,
            nature,
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects malformed identifiers when reading', () => {
    expect(parsePrefectureIdentifier('85-218501914-20261204-DEL-DE')).toBeNull();
    expect(parsePrefectureIdentifier('085-218501914-20261304-DEL-DE')).toBeNull();
    expect(parsePrefectureIdentifier('085-218501914-20261204-DEL-XX')).toBeNull();
    expect(parsePrefectureIdentifier('085-218501914-20261204-_DEL-DE')).toBeNull();
    expect(parsePrefectureIdentifier('006-210600235-20180522-684-AI')).toEqual({
      departement: '006',
      siren: '210600235',
      decidedOn: '2018-05-22',
      number: '684',
      nature: 'AI',
    });
  });
});
