import {
  allOf,
  anyOf,
  definePolicy,
  memberRole,
  onMember,
  operatorScope,
} from '../../platform/auth/policy.js';

/**
 * Who may do what in cybersecurity (issue 13, section 5). The operator's cyber team (operator
 * admins and agents holding the `cyber` scope) sees and acts on every member and runs the
 * operator-wide pages (advisories, settings, services' software, dashboard). A member's admins and
 * its référents sécurité (`cyber` role) read and manage the member's own inventory, diagnostics,
 * remediation and incidents; the member's other people (agents, readers) do not, and no member ever
 * reaches another member's.
 */
export const CYBER_ACTIONS = ['cyber:read', 'cyber:write', 'cyber:operate'] as const;
export type CyberAction = (typeof CYBER_ACTIONS)[number];

const team = operatorScope('cyber');
const ownSecurity = memberRole('admin', 'cyber');

export const cyberPolicy = definePolicy<CyberAction>({
  'cyber:read': anyOf(allOf(onMember, team), ownSecurity),
  'cyber:write': anyOf(allOf(onMember, team), ownSecurity),
  'cyber:operate': team,
});
