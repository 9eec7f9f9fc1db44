import { describe, expect, it } from 'vitest';
import { policyActor } from '../../test/actors.js';
import { GOVERNANCE_ACTIONS, type GovernanceAction, governancePolicy } from './governance.policy.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const OPERATOR = '00000000-0000-4000-8000-0000000000f0';

const CAST = {
  adminA: policyActor('member', 'admin', [], { operatorId: OPERATOR, memberId: A }),
  assembleesA: policyActor('member', 'assemblees', [], { operatorId: OPERATOR, memberId: A }),
  actesA: policyActor('member', 'actes', [], { operatorId: OPERATOR, memberId: A }),
  agentA: policyActor('member', 'agent', [], { operatorId: OPERATOR, memberId: A }),
  readerA: policyActor('member', 'reader', [], { operatorId: OPERATOR, memberId: A }),
  adminB: policyActor('member', 'admin', [], { operatorId: OPERATOR, memberId: B }),
  opAdmin: policyActor('operator', 'admin', [], { operatorId: OPERATOR, memberId: A }),
  opGovernance: policyActor('operator', 'agent', ['governance'], { operatorId: OPERATOR, memberId: A }),
  opDemat: policyActor('operator', 'agent', ['demat'], { operatorId: OPERATOR, memberId: A }),
};
type Name = keyof typeof CAST;

/** Who may do each action on member A's assemblies (designation: for member A). */
const ON_MEMBER: Record<GovernanceAction, Name[]> = {
  'governance:read': ['adminA', 'assembleesA', 'actesA', 'agentA', 'readerA', 'opAdmin', 'opGovernance'],
  'governance:manage': ['adminA', 'assembleesA'],
  'governance:designate': ['adminA'],
  'governance:overview': ['opAdmin', 'opGovernance'],
};

/** Who may do each action on the operator's own assemblies. */
const ON_OPERATOR: Record<GovernanceAction, Name[]> = {
  'governance:read': ['opAdmin', 'opGovernance'],
  'governance:manage': ['opAdmin', 'opGovernance'],
  'governance:designate': [],
  'governance:overview': ['opAdmin', 'opGovernance'],
};

const allowed = (action: GovernanceAction, target: string | null) =>
  (Object.keys(CAST) as Name[]).filter((name) => governancePolicy(CAST[name], action, target));

describe('governance policy', () => {
  for (const action of GOVERNANCE_ACTIONS) {
    it(`${action} on member A: ${ON_MEMBER[action].join(', ')}`, () => {
      expect(allowed(action, action === 'governance:overview' ? null : A)).toEqual(ON_MEMBER[action]);
      expect(governancePolicy(null, action, A)).toBe(false);
    });
    it(`${action} on the operator: ${ON_OPERATOR[action].join(', ') || 'nobody'}`, () => {
      expect(allowed(action, OPERATOR)).toEqual(ON_OPERATOR[action]);
    });
  }

  it("gives nothing of member A's assemblies to member B", () => {
    for (const action of GOVERNANCE_ACTIONS) {
      if (action === 'governance:overview') continue;
      expect(governancePolicy(CAST.adminB, action, A)).toBe(false);
    }
  });

  it("manages neither a member's assemblies from the operator nor the operator's from a member", () => {
    expect(governancePolicy(CAST.opGovernance, 'governance:manage', A)).toBe(false);
    expect(governancePolicy(CAST.adminA, 'governance:manage', OPERATOR)).toBe(false);
    expect(governancePolicy(CAST.opGovernance, 'governance:manage', null)).toBe(false);
  });
});
