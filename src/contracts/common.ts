import { z } from 'zod';

/** Every list answers `{items, total, nextCursor}`; `nextCursor` is null on the last page. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), nextCursor: z.string().nullable() });

/**
 * How a capped list's `total` reads (platform/http/pagination.ts): exact up to a cap (1,000); beyond,
 * `totalIsExact` is false and `total` is either the cap (« plus de 1 000 ») or, with
 * `totalIsEstimate` true, the database's estimate rounded to two digits (« environ 6 500 »).
 */
export const listTotalFields = {
  totalIsExact: z.boolean(),
  totalIsEstimate: z.boolean().optional(),
};

/** A list that may grow past what is worth counting (members, acts, invoices, journals): see listTotalFields. */
export const cappedListOf = <T extends z.ZodType>(item: T) => listOf(item).extend(listTotalFields);

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

/** The largest value of a PostgreSQL `integer` column: a schema's bound for any number stored in one. */
export const INT4_MAX = 2_147_483_647;

/**
 * The years a date given to the API may fall in: earlier or later is a typing error where every date
 * of the platform is concerned (deliberations, reviews, payments, breaches), and PostgreSQL has no
 * year 0 to store.
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2200;
export const inYears = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
};
export const yearsMessage = `année entre ${FIRST_YEAR} et ${LAST_YEAR} attendue`;

/** A calendar date `AAAA-MM-JJ` between FIRST_YEAR and LAST_YEAR. */
export const isoDate = z.iso
  .date({ message: 'date attendue au format AAAA-MM-JJ', abort: true })
  .refine(inYears, yearsMessage);

/** An instant in ISO 8601 with its offset (`…Z` or `…+02:00`) between FIRST_YEAR and LAST_YEAR. */
export const isoInstant = z.iso
  .datetime({ offset: true, message: 'date et heure ISO 8601 attendues (avec fuseau)', abort: true })
  .refine(inYears, yearsMessage);
