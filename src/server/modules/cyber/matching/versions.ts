import semver, { type SemVer } from 'semver';

/**
 * Version comparison and the vers range notation (https://github.com/package-url/vers-spec), pure:
 * `semver` (and `npm`) compare as Semantic Versioning (the `semver` package, loose parsing), every
 * other scheme (`generic`, `intdot`, vendors' own) by the generic rule below.
 */

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export interface VersConstraint {
  comparator: Comparator;
  version: string;
}
export interface VersRange {
  scheme: string;
  /** `vers:x/*`: every version. */
  all: boolean;
  constraints: VersConstraint[];
}

export class VersSyntaxError extends Error {}

const COMPARATORS: Comparator[] = ['>=', '<=', '!=', '<', '>', '='];
const SEMVER_SCHEMES = new Set(['semver', 'npm']);

/** Parses `vers:<scheme>/<constraint>|<constraint>…`; throws VersSyntaxError with a French message. */
export function parseVers(text: string): VersRange {
  const match = /^vers:([a-z0-9.+-]+)\/(.+)$/i.exec(text.replace(/\s+/g, ''));
  if (!match)
    throw new VersSyntaxError(`« ${text} » n’est pas un intervalle vers (vers:<schéma>/<contraintes>).`);
  const scheme = (match[1] ?? '').toLowerCase();
  const body = match[2] ?? '';
  if (body === '*') return { scheme, all: true, constraints: [] };
  const constraints: VersConstraint[] = [];
  for (const raw of body.split('|')) {
    if (raw === '') throw new VersSyntaxError(`Contrainte vide dans « ${text} ».`);
    const comparator = COMPARATORS.find((c) => raw.startsWith(c)) ?? '=';
    const version = decodeURIComponent(
      raw.slice(comparator === '=' && !raw.startsWith('=') ? 0 : comparator.length),
    );
    if (version === '') throw new VersSyntaxError(`Version manquante dans « ${text} ».`);
    constraints.push({ comparator, version });
  }
  return { scheme, all: false, constraints };
}

/** Splits a version into numbers and words: `1.0.0-rc1` → [1, 0, 0, 'rc', 1]; a leading `v` is dropped. */
function tokens(version: string): (number | string)[] {
  const parts =
    version
      .toLowerCase()
      .replace(/^v(?=\d)/, '')
      .match(/\d+|[a-z]+/g) ?? [];
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * The generic order: numbers compare as numbers, words alphabetically, a word before a number
 * (`1.0.0-rc1` < `1.0.0` < `1.0.0.1`): when one version runs out, a following word on the other
 * side marks a pre-release (smaller), a following number a later version (greater).
 */
export function compareGeneric(a: string, b: string): number {
  const x = tokens(a);
  const y = tokens(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return typeof q === 'string' ? 1 : -1;
    if (q === undefined) return typeof p === 'string' ? -1 : 1;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p < q ? -1 : 1;
    if (typeof p === 'string' && typeof q === 'string') return p < q ? -1 : 1;
    return typeof p === 'string' ? -1 : 1;
  }
  return 0;
}

const asSemver = (v: string): SemVer | null =>
  semver.parse(v, { loose: true }) ?? semver.coerce(v, { includePrerelease: true });

/** Compares two versions in a vers scheme; null when a semver version cannot be read. */
export function compareVersions(scheme: string, a: string, b: string): number | null {
  if (SEMVER_SCHEMES.has(scheme)) {
    const x = asSemver(a);
    const y = asSemver(b);
    if (!x || !y) return null;
    return semver.compare(x, y);
  }
  return compareGeneric(a, b);
}

/** Whether `version` falls in `range`, by the vers specification's algorithm. */
export function versContains(range: VersRange, version: string): boolean {
  if (range.all) return true;
  const cmp = (a: string, b: string) => compareVersions(range.scheme, a, b);
  for (const c of range.constraints) {
    const order = cmp(version, c.version);
    if (order === null) return false;
    if (c.comparator === '=' && order === 0) return true;
    if (c.comparator === '!=' && order === 0) return false;
  }
  const ordered = range.constraints
    .filter((c) => c.comparator !== '=' && c.comparator !== '!=')
    .sort((p, q) => cmp(p.version, q.version) ?? 0);
  if (ordered.length === 0) {
    // Only `!=` constraints (none matched): every other version is in the range.
    return range.constraints.length > 0 && range.constraints.every((c) => c.comparator === '!=');
  }
  for (let i = 0; i < ordered.length; i++) {
    const c = ordered[i];
    if (!c) continue;
    const order = cmp(version, c.version) ?? Number.NaN;
    if (order === 0 && (c.comparator === '>=' || c.comparator === '<=')) return true;
    const lower = c.comparator === '>' || c.comparator === '>=';
    if (i === 0 && !lower && order < 0) return true;
    if (i === ordered.length - 1 && lower && order > 0) return true;
    const previous = i > 0 ? ordered[i - 1] : undefined;
    if (previous && (previous.comparator === '>' || previous.comparator === '>=') && !lower) {
      const afterPrevious = cmp(version, previous.version) ?? Number.NaN;
      if (afterPrevious > 0 && order < 0) return true;
    }
  }
  return false;
}

/** Exact equality in a scheme (`1.2` = `1.2.0` in semver; `V3.1` = `3.1` generically). */
export function sameVersion(scheme: string, a: string, b: string): boolean {
  if (a.trim().toLowerCase() === b.trim().toLowerCase()) return true;
  return compareVersions(scheme, a, b) === 0;
}
