/**
 * Numbers and amounts in the French texts billing stores and prints (labels, explanations, messages):
 * plain spaces only, since explanations are stored as plain text and the standard PDF fonts have no
 * narrow no-break space.
 */
import { formatCents } from '../pricing/engine/index.js';

/** 12345 → "12 345" (what Intl gives, with a plain space, at a fraction of its cost per line). */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  if (n < 0) return `-${thousands(-n)}`;
  const digits = String(n);
  if (digits.length <= 3) return digits;
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += ` ${digits.slice(i, i + 3)}`;
  return out;
}

export const plainSpaces = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

/** 12345 → "123,45 €" with plain spaces. */
export const euros = (cents: number) => plainSpaces(formatCents(cents));
