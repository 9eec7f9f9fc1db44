import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BackupInput,
  ContinuityDocument,
  ContinuityPlan,
  ContinuityPlanInput,
  DeclaredUnitsReport,
  HostingIncident,
  IncidentInput,
  IncidentUpdateInput,
  Instance,
  InstanceDetail,
  InstanceInput,
  Licence,
  MaintenanceInput,
  MemberAvailability,
  MemberServiceStates,
  Monitor,
  MonitorInput,
  PublicStatus,
  RestoreTestInput,
  SeatRequest,
  UsageImportReport,
} from '../../../contracts/hosting.js';
import { api } from '../../app/api.js';

export type {
  ContinuityDocument,
  ContinuityPlan,
  DeclaredUnitsReport,
  HostingIncident,
  Instance,
  Licence,
  MemberServiceStates,
  Monitor,
  PublicStatus,
  SeatRequest,
  UsageImportReport,
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

/** One incident with its whole timeline (public). */
export function useStatusIncident(incidentId: string) {
  return useQuery({
    queryKey: ['hosting', 'status', 'incident', incidentId],
    queryFn: () => api.get<HostingIncident>(`/api/v1/status/incidents/${encodeURIComponent(incidentId)}`),
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
    meta: { success: 'Demande envoyée à l’équipe hébergement.' },
    mutationFn: ({ subscriptionId, additional }: { subscriptionId: string; additional: number }) =>
      api.post<SeatRequest>(`${member(memberId)}/licences/${subscriptionId}/more-seats`, { additional }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['hosting'] });
      void client.invalidateQueries({ queryKey: ['subscriptions'] });
    },
  });
}

/** The hosting team's pending requests for more seats. */
export function useSeatRequests() {
  return useQuery({
    queryKey: ['hosting', 'seat-requests'],
    queryFn: () => api.get<{ items: SeatRequest[] }>('/api/v1/hosting/seat-requests?status=pending'),
  });
}

export function useDecideSeatRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, refuse }: { id: string; refuse?: string }) =>
      refuse === undefined
        ? api.post<SeatRequest>(`/api/v1/hosting/seat-requests/${id}/approve`, {})
        : api.post<SeatRequest>(`/api/v1/hosting/seat-requests/${id}/refuse`, { reason: refuse }),
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

// The hosting team's editing -------------------------------------------------------------------------

/** Creates an instance, or edits it when `instanceId` is given. */
export function useSaveInstance(memberId: string, instanceId?: string) {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: instanceId ? 'Instance modifiée.' : 'Instance déclarée.' },
    mutationFn: (body: InstanceInput) =>
      instanceId
        ? api.put<InstanceDetail>(`${member(memberId)}/instances/${instanceId}`, body)
        : api.post<InstanceDetail>(`${member(memberId)}/instances`, body),
    onSuccess: invalidate,
  });
}

export function useRecordRestoreTest(memberId: string, instanceId: string) {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: 'Test de restauration enregistré.' },
    mutationFn: (body: RestoreTestInput) =>
      api.post<InstanceDetail>(`${member(memberId)}/instances/${instanceId}/restore-tests`, body),
    onSuccess: invalidate,
  });
}

/** Records a backup run's result; the answer is the instance with its last success. */
export function useRecordBackup(memberId: string, instanceId: string) {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: 'Sauvegarde enregistrée.' },
    mutationFn: (body: BackupInput) =>
      api.post<InstanceDetail>(`${member(memberId)}/instances/${instanceId}/backups`, body),
    onSuccess: invalidate,
  });
}

const continuityPlan = (serviceId: string) => `/api/v1/hosting/services/${serviceId}/continuity-plan`;

/** A service's continuity plan for the team (404 while none is written: no retry). */
export function useContinuityPlan(serviceId: string) {
  return useQuery({
    queryKey: ['hosting', 'continuity-plan', serviceId],
    queryFn: () => api.get<ContinuityPlan>(continuityPlan(serviceId)),
    enabled: serviceId !== '',
    retry: false,
  });
}

export function useAddContinuityDocument(serviceId: string) {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: (document: ContinuityDocument) => `Document « ${document.fileName} » joint au plan.` },
    mutationFn: (form: FormData) =>
      api.post<ContinuityDocument>(`${continuityPlan(serviceId)}/documents`, form),
    onSuccess: invalidate,
  });
}

export function useDeleteContinuityDocument(serviceId: string) {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: 'Document retiré du plan.' },
    mutationFn: (documentId: string) => api.delete(`${continuityPlan(serviceId)}/documents/${documentId}`),
    onSuccess: invalidate,
  });
}

/** Where a plan's document is downloaded: by the team, or by a member subscribing to the service. */
export const continuityDocumentUrl = (document: ContinuityDocument, memberId?: string) =>
  memberId
    ? `${member(memberId)}/continuity-plans/${document.serviceId}/documents/${document.id}`
    : `${continuityPlan(document.serviceId)}/documents/${document.id}`;

export function usePutContinuityPlan(serviceId: string) {
  const invalidate = useInvalidateHosting();
  return useMutation({
    meta: { success: 'Plan de continuité enregistré.' },
    mutationFn: (body: ContinuityPlanInput) =>
      api.put<ContinuityPlan>(`/api/v1/hosting/services/${serviceId}/continuity-plan`, body),
    onSuccess: invalidate,
  });
}

/** The usage from the software's export: a dry run first (nothing written), then the same file for real. */
export function useUsageImport(memberId: string, dryRun: boolean) {
  const invalidate = useInvalidateHosting();
  return useMutation({
    mutationFn: ({ file, subscriptionId }: { file: File; subscriptionId: string }) => {
      const form = new FormData();
      form.append('file', file);
      return api.post<UsageImportReport>(
        `${member(memberId)}/licences/${subscriptionId}/usage/import`,
        form,
        {
          dryRun: dryRun ? 'true' : 'false',
        },
      );
    },
    onSuccess: dryRun ? undefined : invalidate,
  });
}

/** The licences' usage as the year's declared units: a preview, then the confirmation. */
export function useDeclaredUnits() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { year: number; confirm: boolean }) =>
      api.post<DeclaredUnitsReport>('/api/v1/hosting/licences/declared-units', body),
    onSuccess: (_data, body) => {
      if (!body.confirm) return;
      void client.invalidateQueries({ queryKey: ['hosting'] });
      void client.invalidateQueries({ queryKey: ['subscriptions'] });
    },
  });
}
