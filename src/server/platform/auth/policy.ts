import {
  type Actor,
  hasOperatorScope,
  isOperatorAdmin,
  type OperatorScope,
  type Role,
  roleIn,
} from './context.js';

/**
 * A rule answers whether a logged-in actor may act on `memberId` (null for actions that concern no
 * member). Rules are pure: every module composes its policy from them and tests it as a table.
 */
export type Rule = (actor: Actor, memberId: string | null) => boolean;

/** The operator organisation's id when the actor currently acts for the operator. */
export const operatorOrganisationOf = (actor: Actor | null): string | null =>
  actor?.isOperator && actor.current ? actor.current.organisationId : null;

export const operatorAdmin: Rule = (actor) => isOperatorAdmin(actor);
export const anyOperator: Rule = (actor) => actor.isOperator && actor.current !== null;
/** Operator admins, and operator agents holding `scope`. */
export const operatorScope =
  (scope: OperatorScope): Rule =>
  (actor) =>
    hasOperatorScope(actor, scope);
/**
 * People of the member itself (their current organisation) with one of `roles`. The `actes` role is
 * an agent who also handles the member's acts, `assemblees` one who also manages its assemblies,
 * `cyber` (référent sécurité) one who also handles its cybersecurity: whatever agents may do, these
 * people may do too.
 */
const AGENT_PLUS_ROLES: readonly Role[] = ['actes', 'assemblees', 'cyber'];

export const memberRole =
  (...roles: Role[]): Rule =>
  (actor, memberId) => {
    if (!memberId) return false;
    const role = roleIn(actor, memberId);
    return (
      role !== null && (roles.includes(role) || (AGENT_PLUS_ROLES.includes(role) && roles.includes('agent')))
    );
  };
/** The target is the operator organisation itself (not a member). */
export const targetsOperator: Rule = (actor, memberId) =>
  memberId !== null && memberId === operatorOrganisationOf(actor);

/** The action names a member (guards rules that would otherwise allow a missing target). */
export const onMember: Rule = (_actor, memberId) => memberId !== null;

export const anyOf =
  (...rules: Rule[]): Rule =>
  (actor, memberId) =>
    rules.some((rule) => rule(actor, memberId));
export const allOf =
  (...rules: Rule[]): Rule =>
  (actor, memberId) =>
    rules.every((rule) => rule(actor, memberId));
export const not =
  (rule: Rule): Rule =>
  (actor, memberId) =>
    !rule(actor, memberId);

/**
 * Turns a table of rules into `can(actor, action, memberId)`. Anonymous actors may do nothing here:
 * public reads need no policy.
 */
export function definePolicy<A extends string>(rules: Record<A, Rule>) {
  return (actor: Actor | null, action: A, memberId: string | null = null): boolean =>
    actor !== null && rules[action](actor, memberId);
}
