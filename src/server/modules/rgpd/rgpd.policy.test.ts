import { describe, expect, it } from 'vitest';
import type { Actor, OperatorScope, Role } from '../../platform/auth/context.js';
import { policyActor } from '../../test/actors.js';
import { RGPD_ACTIONS, type RgpdAction, rgpdPolicy, rgpdPolicyIfEditor } from './rgpd.policy.js';

const OPERATOR = 'op';
const OWN = 'member-a';
const OTHER = 'member-b';

function actor(kind: 'operator' | 'member', role: Role, scopes: OperatorScope[] = []): Actor {
  return policyActor(kind, role, scopes, { operatorId: OPERATOR, memberId: OWN });
}

/** Columns: who, and whether they hold the member `rgpd` role (rgpd_editors) on their own member. */
const ACTORS: [string, Actor | null, boolean][] = [
  ['anonymous', null, false],
  ['operator admin', actor('operator', 'admin'), false],
  ['operator agent dpo', actor('operator', 'agent', ['dpo']), false],
  ['operator agent cyber', actor('operator', 'agent', ['cyber']), false],
  ['member admin', actor('member', 'admin'), false],
  ['member agent', actor('member', 'agent'), false],
  ['member agent + rgpd role', actor('member', 'agent'), true],
  ['member reader', actor('member', 'reader'), false],
  ['member reader + rgpd role', actor('member', 'reader'), true],
];

const Y = true;
const N = false;
/** Per action: allowed on their own member (ACTORS order), then on another member. */
const TABLE: Record<RgpdAction, { own: boolean[]; other: boolean[] }> = {
  //                              anon op-ad dpo  cyber m-ad m-ag ag+r m-rd rd+r
  'registry:read': { own: [N, Y, Y, N, Y, Y, Y, Y, Y], other: [N, Y, Y, N, N, N, N, N, N] },
  'registry:write': { own: [N, Y, Y, N, Y, N, Y, N, Y], other: [N, Y, Y, N, N, N, N, N, N] },
  'registry:copyAcrossMembers': { own: [N, Y, Y, N, N, N, N, N, N], other: [N, Y, Y, N, N, N, N, N, N] },
  'designation:write': { own: [N, Y, Y, N, Y, N, N, N, N], other: [N, Y, Y, N, N, N, N, N, N] },
  'editors:manage': { own: [N, Y, Y, N, Y, N, N, N, N], other: [N, Y, Y, N, N, N, N, N, N] },
  'templates:read': { own: [N, Y, Y, Y, Y, Y, Y, Y, Y], other: [N, Y, Y, Y, Y, Y, Y, Y, Y] },
  'templates:write': { own: [N, Y, Y, N, N, N, N, N, N], other: [N, Y, Y, N, N, N, N, N, N] },
  'processors:read': { own: [N, Y, Y, Y, Y, Y, Y, Y, Y], other: [N, Y, Y, Y, Y, Y, Y, Y, Y] },
  'processors:write': { own: [N, Y, Y, N, N, N, N, N, N], other: [N, Y, Y, N, N, N, N, N, N] },
};

const cases = RGPD_ACTIONS.flatMap((action) =>
  ACTORS.flatMap(([who, a, isRgpdEditor], i) => [
    [action, who, 'own', a, isRgpdEditor, TABLE[action].own[i]] as const,
    // The rgpd role is held on the own member only: on another member it is never a fact.
    [action, who, 'other', a, false, TABLE[action].other[i]] as const,
  ]),
);

describe('rgpd policy (role × action × own/other member)', () => {
  it('has a row for every action', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...RGPD_ACTIONS].sort());
  });

  it.each(cases)('%s by %s on %s member → %s', (action, _who, target, a, isRgpdEditor, expected) => {
    expect(rgpdPolicy(a, action, target === 'own' ? OWN : OTHER, { isRgpdEditor })).toBe(expected);
  });

  it('never lets the rgpd role reach another member', () => {
    expect(rgpdPolicy(actor('member', 'agent'), 'registry:write', OTHER, { isRgpdEditor: true })).toBe(false);
  });

  it('answers registry writes as if the actor held the rgpd role, on its own member only (routes)', () => {
    //                  anon op-ad dpo  cyber m-ad m-ag ag+r m-rd rd+r
    const own = [N, Y, Y, N, Y, Y, Y, Y, Y];
    const other = [N, Y, Y, N, N, N, N, N, N];
    ACTORS.forEach(([who, a], i) => {
      expect(rgpdPolicyIfEditor(a, 'registry:write', OWN), `${who} on own member`).toBe(own[i]);
      expect(rgpdPolicyIfEditor(a, 'registry:write', OTHER), `${who} on another member`).toBe(other[i]);
    });
  });

  it('needs a member for member actions', () => {
    expect(rgpdPolicy(actor('operator', 'admin'), 'registry:read', null)).toBe(false);
  });
});
