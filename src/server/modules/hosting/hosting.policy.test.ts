import { describe, expect, it } from 'vitest';
import { policyActor } from '../../test/actors.js';
import { HOSTING_ACTIONS, type HostingAction, hostingPolicy } from './hosting.policy.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const OPERATOR = '00000000-0000-4000-8000-0000000000f0';

const CAST = {
  adminA: policyActor('member', 'admin', [], { operatorId: OPERATOR, memberId: A }),
  agentA: policyActor('member', 'agent', [], { operatorId: OPERATOR, memberId: A }),
  readerA: policyActor('member', 'reader', [], { operatorId: OPERATOR, memberId: A }),
  adminB: policyActor('member', 'admin', [], { operatorId: OPERATOR, memberId: B }),
  opAdmin: policyActor('operator', 'admin', [], { operatorId: OPERATOR, memberId: A }),
  opHosting: policyActor('operator', 'agent', ['hosting'], { operatorId: OPERATOR, memberId: A }),
  opCyber: policyActor('operator', 'agent', ['cyber'], { operatorId: OPERATOR, memberId: A }),
};
type Name = keyof typeof CAST;

const EXPECTED: Record<HostingAction, Name[]> = {
  'hosting:read': ['adminA', 'agentA', 'readerA', 'opAdmin', 'opHosting'],
  'hosting:declare': ['adminA', 'agentA', 'opAdmin', 'opHosting'],
  'hosting:seats': ['adminA', 'opAdmin', 'opHosting'],
  'hosting:operate': ['opAdmin', 'opHosting'],
  'hosting:units': ['opAdmin', 'opHosting'],
};

describe('hosting policy', () => {
  for (const action of HOSTING_ACTIONS) {
    it(`${action}: ${EXPECTED[action].join(', ')}`, () => {
      const target = action === 'hosting:operate' || action === 'hosting:units' ? null : A;
      const allowed = (Object.keys(CAST) as Name[]).filter((name) =>
        hostingPolicy(CAST[name], action, target),
      );
      expect(allowed).toEqual(EXPECTED[action]);
      expect(hostingPolicy(null, action, target)).toBe(false);
    });
  }

  it('continuity plans’ documents: downloaded by the plan’s readers, attached and removed by the team', () => {
    // GET /members/:memberId/continuity-plans/:serviceId/documents/:documentId asks `hosting:read` on
    // the member (the service then checks that the member subscribes to the plan's service); the
    // team's routes (attach, list, download, remove) ask `hosting:operate`.
    const who = (action: HostingAction, target: string | null) =>
      (Object.keys(CAST) as Name[]).filter((name) => hostingPolicy(CAST[name], action, target));
    expect(who('hosting:read', A)).toEqual(['adminA', 'agentA', 'readerA', 'opAdmin', 'opHosting']);
    expect(who('hosting:read', B)).toEqual(['adminB', 'opAdmin', 'opHosting']);
    expect(who('hosting:operate', null)).toEqual(['opAdmin', 'opHosting']);
  });

  it('gives nothing of member A to member B, and nothing to the team without a member', () => {
    for (const action of HOSTING_ACTIONS) expect(hostingPolicy(CAST.adminB, action, A)).toBe(false);
    expect(hostingPolicy(CAST.opHosting, 'hosting:read', null)).toBe(false);
    expect(hostingPolicy(CAST.opHosting, 'hosting:seats', null)).toBe(false);
  });
});
