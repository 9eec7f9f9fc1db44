import type { Actor } from '../../platform/auth/context.js';
import { hasOperatorScope, roleIn } from '../../platform/auth/context.js';

/**
 * Who may do what on RGPD data (issue 4, section 6). Operator admins and operator agents holding the
 * `dpo` scope act on every member; a member's admin, or a member user listed in rgpd_editors (the
 * member `rgpd` role), edits its own registry; the member's other users read it. Public reads (the
 * published registry) need no policy. Pure: whether the actor is an editor is a fact the service reads
 * from the database and passes in (the route's access lets through whoever could be one).
 */
export interface RgpdFacts {
  /** The actor is listed in rgpd_editors for the target member. */
  isRgpdEditor?: boolean;
}

export const RGPD_ACTIONS = [
  'registry:read',
  'registry:write',
  'registry:copyAcrossMembers',
  'designation:write',
  'editors:manage',
  'templates:read',
  'templates:write',
  'processors:read',
  'processors:write',
] as const;
export type RgpdAction = (typeof RGPD_ACTIONS)[number];

/** What a person refused a registry write reads (by the route's access, or by the service). */
export const REGISTRY_EDITORS_ONLY =
  'Seuls le DPO, l’administrateur de la structure et les personnes ayant le rôle RGPD modifient ce registre.';

const dpo = (actor: Actor) => hasOperatorScope(actor, 'dpo');

const RULES: Record<RgpdAction, (actor: Actor, memberId: string | null, facts: RgpdFacts) => boolean> = {
  'registry:read': (a, m) => (m !== null && dpo(a)) || (m !== null && roleIn(a, m) !== null),
  'registry:write': (a, m, f) =>
    m !== null && (dpo(a) || roleIn(a, m) === 'admin' || (roleIn(a, m) !== null && !!f.isRgpdEditor)),
  'registry:copyAcrossMembers': (a) => dpo(a),
  'designation:write': (a, m) => m !== null && (dpo(a) || roleIn(a, m) === 'admin'),
  'editors:manage': (a, m) => m !== null && (dpo(a) || roleIn(a, m) === 'admin'),
  'templates:read': () => true,
  'templates:write': (a) => dpo(a),
  'processors:read': () => true,
  'processors:write': (a) => dpo(a),
};

export function rgpdPolicy(
  actor: Actor | null,
  action: RgpdAction,
  memberId: string | null = null,
  facts: RgpdFacts = {},
): boolean {
  return actor !== null && RULES[action](actor, memberId, facts);
}

/**
 * The policy as far as it is known without the database: as if the actor were named RGPD editor of
 * the member. Routes writing a registry declare `registry:write` through it; the service then reads
 * rgpd_editors for the people only that role would let in.
 */
export function rgpdPolicyIfEditor(
  actor: Actor | null,
  action: RgpdAction,
  memberId: string | null = null,
): boolean {
  return rgpdPolicy(actor, action, memberId, { isRgpdEditor: true });
}
