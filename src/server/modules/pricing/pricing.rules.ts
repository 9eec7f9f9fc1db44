import { invalid, unprocessable } from '../../platform/errors.js';
import { AllocationError, allocateColumns, type Rule } from './engine/index.js';

/**
 * The engine's refusals as domain errors: a malformed rule or pool is the request's fault (400, at
 * the field's path under `prefix`), a rule that cannot be applied to these subscribers a 422.
 */
export const engineProblem = (error: AllocationError, prefix = 'body') =>
  error.code === 'invalid_rule' || error.code === 'invalid_pool'
    ? invalid(error.message, [
        { path: error.path ? `${prefix}.${error.path}` : prefix, message: error.message },
      ])
    : unprocessable(error.message, [{ path: error.path ?? prefix, message: error.message }]);

/** Checks the rule as the engine will read it, with one sample subscriber. */
export function checkRule(poolCents: number, rule: Rule) {
  try {
    allocateColumns(poolCents, rule, [{ memberId: 'exemple', population: 1_000, units: 1, months: 12 }]);
  } catch (error) {
    if (
      error instanceof AllocationError &&
      (error.code === 'invalid_rule' || error.code === 'invalid_pool')
    ) {
      throw engineProblem(error);
    }
    if (!(error instanceof AllocationError)) throw error;
  }
}
