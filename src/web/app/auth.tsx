import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me, OrganisationRoleView, Role } from '../../contracts/accounts.js';
import { defined } from '../../contracts/defined.js';
import { ApiError, api, setCsrfToken } from './api.js';

export type { Me, Role };
export type MeOrganisation = OrganisationRoleView;

export const ME_KEY = ['me'] as const;

async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/v1/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export interface Auth {
  isPending: boolean;
  me: Me | null;
  current: MeOrganisation | null;
  isOperator: boolean;
  isOperatorAdmin: boolean;
  isMemberAdmin: boolean;
  /** Operator admin, or operator agent with the `finance` scope (pricing and billing). */
  isFinance: boolean;
}

export function useAuth(): Auth {
  const query = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
  const me = query.data ?? null;
  const current = me?.current ?? null;
  const isOperator = current?.kind === 'operator';
  return {
    isPending: query.isPending,
    me,
    current,
    isOperator,
    isOperatorAdmin: isOperator && current?.role === 'admin',
    isMemberAdmin: !!current && !isOperator && current.role === 'admin',
    isFinance: isOperator && (current?.role === 'admin' || !!current?.scopes.includes('finance')),
  };
}

/**
 * The organisation the user acts for, on pages whose guard only renders them when there is one
 * (`RequireArea` with any area but `signed-in`).
 */
export function useCurrentOrganisation(): MeOrganisation {
  return defined(useAuth().current, 'the organisation the user acts for');
}

/** Every cached answer depends on who is signed in and for which organisation: drop them all. */
function useResetSession() {
  const client = useQueryClient();
  return async () => {
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    await client.invalidateQueries({ queryKey: ME_KEY });
    await client.refetchQueries({ queryKey: ME_KEY });
  };
}

export function useLogin() {
  const reset = useResetSession();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => api.post<unknown>('/api/v1/auth/login', body),
    onSuccess: reset,
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>('/api/v1/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(ME_KEY, null);
    },
  });
}

export function useSwitchOrganisation() {
  const reset = useResetSession();
  return useMutation({
    meta: { success: 'Organisation changée.' },
    mutationFn: (organisationId: string) =>
      api.post<unknown>('/api/v1/me/current-organisation', { organisationId }),
    onSuccess: reset,
  });
}

export const MEMBER_ROLE_LABELS: Record<Role, string> = {
  admin: 'Référent (administrateur)',
  agent: 'Agent',
  reader: 'Lecteur',
  actes: 'Agent chargé des actes (télétransmission, publication)',
  assemblees: 'Agent chargé des assemblées (séances, convocations, votes)',
  cyber: 'Référent sécurité (inventaire, vulnérabilités, incidents)',
};
