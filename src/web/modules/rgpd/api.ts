import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { MemberSummary } from '../../../contracts/members.js';
import type {
  ApplyReport,
  designationSchema,
  MemberTarget,
  Processing,
  ProcessingInput,
  ProcessingPatch,
  ProcessingSummary,
  processingVersionSchema,
  processorInputSchema,
  processorSchema,
  publicRegistrySchema,
  registrySuggestionListSchema,
  registrySummarySchema,
  rgpdEditorSchema,
  serviceImpliedSchema,
  TemplateFields,
  templateSchema,
  templateSummarySchema,
  templateUpdateSchema,
} from '../../../contracts/rgpd.js';
import type {
  Breach,
  BreachInput,
  BreachPatch,
  BreachReport,
  breachesToQualifySchema,
  Dashboard,
  DpoRequest,
  DpoRequestItem,
  RightsRequest,
  RightsRequestInput,
  RightsRequestPatch,
} from '../../../contracts/rgpd-cases.js';
import { api, type Page, withQuery } from '../../app/api.js';
import { createdOrSaved } from '../../ui/index.js';

export type ProcessingVersion = z.infer<typeof processingVersionSchema>;
export type TemplateUpdate = z.infer<typeof templateUpdateSchema>;
export type TemplateSummary = z.infer<typeof templateSummarySchema>;
export type Template = z.infer<typeof templateSchema>;
export type Processor = z.infer<typeof processorSchema>;
export type ProcessorInput = z.input<typeof processorInputSchema>;
export type RegistrySummary = z.infer<typeof registrySummarySchema>;
export type Designation = z.infer<typeof designationSchema>;
export type PublicRegistry = z.infer<typeof publicRegistrySchema>;
export type { ApplyReport, Breach, Dashboard, Processing, ProcessingSummary, RightsRequest, TemplateFields };

const member = (memberId: string) => `/api/v1/members/${memberId}`;

/**
 * Every RGPD answer is cached under ['rgpd', …]; a write invalidates the lot (small, fast lists).
 * Not awaited: the caller's own onSuccess must run before the refetch re-renders (or unmounts) it.
 */
function useInvalidateRgpd() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['rgpd'] });
  };
}

// Registry ----------------------------------------------------------------------------------------

export function useProcessings(memberId: string) {
  return useQuery({
    queryKey: ['rgpd', 'processings', memberId],
    queryFn: () => api.get<Page<ProcessingSummary>>(`${member(memberId)}/processings`, { limit: 500 }),
  });
}

export function useRegistrySummary(memberId: string) {
  return useQuery({
    queryKey: ['rgpd', 'summary', memberId],
    queryFn: () => api.get<RegistrySummary>(`${member(memberId)}/rgpd/summary`),
    retry: false,
  });
}

export function useProcessing(memberId: string, processingId: string) {
  return useQuery({
    queryKey: ['rgpd', 'processing', memberId, processingId],
    queryFn: () => api.get<Processing>(`${member(memberId)}/processings/${processingId}`),
  });
}

export function useCreateProcessing(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Traitement créé.' },
    mutationFn: (body: Partial<ProcessingInput>) =>
      api.post<Processing>(`${member(memberId)}/processings`, body),
    onSuccess: invalidate,
  });
}

export function usePatchProcessing(memberId: string, processingId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Traitement enregistré.' },
    mutationFn: (body: ProcessingPatch) =>
      api.patch<Processing>(`${member(memberId)}/processings/${processingId}`, body),
    onSuccess: invalidate,
  });
}

/** The public-page toggle of the registry list: one processing at a time, any row. */
export function usePublishProcessing(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: {
      success: (_data: unknown, input: { isPublic: boolean }) =>
        input.isPublic ? 'Traitement publié.' : 'Traitement retiré du registre public.',
    },
    mutationFn: ({ id, isPublic, version }: { id: string; isPublic: boolean; version: number }) =>
      api.patch<Processing>(`${member(memberId)}/processings/${id}`, { isPublic, version }),
    onSuccess: invalidate,
  });
}

