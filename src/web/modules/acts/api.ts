import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  Act,
  ActBulkTransmitReport,
  ActDetail,
  ActDocument,
  ActDocumentRole,
  ActInput,
  ActPatch,
  ActStatus,
  Classification,
  PublicAct,
  transmissionItemSchema,
  transmissionVolumesSchema,
} from '../../../contracts/acts.js';
import type { MemberDetail } from '../../../contracts/members.js';
import { api, type Page, withQuery } from '../../app/api.js';

export type TransmissionItem = z.infer<typeof transmissionItemSchema>;
export type TransmissionVolumes = z.infer<typeof transmissionVolumesSchema>;
export type { Act, ActBulkTransmitReport, ActDetail, ActDocument, Classification, PublicAct };

const member = (memberId: string) => `/api/v1/members/${memberId}`;
const actPath = (memberId: string, actId: string) => `${member(memberId)}/acts/${actId}`;

export const ACTS_PAGE_SIZE = 25;
export const PUBLIC_ACTS_PAGE_SIZE = 20;
export const TRANSMISSIONS_PAGE_SIZE = 50;
/** While an act is with the tiers de télétransmission, its page asks for news this often. */
export const TRANSMITTING_REFRESH_MS = 2_000;

/** The register's filters, as the API names them. */
export interface ActSearch {
  status?: string;
  nature?: string;
  classification?: string;
  from?: string;
  to?: string;
  q?: string;
}

/** Every acts answer is cached under ['acts', …]; a write refreshes the lot (small answers). */
function useInvalidateActs() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['acts'] });
  };
}

// The register ------------------------------------------------------------------------------------

export function useActs(memberId: string, search: ActSearch, cursor: string | undefined) {
  return useQuery({
    queryKey: ['acts', 'list', memberId, search, cursor],
    queryFn: () =>
      api.get<Page<Act>>(`${member(memberId)}/acts`, { ...search, cursor, limit: ACTS_PAGE_SIZE }),
    placeholderData: keepPreviousData,
    // A listed act on its way to the prefecture: the list follows it as its page does.
    refetchInterval: (query) =>
      query.state.data?.items.some((a) => a.status === 'transmitting') ? TRANSMITTING_REFRESH_MS * 2 : false,
  });
}

/** Combobox search (the act an act corrects): the member's acts whose subject or number match. */
export function searchActs(memberId: string) {
  return async (text: string) => {
    const page = await api.get<Page<Act>>(`${member(memberId)}/acts`, { q: text, limit: 20 });
    return page.items.map((a) => ({ id: a.id, label: `${a.number} — ${a.subject.slice(0, 80)}` }));
  };
}

export function useAct(memberId: string, actId: string) {
  return useQuery({
    queryKey: ['acts', 'detail', memberId, actId],
    queryFn: () => api.get<ActDetail>(actPath(memberId, actId)),
    refetchInterval: (query) =>
      query.state.data?.status === 'transmitting' ? TRANSMITTING_REFRESH_MS : false,
  });
}

export function useClassification(memberId: string) {
  return useQuery({
    queryKey: ['acts', 'classification', memberId],
    queryFn: () => api.get<Classification>(`${member(memberId)}/acts/classification`),
    staleTime: 10 * 60_000,
  });
}

export function useRefreshClassification(memberId: string) {
  const invalidate = useInvalidateActs();
  return useMutation({
    mutationFn: () => api.post<Classification>(`${member(memberId)}/acts/classification/refresh`),
    onSuccess: invalidate,
  });
}

export function useCreateAct(memberId: string) {
  const invalidate = useInvalidateActs();
  return useMutation({
    mutationFn: (body: ActInput) =>
      api.post<{ id: string; status: ActStatus }>(`${member(memberId)}/acts`, body),
    onSuccess: invalidate,
  });
}

export function usePatchAct(memberId: string, actId: string) {
  const invalidate = useInvalidateActs();
  return useMutation({
    mutationFn: (body: ActPatch) => api.patch<ActDetail>(actPath(memberId, actId), body),
    onSuccess: invalidate,
  });
}

export function useUploadActDocument(memberId: string, actId: string) {
  const invalidate = useInvalidateActs();
  return useMutation({
    mutationFn: ({ role, file }: { role: ActDocumentRole; file: File }) => {
      const form = new FormData();
      // The role first: the server reads the fields that precede the file.
      form.append('role', role);
      form.append('file', file);
      return api.post<ActDocument>(`${actPath(memberId, actId)}/documents`, form);
    },
    onSuccess: invalidate,
  });
}

