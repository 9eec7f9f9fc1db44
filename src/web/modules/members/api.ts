import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Contact,
  ContactInput,
  MemberDetail,
  MemberDocument,
  MemberFilters,
  MemberStats,
  MemberSummary,
  MembershipEvent,
  TransitionInput,
} from '../../../contracts/members.js';
import type { MemberImportReport } from '../../../contracts/members-import.js';
import { api, type Page, withQuery } from '../../app/api.js';
import { createdOrSaved } from '../../ui/index.js';

export type MemberSearch = Partial<Record<'q' | 'kind' | 'departement' | 'status' | 'sort', string>>;

export const PAGE_SIZE = 50;

/** Lists may answer a bare array or `{items}`; the pages only need the items. */
const itemsOf = <T>(value: T[] | { items: T[] }): T[] => (Array.isArray(value) ? value : value.items);

export function useMembers(search: MemberSearch, cursor: string | undefined, limit = PAGE_SIZE) {
  return useQuery({
    queryKey: ['members', 'list', search, cursor, limit],
    queryFn: () => api.get<Page<MemberSummary>>('/api/v1/members', { ...search, cursor, limit }),
    placeholderData: keepPreviousData,
  });
}

export function useMemberStats() {
  return useQuery({
    queryKey: ['members', 'stats'],
    queryFn: () => api.get<MemberStats>('/api/v1/members/stats'),
  });
}

/** Combobox search (SearchComboBox): the first 20 members whose name matches, with their département. */
export async function searchMembers(text: string) {
  const page = await api.get<Page<MemberSummary>>('/api/v1/members', { q: text, limit: 20 });
  return page.items.map((m) => ({
    id: m.id,
    label: `${m.name}${m.departementCode ? ` (${m.departementCode})` : ''}`,
  }));
}

export function exportUrl(format: 'csv' | 'xlsx', search: MemberSearch): string {
  return withQuery(`/api/v1/members/export.${format}`, search);
}

export function useMember(memberId: string | undefined) {
  return useQuery({
    queryKey: ['members', 'detail', memberId],
    queryFn: () => api.get<MemberDetail>(`/api/v1/members/${memberId}`),
    enabled: !!memberId,
  });
}

export function useContacts(memberId: string) {
  return useQuery({
    queryKey: ['members', 'contacts', memberId],
    queryFn: async () =>
      itemsOf(await api.get<Contact[] | Page<Contact>>(`/api/v1/members/${memberId}/contacts`)),
  });
}

export function useDocuments(memberId: string) {
  return useQuery({
    queryKey: ['members', 'documents', memberId],
    queryFn: async () =>
      itemsOf(
        await api.get<MemberDocument[] | Page<MemberDocument>>(`/api/v1/members/${memberId}/documents`),
      ),
  });
}

export const documentUrl = (memberId: string, documentId: string) =>
  `/api/v1/members/${memberId}/documents/${documentId}`;

export function useHistory(memberId: string) {
  return useQuery({
    queryKey: ['members', 'history', memberId],
    queryFn: async () =>
      itemsOf(
        await api.get<MembershipEvent[] | Page<MembershipEvent>>(`/api/v1/members/${memberId}/history`),
      ),
  });
}

/** After any write on a member, everything cached about members may be stale. */
function useInvalidateMembers() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['members'] });
}

export function useCreateMember() {
  const invalidate = useInvalidateMembers();
  return useMutation({
    meta: { success: (member: MemberDetail) => `Structure « ${member.name} » créée.` },
    mutationFn: (body: Record<string, unknown>) => api.post<MemberDetail>('/api/v1/members', body),
    onSuccess: invalidate,
  });
}

export function usePatchMember(memberId: string) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    meta: { success: 'Modifications enregistrées.' },
    mutationFn: (body: Record<string, unknown>) =>
      api.patch<MemberDetail>(`/api/v1/members/${memberId}`, body),
    onSuccess: invalidate,
  });
}

export function useSaveContact(memberId: string) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    meta: { success: createdOrSaved('Contact ajouté.', 'Contact enregistré.') },
    mutationFn: ({ id, body }: { id?: string; body: ContactInput }) =>
      id
        ? api.patch<Contact>(`/api/v1/members/${memberId}/contacts/${id}`, body)
        : api.post<Contact>(`/api/v1/members/${memberId}/contacts`, body),
    onSuccess: invalidate,
  });
}

export function useDeleteContact(memberId: string) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    meta: { success: 'Contact supprimé.' },
    mutationFn: (id: string) => api.delete<void>(`/api/v1/members/${memberId}/contacts/${id}`),
    onSuccess: invalidate,
  });
}

export function useUploadDocument(memberId: string) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    meta: { success: 'Document déposé.' },
    mutationFn: (form: FormData) => api.post<MemberDocument>(`/api/v1/members/${memberId}/documents`, form),
    onSuccess: invalidate,
  });
}

export function useTransition(memberId: string) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    meta: { success: 'Adhésion mise à jour.' },
    mutationFn: (body: TransitionInput) =>
      api.post<MemberDetail>(`/api/v1/members/${memberId}/transitions`, body),
    onSuccess: invalidate,
  });
}

function fileForm(file: File) {
  const form = new FormData();
  form.append('file', file);
  return form;
}

/** The CSV import: first checked (dry run, nothing written), then committed in one go. */
export function useImportCheck(onSettled?: () => void) {
  return useMutation({
    mutationFn: (f: File) =>
      api.post<MemberImportReport>('/api/v1/members/import', fileForm(f), { dryRun: 'true' }),
    onSettled,
  });
}

export function useImportCommit(onSettled?: () => void) {
  const invalidate = useInvalidateMembers();
  return useMutation({
    meta: { success: 'Import enregistré.' },
    mutationFn: (f: File) =>
      api.post<{ dryRun: false; created: number }>('/api/v1/members/import', fileForm(f), {
        dryRun: 'false',
      }),
    onSuccess: invalidate,
    onSettled,
  });
}

export type { MemberFilters };
