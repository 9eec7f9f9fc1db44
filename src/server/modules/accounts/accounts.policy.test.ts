import { describe, expect, it } from 'vitest';
import type { Actor, OperatorScope, Role } from '../../platform/auth/context.js';
import { policyActor } from '../../test/actors.js';
import { ACCOUNTS_ACTIONS, type AccountsAction, canAccounts } from './accounts.policy.js';

const OPERATOR = 'op-0000';
const OWN = 'member-own';
const OTHER = 'member-other';

function actor(kind: 'operator' | 'member', role: Role, scopes: OperatorScope[] = []): Actor {
  return policyActor(kind, role, scopes, { operatorId: OPERATOR, memberId: OWN });
}

const ACTORS: Record<string, Actor | null> = {
  anonymous: null,
  'operator admin': actor('operator', 'admin'),
  'operator agent with scope': actor('operator', 'agent', ['support', 'dpo']),
  'operator agent without scope': actor('operator', 'agent'),
  'member admin': actor('member', 'admin'),
  'member agent': actor('member', 'agent'),
  'member reader': actor('member', 'reader'),
};

type Target = 'own member' | 'other member' | 'operator';
const TARGETS: Record<Target, string | null> = {
  'own member': OWN,
  'other member': OTHER,
  operator: OPERATOR,
};

/** Who may do what: one line per (actor, action), columns are the target organisation. */
const TABLE: [string, AccountsAction, Partial<Record<Target, boolean>>][] = [
  ['anonymous', 'users.read', { 'own member': false, 'other member': false, operator: false }],
  ['anonymous', 'users.invite', { 'own member': false, 'other member': false, operator: false }],
  ['anonymous', 'users.changeRole', { 'own member': false, 'other member': false, operator: false }],
  ['anonymous', 'users.remove', { 'own member': false, 'other member': false, operator: false }],

  ['operator admin', 'users.read', { 'own member': true, 'other member': true, operator: true }],
  ['operator admin', 'users.invite', { 'own member': true, 'other member': true, operator: true }],
  ['operator admin', 'users.changeRole', { 'own member': true, 'other member': true, operator: true }],
  ['operator admin', 'users.remove', { 'own member': true, 'other member': true, operator: true }],

  ['operator agent with scope', 'users.read', { 'own member': true, 'other member': true, operator: false }],
  [
    'operator agent with scope',
    'users.invite',
    { 'own member': false, 'other member': false, operator: false },
  ],
  ['operator agent with scope', 'users.changeRole', { 'own member': false, operator: false }],
  ['operator agent with scope', 'users.remove', { 'own member': false, operator: false }],

  [
    'operator agent without scope',
    'users.read',
    { 'own member': true, 'other member': true, operator: false },
  ],
  ['operator agent without scope', 'users.invite', { 'own member': false, operator: false }],
  ['operator agent without scope', 'users.changeRole', { 'own member': false, operator: false }],
  ['operator agent without scope', 'users.remove', { 'own member': false, operator: false }],

  ['member admin', 'users.read', { 'own member': true, 'other member': false, operator: false }],
  ['member admin', 'users.invite', { 'own member': true, 'other member': false, operator: false }],
  ['member admin', 'users.changeRole', { 'own member': true, 'other member': false, operator: false }],
  ['member admin', 'users.remove', { 'own member': true, 'other member': false, operator: false }],

  ['member agent', 'users.read', { 'own member': true, 'other member': false, operator: false }],
  ['member agent', 'users.invite', { 'own member': false, 'other member': false }],
  ['member agent', 'users.changeRole', { 'own member': false, 'other member': false }],
  ['member agent', 'users.remove', { 'own member': false, 'other member': false }],

  ['member reader', 'users.read', { 'own member': true, 'other member': false, operator: false }],
  ['member reader', 'users.invite', { 'own member': false, 'other member': false }],
  ['member reader', 'users.changeRole', { 'own member': false, 'other member': false }],
  ['member reader', 'users.remove', { 'own member': false, 'other member': false }],
  // Tokens, access requests and sign-in settings (issue 16).
  ['anonymous', 'tokens.manage', { 'own member': false, 'other member': false, operator: false }],
  ['anonymous', 'operatorTokens.manage', { 'own member': false, 'other member': false, operator: false }],
  ['anonymous', 'accessRequests.manage', { 'own member': false, 'other member': false, operator: false }],
  ['anonymous', 'authSettings.manage', { 'own member': false, 'other member': false, operator: false }],
  ['operator admin', 'tokens.manage', { 'own member': false, 'other member': false, operator: false }],
  ['operator admin', 'operatorTokens.manage', { 'own member': false, 'other member': false, operator: true }],
  ['operator admin', 'accessRequests.manage', { 'own member': true, 'other member': true, operator: true }],
  ['operator admin', 'authSettings.manage', { 'own member': true, 'other member': true, operator: true }],
  [
    'operator agent with scope',
    'tokens.manage',
    { 'own member': false, 'other member': false, operator: false },
  ],
  [
    'operator agent with scope',
    'operatorTokens.manage',
    { 'own member': false, 'other member': false, operator: false },
  ],
  [
    'operator agent with scope',
    'accessRequests.manage',
    { 'own member': false, 'other member': false, operator: false },
  ],
  [
    'operator agent with scope',
    'authSettings.manage',
    { 'own member': false, 'other member': false, operator: false },
  ],
  [
    'operator agent without scope',
    'tokens.manage',
    { 'own member': false, 'other member': false, operator: false },
  ],
  [
    'operator agent without scope',
    'operatorTokens.manage',
    { 'own member': false, 'other member': false, operator: false },
  ],
  [
    'operator agent without scope',
    'accessRequests.manage',
    { 'own member': false, 'other member': false, operator: false },
  ],
  [
    'operator agent without scope',
    'authSettings.manage',
    { 'own member': false, 'other member': false, operator: false },
  ],
  ['member admin', 'tokens.manage', { 'own member': true, 'other member': false, operator: false }],
  ['member admin', 'tokens.own', { 'own member': true, 'other member': false, operator: false }],
  ['member agent', 'tokens.own', { 'own member': true, 'other member': false, operator: false }],
  ['member reader', 'tokens.own', { 'own member': true, 'other member': false, operator: false }],
  ['anonymous', 'tokens.own', { 'own member': false, 'other member': false, operator: false }],
  ['operator admin', 'tokens.own', { 'own member': false, 'other member': false, operator: false }],
  [
    'operator agent without scope',
    'tokens.own',
    { 'own member': false, 'other member': false, operator: false },
  ],
  [
    'operator agent with scope',
    'tokens.own',
    { 'own member': false, 'other member': false, operator: false },
  ],
  ['member admin', 'operatorTokens.manage', { 'own member': false, 'other member': false, operator: false }],
  ['member admin', 'accessRequests.manage', { 'own member': true, 'other member': false, operator: false }],
  ['member admin', 'authSettings.manage', { 'own member': false, 'other member': false, operator: false }],
  ['member agent', 'tokens.manage', { 'own member': false, 'other member': false, operator: false }],
  ['member agent', 'operatorTokens.manage', { 'own member': false, 'other member': false, operator: false }],
  ['member agent', 'accessRequests.manage', { 'own member': false, 'other member': false, operator: false }],
  ['member agent', 'authSettings.manage', { 'own member': false, 'other member': false, operator: false }],
  ['member reader', 'tokens.manage', { 'own member': false, 'other member': false, operator: false }],
  ['member reader', 'operatorTokens.manage', { 'own member': false, 'other member': false, operator: false }],
  ['member reader', 'accessRequests.manage', { 'own member': false, 'other member': false, operator: false }],
  ['member reader', 'authSettings.manage', { 'own member': false, 'other member': false, operator: false }],
];

