import { z } from 'zod';

/** Every list answers `{items, total, nextCursor}`; `nextCursor` is null on the last page. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() });

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const problemSchema = z.object({
  type: z.string(),
  status: z.number().int(),
  title: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const uuidParam = (name: string) => z.object({ [name]: z.uuid() });

export const departementCode = z.string().regex(/^(\d{2,3}|2A|2B)$/, 'code département invalide');
export const regionCode = z.string().regex(/^\d{2}$/, 'code région invalide');
