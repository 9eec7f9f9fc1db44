/**
 * Numbers, dates and sizes on the pages. Dates and times are always those of Europe/Paris, whatever
 * the browser's zone (one formatter, shared with the e-mails and PDFs: contracts/french.ts).
 */
import { frenchDate, frenchDateTime, parisDay } from '../../contracts/french.js';

const number = new Intl.NumberFormat('fr-FR');

export const formatNumber = (n: number | null | undefined) => (n == null ? '—' : number.format(n));

/** `2026-03-01` (a date, as written) or an ISO instant (its day in Paris) → « 1er mars 2026 ». */
export function formatDate(value: string | null | undefined): string {
  return frenchDate(value);
}

/** An ISO instant → « 1er mars 2026 à 09:05 », Paris time. */
export function formatDateTime(value: string | null | undefined): string {
  return frenchDateTime(value);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} o`;
  if (n < 1024 * 1024) return `${number.format(Math.round(n / 1024))} Ko`;
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(n / 1024 / 1024)} Mo`;
}

/** Today's date in Paris, `AAAA-MM-JJ` (not the UTC one, which is yesterday's until 1 or 2 a.m.). */
export const today = () => parisDay();