const cases = TABLE.flatMap(([who, action, outcomes]) =>
  Object.entries(outcomes).map(([target, allowed]) => ({ who, action, target: target as Target, allowed })),
);

describe('accounts policy', () => {
  it.each(cases)('$who → $action on $target: $allowed', ({ who, action, target, allowed }) => {
    expect(canAccounts(ACTORS[who], action, TARGETS[target])).toBe(allowed);
  });

  it('refuses member-scoped actions that name no member, even to operator admins', () => {
    expect(canAccounts(ACTORS['operator admin'], 'users.invite', null)).toBe(false);
    expect(canAccounts(ACTORS['operator admin'], 'users.read', null)).toBe(false);
  });

  it('covers every actor and every action in the table', () => {
    const covered = new Set(TABLE.map(([who, action]) => `${who}/${action}`));
    for (const who of Object.keys(ACTORS)) {
      for (const action of ACCOUNTS_ACTIONS) {
        expect(covered.has(`${who}/${action}`), `${who}/${action}`).toBe(true);
      }
    }
  });
});

describe('accounts policy for a person of several members', () => {
  it('acts only on the current organisation: switching is explicit', () => {
    const secretaire = actor('member', 'admin');
    secretaire.organisations.push({ ...secretaire.organisations[0], organisationId: OTHER });
    expect(canAccounts(secretaire, 'users.invite', OWN)).toBe(true);
    expect(canAccounts(secretaire, 'users.invite', OTHER)).toBe(false);
  });
});
