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
 * routes declare `cases:writeIfEditor` (who could write, were they editors) and the service reads
 * rgpd_editors for those `cases:write` leaves out.
 */
export const rgpdCasesPolicy = definePolicy({
  'cases:read': anyOf(allOf(onMember, operatorScope('dpo')), memberRole('admin', 'agent', 'reader')),
  'cases:write': anyOf(allOf(onMember, operatorScope('dpo')), memberRole('admin')),
  /** `cases:write`, or a user of the member who would write if named RGPD editor. */
  'cases:writeIfEditor': anyOf(
    allOf(onMember, operatorScope('dpo')),
    memberRole('admin'),
    memberRole('agent', 'reader'),
  ),
  /** Any user of the member reports a breach to the DPO, or asks the DPO for help. */
  'cases:report': memberRole('admin', 'agent', 'reader'),
  'dashboard:read': operatorScope('dpo'),
  /** The DPO team's to-do list: requests written to the DPO, breaches reported to qualify. */
  'tasks:manage': operatorScope('dpo'),
});

export type RgpdCasesAction = Parameters<typeof rgpdCasesPolicy>[1];
export const RGPD_CASES_ACTIONS: RgpdCasesAction[] = [
  'cases:read',
  'cases:write',
  'cases:writeIfEditor',
  'cases:report',
  'dashboard:read',
  'tasks:manage',
];

/** What a person refused a write on rights requests or breaches reads. */
export const CASES_EDITORS_ONLY =
  "Seuls l'administrateur de la structure, ses référents RGPD désignés et le DPO mutualisé peuvent modifier ces données.";
