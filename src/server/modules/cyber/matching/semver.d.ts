/**
 * The part of `semver` (npm's Semantic Versioning parser, installed as a dependency of the tool
 * chain; @types/semver is not installed) that the vers matching uses.
 */
declare module 'semver' {
  export interface Options {
    loose?: boolean;
    includePrerelease?: boolean;
  }
  export class SemVer {
    constructor(version: string | SemVer, options?: Options);
    readonly version: string;
    readonly prerelease: readonly (string | number)[];
  }
  export function parse(version: string, options?: Options): SemVer | null;
  export function coerce(version: string, options?: Options): SemVer | null;
  export function compare(a: string | SemVer, b: string | SemVer, options?: Options): -1 | 0 | 1;
  const semver: {
    SemVer: typeof SemVer;
    parse: typeof parse;
    coerce: typeof coerce;
    compare: typeof compare;
  };
  export default semver;
}
