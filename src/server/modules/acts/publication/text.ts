/** Letters without a decomposition into base letter + accent, spelled the way French prints them. */
const LOOKALIKES: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h' };

/**
 * What stands for `char` in a font that cannot draw it: the letter without its accent (« Ŵ » → « W »,
 * « ł » → « l ») when `canDraw` accepts that, else « ? ».
 */
export function fallbackOf(char: string, canDraw: (text: string) => boolean): string {
  const bare = LOOKALIKES[char] ?? char.normalize('NFD').replace(/\p{M}/gu, '');
  return bare && bare !== char && canDraw(bare) ? bare : '?';
}
