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
  'tokens.own',
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
  // Anyone with a role in a member makes personal tokens (acting as themselves) and sees and revokes
  // their own; the member's admins make the member's own tokens and see and revoke every token of
  // the member. The operator's admins make the operator's (an operator admin holds no role in a
  // member to act with).
  'tokens.own': allOf(onMember, memberRole('admin', 'agent', 'reader')),
  'tokens.manage': allOf(onMember, memberRole('admin')),
  'operatorTokens.manage': allOf(targetsOperator, operatorAdmin),
  'accessRequests.manage': manageUsers,
  'authSettings.manage': operatorAdmin,
});
