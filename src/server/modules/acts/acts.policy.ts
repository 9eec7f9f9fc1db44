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
 * Who may do what on acts (issue 11, section 4). A member's admins and its `actes` people prepare,
 * transmit and publish the member's acts; its other users read them. Operator admins and operator
 * agents holding the `demat` scope see every member's acts and transmissions, and retry a failed
 * transmission. The operator's own acts (its comité syndical's and bureau's deliberations, its
 * president's decisions) are prepared, transmitted and published by its admins and by the agents
 * holding the `governance` or `demat` scope. Transmitting (one act or several at once) belongs to
 * the same people as preparing. Published acts are public: the public routes need no
 * policy. Whether the member may transmit (its subscription to « Télétransmission des actes ») is a fact
 * the service reads.
 */
export const ACTS_ACTIONS = [
  'acts:read',
  'acts:write',
  'acts:transmit',
  'acts:retry',
  'acts:overview',
] as const;
export type ActsAction = (typeof ACTS_ACTIONS)[number];

const demat = operatorScope('demat');
/** The operator's people who keep the operator's own register. */
const ownRegister = allOf(targetsOperator, anyOf(demat, operatorScope('governance')));

export const actsPolicy = definePolicy<ActsAction>({
  'acts:read': anyOf(allOf(onMember, demat), ownRegister, memberRole('admin', 'agent', 'reader')),
  'acts:write': anyOf(ownRegister, memberRole('admin', 'actes')),
  /** One act or a batch sent to the prefecture: who prepares the acts sends them. */
  'acts:transmit': anyOf(ownRegister, memberRole('admin', 'actes')),
  'acts:retry': allOf(onMember, demat),
  'acts:overview': demat,
});