/** The DPO copies one processing into other members' registries; the answer reports each member. */
export function useCopyProcessing(memberId: string, processingId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Copie terminée.' },
    mutationFn: (memberIds: string[]) =>
      api.post<ApplyReport>(`${member(memberId)}/processings/${processingId}/copy`, { memberIds }),
    onSuccess: invalidate,
  });
}

export type CopyTargetSearch = Partial<Record<'q' | 'departement' | 'kind', string>>;
export const COPY_TARGETS_PAGE_SIZE = 50;

/** Members matching the DPO's search, fetched only once a search has been submitted. */
export function useCopyTargets(search: CopyTargetSearch | null) {
  return useQuery({
    queryKey: ['members', 'copy-targets', search],
    queryFn: () =>
      api.get<Page<MemberSummary>>('/api/v1/members', { ...search, limit: COPY_TARGETS_PAGE_SIZE }),
    enabled: search !== null,
    placeholderData: keepPreviousData,
  });
}

export function useVersions(memberId: string, processingId: string) {
  return useQuery({
    queryKey: ['rgpd', 'versions', memberId, processingId],
    queryFn: () =>
      api.get<Page<ProcessingVersion>>(`${member(memberId)}/processings/${processingId}/versions`, {
        limit: 100,
      }),
  });
}

export function useTemplateUpdate(memberId: string, processingId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['rgpd', 'template-update', memberId, processingId],
    queryFn: () => api.get<TemplateUpdate>(`${member(memberId)}/processings/${processingId}/template-update`),
    enabled,
  });
}

export function useDecideTemplateUpdate(memberId: string, processingId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Décision enregistrée.' },
    mutationFn: (body: { accept: string[]; dismiss?: boolean }) =>
      api.post<Processing>(`${member(memberId)}/processings/${processingId}/template-update`, body),
    onSuccess: invalidate,
  });
}

export const registryUrl = (memberId: string, format: 'pdf' | 'csv' | 'xlsx') =>
  `${member(memberId)}/registry.${format}`;

export function useDesignation(memberId: string) {
  return useQuery({
    queryKey: ['rgpd', 'designation', memberId],
    queryFn: () => api.get<Designation>(`${member(memberId)}/rgpd/designation`),
    retry: false,
  });
}

export function useSaveDesignation(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Désignation enregistrée.' },
    mutationFn: (body: { cnilNumber: string | null; designatedOn: string | null; dpoName: string | null }) =>
      api.put<Designation>(`${member(memberId)}/rgpd/designation`, body),
    onSuccess: invalidate,
  });
}

export function usePublicRegistry(memberId: string) {
  return useQuery({
    queryKey: ['rgpd', 'public', memberId],
    queryFn: () => api.get<PublicRegistry>(`/api/v1/public/members/${memberId}/registry`),
  });
}

// Rights requests ---------------------------------------------------------------------------------

export function useRightsRequests(memberId: string) {
  return useQuery({
    queryKey: ['rgpd', 'rights-requests', memberId],
    queryFn: () => api.get<Page<RightsRequest>>(`${member(memberId)}/rights-requests`, { limit: 200 }),
  });
}

export function useSaveRightsRequest(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: createdOrSaved('Demande enregistrée.', 'Demande mise à jour.') },
    mutationFn: ({ id, body }: { id?: string; body: RightsRequestInput | RightsRequestPatch }) =>
      id
        ? api.patch<RightsRequest>(`${member(memberId)}/rights-requests/${id}`, body)
        : api.post<RightsRequest>(`${member(memberId)}/rights-requests`, body),
    onSuccess: invalidate,
  });
}

export function useExtendRightsRequest(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Délai prolongé.' },
    mutationFn: ({ id, months, reason }: { id: string; months: 1 | 2; reason: string }) =>
      api.post<RightsRequest>(`${member(memberId)}/rights-requests/${id}/extension`, { months, reason }),
    onSuccess: invalidate,
  });
}