export type ActTransition = 'ready' | 'transmit' | 'publish' | 'cancel' | 'retry';

/** « Prêt à transmettre », « Transmettre », « Publier », « Annuler » and the operator's « Relancer ». */
export function useActTransition(memberId: string, actId: string, transition: ActTransition) {
  const client = useQueryClient();
  const invalidate = useInvalidateActs();
  return useMutation({
    mutationFn: () => api.post<ActDetail>(`${actPath(memberId, actId)}/${transition}`),
    onSuccess: (detail) => {
      client.setQueryData(['acts', 'detail', memberId, actId], detail);
      invalidate();
    },
  });
}

/** « Transmettre la sélection »: several ready acts sent at once, the answer saying what became of each. */
export function useTransmitActs(memberId: string) {
  const invalidate = useInvalidateActs();
  return useMutation({
    mutationFn: (actIds: string[]) =>
      api.post<ActBulkTransmitReport>(`${member(memberId)}/acts/transmissions`, { actIds }),
    onSuccess: invalidate,
  });
}

export function useAnswerMessage(memberId: string, actId: string, messageId: string) {
  const invalidate = useInvalidateActs();
  return useMutation({
    mutationFn: (files: File[]) => {
      const form = new FormData();
      for (const file of files) form.append('file', file);
      return api.post<ActDetail>(`${actPath(memberId, actId)}/messages/${messageId}/answer`, form);
    },
    onSuccess: invalidate,
  });
}

export const actDocumentUrl = (memberId: string, actId: string, documentId: string) =>
  `${actPath(memberId, actId)}/documents/${documentId}`;

export const deliberationsListUrl = (memberId: string, sessionOn: string) =>
  `${member(memberId)}/acts/sessions/${sessionOn}/deliberations.pdf`;

// Public portal -----------------------------------------------------------------------------------

export type PublicActSearch = Omit<ActSearch, 'status'>;

export const publicActsPath = (memberId: string) => `/api/v1/public/members/${memberId}/acts`;
export const publicCsvUrl = (memberId: string) => `/api/v1/public/members/${memberId}/acts.csv`;
export const publicActDocumentUrl = (memberId: string, actId: string) =>
  `/api/v1/public/members/${memberId}/acts/${actId}/document`;
/** The JSON feed a member's website may read: the same list as the portal, with the same filters. */
export const publicFeedUrl = (memberId: string, search: PublicActSearch = {}) =>
  withQuery(publicActsPath(memberId), { ...search });

export function usePublicActs(memberId: string, search: PublicActSearch, cursor: string | undefined) {
  return useQuery({
    queryKey: ['acts', 'public', memberId, search, cursor],
    queryFn: () =>
      api.get<Page<PublicAct>>(publicActsPath(memberId), {
        ...search,
        cursor,
        limit: PUBLIC_ACTS_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

/** The member's public fields (name, kind) for the portal's title. */
export function usePublicMember(memberId: string) {
  return useQuery({
    queryKey: ['members', 'detail', memberId],
    queryFn: () => api.get<MemberDetail>(`/api/v1/members/${memberId}`),
  });
}

// Operator (scope demat) --------------------------------------------------------------------------

export interface TransmissionSearch {
  status?: string;
  memberId?: string;
}

export function useTransmissions(search: TransmissionSearch, cursor: string | undefined) {
  return useQuery({
    queryKey: ['acts', 'transmissions', search, cursor],
    queryFn: () =>
      api.get<Page<TransmissionItem>>('/api/v1/acts/transmissions', {
        ...search,
        cursor,
        limit: TRANSMISSIONS_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.items.some((a) => a.status === 'transmitting') ? TRANSMITTING_REFRESH_MS * 5 : false,
  });
}

export function useTransmissionVolumes() {
  return useQuery({
    queryKey: ['acts', 'volumes'],
    queryFn: () => api.get<TransmissionVolumes>('/api/v1/acts/volumes'),
  });
}

/** The operator's « Relancer » on a failed transmission, any member's. */
export function useRetryTransmission() {
  const invalidate = useInvalidateActs();
  return useMutation({
    mutationFn: ({ memberId, actId }: { memberId: string; actId: string }) =>
      api.post<ActDetail>(`${actPath(memberId, actId)}/retry`),
    onSuccess: invalidate,
  });
}
