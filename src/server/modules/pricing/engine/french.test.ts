import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCents, formatDecimalText, formatEurosText, formatInteger } from './french.js';

/** The reference: what ICU writes for fr-FR. */
const integer = new Intl.NumberFormat('fr-FR');
const currency = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const euros = (min: number) =>
  new Intl.NumberFormat('fr-FR', {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: min,
    maximumFractionDigits: 4,
  });
const decimals = (min: number) =>
  new Intl.NumberFormat('fr-FR', { minimumFractionDigits: min, maximumFractionDigits: 4 });

/** A decimal string with 0 to 4 fraction digits, as `decimal()` writes them. */
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 4 }))
  .map(([negative, scaled, digits]) => {
    const text = scaled.toString().padStart(digits + 1, '0');
    const unsigned = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
    return negative && scaled !== 0n ? `-${unsigned}` : unsigned;
  });

describe('French number formatting', () => {
  it('writes integers as Intl does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(formatInteger(n)).toBe(integer.format(n));
        expect(formatInteger(BigInt(n))).toBe(integer.format(BigInt(n)));
      }),
      { numRuns: 2_000 },
    );
    for (const n of [0, 7, 999, 1_000, 12_345, 100_000, 1_000_000])
      expect(formatInteger(n)).toBe(integer.format(n));
  });

  it('writes cents as Intl writes euros', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), (cents) => {
        const abs = BigInt(Math.abs(cents));
        const text = `${cents < 0 ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
        expect(formatCents(cents)).toBe(currency.format(text as `${number}`));
      }),
      { numRuns: 2_000 },
    );
    expect(formatCents(5)).toBe('0,05\u00a0€');
    expect(formatCents(123_456_789)).toBe('1\u202f234\u202f567,89\u00a0€');
  });

  it('writes decimal strings with at least the given fraction digits, as Intl does', () => {
    fc.assert(
      fc.property(decimalText, fc.integer({ min: 0, max: 4 }), (text, min) => {
        expect(formatDecimalText(text, min)).toBe(decimals(min).format(text as `${number}`));
        expect(formatEurosText(text, min)).toBe(euros(min).format(text as `${number}`));
      }),
      { numRuns: 2_000 },
    );
  });
});
