import {
  allOf,
  anyOf,
  definePolicy,
  memberRole,
  onMember,
  operatorScope,
} from '../../platform/auth/policy.js';

/**
 * Who may do what in hosting (issue 15). The operator's hosting team (operator admins and agents
 * holding the `hosting` scope) runs instances, monitors, incidents and maintenance for every member.
 * Every person of a member reads where the member's data lives and the state of its services; no
 * member ever reaches another member's instances. The member's admins and agents declare the seats they
 * use; its admins ask for more (a request the hosting team approves, changing the subscription's units, or
 * refuses). The status page itself is public (no policy).
 */
export const HOSTING_ACTIONS = [
  'hosting:read',
  'hosting:declare',
  'hosting:seats',
  'hosting:operate',
  'hosting:units',
] as const;
export type HostingAction = (typeof HOSTING_ACTIONS)[number];

const team = operatorScope('hosting');

export const hostingPolicy = definePolicy<HostingAction>({
  'hosting:read': anyOf(allOf(onMember, team), memberRole('admin', 'agent', 'reader')),
  /** Declaring the seats used of a licence: the member's admins and agents, or the team. */
  'hosting:declare': anyOf(allOf(onMember, team), memberRole('admin', 'agent')),
  /** Asking for more seats (a pending request the team decides): the member's admins, or the team. */
  'hosting:seats': anyOf(allOf(onMember, team), memberRole('admin')),
  'hosting:operate': team,
  /**
   * Taking the licences' usage as the pricing engine's declared units (a change of many members'
   * subscriptions): the team, operator admins included.
   */
  'hosting:units': team,
});
