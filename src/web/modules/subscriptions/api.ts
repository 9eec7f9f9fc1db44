import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BulkReport,
  BulkSubscriptionInput,
  DirectSubscription,
  Subscriber,
  Subscription,
  SubscriptionDetail,
  SubscriptionRequest,
  SubscriptionStatus,
} from '../../../contracts/subscriptions.js';
import { api, type Page } from '../../app/api.js';

export const PAGE_SIZE = 50;

/** The current member's subscriptions (the server knows the member from the session). */
export function useMySubscriptions(memberId: string | undefined) {
  return useQuery({
    queryKey: ['subscriptions', 'member', memberId],
    queryFn: () => api.get<Page<Subscription>>(`/api/v1/members/${memberId}/subscriptions`),
    enabled: !!memberId,
  });
}

export function useSubscription(memberId: string, id: string) {
  return useQuery({
    queryKey: ['subscriptions', 'detail', id],
    queryFn: () => api.get<SubscriptionDetail>(`/api/v1/members/${memberId}/subscriptions/${id}`),
  });
}

export function useSubscriptionQueue(
  status: SubscriptionStatus | undefined,
  serviceId: string | undefined,
  cursor: string | undefined,
  q?: string,
) {
  return useQuery({
    queryKey: ['subscriptions', 'queue', status, serviceId, cursor, q],
    queryFn: () =>
      api.get<Page<Subscription>>('/api/v1/subscriptions', {
        status,
        serviceId,
        q,
        cursor,
        limit: PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useSubscribers(serviceId: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['subscriptions', 'subscribers', serviceId, cursor],
    queryFn: () =>
      api.get<Page<Subscriber>>(`/api/v1/catalogue/services/${serviceId}/subscribers`, {
        cursor,
        limit: PAGE_SIZE,
      }),
    enabled: !!serviceId,
    placeholderData: keepPreviousData,
  });
}

export const subscribersExportUrl = (serviceId: string, format: 'csv' | 'xlsx') =>
  `/api/v1/catalogue/services/${serviceId}/subscribers.${format}`;

/** Any subscription write changes lists, details, eligibility and costs. */
function useInvalidate() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['subscriptions'] }),
      client.invalidateQueries({ queryKey: ['catalogue', 'detail'] }),
      client.invalidateQueries({ queryKey: ['pricing'] }),
    ]);
}

/** What each action on a subscription confirms. */
const SUBSCRIPTION_ACTION_DONE: Record<string, string> = {
  accept: 'Abonnement accepté.',
  refuse: 'Demande refusée.',
  terminate: 'Résiliation demandée.',
  'confirm-termination': 'Résiliation confirmée.',
};

export function useRequestSubscription(memberId: string | undefined) {
  const invalidate = useInvalidate();
  return useMutation({
    meta: { success: 'Demande d’abonnement envoyée.' },
    mutationFn: (body: SubscriptionRequest) =>
      api.post<Subscription>(`/api/v1/members/${memberId}/subscriptions`, body),
    onSuccess: invalidate,
  });
}

/** The operator subscribes this member directly (active from the start date). */
export function useDirectSubscription(memberId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: DirectSubscription) =>
      api.post<Subscription>(`/api/v1/members/${memberId}/subscriptions/direct`, body),
    onSuccess: invalidate,
  });
}

/** Declared units of a per-unit service. */
export function useUpdateUnits() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({
      subscription,
      units,
    }: {
      subscription: Pick<Subscription, 'id' | 'memberId'>;
      units: number;
    }) =>
      api.patch<Subscription>(`/api/v1/members/${subscription.memberId}/subscriptions/${subscription.id}`, {
        units,
      }),
    onSuccess: invalidate,
  });
}

export function useSubscriptionAction() {
  const invalidate = useInvalidate();
  return useMutation({
    meta: {
      success: (_data: unknown, input: { action: string }) => SUBSCRIPTION_ACTION_DONE[input.action] ?? null,
    },
    mutationFn: ({
      subscription,
      action,
      body,
    }: {
      subscription: Pick<Subscription, 'id' | 'memberId'>;
      action: 'accept' | 'refuse' | 'terminate' | 'confirm-termination';
      body: Record<string, unknown>;
    }) =>
      api.post<Subscription>(
        `/api/v1/members/${subscription.memberId}/subscriptions/${subscription.id}/${action}`,
        body,
      ),
    onSuccess: invalidate,
  });
}

export function useBulkSubscribe() {
  const invalidate = useInvalidate();
  return useMutation({
    meta: { success: 'Abonnements créés.' },
    mutationFn: ({
      serviceId,
      ...body
    }: Omit<BulkSubscriptionInput, 'dryRun'> & { serviceId: string; dryRun: boolean }) =>
      api.post<BulkReport>(`/api/v1/catalogue/services/${serviceId}/bulk-subscriptions`, body),
    onSuccess: (report) => {
      if (!report.dryRun) return invalidate();
    },
  });
}
