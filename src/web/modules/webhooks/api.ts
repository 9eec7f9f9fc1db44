import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Webhook,
  WebhookCreated,
  WebhookDelivery,
  WebhookEventType,
} from '../../../contracts/webhooks.js';
import { api, type Page } from '../../app/api.js';

/**
 * Every HTTP call of the webhooks pages: a member's endpoints (`scope` its id) or the operator's, told
 * of every member's events (`scope` null), and their delivery logs.
 */
export type WebhookScope = string | null;
const base = (scope: WebhookScope) => (scope ? `/api/v1/members/${scope}/webhooks` : '/api/v1/webhooks');
const keyOf = (scope: WebhookScope) => ['webhooks', scope ?? 'operateur'];
export const DELIVERIES_PAGE_SIZE = 20;

export function useWebhooks(scope: WebhookScope) {
  return useQuery({
    queryKey: keyOf(scope),
    queryFn: () => api.get<Page<Webhook>>(base(scope)),
  });
}

export function useCreateWebhook(scope: WebhookScope) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Webhook enregistré.' },
    mutationFn: (body: { url: string; events: WebhookEventType[]; description?: string }) =>
      api.post<WebhookCreated>(base(scope), body),
    onSuccess: () => client.invalidateQueries({ queryKey: keyOf(scope) }),
  });
}

export function useDeleteWebhook(scope: WebhookScope) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Webhook supprimé.' },
    mutationFn: (webhookId: string) => api.delete<void>(`${base(scope)}/${webhookId}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keyOf(scope) }),
  });
}

/** The delivery log, refreshed every 2 s while a delivery is under way or none came yet. */
export function useDeliveries(scope: WebhookScope, webhookId: string, cursor: string | undefined) {
  return useQuery({
    queryKey: [...keyOf(scope), webhookId, 'deliveries', cursor],
    queryFn: () =>
      api.get<Page<WebhookDelivery>>(`${base(scope)}/${webhookId}/deliveries`, {
        cursor,
        limit: DELIVERIES_PAGE_SIZE,
      }),
    refetchInterval: (query) => {
      const items = query.state.data?.items;
      return !items || items.length === 0 || items.some((d) => d.status === 'pending') ? 2000 : false;
    },
  });
}

export function useReplayDelivery(scope: WebhookScope, webhookId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Livraison relancée.' },
    mutationFn: (deliveryId: string) =>
      api.post<WebhookDelivery>(`${base(scope)}/${webhookId}/deliveries/${deliveryId}/replay`),
    onSuccess: () => client.invalidateQueries({ queryKey: [...keyOf(scope), webhookId] }),
  });
}
