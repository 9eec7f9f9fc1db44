import { describe, expect, it } from 'vitest';
import { policyActor } from '../../test/actors.js';
import { ACTS_ACTIONS, type ActsAction, actsPolicy } from './acts.policy.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const OPERATOR = '00000000-0000-4000-8000-0000000000f0';

const CAST = {
  adminA: policyActor('member', 'admin', [], { operatorId: OPERATOR, memberId: A }),
  actesA: policyActor('member', 'actes', [], { operatorId: OPERATOR, memberId: A }),
  agentA: policyActor('member', 'agent', [], { operatorId: OPERATOR, memberId: A }),
  readerA: policyActor('member', 'reader', [], { operatorId: OPERATOR, memberId: A }),
  adminB: policyActor('member', 'admin', [], { operatorId: OPERATOR, memberId: B }),
  opAdmin: policyActor('operator', 'admin', [], { operatorId: OPERATOR, memberId: A }),
  opDemat: policyActor('operator', 'agent', ['demat'], { operatorId: OPERATOR, memberId: A }),
  opDpo: policyActor('operator', 'agent', ['dpo'], { operatorId: OPERATOR, memberId: A }),
  opGovernance: policyActor('operator', 'agent', ['governance'], { operatorId: OPERATOR, memberId: A }),
};
type Name = keyof typeof CAST;

/** Who may do each action on member A (and, for the overview, with no member). */
const EXPECTED: Record<ActsAction, Name[]> = {
  'acts:read': ['adminA', 'actesA', 'agentA', 'readerA', 'opAdmin', 'opDemat'],
  'acts:write': ['adminA', 'actesA'],
  'acts:transmit': ['adminA', 'actesA'],
  'acts:retry': ['opAdmin', 'opDemat'],
  'acts:overview': ['opAdmin', 'opDemat'],
};

describe('acts policy', () => {
  for (const action of ACTS_ACTIONS) {
    it(`${action}: ${EXPECTED[action].join(', ')}`, () => {
      const target = action === 'acts:overview' ? null : A;
      const allowed = (Object.keys(CAST) as Name[]).filter((name) => actsPolicy(CAST[name], action, target));
      expect(allowed).toEqual(EXPECTED[action]);
      expect(actsPolicy(null, action, target)).toBe(false);
    });
  }

  it('gives nothing of member A to member B, whatever its role', () => {
    for (const action of ['acts:read', 'acts:write', 'acts:transmit', 'acts:retry'] as const) {
      expect(actsPolicy(CAST.adminB, action, A)).toBe(false);
    }
  });

  it("lets the operator's admins, demat and governance agents keep the operator's own register", () => {
    for (const action of ['acts:write', 'acts:transmit'] as const) {
      const keepers = (Object.keys(CAST) as Name[]).filter((name) =>
        actsPolicy(CAST[name], action, OPERATOR),
      );
      expect(keepers).toEqual(['opAdmin', 'opDemat', 'opGovernance']);
    }
    expect(actsPolicy(CAST.opGovernance, 'acts:read', OPERATOR)).toBe(true);
    expect(actsPolicy(CAST.opDpo, 'acts:read', OPERATOR)).toBe(false);
    // A governance agent reads no member's acts, and no member writes the operator's.
    expect(actsPolicy(CAST.opGovernance, 'acts:read', A)).toBe(false);
    expect(actsPolicy(CAST.adminA, 'acts:write', OPERATOR)).toBe(false);
  });

  it('never lets a member act without a member in the path', () => {
    expect(actsPolicy(CAST.adminA, 'acts:write', null)).toBe(false);
    expect(actsPolicy(CAST.adminA, 'acts:transmit', null)).toBe(false);
    expect(actsPolicy(CAST.opDemat, 'acts:retry', null)).toBe(false);
  });
});
