import {
  allOf,
  anyOf,
  anyOperator,
  definePolicy,
  memberRole,
  not,
  onMember,
  operatorAdmin,
  targetsOperator,
} from '../../platform/auth/policy.js';

export const ACCOUNTS_ACTIONS = [
  'users.read',
  'users.invite',
  'users.changeRole',
  'users.remove',
  'tokens.manage',
  'operatorTokens.manage',
  'accessRequests.manage',
  'authSettings.manage',
] as const;
export type AccountsAction = (typeof ACCOUNTS_ACTIONS)[number];

/** Member admins (the référent) manage their member's people; operator admins manage everyone's. */
const manageUsers = allOf(onMember, anyOf(operatorAdmin, memberRole('admin')));

/**
 * Who may do what with accounts. Member people act only on their current organisation; any operator
 * person reads members' users (support needs it), but only operator admins see the operator's own
 * people. (The audit log and the outbox are platform services with their own policies.)
 */
export const canAccounts = definePolicy<AccountsAction>({
  'users.read': allOf(
    onMember,
    anyOf(operatorAdmin, allOf(anyOperator, not(targetsOperator)), memberRole('admin', 'agent', 'reader')),
  ),
  'users.invite': manageUsers,
  'users.changeRole': manageUsers,
  'users.remove': manageUsers,
  // A token acts as its creator in the organisation: a member's admins make their member's tokens,
  // the operator's admins the operator's (an operator admin holds no role in a member to act with).
  'tokens.manage': allOf(onMember, memberRole('admin')),
  'operatorTokens.manage': allOf(targetsOperator, operatorAdmin),
  'accessRequests.manage': manageUsers,
  'authSettings.manage': operatorAdmin,
});
