import { z } from 'zod';

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

/*
 * The global search (GET /api/v1/search): each module answers for its own kind of thing, filtered by
 * what the person may see. Kinds are open: a module adds its own (acts, tickets…).
 */
export const globalSearchQuerySchema = z.object({
  q: z
    .string({ message: 'indiquez ce que vous cherchez' })
    .trim()
    .min(2, 'au moins 2 caractères')
    .max(100, '100 caractères au plus'),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export type GlobalSearchQuery = z.infer<typeof globalSearchQuerySchema>;

export const searchHitSchema = z.object({
  /** The module's kind of result: `member`, `invoice`, `processing`… */
  kind: z.string(),
  id: z.uuid(),
  /** The member the result belongs to (itself for a member). */
  memberId: z.uuid(),
  label: z.string(),
  /** A second line: SIREN and département, the invoice's member and amount… */
  detail: z.string().nullable(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchGroupSchema = z.object({
  kind: z.string(),
  /** French heading of the group (« Structures », « Factures »…). */
  label: z.string(),
  hits: z.array(searchHitSchema),
});
export type SearchGroup = z.infer<typeof searchGroupSchema>;

export const globalSearchSchema = z.object({
  q: z.string(),
  groups: z.array(searchGroupSchema),
});
export type GlobalSearch = z.infer<typeof globalSearchSchema>;
