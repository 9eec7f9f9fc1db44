import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AgentMessageInput,
  Article,
  ArticleSummary,
  LinkCandidates,
  Registration,
  RegistrationInput,
  Ticket,
  TicketAttachment,
  TicketCreated,
  TicketInput,
  TicketLink,
  TicketLinkKind,
  TicketQueue,
  TicketSummary,
  TrainingSession,
} from '../../../contracts/support.js';
import { api, type Page } from '../../app/api.js';

export type {
  Article,
  ArticleSummary,
  Registration,
  Ticket,
  TicketAttachment,
  TicketLink,
  TicketSummary,
  TrainingSession,
};

const member = (memberId: string) => `/api/v1/members/${memberId}`;

export const TICKETS_PAGE_SIZE = 25;
export const QUEUE_PAGE_SIZE = 50;

/** Every support answer is cached under ['support', …]; a write refreshes the lot (small answers). */
function useInvalidateSupport() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['support'] });
  };
}

export function useMemberTickets(
  memberId: string,
  status: string | undefined,
  cursor: string | undefined,
  limit = TICKETS_PAGE_SIZE,
) {
  return useQuery({
    queryKey: ['support', 'member', memberId, status, cursor, limit],
    queryFn: () => api.get<Page<TicketSummary>>(`${member(memberId)}/tickets`, { status, cursor, limit }),
    placeholderData: keepPreviousData,
  });
}

export function useMemberTicket(memberId: string, ticketId: string) {
  return useQuery({
    queryKey: ['support', 'ticket', memberId, ticketId],
    queryFn: () => api.get<Ticket>(`${member(memberId)}/tickets/${ticketId}`),
  });
}

export function useOpenTicket(memberId: string) {
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: 'Demande envoyée.' },
    mutationFn: (body: TicketInput) => api.post<TicketCreated>(`${member(memberId)}/tickets`, body),
    onSuccess: invalidate,
  });
}

/** The member's actions on one ticket: reply, confirm the resolution, reopen. */
export function useMemberTicketAction(
  memberId: string,
  ticketId: string,
  action: 'messages' | 'confirm' | 'reopen',
) {
  const client = useQueryClient();
  const invalidate = useInvalidateSupport();
  const success = {
    messages: 'Message envoyé.',
    confirm: 'Merci, la demande est close.',
    reopen: 'Demande rouverte.',
  };
  return useMutation({
    meta: { success: success[action] },
    mutationFn: (body: Record<string, unknown>) =>
      api.post<Ticket>(`${member(memberId)}/tickets/${ticketId}/${action}`, body),
    onSuccess: (ticket) => {
      client.setQueryData(['support', 'ticket', memberId, ticketId], ticket);
      invalidate();
    },
  });
}

export interface QueueFilters {
  status?: string;
  priority?: string;
  sort?: string;
  assigneeId?: string;
  unassigned?: string;
  breached?: string;
}

export function useQueue(filters: QueueFilters, cursor: string | undefined) {
  return useQuery({
    queryKey: ['support', 'queue', filters, cursor],
    queryFn: () =>
      api.get<TicketQueue>('/api/v1/support/tickets', { ...filters, cursor, limit: QUEUE_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
}

export function useTeamTicket(ticketId: string) {
  return useQuery({
    queryKey: ['support', 'team-ticket', ticketId],
    queryFn: () => api.get<Ticket>(`/api/v1/support/tickets/${ticketId}`),
  });
}

function useTeamAction<B>(ticketId: string, path: string, success: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success },
    mutationFn: (body: B) => api.post<Ticket>(`/api/v1/support/tickets/${ticketId}/${path}`, body),
    onSuccess: (ticket) => {
      client.setQueryData(['support', 'team-ticket', ticketId], ticket);
      invalidate();
    },
  });
}

export const useAgentMessage = (ticketId: string) =>
  useTeamAction<AgentMessageInput>(ticketId, 'messages', 'Message enregistré.');
export const useAssign = (ticketId: string) =>
  useTeamAction<{ assigneeId: string | null }>(ticketId, 'assign', 'Attribution enregistrée.');
export const useResolve = (ticketId: string) =>
  useTeamAction<{ resolution: string }>(ticketId, 'resolve', 'Ticket résolu : la structure est prévenue.');

// Desk: attachments, merges, incident links -----------------------------------------------------------

/** Where a ticket's file is downloaded: the member's path, or the team's (internal notes' files too). */
export function attachmentUrl(ticket: Ticket, attachmentId: string, asOperator: boolean) {
  return asOperator
    ? `/api/v1/support/tickets/${ticket.id}/attachments/${attachmentId}`
    : `${member(ticket.memberId)}/tickets/${ticket.id}/attachments/${attachmentId}`;
}

/** The chosen files of a form's `file` input (an empty input sends one empty part: left out). */
export function chosenFiles(data: FormData): File[] {
  return data.getAll('file').filter((f): f is File => f instanceof File && f.size > 0 && f.name !== '');
}

/** Opens a ticket with files: one multipart sending, one transaction on the server. */
export function useOpenTicketWithFiles(memberId: string) {
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: 'Demande envoyée avec ses pièces jointes.' },
    mutationFn: (form: FormData) =>
      api.post<TicketCreated>(`${member(memberId)}/tickets/with-attachments`, form),
    onSuccess: invalidate,
  });
}

