import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../../../contracts/accounts.js';
import type {
  AccessRequest,
  ApiToken,
  AuthSettings,
  CreatedToken,
  ProConnectStatus,
  TokenScopes,
} from '../../../contracts/connect.js';
import { api, type Page } from '../../app/api.js';

/** ProConnect, API tokens and access requests (issue 16). */

export function useProConnectStatus() {
  return useQuery({
    queryKey: ['proconnect'],
    queryFn: () => api.get<ProConnectStatus>('/api/v1/auth/proconnect'),
    staleTime: 60_000,
  });
}

/** Where an organisation's tokens live: the operator has its own path. */
export interface TokensScope {
  organisationId: string;
  isOperator: boolean;
  /** The member's admin: sees every token, makes the member's own ones. */
  isAdmin: boolean;
}

const tokensPath = (scope: TokensScope) =>
  scope.isOperator ? '/api/v1/operator/tokens' : `/api/v1/members/${scope.organisationId}/tokens`;

export function useTokens(scope: TokensScope) {
  return useQuery({
    queryKey: ['tokens', scope.organisationId],
    queryFn: () => api.get<Page<ApiToken>>(tokensPath(scope), { limit: 200 }),
  });
}

export function useCreateToken(scope: TokensScope) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      name: string;
      scopes: TokenScopes;
      expiresOn: string;
      kind?: 'personal' | 'member';
    }) => api.post<CreatedToken>(tokensPath(scope), body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tokens', scope.organisationId] }),
  });
}

export function useRevokeToken(scope: TokensScope) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Jeton révoqué.' },
    mutationFn: (tokenId: string) => api.delete<void>(`${tokensPath(scope)}/${tokenId}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tokens', scope.organisationId] }),
  });
}

export function useAccessRequests(memberId: string) {
  return useQuery({
    queryKey: ['access-requests', memberId],
    queryFn: () =>
      api.get<Page<AccessRequest>>(`/api/v1/members/${memberId}/access-requests`, {
        status: 'pending',
        limit: 200,
      }),
  });
}

export function useDecideAccessRequest(memberId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Réponse enregistrée.' },
    mutationFn: ({ requestId, role }: { requestId: string; role: Role | null }) =>
      role
        ? api.post<AccessRequest>(`/api/v1/members/${memberId}/access-requests/${requestId}/accept`, { role })
        : api.post<AccessRequest>(`/api/v1/members/${memberId}/access-requests/${requestId}/refuse`),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['access-requests', memberId] });
      client.invalidateQueries({ queryKey: ['users', memberId] });
    },
  });
}

export function useAuthSettings() {
  return useQuery({
    queryKey: ['auth-settings'],
    queryFn: () => api.get<AuthSettings>('/api/v1/operator/auth-settings'),
  });
}

export function useSaveAuthSettings() {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Règle de connexion enregistrée.' },
    mutationFn: (body: AuthSettings) => api.put<AuthSettings>('/api/v1/operator/auth-settings', body),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['auth-settings'] });
      client.invalidateQueries({ queryKey: ['proconnect'] });
    },
  });
}
