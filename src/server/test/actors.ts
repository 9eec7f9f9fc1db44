import type { Actor, OperatorScope, Role } from '../platform/auth/context.js';

/**
 * An actor for policy tables (no database): a user acting for the operator (`operatorId`) or for
 * a member (`memberId`) with one role.
 */
export function policyActor(
  kind: 'operator' | 'member',
  role: Role,
  scopes: OperatorScope[],
  ids: { operatorId: string; memberId: string },
): Actor {
  const current = {
    organisationId: kind === 'operator' ? ids.operatorId : ids.memberId,
    name: kind === 'operator' ? 'Opérateur' : 'Commune',
    kind: kind === 'operator' ? 'operator' : 'commune',
    role,
    scopes,
  };
  return {
    userId: 'u',
    email: 'u@test.example',
    displayName: 'U',
    sessionId: 's',
    csrfToken: 'c',
    organisations: [current],
    current,
    isOperator: kind === 'operator',
    sessionExpiresAt: Number.MAX_SAFE_INTEGER,
  };
}
