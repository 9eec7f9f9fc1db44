import { describe, expect, it } from 'vitest';
import type { Actor, OrganisationRole } from '../../platform/auth/context.js';
import { ACTS_ACTIONS, type ActsAction, actsPolicy } from './acts.policy.js';

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
  actesA: actor({ organisationId: A, role: 'actes', scopes: [] }),
  agentA: actor({ organisationId: A, role: 'agent', scopes: [] }),
  readerA: actor({ organisationId: A, role: 'reader', scopes: [] }),
  adminB: actor({ organisationId: B, role: 'admin', scopes: [] }),
  opAdmin: actor({ organisationId: OPERATOR, role: 'admin', scopes: [] }, true),
  opDemat: actor({ organisationId: OPERATOR, role: 'agent', scopes: ['demat'] }, true),
  opDpo: actor({ organisationId: OPERATOR, role: 'agent', scopes: ['dpo'] }, true),
};
type Name = keyof typeof CAST;

/** Who may do each action on member A (and, for the overview, with no member). */
const EXPECTED: Record<ActsAction, Name[]> = {
  'acts:read': ['adminA', 'actesA', 'agentA', 'readerA', 'opAdmin', 'opDemat'],
  'acts:write': ['adminA', 'actesA'],
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
    for (const action of ['acts:read', 'acts:write', 'acts:retry'] as const) {
      expect(actsPolicy(CAST.adminB, action, A)).toBe(false);
    }
  });

  it('never lets a member act without a member in the path', () => {
    expect(actsPolicy(CAST.adminA, 'acts:write', null)).toBe(false);
    expect(actsPolicy(CAST.opDemat, 'acts:retry', null)).toBe(false);
  });
});
