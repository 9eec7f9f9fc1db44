import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AdvisoryDetail,
  AdvisorySummary,
  CyberDashboard,
  CyberMemberRow,
  CyberProfile,
  CyberProfileInput,
  CyberSettings,
  Diagnostic,
  DiagnosticInput,
  DiagnosticQuestionnaire,
  DiagnosticSummary,
  ExposureItem,
  Incident,
  IncidentInput,
  IncidentPatch,
  IncidentSummary,
  InventoryImportReport,
  InventoryItem,
  InventoryItemInput,
  InventoryItemPatch,
  InventoryList,
  ManualAdvisoryInput,
  MemberAdvisory,
  MemberAdvisoryDetail,
  Remediation,
  RemediationPatch,
  ServiceSoftware,
  ServiceSoftwareInput,
} from '../../../contracts/cyber.js';
import { api, type Page } from '../../app/api.js';

export type {
  AdvisoryDetail,
  AdvisorySummary,
  CyberDashboard,
  CyberMemberRow,
  Diagnostic,
  DiagnosticQuestionnaire,
  DiagnosticSummary,
  ExposureItem,
  Incident,
  IncidentSummary,
  InventoryItem,
  MemberAdvisory,
  MemberAdvisoryDetail,
  Remediation,
  ServiceSoftware,
};

const member = (memberId: string) => `/api/v1/members/${memberId}`;

export const INVENTORY_PAGE_SIZE = 50;
export const ADVISORIES_PAGE_SIZE = 25;
export const EXPOSURE_PAGE_SIZE = 50;
export const INCIDENTS_PAGE_SIZE = 25;
export const CYBER_MEMBERS_PAGE_SIZE = 50;

/** Every cyber answer is cached under ['cyber', …]; a write refreshes the lot (small answers). */
function useInvalidateCyber() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['cyber'] });
  };
}

// Inventory ---------------------------------------------------------------------------------------

export interface InventorySearch {
  kind?: string;
  source?: string;
  q?: string;
}

