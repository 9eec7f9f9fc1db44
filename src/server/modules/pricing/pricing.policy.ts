import {
  allOf,
  anyOf,
  anyOperator,
  definePolicy,
  memberRole,
  onMember,
  operatorScope,
  type Rule,
} from '../../platform/auth/policy.js';

const anyone: Rule = () => true;

/**
 * Who may do what on pricing. The public price list needs no policy. Pools, rules, the full
 * cost-sharing and simulations are the finance team's (and admins'); a member's users read its own
 * costs; the equity report (aggregates) is for every signed-in person, delegates included.
 */
export const pricingPolicy = definePolicy({
  'pricing:manage': operatorScope('finance'),
  'pricing:read': operatorScope('finance'),
  'pricing:simulate': operatorScope('finance'),
  'pricing:equity': anyone,
  'costs:read': anyOf(allOf(onMember, anyOperator), memberRole('admin', 'agent', 'reader')),
});

export type PricingAction = Parameters<typeof pricingPolicy>[1];
