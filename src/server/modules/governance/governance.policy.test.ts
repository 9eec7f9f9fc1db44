import { describe, expect, it } from 'vitest';
import type { Actor, OrganisationRole } from '../../platform/auth/context.js';
import { GOVERNANCE_ACTIONS, type GovernanceAction, governancePolicy } from './governance.policy.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const OPERATOR = '00000000-0000-4000-8000-0000000000f0';

function actor(current: Omit<OrganisationRole, 'name' | 'kind'>, isOperator = false): Actor {
  const org: OrganisationRole = { ...current, name: 'x', kind: isOperator ? 'operator' : 'commune' };
  return {
    userId: 'u',
    email: 'u@example.test',
    displayName: 'U',
    sessionId: 's',
    csrfToken: 'c',
    organisations: [org],
    current: org,
    isOperator,
    sessionExpiresAt: Number.MAX_SAFE_INTEGER,
  };
}

const CAST = {
  adminA: actor({ organisationId: A, role: 'admin', scopes: [] }),
  assembleesA: actor({ organisationId: A, role: 'assemblees', scopes: [] }),
  actesA: actor({ organisationId: A, role: 'actes', scopes: [] }),
  agentA: actor({ organisationId: A, role: 'agent', scopes: [] }),
  readerA: actor({ organisationId: A, role: 'reader', scopes: [] }),
  adminB: actor({ organisationId: B, role: 'admin', scopes: [] }),
  opAdmin: actor({ organisationId: OPERATOR, role: 'admin', scopes: [] }, true),
  opGovernance: actor({ organisationId: OPERATOR, role: 'agent', scopes: ['governance'] }, true),
  opDemat: actor({ organisationId: OPERATOR, role: 'agent', scopes: ['demat'] }, true),
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
