/**
 * Test files that never open a database: pure functions (contracts, policies, rules, the pricing
 * engine, CSV/PDF/XML builders, the web's helpers). The `server` project runs them (on PGlite, like
 * every server test); `server-postgres` skips them, since they would test nothing more there.
 *
 * The rule cannot rot silently: on any project, `openTestDatabase` (which `createTestApp` calls) throws
 * when the file running matches one of these patterns, so a listed file that starts to use a database
 * fails at once and must leave the list (see database.ts); `database-free.test.ts` also refuses a listed
 * file that imports the database helpers or opens a database by hand.
 *
 * Patterns are relative to the project root: an exact file, or a folder followed by `/**`, or a name
 * pattern starting with `**\/` (`*` matches within a name).
 */
export const DATABASE_FREE_TESTS: readonly string[] = [
  // Whole folders of pure code.
  'src/contracts/**',
  'src/web/**',
  'src/server/modules/pricing/engine/**',
  'src/server/modules/acts/publication/**',
  'src/server/modules/acts/transmission/**',
  'src/server/modules/cyber/matching/**',
  'src/server/modules/cyber/rules/**',
  'src/server/modules/support/rules/**',
  // By name: access policies and business rules are pure functions by convention.
  '**/*.policy.test.ts',
  '**/*.rules.test.ts',
  // One by one.
  'src/server/config.test.ts',
  'src/server/modules/accounts/password.test.ts',
  'src/server/modules/billing/billing.ids.test.ts',
  'src/server/modules/members/membership.lifecycle.test.ts',
  'src/server/modules/rgpd/rgpd.deadlines.test.ts',
  'src/server/platform/cache.test.ts',
  'src/server/platform/csv/reader.test.ts',
  'src/server/platform/http/download.test.ts',
  'src/server/platform/mail/smtp.test.ts',
  'src/server/seed/generators.test.ts',
  'src/server/test/database-free.test.ts',
];

function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (pattern.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c === '*') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const patterns = DATABASE_FREE_TESTS.map(patternToRegExp);

/** Whether the test file at `relativePath` (from the project root, `/` separators) is database-free. */
export function isDatabaseFree(relativePath: string): boolean {
  return patterns.some((pattern) => pattern.test(relativePath));
}
