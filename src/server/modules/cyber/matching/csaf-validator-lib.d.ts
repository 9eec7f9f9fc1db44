/** Types for @secvisogram/csaf-validator-lib (plain JavaScript with JSDoc, no declarations shipped). */
declare module '@secvisogram/csaf-validator-lib/validate.js' {
  export interface CsafTestMessage {
    instancePath: string;
    message: string;
  }
  export interface CsafTestResult {
    name: string;
    isValid: boolean;
    errors: CsafTestMessage[];
    warnings: CsafTestMessage[];
    infos: CsafTestMessage[];
  }
  export type CsafTest = (doc: unknown) => unknown;
  export default function validate(
    tests: CsafTest[],
    doc: unknown,
  ): Promise<{ isValid: boolean; tests: CsafTestResult[] }>;
}
declare module '@secvisogram/csaf-validator-lib/basic.js' {
  import type { CsafTest } from '@secvisogram/csaf-validator-lib/validate.js';
  export const csaf_2_0_strict: CsafTest;
  const tests: Record<string, CsafTest>;
  export default tests;
}
