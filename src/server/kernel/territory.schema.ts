import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Reference data from @etalab/decoupage-administratif: no member_id, readable by everyone. */
export const regions = pgTable('regions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
});

export const departements = pgTable(
  'departements',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
  },
  (t) => [index('departements_region_idx').on(t.regionCode)],
);

export const epci = pgTable(
  'epci',
  {
    /** The EPCI's SIREN, which is its official code. */
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    /** Lower-case, accent-free, punctuation replaced by spaces: what search matches against. */
    searchName: text('search_name').notNull(),
    type: text('type').notNull(),
    population: integer('population').notNull(),
    memberCount: integer('member_count').notNull(),
    regionCodes: text('region_codes').array().notNull(),
    departementCodes: text('departement_codes').array().notNull(),
    vintage: text('vintage').notNull(),
    abolishedAt: timestamp('abolished_at', { withTimezone: true }),
  },
  (t) => [
    // Serves the default listing order (search_name, code) and its keyset pagination without a sort.
    index('epci_search_name_idx').on(t.searchName, t.code),
    index('epci_region_codes_idx').using('gin', t.regionCodes),
    index('epci_departement_codes_idx').using('gin', t.departementCodes),
  ],
);

export const communes = pgTable(
  'communes',
  {
    /** Code INSEE (COG), 5 characters, 2A/2B for Corsica. */
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    searchName: text('search_name').notNull(),
    departementCode: text('departement_code')
      .notNull()
      .references(() => departements.code),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    siren: text('siren'),
    postalCodes: text('postal_codes').array().notNull().default(sql`'{}'::text[]`),
    /** Population from communes.json (the commune file), the single source used everywhere. */
    population: integer('population'),
    epciCode: text('epci_code').references(() => epci.code),
    vintage: text('vintage').notNull(),
    abolishedAt: timestamp('abolished_at', { withTimezone: true }),
  },
  (t) => [
    // Serves the default listing order (search_name, code) and its keyset pagination without a sort.
    index('communes_search_name_idx').on(t.searchName, t.code),
    // The current communes in the same order: a word search walks it testing each name on the index
    // entry itself (an index-only scan, territory.repository.ts wordsPage).
    index('communes_current_search_name_idx').on(t.searchName, t.code).where(sql`abolished_at IS NULL`),
    index('communes_departement_idx').on(t.departementCode, t.name),
    index('communes_region_idx').on(t.regionCode),
    index('communes_epci_idx').on(t.epciCode),
    index('communes_postal_codes_idx').using('gin', t.postalCodes),
  ],
);

export const territoryImports = pgTable('territory_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  vintage: text('vintage').notNull(),
  scope: text('scope').notNull(),
  counts: jsonb('counts').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  durationMs: integer('duration_ms').notNull(),
});

/**
 * Counts kept exact by statement-level triggers (see migration territory_counters), so that an
 * unfiltered list's total is one row read instead of a count over every commune of France.
 */
export const territoryCounters = pgTable('territory_counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});
