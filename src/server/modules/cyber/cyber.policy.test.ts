import { describe, expect, it } from 'vitest';
import type { Actor, OrganisationRole } from '../../platform/auth/context.js';
import { CYBER_ACTIONS, type CyberAction, cyberPolicy } from './cyber.policy.js';

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
  cyberA: actor({ organisationId: A, role: 'cyber', scopes: [] }),
  actesA: actor({ organisationId: A, role: 'actes', scopes: [] }),
  agentA: actor({ organisationId: A, role: 'agent', scopes: [] }),
  readerA: actor({ organisationId: A, role: 'reader', scopes: [] }),
  adminB: actor({ organisationId: B, role: 'admin', scopes: [] }),
  cyberB: actor({ organisationId: B, role: 'cyber', scopes: [] }),
  opAdmin: actor({ organisationId: OPERATOR, role: 'admin', scopes: [] }, true),
  opCyber: actor({ organisationId: OPERATOR, role: 'agent', scopes: ['cyber'] }, true),
  opDpo: actor({ organisationId: OPERATOR, role: 'agent', scopes: ['dpo'] }, true),
};
type Name = keyof typeof CAST;

/** Who may do each action on member A (and, for the operator-wide pages, with no member). */
const EXPECTED: Record<CyberAction, Name[]> = {
  'cyber:read': ['adminA', 'cyberA', 'opAdmin', 'opCyber'],
  'cyber:write': ['adminA', 'cyberA', 'opAdmin', 'opCyber'],
  'cyber:operate': ['opAdmin', 'opCyber'],
};

describe('cyber policy', () => {
  for (const action of CYBER_ACTIONS) {
    it(`${action}: ${EXPECTED[action].join(', ')}`, () => {
      const target = action === 'cyber:operate' ? null : A;
      const allowed = (Object.keys(CAST) as Name[]).filter((name) => cyberPolicy(CAST[name], action, target));
      expect(allowed).toEqual(EXPECTED[action]);
      expect(cyberPolicy(null, action, target)).toBe(false);
    });
  }

  it('gives nothing of member A to member B, whatever its role', () => {
    for (const action of CYBER_ACTIONS) {
      expect(cyberPolicy(CAST.adminB, action, A)).toBe(false);
      expect(cyberPolicy(CAST.cyberB, action, A)).toBe(false);
    }
  });

  it('never lets the cyber team act on a member without a member in the path', () => {
    expect(cyberPolicy(CAST.opCyber, 'cyber:read', null)).toBe(false);
    expect(cyberPolicy(CAST.cyberA, 'cyber:operate', A)).toBe(false);
  });

  it('lets a référent sécurité do what an agent may do elsewhere (the role adds rights)', async () => {
    const { memberRole } = await import('../../platform/auth/policy.js');
    expect(memberRole('agent')(CAST.cyberA, A)).toBe(true);
    expect(memberRole('admin')(CAST.cyberA, A)).toBe(false);
  });
});
