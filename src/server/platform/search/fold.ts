import { type SQL, sql } from 'drizzle-orm';

// Upper-case letters too: under a C locale lower() leaves « É » as it is.
const ACCENTED = "àâäáãéèêëíìîïóòôöõúùûüçñœÀÂÄÁÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÇÑŒ-'’";
const PLAIN = 'aaaaaeeeeiiiiooooouuuucnoaaaaaeeeeiiiiooooouuuucno   ';

/**
 * A text column lower-cased and accent-free in SQL, as searchKey() (contracts/search.ts) folds a
 * query: « État civil » sorts among the E and matches « etat », on PGlite and PostgreSQL alike. For
 * small tables or rows already narrowed (a member's); a large table keeps a `search_key` column.
 */
export const folded = (text: SQL): SQL => sql`translate(lower(${text}), ${ACCENTED}, ${PLAIN})`;
