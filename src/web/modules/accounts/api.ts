import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Invitation, Me, OrganisationUser, Role } from '../../../contracts/accounts.js';
import { api, type Page } from '../../app/api.js';
import { ME_KEY } from '../../app/auth.js';

export interface PublicInvitation {
  organisation: { id: string; name: string; kind: string };
  email: string;
  role: Role;
  scopes: string[];
  accountExists: boolean;
  expiresAt: string;
}

/** Where an organisation's people are listed: the operator has its own path. */
export interface UsersScope {
  organisationId: string;
  isOperator: boolean;
}

const usersPath = (scope: UsersScope) =>
  scope.isOperator ? '/api/v1/operator/users' : `/api/v1/members/${scope.organisationId}/users`;

export function useOrganisationUsers(scope: UsersScope, cursor: string | undefined, q?: string) {
  return useQuery({
    queryKey: ['users', scope.organisationId, cursor, q],
    queryFn: () => api.get<Page<OrganisationUser>>(usersPath(scope), { cursor, q, limit: 50 }),
    placeholderData: keepPreviousData,
  });
}

export function useInvitations(scope: UsersScope) {
  return useQuery({
    queryKey: ['users', scope.organisationId, 'invitations'],
    queryFn: () =>
      api.get<Page<Invitation>>(`/api/v1/members/${scope.organisationId}/invitations`, { limit: 200 }),
  });
}

function useInvalidateUsers(scope: UsersScope) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['users', scope.organisationId] });
}

export function useInvite(scope: UsersScope) {
  const invalidate = useInvalidateUsers(scope);
  return useMutation({
    meta: { success: 'Invitation envoyée.' },
    mutationFn: (body: { email: string; role: Role; scopes: string[] }) =>
      api.post<Invitation>(`/api/v1/members/${scope.organisationId}/invitations`, body),
    onSuccess: invalidate,
  });
}

export function useRevokeInvitation(scope: UsersScope) {
  const invalidate = useInvalidateUsers(scope);
  return useMutation({
    meta: { success: 'Invitation révoquée.' },
    mutationFn: (invitationId: string) =>
      api.delete<void>(`/api/v1/members/${scope.organisationId}/invitations/${invitationId}`),
    onSuccess: invalidate,
  });
}

export function useChangeRole(scope: UsersScope) {
  const invalidate = useInvalidateUsers(scope);
  return useMutation({
    meta: { success: 'Rôle modifié.' },
    mutationFn: ({ userId, role, scopes }: { userId: string; role: Role; scopes?: string[] }) =>
      api.patch<OrganisationUser>(
        `${usersPath(scope)}/${userId}`,
        scope.isOperator ? { role, scopes: role === 'admin' ? [] : (scopes ?? []) } : { role },
      ),
    onSuccess: invalidate,
  });
}

export function useRemoveUser(scope: UsersScope) {
  const invalidate = useInvalidateUsers(scope);
  return useMutation({
    meta: { success: 'Utilisateur retiré.' },
    mutationFn: (userId: string) => api.delete<void>(`${usersPath(scope)}/${userId}`),
    onSuccess: invalidate,
  });
}

export function usePublicInvitation(token: string | undefined) {
  return useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api.get<PublicInvitation>(`/api/v1/invitations/${encodeURIComponent(token ?? '')}`),
    enabled: !!token,
    retry: false,
  });
}

/** Whoever the session now belongs to, read once (after a login, to choose where to go). */
export const getMe = () => api.get<Me>('/api/v1/me');

export function useAcceptInvitation(token: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Invitation acceptée.' },
    mutationFn: (body: { displayName?: string; password?: string }) =>
      api.post<unknown>(`/api/v1/invitations/${encodeURIComponent(token)}/accept`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ME_KEY }),
  });
}

export function useChangePassword() {
  return useMutation({
    meta: { success: 'Mot de passe modifié.' },
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.post<unknown>('/api/v1/me/password', body),
  });
}

export function usePasswordResetRequest() {
  return useMutation({
    meta: { success: 'Demande de réinitialisation envoyée.' },
    mutationFn: (email: string) => api.post<{ message: string }>('/api/v1/auth/password-reset', { email }),
  });
}

export function usePasswordResetConfirm(token: string | undefined) {
  return useMutation({
    meta: { success: 'Mot de passe modifié.' },
    mutationFn: (newPassword: string) =>
      api.post<{ message: string }>('/api/v1/auth/password-reset/confirm', { token, newPassword }),
  });
}
