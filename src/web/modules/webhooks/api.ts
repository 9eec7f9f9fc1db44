import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Webhook,
  WebhookCreated,
  WebhookDelivery,
  WebhookEventType,
} from '../../../contracts/webhooks.js';
import { api, type Page } from '../../app/api.js';

/** Every HTTP call of the webhooks pages: a member's endpoints and their delivery logs. */
const base = (memberId: string) => `/api/v1/members/${memberId}/webhooks`;
export const DELIVERIES_PAGE_SIZE = 20;

export function useWebhooks(memberId: string) {
  return useQuery({
    queryKey: ['webhooks', memberId],
    queryFn: () => api.get<Page<Webhook>>(base(memberId)),
  });
}

export function useCreateWebhook(memberId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Webhook enregistré.' },
    mutationFn: (body: { url: string; events: WebhookEventType[]; description?: string }) =>
      api.post<WebhookCreated>(base(memberId), body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhooks', memberId] }),
  });
}

export function useDeleteWebhook(memberId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Webhook supprimé.' },
    mutationFn: (webhookId: string) => api.delete<void>(`${base(memberId)}/${webhookId}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhooks', memberId] }),
  });
}

/** The delivery log, refreshed every 2 s while a delivery is under way or none came yet. */
export function useDeliveries(memberId: string, webhookId: string, cursor: string | undefined) {
  return useQuery({
    queryKey: ['webhooks', memberId, webhookId, 'deliveries', cursor],
    queryFn: () =>
      api.get<Page<WebhookDelivery>>(`${base(memberId)}/${webhookId}/deliveries`, {
        cursor,
        limit: DELIVERIES_PAGE_SIZE,
      }),
    refetchInterval: (query) => {
      const items = query.state.data?.items;
      return !items || items.length === 0 || items.some((d) => d.status === 'pending') ? 2000 : false;
    },
  });
}

export function useReplayDelivery(memberId: string, webhookId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Livraison relancée.' },
    mutationFn: (deliveryId: string) =>
      api.post<WebhookDelivery>(`${base(memberId)}/${webhookId}/deliveries/${deliveryId}/replay`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhooks', memberId, webhookId] }),
  });
}
