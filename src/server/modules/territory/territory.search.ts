import { searchTerms } from '../../../contracts/search.js';

/**
 * What a free-text territory query asks for. Codes are recognised before names because no commune
 * name contains digits: "85191" is a code or a postal code, "85" a code prefix, "roche yon" words.
 */
export type TerritorySearch =
  | { kind: 'none' }
  /** 5 digits: the INSEE code itself, or a postal code the commune carries. */
  | { kind: 'codeOrPostalCode'; value: string }
  | { kind: 'code'; value: string }
  /** 9 digits: a SIREN (a commune's, or an EPCI's, whose code it is). */
  | { kind: 'siren'; value: string }
  /** 2–4 characters of an INSEE code (a département's communes, a narrowing range). */
  | { kind: 'codePrefix'; value: string }
  /** Every word must appear in search_name; `key` equal to search_name is an exact match. */
  | { kind: 'words'; terms: string[]; key: string };

export function parseTerritorySearch(q: string | undefined): TerritorySearch {
  const text = (q ?? '').trim().toUpperCase();
  if (text === '') return { kind: 'none' };
  if (/^\d{5}$/.test(text)) return { kind: 'codeOrPostalCode', value: text };
  if (/^\d{9}$/.test(text)) return { kind: 'siren', value: text };
  if (/^2[AB]\d{3}$/.test(text)) return { kind: 'code', value: text };
  if (/^(\d{2,4}|2[AB]\d{0,2})$/.test(text)) return { kind: 'codePrefix', value: text };
  const terms = searchTerms(text);
  if (terms.length === 0) return { kind: 'none' };
  return { kind: 'words', terms, key: terms.join(' ') };
}
