import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AgentMessageInput,
  Article,
  ArticleSummary,
  Registration,
  RegistrationInput,
  Ticket,
  TicketCreated,
  TicketInput,
  TicketQueue,
  TicketSummary,
  TrainingSession,
} from '../../../contracts/support.js';
import { api, type Page } from '../../app/api.js';

export type { Article, ArticleSummary, Registration, Ticket, TicketSummary, TrainingSession };

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