/** The member's reply with files (or files alone). */
export function useMemberFiles(memberId: string, ticketId: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: 'Message et pièces jointes envoyés.' },
    mutationFn: (form: FormData) =>
      api.post<Ticket>(`${member(memberId)}/tickets/${ticketId}/attachments`, form),
    onSuccess: (ticket) => {
      client.setQueryData(['support', 'ticket', memberId, ticketId], ticket);
      invalidate();
    },
  });
}

export const useAgentFiles = (ticketId: string) =>
  useTeamAction<FormData>(ticketId, 'attachments', 'Message et pièces jointes enregistrés.');
/** Merges the ticket into another; the answer is the ticket kept (the page goes there). */
export function useMerge(ticketId: string) {
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: 'Tickets fusionnés.' },
    mutationFn: (body: { intoTicketId: string }) =>
      api.post<Ticket>(`/api/v1/support/tickets/${ticketId}/merge`, body),
    onSuccess: invalidate,
  });
}
export const useLinkIncident = (ticketId: string) =>
  useTeamAction<{ kind: TicketLinkKind; incidentId: string }>(ticketId, 'links', 'Incident lié au ticket.');

export function useUnlinkIncident(ticketId: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: 'Lien retiré.' },
    mutationFn: (linkId: string) => api.delete<Ticket>(`/api/v1/support/tickets/${ticketId}/links/${linkId}`),
    onSuccess: (ticket) => {
      client.setQueryData(['support', 'team-ticket', ticketId], ticket);
      invalidate();
    },
  });
}

export function useLinkCandidates(ticketId: string) {
  return useQuery({
    queryKey: ['support', 'link-candidates', ticketId],
    queryFn: () => api.get<LinkCandidates>(`/api/v1/support/tickets/${ticketId}/link-candidates`),
  });
}

/** The member's other active tickets: the ones a duplicate may be merged into. */
export function useMergeTargets(memberId: string) {
  return useQuery({
    queryKey: ['support', 'merge-targets', memberId],
    queryFn: () =>
      api.get<TicketQueue>('/api/v1/support/tickets', {
        memberId,
        status: 'active',
        sort: 'recent',
        limit: 100,
      }),
  });
}

// Training ----------------------------------------------------------------------------------------

export const TRAININGS_PAGE_SIZE = 50;

export function useTrainingSessions(departement: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['support', 'trainings', departement, cursor],
    queryFn: () =>
      api.get<Page<TrainingSession>>('/api/v1/trainings/sessions', {
        departement,
        cursor,
        limit: TRAININGS_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useTrainingSession(sessionId: string) {
  return useQuery({
    queryKey: ['support', 'training', sessionId],
    queryFn: () => api.get<TrainingSession>(`/api/v1/trainings/sessions/${sessionId}`),
  });
}

export function useRegister(sessionId: string) {
  const invalidate = useInvalidateSupport();
  return useMutation({
    mutationFn: (body: RegistrationInput) =>
      api.post<Registration>(`/api/v1/trainings/sessions/${sessionId}/registrations`, body),
    onSuccess: invalidate,
  });
}

// Knowledge base ----------------------------------------------------------------------------------

export function useArticles(q: string, cursor?: string, limit = 50) {
  return useQuery({
    queryKey: ['support', 'articles', q, cursor, limit],
    queryFn: () =>
      api.get<Page<ArticleSummary>>('/api/v1/support/articles', { q: q || undefined, cursor, limit }),
    placeholderData: keepPreviousData,
  });
}

export function useArticle(articleId: string) {
  return useQuery({
    queryKey: ['support', 'article', articleId],
    queryFn: () => api.get<Article>(`/api/v1/support/articles/${articleId}`),
  });
}

export function useArticleFeedback(articleId: string) {
  return useMutation({
    meta: { success: 'Merci pour votre réponse.' },
    mutationFn: (helpful: boolean) =>
      api.post<{ helpfulYes: number; helpfulNo: number }>(`/api/v1/support/articles/${articleId}/feedback`, {
        helpful,
      }),
  });
}
