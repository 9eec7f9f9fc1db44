import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../platform/paths.js';
import { openTestDatabase } from './database.js';
import { DATABASE_FREE_TESTS, isDatabaseFree } from './database-free.js';

/** Every test file under src/, relative to the project root. */
function testFiles(): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true })) {
      const relative = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (/\.test\.tsx?$/.test(entry.name)) found.push(relative);
    }
  };
  walk('src');
  return found.sort();
}

// What a file that uses a database imports or calls (database.ts refuses the rest at run time).
const DATABASE_USE = [
  /from '[^']*\/test\/(app|database)\.js'/,
  /from '\.\/(app|database)\.js'/,
  /\b(createTestApp|openTestDatabase|openAnotherConnection|openDatabase)\(/,
];

describe('database-free test files (skipped on PostgreSQL)', () => {
  const files = testFiles();
  const free = files.filter(isDatabaseFree);

  it('are found, and are not all the files', () => {
    expect(free.length).toBeGreaterThan(5);
    expect(free.length).toBeLessThan(files.length);
    expect(free).toContain('src/server/modules/pricing/engine/allocate.test.ts');
    expect(free).not.toContain('src/server/modules/pricing/pricing.test.ts');
  });

  it('neither import the database helpers nor open a database', () => {
    const offending = free.filter((file) => {
      if (file === 'src/server/test/database-free.test.ts') return false;
      const text = fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
      return DATABASE_USE.some((pattern) => pattern.test(text));
    });
    expect(offending, 'remove these files from src/server/test/database-free.ts').toEqual([]);
  });

  it('make openTestDatabase throw when such a file opens one anyway', async () => {
    expect(isDatabaseFree('src/server/test/database-free.test.ts')).toBe(true);
    await expect(openTestDatabase()).rejects.toThrow(/database-free\.ts/);
  });

  it('match exact files, folders and name patterns, and nothing else', () => {
    expect(isDatabaseFree('src/server/modules/acts/publication/scdl.test.ts')).toBe(true);
    expect(isDatabaseFree('src/web/modules/acts/filters.test.ts')).toBe(true);
    expect(isDatabaseFree('src/server/modules/acts/acts.policy.test.ts')).toBe(true);
    expect(isDatabaseFree('src/server/modules/acts/acts.test.ts')).toBe(false);
    expect(isDatabaseFree('src/server/config.test.tsx')).toBe(false);
    expect(isDatabaseFree('src/server/modules/pricing/engine.test.ts')).toBe(false);
    const wellFormed = (pattern: string) =>
      !pattern.includes('*') ||
      (pattern.endsWith('/**') && !pattern.slice(0, -3).includes('*')) ||
      (pattern.startsWith('**/') && !pattern.slice(3).includes('/') && !pattern.slice(3).includes('**'));
    expect(DATABASE_FREE_TESTS.filter((pattern) => !wellFormed(pattern))).toEqual([]);
  });
});
