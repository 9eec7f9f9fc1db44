import { describe, expect, it } from 'vitest';
import type { Actor, OperatorScope, Role } from '../../platform/auth/context.js';
import { policyActor } from '../../test/actors.js';
import { MEMBER_ACTIONS, type MemberAction, memberPolicy } from './members.policy.js';

const OPERATOR = 'op-0000';
const OWN = 'member-a';
const OTHER = 'member-b';

function actor(kind: 'operator' | 'member', role: Role, scopes: OperatorScope[] = []): Actor {
  return policyActor(kind, role, scopes, { operatorId: OPERATOR, memberId: OWN });
}

const ACTORS: Record<string, Actor | null> = {
  anonymous: null,
  'operator admin': actor('operator', 'admin'),
  'operator agent (dpo)': actor('operator', 'agent', ['dpo']),
  'member admin': actor('member', 'admin'),
  'member agent': actor('member', 'agent'),
  'member reader': actor('member', 'reader'),
};

/**
 * Expected outcome per action: the roles allowed on their own member (columns in ACTORS order,
 * anonymous first), then on another member. Operators have no "own" member: both columns match.
 */
const Y = true;
const N = false;
const TABLE: Record<MemberAction, { own: boolean[]; other: boolean[] }> = {
  //                          anon op-adm op-agt m-adm m-agt m-read
  'members:readPrivate': { own: [N, Y, Y, Y, Y, Y], other: [N, Y, Y, N, N, N] },
  'members:readPending': { own: [N, Y, Y, N, N, N], other: [N, Y, Y, N, N, N] },
  'members:export': { own: [N, Y, Y, N, N, N], other: [N, Y, Y, N, N, N] },
  'members:create': { own: [N, Y, N, N, N, N], other: [N, Y, N, N, N, N] },
  'members:import': { own: [N, Y, N, N, N, N], other: [N, Y, N, N, N, N] },
  'members:update': { own: [N, Y, N, N, N, N], other: [N, Y, N, N, N, N] },
  'members:updateOwnDetails': { own: [N, Y, N, Y, N, N], other: [N, Y, N, N, N, N] },
  'contacts:read': { own: [N, Y, Y, Y, Y, Y], other: [N, Y, Y, N, N, N] },
  'contacts:write': { own: [N, Y, Y, Y, N, N], other: [N, Y, Y, N, N, N] },
  'documents:read': { own: [N, Y, Y, Y, Y, Y], other: [N, Y, Y, N, N, N] },
  'documents:write': { own: [N, Y, Y, Y, Y, N], other: [N, Y, Y, N, N, N] },
  'history:read': { own: [N, Y, Y, Y, Y, Y], other: [N, Y, Y, N, N, N] },
  'membership:request': { own: [N, Y, N, Y, N, N], other: [N, Y, N, N, N, N] },
  'membership:decide': { own: [N, Y, N, N, N, N], other: [N, Y, N, N, N, N] },
};

const cases = MEMBER_ACTIONS.flatMap((action) =>
  Object.keys(ACTORS).flatMap((who, i) => [
    [action, who, 'own', TABLE[action].own[i]] as const,
    [action, who, 'other', TABLE[action].other[i]] as const,
  ]),
);

describe('member registry policy (role × action × own/other member)', () => {
  it('has a row for every action', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...MEMBER_ACTIONS].sort());
  });

  it.each(cases)('%s by %s on %s member → %s', (action, who, target, expected) => {
    const memberId =
      action === 'members:create' ||
      action === 'members:import' ||
      action === 'members:readPending' ||
      action === 'members:export'
        ? undefined
        : target === 'own'
          ? OWN
          : OTHER;
    expect(memberPolicy(ACTORS[who], action, memberId)).toBe(expected);
  });

  it('gives a member user nothing on a member that is not their current organisation', () => {
    const secretary = actor('member', 'admin');
    if (secretary.current) secretary.organisations.push({ ...secretary.current, organisationId: OTHER });
    expect(memberPolicy(secretary, 'contacts:read', OTHER)).toBe(false);
  });
});
