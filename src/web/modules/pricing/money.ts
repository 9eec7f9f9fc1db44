import { parisDay } from '../../../contracts/french.js';

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const preciseEuros = new Intl.NumberFormat('fr-FR', {
  style: 'currency',
  currency: 'EUR',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});

/** Integer cents → "1 234,56 €" (cents are exact integers: the division is only for display). */
export const formatCents = (cents: number | null | undefined) =>
  cents == null ? '—' : euros.format(cents / 100);

/** A per-inhabitant amount may have more than two decimals ("0,0523 €"). */
export const formatPreciseCents = (cents: number | null | undefined) =>
  cents == null ? '—' : preciseEuros.format(cents / 100);

/**
 * "12,50" or "12" typed by a person → 1250 cents; null when it is not an amount. Parsed as text so
 * 0.1 + 0.2 never appears: whole and fractional parts are read separately.
 */
export function parseEuros(input: string): number | null {
  const text = input.replace(/[\s\u202f\u00a0€]/g, '').replace(',', '.');
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 1250 → "12,50", the value an amount field shows when editing. */
export const centsToInput = (cents: number | null | undefined) =>
  cents == null ? '' : `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

/** The current year in Paris (on 31 December at 23:30 in Paris, it is already next year in UTC+2). */
export const currentYear = () => Number(parisDay().slice(0, 4));

/** The `annee` search parameter, or the current year. */
export function yearOf(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 2000 && n <= 2100 ? n : currentYear();
}
