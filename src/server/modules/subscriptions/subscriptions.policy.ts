import {
  allOf,
  anyOf,
  anyOperator,
  definePolicy,
  memberRole,
  onMember,
  operatorScope,
} from '../../platform/auth/policy.js';

/**
 * Who may do what on subscriptions. A member's admin requests and terminates for its structure; the
 * operator's admins and `finance` agents decide (accept, refuse, confirm a termination, subscribe in
 * bulk) and may also act on a member's behalf (a request by telephone). Every operator user and
 * every user of the member reads.
 */
export const subscriptionPolicy = definePolicy({
  'subscriptions:read': anyOf(allOf(onMember, anyOperator), memberRole('admin', 'agent', 'reader')),
  'subscriptions:request': anyOf(allOf(onMember, operatorScope('finance')), memberRole('admin')),
  'subscriptions:decide': allOf(onMember, operatorScope('finance')),
  'subscriptions:readAll': anyOperator,
  'subscriptions:bulk': operatorScope('finance'),
});

export type SubscriptionAction = Parameters<typeof subscriptionPolicy>[1];
export const SUBSCRIPTION_ACTIONS: SubscriptionAction[] = [
  'subscriptions:read',
  'subscriptions:request',
  'subscriptions:decide',
  'subscriptions:readAll',
  'subscriptions:bulk',
];
