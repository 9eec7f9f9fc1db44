import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ServiceDetail,
  ServiceDomain,
  ServiceHistoryEntry,
  ServiceInput,
  ServicePatch,
  ServiceStatus,
  ServiceSummary,
} from '../../../contracts/catalogue.js';
import { api, type Page } from '../../app/api.js';
import { createdOrSaved } from '../../ui/index.js';

const BASE = '/api/v1/catalogue/services';

export interface ServiceFilters {
  domain?: ServiceDomain;
  status?: ServiceStatus;
  q?: string;
}

/** The catalogue has a few dozen services: one page of 200 holds them all. */
export function useServices(filters: ServiceFilters = {}) {
  return useQuery({
    queryKey: ['catalogue', 'list', filters],
    queryFn: () => api.get<Page<ServiceSummary>>(BASE, { ...filters, limit: 200 }),
  });
}

export function useService(serviceId: string | undefined) {
  return useQuery({
    queryKey: ['catalogue', 'detail', serviceId],
    queryFn: () => api.get<ServiceDetail>(`${BASE}/${serviceId}`),
    enabled: !!serviceId,
  });
}

export function useServiceHistory(serviceId: string | undefined) {
  return useQuery({
    queryKey: ['catalogue', 'history', serviceId],
    queryFn: () => api.get<Page<ServiceHistoryEntry>>(`${BASE}/${serviceId}/history`, { limit: 50 }),
    enabled: !!serviceId,
  });
}

export function useSaveService() {
  const client = useQueryClient();
  return useMutation({
    meta: { success: createdOrSaved('Service créé.', 'Service enregistré.') },
    mutationFn: ({ id, body }: { id?: string; body: ServiceInput | ServicePatch }) =>
      id ? api.patch<ServiceDetail>(`${BASE}/${id}`, body) : api.post<ServiceDetail>(BASE, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['catalogue'] }),
  });
}
