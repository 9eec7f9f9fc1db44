import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ContinuityPlan,
  HostingIncident,
  IncidentInput,
  IncidentUpdateInput,
  Instance,
  Licence,
  MaintenanceInput,
  MemberAvailability,
  MemberServiceStates,
  Monitor,
  MonitorInput,
  PublicStatus,
} from '../../../contracts/hosting.js';
import { api } from '../../app/api.js';

export type {
  ContinuityPlan,
  HostingIncident,
  Instance,
  Licence,
  MemberServiceStates,
  Monitor,
  PublicStatus,
};

const member = (memberId: string) => `/api/v1/members/${memberId}`;

/** Every hosting answer is cached under ['hosting', …]; a write refreshes the lot. */
function useInvalidateHosting() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['hosting'] });
  };
}

/** The public status page's data (no session needed). */
export function useStatus() {
  return useQuery({
    queryKey: ['hosting', 'status'],
    queryFn: () => api.get<PublicStatus>('/api/v1/status'),
    refetchInterval: 60_000,
  });
}

export function useServiceStates(memberId: string) {
  return useQuery({
    queryKey: ['hosting', 'service-states', memberId],
    queryFn: () => api.get<MemberServiceStates>(`${member(memberId)}/service-states`),
  });
}

export function useInstances(memberId: string) {
  return useQuery({
    queryKey: ['hosting', 'instances', memberId],
    queryFn: () => api.get<{ items: Instance[] }>(`${member(memberId)}/instances`),
  });
}

export function useContinuityPlans(memberId: string) {
  return useQuery({
    queryKey: ['hosting', 'continuity-plans', memberId],
    queryFn: () => api.get<{ items: ContinuityPlan[] }>(`${member(memberId)}/continuity-plans`),
  });
}

export function useMemberAvailability(memberId: string, month: string) {
  return useQuery({
    queryKey: ['hosting', 'availability', memberId, month],
    queryFn: () => api.get<MemberAvailability>(`${member(memberId)}/availability`, { month }),
  });
}

export function useLicences(memberId: string) {
  return useQuery({
    queryKey: ['hosting', 'licences', memberId],
    queryFn: () => api.get<{ items: Licence[] }>(`${member(memberId)}/licences`),
  });
}

export function useDeclareUsage(memberId: string) {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: 'Utilisation déclarée.' },
    mutationFn: ({ subscriptionId, seatsUsed }: { subscriptionId: string; seatsUsed: number }) =>
      api.put<Licence>(`${member(memberId)}/licences/${subscriptionId}/usage`, { seatsUsed }),
    onSuccess: invalidate,
  });
}

export function useAskForMoreSeats(memberId: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Licences ajoutées à l’abonnement.' },
    mutationFn: ({ subscriptionId, additional }: { subscriptionId: string; additional: number }) =>
      api.post<Licence>(`${member(memberId)}/licences/${subscriptionId}/more-seats`, { additional }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['hosting'] });
      void client.invalidateQueries({ queryKey: ['subscriptions'] });
    },
  });
}

export function useMonitors() {
  return useQuery({
    queryKey: ['hosting', 'monitors'],
    queryFn: () => api.get<{ items: Monitor[] }>('/api/v1/hosting/monitors'),
  });
}

export function useOpenIncident() {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: 'Incident déclaré : les abonnés des services concernés sont prévenus.' },
    mutationFn: (body: IncidentInput) => api.post<{ id: string }>('/api/v1/hosting/incidents', body),
    onSuccess: invalidate,
  });
}

export function useAddIncidentUpdate(incidentId: string) {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: 'Étape ajoutée à l’incident.' },
    mutationFn: (body: IncidentUpdateInput) =>
      api.post<HostingIncident>(`/api/v1/hosting/incidents/${incidentId}/updates`, body),
    onSuccess: invalidate,
  });
}

export function useScheduleMaintenance() {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: 'Maintenance programmée : les abonnés sont prévenus.' },
    mutationFn: (body: MaintenanceInput) => api.post<{ id: string }>('/api/v1/hosting/maintenances', body),
    onSuccess: invalidate,
  });
}

export function useCreateMonitor() {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: 'Sonde créée.' },
    mutationFn: (body: MonitorInput) => api.post<{ id: string }>('/api/v1/hosting/monitors', body),
    onSuccess: invalidate,
  });
}
