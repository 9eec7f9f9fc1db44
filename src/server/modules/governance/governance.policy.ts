import {
  allOf,
  anyOf,
  definePolicy,
  memberRole,
  onMember,
  operatorScope,
  targetsOperator,
} from '../../platform/auth/policy.js';

/**
 * Who may do what on assemblies (issue 12, section 6), `memberId` being the organisation that holds
 * the assembly (the operator for its comité syndical and bureau, a member for its councils):
 * - the operator's admins and agents holding the `governance` scope manage the operator's assemblies
 *   and read every member's (support);
 * - a member's admins and its `assemblees` people manage that member's assemblies — provided the
 *   member subscribes to « Convocations électroniques des élus », a fact the service reads; its other
 *   users read them;
 * - a member's admins designate its delegates to the operator's comité syndical (`memberId` is then
 *   the designating member);
 * - officials (users holding a seat) read their own assemblies: a fact of the database, checked by
 *   the service, not a role. The public sees published deliberations only, through the acts portal,
 *   and published procès-verbaux (governance.minutes.service: publishing one is `governance:manage`,
 *   reading one adopted is `governance:read` or a seat).
 */
export const GOVERNANCE_ACTIONS = [
  'governance:read',
  'governance:manage',
  'governance:designate',
  'governance:overview',
] as const;
export type GovernanceAction = (typeof GOVERNANCE_ACTIONS)[number];

const governanceScope = operatorScope('governance');
const manage = anyOf(allOf(targetsOperator, governanceScope), memberRole('admin', 'assemblees'));

export const governancePolicy = definePolicy<GovernanceAction>({
  'governance:manage': manage,
  'governance:read': anyOf(manage, allOf(onMember, governanceScope), memberRole('admin', 'agent', 'reader')),
  'governance:designate': memberRole('admin'),
  'governance:overview': governanceScope,
});