// Breaches ----------------------------------------------------------------------------------------

export function useBreaches(memberId: string) {
  return useQuery({
    queryKey: ['rgpd', 'breaches', memberId],
    queryFn: () => api.get<Page<Breach>>(`${member(memberId)}/breaches`, { limit: 200 }),
  });
}

export function useSaveBreach(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: createdOrSaved('Violation déclarée.', 'Violation enregistrée.') },
    mutationFn: ({ id, body }: { id?: string; body: BreachInput | BreachPatch }) =>
      id
        ? api.patch<Breach>(`${member(memberId)}/breaches/${id}`, body)
        : api.post<Breach>(`${member(memberId)}/breaches`, body),
    onSuccess: invalidate,
  });
}

/** Any user of the member reports a breach to the mutualised DPO (who then qualifies it). */
export function useReportBreach(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    mutationFn: (body: BreachReport) => api.post<Breach>(`${member(memberId)}/breaches/reports`, body),
    onSuccess: invalidate,
  });
}

/** Any user of the member writes to the mutualised DPO (an empty registry, a question). */
export function useAskDpo(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    mutationFn: (body: DpoRequest) =>
      api.post<{ id: string; notified: number }>(`${member(memberId)}/rgpd/dpo-requests`, body),
    onSuccess: invalidate,
  });
}

/** The member's requests to the DPO still open (answered by mail; the DPO team closes them). */
export function useOwnDpoRequests(memberId: string) {
  return useQuery({
    queryKey: ['rgpd', 'dpo-requests', memberId],
    queryFn: () => api.get<Page<DpoRequestItem>>(`${member(memberId)}/rgpd/dpo-requests`, { limit: 20 }),
  });
}

// Operator: the DPO team's to-do list -------------------------------------------------------------

export type BreachesToQualify = z.infer<typeof breachesToQualifySchema>;

export function useDpoTasks() {
  const requests = useQuery({
    queryKey: ['rgpd', 'tasks', 'requests'],
    queryFn: () => api.get<Page<DpoRequestItem>>('/api/v1/rgpd/dpo-requests', { limit: 50 }),
  });
  const breaches = useQuery({
    queryKey: ['rgpd', 'tasks', 'breaches'],
    queryFn: () => api.get<BreachesToQualify>('/api/v1/rgpd/breaches/to-qualify', { limit: 50 }),
  });
  return { requests, breaches };
}

export function useCloseDpoRequest() {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    mutationFn: (id: string) => api.post<DpoRequestItem>(`/api/v1/rgpd/dpo-requests/${id}/close`),
    onSuccess: invalidate,
    meta: { success: 'Demande classée.' },
  });
}

// Operator: dashboard, templates, processors ------------------------------------------------------

export type DashboardSearch = Partial<Record<'q' | 'departement' | 'kind' | 'sort', string>>;
export const DASHBOARD_PAGE_SIZE = 50;

export function useDashboard(search: DashboardSearch, cursor: string | undefined) {
  return useQuery({
    queryKey: ['rgpd', 'dashboard', search, cursor],
    queryFn: () =>
      api.get<Dashboard>('/api/v1/rgpd/dashboard', { ...search, cursor, limit: DASHBOARD_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
}

export const dashboardExportUrl = (format: 'csv' | 'xlsx', search: DashboardSearch) =>
  withQuery(`/api/v1/rgpd/dashboard.${format}`, search);

export function useTemplates(search: { q?: string; kind?: string }) {
  return useQuery({
    queryKey: ['rgpd', 'templates', search],
    queryFn: () => api.get<Page<TemplateSummary>>('/api/v1/rgpd/templates', search),
    placeholderData: keepPreviousData,
  });
}

export function useTemplate(templateId: string) {
  return useQuery({
    queryKey: ['rgpd', 'template', templateId],
    queryFn: () => api.get<Template>(`/api/v1/rgpd/templates/${templateId}`),
  });
}

export function useSaveTemplate() {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: createdOrSaved('Modèle de traitement créé.', 'Modèle de traitement mis à jour.') },
    mutationFn: ({
      id,
      body,
    }: {
      id?: string;
      body: { code?: string; name: string; applicableKinds: string[]; fields: TemplateFields };
    }) =>
      id
        ? api.patch<Template>(`/api/v1/rgpd/templates/${id}`, body)
        : api.post<Template>('/api/v1/rgpd/templates', body),
    onSuccess: invalidate,
  });
}

export function useApplyTemplate(templateId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Modèle appliqué.' },
    mutationFn: (target: MemberTarget) =>
      api.post<ApplyReport>(`/api/v1/rgpd/templates/${templateId}/apply`, target),
    onSuccess: invalidate,
  });
}

