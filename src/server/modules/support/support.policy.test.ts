import { describe, expect, it } from 'vitest';
import { policyActor } from '../../test/actors.js';
import { SUPPORT_ACTIONS, type SupportAction, supportPolicy } from './support.policy.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const OPERATOR = '00000000-0000-4000-8000-0000000000f0';
const ids = { operatorId: OPERATOR, memberId: A };

const CAST = {
  adminA: policyActor('member', 'admin', [], ids),
  agentA: policyActor('member', 'agent', [], ids),
  readerA: policyActor('member', 'reader', [], ids),
  cyberA: policyActor('member', 'cyber', [], ids),
  adminB: policyActor('member', 'admin', [], { operatorId: OPERATOR, memberId: B }),
  opAdmin: policyActor('operator', 'admin', [], ids),
  opSupport: policyActor('operator', 'agent', ['support'], ids),
  opCyber: policyActor('operator', 'agent', ['cyber'], ids),
};
type Name = keyof typeof CAST;

const EXPECTED: Record<SupportAction, Name[]> = {
  'support:tickets': ['adminA', 'agentA', 'readerA', 'cyberA', 'opAdmin', 'opSupport'],
  'support:member-all': ['adminA', 'opAdmin', 'opSupport'],
  'support:operate': ['opAdmin', 'opSupport'],
};

describe('support policy', () => {
  for (const action of SUPPORT_ACTIONS) {
    it(`${action}: ${EXPECTED[action].join(', ')}`, () => {
      const target = action === 'support:operate' ? null : A;
      const allowed = (Object.keys(CAST) as Name[]).filter((n) => supportPolicy(CAST[n], action, target));
      expect(allowed).toEqual(EXPECTED[action]);
      expect(supportPolicy(null, action, target)).toBe(false);
    });
  }

  it('gives nothing of member A to member B', () => {
    for (const action of SUPPORT_ACTIONS) expect(supportPolicy(CAST.adminB, action, A)).toBe(false);
  });
});
