import { describe, expect, it } from 'vitest';
import { policyActor } from '../../test/actors.js';
import { CYBER_ACTIONS, type CyberAction, cyberPolicy } from './cyber.policy.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const OPERATOR = '00000000-0000-4000-8000-0000000000f0';

const CAST = {
  adminA: policyActor('member', 'admin', [], { operatorId: OPERATOR, memberId: A }),
  cyberA: policyActor('member', 'cyber', [], { operatorId: OPERATOR, memberId: A }),
  actesA: policyActor('member', 'actes', [], { operatorId: OPERATOR, memberId: A }),
  agentA: policyActor('member', 'agent', [], { operatorId: OPERATOR, memberId: A }),
  readerA: policyActor('member', 'reader', [], { operatorId: OPERATOR, memberId: A }),
  adminB: policyActor('member', 'admin', [], { operatorId: OPERATOR, memberId: B }),
  cyberB: policyActor('member', 'cyber', [], { operatorId: OPERATOR, memberId: B }),
  opAdmin: policyActor('operator', 'admin', [], { operatorId: OPERATOR, memberId: A }),
  opCyber: policyActor('operator', 'agent', ['cyber'], { operatorId: OPERATOR, memberId: A }),
  opDpo: policyActor('operator', 'agent', ['dpo'], { operatorId: OPERATOR, memberId: A }),
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