export function useProcessors(q?: string) {
  return useQuery({
    queryKey: ['rgpd', 'processors', q ?? ''],
    queryFn: () => api.get<Page<Processor>>('/api/v1/rgpd/processors', { q }),
    placeholderData: keepPreviousData,
  });
}

export function useSaveProcessor() {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: createdOrSaved('Sous-traitant ajouté.', 'Sous-traitant enregistré.') },
    mutationFn: ({ id, body }: { id?: string; body: ProcessorInput }) =>
      id
        ? api.patch<Processor>(`/api/v1/rgpd/processors/${id}`, body)
        : api.post<Processor>('/api/v1/rgpd/processors', body),
    onSuccess: invalidate,
  });
}

// Catalogue link: templates and processors a service implies --------------------------------------

export type ServiceImplied = z.infer<typeof serviceImpliedSchema>;

export function useServiceImplied(serviceId: string) {
  return useQuery({
    queryKey: ['rgpd', 'service-implied', serviceId],
    queryFn: () => api.get<ServiceImplied>(`/api/v1/rgpd/services/${serviceId}/implied`),
  });
}

export function useSaveServiceImplied(serviceId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Liens RGPD enregistrés.' },
    mutationFn: (body: { templateIds: string[]; processorIds: string[] }) =>
      api.put<ServiceImplied>(`/api/v1/rgpd/services/${serviceId}/implied`, body),
    onSuccess: invalidate,
  });
}

// RGPD editors (the member `rgpd` role) ----------------------------------------------------------

export type RgpdEditor = z.infer<typeof rgpdEditorSchema>;

export function useRgpdEditors(memberId: string) {
  return useQuery({
    queryKey: ['rgpd', 'editors', memberId],
    queryFn: () => api.get<Page<RgpdEditor>>(`${member(memberId)}/rgpd/editors`),
  });
}

export function useSetRgpdEditor(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Droits de rédaction modifiés.' },
    mutationFn: ({ userId, editor }: { userId: string; editor: boolean }) =>
      editor
        ? api.put<unknown>(`${member(memberId)}/rgpd/editors/${userId}`, {})
        : api.delete<void>(`${member(memberId)}/rgpd/editors/${userId}`),
    onSuccess: invalidate,
  });
}

// Templates implied by the member's subscribed services ------------------------------------------

export type RegistrySuggestion = z.infer<typeof registrySuggestionListSchema>['items'][number];

export function useRegistrySuggestions(memberId: string) {
  return useQuery({
    queryKey: ['rgpd', 'suggestions', memberId],
    queryFn: () => api.get<Page<RegistrySuggestion>>(`${member(memberId)}/rgpd/suggestions`),
    retry: false,
  });
}

export function useAdoptTemplate(memberId: string) {
  const invalidate = useInvalidateRgpd();
  return useMutation({
    meta: { success: 'Modèle adopté : traitement créé.' },
    mutationFn: (templateId: string) =>
      api.post<Processing>(`${member(memberId)}/rgpd/suggestions`, { templateId }),
    onSuccess: invalidate,
  });
}
