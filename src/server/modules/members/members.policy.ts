import {
  allOf,
  anyOf,
  anyOperator,
  definePolicy,
  memberRole,
  onMember,
  operatorAdmin,
} from '../../platform/auth/policy.js';

/**
 * Who may do what on the member registry. Listing members, reading their public fields and the
 * public statistics need no policy (transparency). A member's users act on it only while it is
 * their current organisation, which is also what Row Level Security sees.
 */
export const memberPolicy = definePolicy({
  'members:readPrivate': anyOf(allOf(onMember, anyOperator), memberRole('admin', 'agent', 'reader')),
  'members:readPending': anyOperator,
  'members:export': anyOperator,
  'members:create': operatorAdmin,
  /** Importing creates members across the whole registry: the operator's administrators only. */
  'members:import': operatorAdmin,
  'members:update': allOf(onMember, operatorAdmin),
  'members:updateOwnDetails': anyOf(allOf(onMember, operatorAdmin), memberRole('admin')),
  'contacts:read': anyOf(allOf(onMember, anyOperator), memberRole('admin', 'agent', 'reader')),
  'contacts:write': anyOf(allOf(onMember, anyOperator), memberRole('admin')),
  'documents:read': anyOf(allOf(onMember, anyOperator), memberRole('admin', 'agent', 'reader')),
  'documents:write': anyOf(allOf(onMember, anyOperator), memberRole('admin', 'agent')),
  'history:read': anyOf(allOf(onMember, anyOperator), memberRole('admin', 'agent', 'reader')),
  'membership:request': anyOf(allOf(onMember, operatorAdmin), memberRole('admin')),
  'membership:decide': allOf(onMember, operatorAdmin),
});

export type MemberAction = Parameters<typeof memberPolicy>[1];
export const MEMBER_ACTIONS: MemberAction[] = [
  'members:readPrivate',
  'members:readPending',
  'members:export',
  'members:create',
  'members:import',
  'members:update',
  'members:updateOwnDetails',
  'contacts:read',
  'contacts:write',
  'documents:read',
  'documents:write',
  'history:read',
  'membership:request',
  'membership:decide',
];