export function useInventory(memberId: string, search: InventorySearch, cursor: string | undefined) {
  return useQuery({
    queryKey: ['cyber', 'inventory', memberId, search, cursor],
    queryFn: () =>
      api.get<InventoryList>(`${member(memberId)}/inventory`, {
        ...search,
        cursor,
        limit: INVENTORY_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useSaveInventoryItem(memberId: string) {
  const invalidate = useInvalidateCyber();
  return useMutation({
    meta: { success: (_: unknown, v: { id?: string }) => (v.id ? 'Élément enregistré.' : 'Élément ajouté.') },
    mutationFn: ({ id, body }: { id?: string; body: InventoryItemInput | InventoryItemPatch }) =>
      id
        ? api.patch<InventoryItem>(`${member(memberId)}/inventory/${id}`, body)
        : api.post<InventoryItem>(`${member(memberId)}/inventory`, body),
    onSuccess: invalidate,
  });
}

export function useDeleteInventoryItem(memberId: string) {
  const invalidate = useInvalidateCyber();
  return useMutation({
    meta: { success: 'Élément retiré de l’inventaire.' },
    mutationFn: (id: string) => api.delete<void>(`${member(memberId)}/inventory/${id}`),
    onSuccess: invalidate,
  });
}

export type ImportMode = 'append' | 'replace';

/** The CSV import: a dry run first (nothing written), then the same file for real. */
export function useInventoryImport(memberId: string, dryRun: boolean) {
  const invalidate = useInvalidateCyber();
  return useMutation({
    mutationFn: ({ file, mode }: { file: File; mode: ImportMode }) => {
      const form = new FormData();
      form.append('file', file);
      return api.post<InventoryImportReport>(`${member(memberId)}/inventory/import`, form, {
        dryRun: dryRun ? 'true' : 'false',
        mode,
      });
    },
    onSuccess: dryRun ? undefined : invalidate,
  });
}

export const inventoryExportUrl = (memberId: string, format: 'csv' | 'xlsx') =>
  `${member(memberId)}/inventory.${format}`;

// Profile -----------------------------------------------------------------------------------------

export function useCyberProfile(memberId: string) {
  return useQuery({
    queryKey: ['cyber', 'profile', memberId],
    queryFn: () => api.get<CyberProfile>(`${member(memberId)}/cyber-profile`),
  });
}

export function useSaveCyberProfile(memberId: string) {
  const invalidate = useInvalidateCyber();
  return useMutation({
    meta: { success: 'Profil de sécurité enregistré.' },
    mutationFn: (body: CyberProfileInput) => api.put<CyberProfile>(`${member(memberId)}/cyber-profile`, body),
    onSuccess: invalidate,
  });
}

// Diagnostics -------------------------------------------------------------------------------------

export function useQuestionnaire() {
  return useQuery({
    queryKey: ['cyber', 'questionnaire'],
    queryFn: () => api.get<DiagnosticQuestionnaire>('/api/v1/cyber/questionnaire'),
    staleTime: 30 * 60_000,
  });
}

export function useDiagnostics(memberId: string) {
  return useQuery({
    queryKey: ['cyber', 'diagnostics', memberId],
    queryFn: () => api.get<Page<DiagnosticSummary>>(`${member(memberId)}/diagnostics`, { limit: 50 }),
  });
}

export function useDiagnostic(memberId: string, diagnosticId: string) {
  return useQuery({
    queryKey: ['cyber', 'diagnostic', memberId, diagnosticId],
    queryFn: () => api.get<Diagnostic>(`${member(memberId)}/diagnostics/${diagnosticId}`),
  });
}

export function useCreateDiagnostic(memberId: string) {
  const invalidate = useInvalidateCyber();
  return useMutation({
    meta: { success: 'Diagnostic enregistré : voici vos résultats.' },
    mutationFn: (body: DiagnosticInput) => api.post<Diagnostic>(`${member(memberId)}/diagnostics`, body),
    onSuccess: invalidate,
  });
}

// Advisories --------------------------------------------------------------------------------------

export interface AdvisorySearch {
  severity?: string;
  q?: string;
}

export function useAdvisories(search: AdvisorySearch, cursor: string | undefined) {
  return useQuery({
    queryKey: ['cyber', 'advisories', search, cursor],
    queryFn: () =>
      api.get<Page<AdvisorySummary>>('/api/v1/cyber/advisories', {
        ...search,
        cursor,
        limit: ADVISORIES_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useAdvisory(advisoryId: string) {
  return useQuery({
    queryKey: ['cyber', 'advisory', advisoryId],
    queryFn: () => api.get<AdvisoryDetail>(`/api/v1/cyber/advisories/${advisoryId}`),
  });
}

export type ExposureAnswer = Page<ExposureItem> & {
  counts: { affected: number; remediated: number; overdue: number };
};

export function useExposure(advisoryId: string, state: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['cyber', 'exposure', advisoryId, state, cursor],
    queryFn: () =>
      api.get<ExposureAnswer>(`/api/v1/cyber/advisories/${advisoryId}/exposure`, {
        state,
        cursor,
        limit: EXPOSURE_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

export interface AdvisoryCreated {
  id: string;
  affectedMembers: number;
}

/** A CSAF 2.0 document (already parsed from the file or the pasted text) sent as the body. */
export function useImportCsaf() {
  const invalidate = useInvalidateCyber();
  return useMutation({
    mutationFn: (document: unknown) => api.post<AdvisoryCreated>('/api/v1/cyber/advisories', document),
    onSuccess: invalidate,
  });
}

export function useCreateManualAdvisory() {
  const invalidate = useInvalidateCyber();
  return useMutation({
    mutationFn: (body: ManualAdvisoryInput) =>
      api.post<AdvisoryCreated>('/api/v1/cyber/advisories/manual', body),
    onSuccess: invalidate,
  });
}

export function useMemberAdvisories(memberId: string, state: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['cyber', 'member-advisories', memberId, state, cursor],
    queryFn: () =>
      api.get<Page<MemberAdvisory>>(`${member(memberId)}/advisories`, {
        state,
        cursor,
        limit: ADVISORIES_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useMemberAdvisory(memberId: string, advisoryId: string) {
  return useQuery({
    queryKey: ['cyber', 'member-advisory', memberId, advisoryId],
    queryFn: () => api.get<MemberAdvisoryDetail>(`${member(memberId)}/advisories/${advisoryId}`),
  });
}

export function useUpdateRemediation(memberId: string) {
  const invalidate = useInvalidateCyber();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: RemediationPatch }) =>
      api.patch<Remediation>(`${member(memberId)}/remediations/${id}`, body),
    onSuccess: invalidate,
  });
}

// Incidents ---------------------------------------------------------------------------------------

export function useIncidents(memberId: string, status: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['cyber', 'incidents', memberId, status, cursor],
    queryFn: () =>
      api.get<Page<IncidentSummary>>(`${member(memberId)}/incidents`, {
        status,
        cursor,
        limit: INCIDENTS_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

/**
 * The incident an RGPD breach was opened by, if any, for the breach's page to point back to it; an
 * answer refused (someone without the cyber rights) simply shows no link.
 */
export function useIncidentOfBreach(memberId: string, breachId: string) {
  return useQuery({
    queryKey: ['cyber', 'incident-of-breach', memberId, breachId],
    queryFn: () => api.get<Page<IncidentSummary>>(`${member(memberId)}/incidents`, { breachId, limit: 1 }),
    select: (page) => page.items.find((i) => i.breachId === breachId) ?? null,
    retry: false,
    staleTime: 5 * 60_000,
  });
}

export function useIncident(memberId: string, incidentId: string) {
  return useQuery({
    queryKey: ['cyber', 'incident', memberId, incidentId],
    queryFn: () => api.get<Incident>(`${member(memberId)}/incidents/${incidentId}`),
  });
}

export interface IncidentCreated {
  id: string;
  deadlines: { earlyWarning: string; notification: string; finalReport: string } | null;
  breachId: string | null;
}

export function useDeclareIncident(memberId: string) {
  const invalidate = useInvalidateCyber();
  return useMutation({
    meta: { success: 'Incident déclaré.' },
    mutationFn: (body: IncidentInput) => api.post<IncidentCreated>(`${member(memberId)}/incidents`, body),
    onSuccess: invalidate,
  });
}

export function usePatchIncident(memberId: string, incidentId: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateCyber();
  return useMutation({
    meta: { success: 'Incident mis à jour.' },
    mutationFn: (body: IncidentPatch) =>
      api.patch<Incident>(`${member(memberId)}/incidents/${incidentId}`, body),
    onSuccess: (incident) => {
      client.setQueryData(['cyber', 'incident', memberId, incidentId], incident);
      invalidate();
    },
  });
}

export function useAddTimelineEntry(memberId: string, incidentId: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateCyber();
  return useMutation({
    meta: { success: 'Action ajoutée à la chronologie.' },
    mutationFn: (body: { at: string; text: string }) =>
      api.post<Incident>(`${member(memberId)}/incidents/${incidentId}/timeline`, body),
    onSuccess: (incident) => {
      client.setQueryData(['cyber', 'incident', memberId, incidentId], incident);
      invalidate();
    },
  });
}

// Operator ----------------------------------------------------------------------------------------

export function useCyberSettings() {
  return useQuery({
    queryKey: ['cyber', 'settings'],
    queryFn: () => api.get<CyberSettings>('/api/v1/cyber/settings'),
  });
}

export function useSaveCyberSettings() {
  const invalidate = useInvalidateCyber();
  return useMutation({
    meta: { success: 'Délais de traitement enregistrés.' },
    mutationFn: (body: CyberSettings) => api.put<CyberSettings>('/api/v1/cyber/settings', body),
    onSuccess: invalidate,
  });
}

/** The operator-run catalogue services and the software each brings to its subscribers' inventories. */
export function useServiceSoftware() {
  return useQuery({
    queryKey: ['cyber', 'services'],
    queryFn: () => api.get<{ items: ServiceSoftware[] }>('/api/v1/cyber/services'),
  });
}

export function useSaveServiceSoftware(serviceId: string) {
  const invalidate = useInvalidateCyber();
  return useMutation({
    meta: { success: 'Logiciels du service enregistrés : les inventaires des abonnés suivent.' },
    mutationFn: (items: ServiceSoftwareInput[]) =>
      api.put<ServiceSoftware>(`/api/v1/cyber/services/${serviceId}/software`, { items }),
    onSuccess: invalidate,
  });
}

export function useCyberDashboard() {
  return useQuery({
    queryKey: ['cyber', 'dashboard'],
    queryFn: () => api.get<CyberDashboard>('/api/v1/cyber/dashboard'),
  });
}

export interface CyberMemberSearch {
  maturity?: string;
  q?: string;
}

export function useCyberMembers(search: CyberMemberSearch, cursor: string | undefined) {
  return useQuery({
    queryKey: ['cyber', 'members', search, cursor],
    queryFn: () =>
      api.get<Page<CyberMemberRow>>('/api/v1/cyber/members', {
        ...search,
        cursor,
        limit: CYBER_MEMBERS_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useAllIncidents(status: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['cyber', 'all-incidents', status, cursor],
    queryFn: () =>
      api.get<Page<IncidentSummary>>('/api/v1/cyber/incidents', {
        status,
        cursor,
        limit: INCIDENTS_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}
