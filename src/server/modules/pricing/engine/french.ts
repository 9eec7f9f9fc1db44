/**
 * French number formatting for the explanations, identical to `Intl.NumberFormat('fr-FR')` (the
 * tests check them against it) but several times faster: a member's costs page formats about a
 * hundred numbers, and Intl's per-call cost dominated that endpoint. Digits are grouped by three
 * with a narrow no-break space (U+202F), the decimal separator is a comma and the euro sign follows a
 * no-break space (U+00A0), as ICU writes them for fr-FR.
 */

const GROUP = '\u202f';
const BEFORE_EURO = '\u00a0€';

/** "1234567" → "1 234 567" (digits only, no sign). */
function group(digits: string): string {
  const n = digits.length;
  if (n <= 3) return digits;
  let out = digits.slice(0, ((n - 1) % 3) + 1);
  for (let i = out.length; i < n; i += 3) out += GROUP + digits.slice(i, i + 3);
  return out;
}

/** An integer: "-1 234". */
export function formatInteger(value: number | bigint): string {
  const text = typeof value === 'bigint' ? value.toString() : String(value);
  return text.charCodeAt(0) === 45 /* - */ ? `-${group(text.slice(1))}` : group(text);
}

/**
 * A decimal string with as many fraction digits as given ("1234.5000"), shown with at least
 * `minFraction` of them: trailing zeros beyond that are dropped ("1 234,50" for 2).
 */
export function formatDecimalText(text: string, minFraction = 0): string {
  const negative = text.charCodeAt(0) === 45;
  const unsigned = negative ? text.slice(1) : text;
  const dot = unsigned.indexOf('.');
  const whole = dot < 0 ? unsigned : unsigned.slice(0, dot);
  let fraction = dot < 0 ? '' : unsigned.slice(dot + 1);
  let end = fraction.length;
  while (end > minFraction && fraction.charCodeAt(end - 1) === 48 /* 0 */) end--;
  fraction = fraction.slice(0, end).padEnd(minFraction, '0');
  const body = fraction ? `${group(whole)},${fraction}` : group(whole);
  return negative && /[1-9]/.test(unsigned) ? `-${body}` : body;
}

/** "1 234,56 €" from integer cents (|cents| < 2^53). */
export function formatCents(cents: number): string {
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100);
  const rest = abs - euros * 100;
  return `${cents < 0 ? '-' : ''}${group(String(euros))},${rest < 10 ? '0' : ''}${rest}${BEFORE_EURO}`;
}

/** A decimal string of euros ("40.2107"), with at least `minFraction` fraction digits, and "€". */
export function formatEurosText(text: string, minFraction = 2): string {
  return formatDecimalText(text, minFraction) + BEFORE_EURO;
}
