import { currentYear } from '../../pricing/money.js';

/** The years the billing forms offer: next year, this year and the two before. */
export const yearOptions = () => {
  const now = currentYear();
  return [now + 1, now, now - 1, now - 2].map((y) => ({ value: String(y), label: String(y) }));
};
