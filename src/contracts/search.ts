/**
 * The key every name is searched by: lower-case, without accents, punctuation and hyphens turned
 * into spaces. "Les Sables-d'Olonne" → "les sables d olonne". The same function builds stored keys
 * and query terms, on the server and in the browser.
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Query words, each to be found in the key: "sables olonne" → ["sables", "olonne"]. */
export function searchTerms(query: string): string[] {
  return searchKey(query).split(' ').filter(Boolean).slice(0, 8);
}
