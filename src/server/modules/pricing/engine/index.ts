/** Public API of the pure cost-sharing engine (no database, no HTTP). */
export { allocate, allocateColumns, checkStrata, stratumOf, toShares } from './allocate.js';
export {
  describeRule,
  type Explanation,
  exactShare,
  explain,
  explainShare,
  type Fraction,
  formatCents,
} from './explain.js';
export {
  type AlonePrice,
  computeSavings,
  type GrowthPoint,
  type JoinSimulation,
  type MemberDelta,
  type MemberSavings,
  type Profile,
  type RuleChange,
  type Savings,
  SIMULATED_PREFIX,
  simulateGrowth,
  simulateJoin,
  simulateRuleChange,
} from './simulate.js';
export * from './types.js';
