import {
  allOf,
  anyOf,
  definePolicy,
  memberRole,
  onMember,
  operatorScope,
} from '../../../platform/auth/policy.js';

/**
 * Rights requests, breaches and the DPO dashboard. The operator's DPO team (the `dpo` scope, and
 * operator admins) acts on every member; the member's admin writes its own cases, its other users
 * read them. Member users named RGPD editors (rgpd_editors) also write: that needs a query, so the
 * routes check it when `cases:write` says no (see `mayEditAsRgpdEditor`).
 */
export const rgpdCasesPolicy = definePolicy({
  'cases:read': anyOf(allOf(onMember, operatorScope('dpo')), memberRole('admin', 'agent', 'reader')),
  'cases:write': anyOf(allOf(onMember, operatorScope('dpo')), memberRole('admin')),
  /** Who could write if named RGPD editor of the member. */
  'cases:writeAsEditor': memberRole('agent', 'reader'),
  'dashboard:read': operatorScope('dpo'),
});

export type RgpdCasesAction = Parameters<typeof rgpdCasesPolicy>[1];
export const RGPD_CASES_ACTIONS: RgpdCasesAction[] = [
  'cases:read',
  'cases:write',
  'cases:writeAsEditor',
  'dashboard:read',
];
