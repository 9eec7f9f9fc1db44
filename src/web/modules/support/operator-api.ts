import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Article,
  ArticleUpdate,
  TrainingSession,
  TrainingSessionUpdate,
} from '../../../contracts/support.js';
import type {
  AttendanceInput,
  MemberTraining,
  PublicSurvey,
  ServiceLevel,
  ServiceLevelInput,
  SessionRegistrationList,
  SurveyAnswer,
  SurveyResults,
  TrainingReport,
  TrainingReportPart,
} from '../../../contracts/support-training.js';
import { api, type Page, withQuery } from '../../app/api.js';
import { createdOrSaved } from '../../ui/index.js';

/**
 * The calls of the training follow-up (attendance, surveys, certificates, reports) and of the support
 * team's editing pages (sessions, articles, service levels). Answers are cached under ['support', …]
 * like the rest of the module, so a write refreshes them all.
 */

export type {
  MemberTraining,
  PublicSurvey,
  ServiceLevel,
  SessionRegistrationList,
  SurveyResults,
  TrainingReport,
};

export const OPERATOR_TRAININGS_PAGE_SIZE = 50;

function useInvalidateSupport() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['support'] });
  };
}

export function useOperatorSessions(period: 'upcoming' | 'past', cursor: string | undefined) {
  return useQuery({
    queryKey: ['support', 'operator-trainings', period, cursor],
    queryFn: () =>
      api.get<Page<TrainingSession>>('/api/v1/trainings/sessions', {
        period,
        cursor,
        limit: OPERATOR_TRAININGS_PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useSaveSession() {
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: createdOrSaved('Session programmée.', 'Session enregistrée.') },
    // The forms always send serviceId (null: none), which a PUT requires (a new session takes it too).
    mutationFn: ({ id, body }: { id?: string; body: TrainingSessionUpdate }) =>
      id
        ? api.put<TrainingSession>(`/api/v1/trainings/sessions/${id}`, body)
        : api.post<TrainingSession>('/api/v1/trainings/sessions', body),
    onSuccess: invalidate,
  });
}

export function useSessionRegistrations(sessionId: string) {
  return useQuery({
    queryKey: ['support', 'session-registrations', sessionId],
    queryFn: () => api.get<SessionRegistrationList>(`/api/v1/trainings/sessions/${sessionId}/registrations`),
  });
}

export function useRecordAttendance(sessionId: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: 'Présences enregistrées : les présents reçoivent questionnaire et attestation.' },
    mutationFn: (body: AttendanceInput) =>
      api.put<SessionRegistrationList>(`/api/v1/trainings/sessions/${sessionId}/attendance`, body),
    onSuccess: (list) => {
      client.setQueryData(['support', 'session-registrations', sessionId], list);
      invalidate();
    },
  });
}

export function useSurveyResults(sessionId: string) {
  return useQuery({
    queryKey: ['support', 'survey-results', sessionId],
    queryFn: () => api.get<SurveyResults>(`/api/v1/trainings/sessions/${sessionId}/survey-results`),
  });
}

export const attendanceSheetUrl = (sessionId: string) =>
  `/api/v1/trainings/sessions/${sessionId}/attendance.pdf`;
export const certificateUrl = (registrationId: string) =>
  `/api/v1/trainings/registrations/${registrationId}/certificate.pdf`;

export function useMemberTrainings(memberId: string) {
  return useQuery({
    queryKey: ['support', 'member-trainings', memberId],
    queryFn: () => api.get<{ items: MemberTraining[] }>(`/api/v1/members/${memberId}/trainings`),
  });
}

// The attendee's link ---------------------------------------------------------------------------------

export function useSurvey(token: string) {
  return useQuery({
    queryKey: ['support', 'survey', token],
    queryFn: () => api.get<PublicSurvey>(`/api/v1/trainings/surveys/${token}`),
    retry: false,
  });
}

export function useAnswerSurvey(token: string) {
  const client = useQueryClient();
  return useMutation({
    meta: { success: 'Merci : votre avis est enregistré.' },
    mutationFn: (body: SurveyAnswer) => api.post<PublicSurvey>(`/api/v1/trainings/surveys/${token}`, body),
    onSuccess: (survey) => client.setQueryData(['support', 'survey', token], survey),
  });
}

export const surveyCertificateUrl = (token: string) => `/api/v1/trainings/surveys/${token}/certificate.pdf`;

// Reports ---------------------------------------------------------------------------------------------

export function useTrainingReport(from: string, to: string) {
  return useQuery({
    queryKey: ['support', 'training-report', from, to],
    queryFn: () => api.get<TrainingReport>('/api/v1/trainings/reports', { from, to }),
    placeholderData: keepPreviousData,
  });
}

export const trainingReportExportUrl = (
  from: string,
  to: string,
  part: TrainingReportPart,
  format: 'csv' | 'xlsx',
) => withQuery('/api/v1/trainings/reports/export', { from, to, part, format });

// Articles and service levels -------------------------------------------------------------------------

export function useSaveArticle() {
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: createdOrSaved('Article publié.', 'Article enregistré.') },
    // serviceId always sent (null: none): a PUT requires it.
    mutationFn: ({ id, body }: { id?: string; body: ArticleUpdate }) =>
      id
        ? api.put<Article>(`/api/v1/support/articles/${id}`, body)
        : api.post<Article>('/api/v1/support/articles', body),
    onSuccess: invalidate,
  });
}

export function useDeleteArticle() {
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: 'Article supprimé.' },
    mutationFn: (id: string) => api.delete<null>(`/api/v1/support/articles/${id}`),
    onSuccess: invalidate,
  });
}

export function useServiceLevels() {
  return useQuery({
    queryKey: ['support', 'service-levels'],
    queryFn: () => api.get<{ items: ServiceLevel[] }>('/api/v1/support/service-levels'),
  });
}

export function useSaveServiceLevels(serviceId: string) {
  const invalidate = useInvalidateSupport();
  return useMutation({
    meta: { success: 'Niveaux de service enregistrés.' },
    mutationFn: (levels: { priority: string; body: ServiceLevelInput }[]) =>
      Promise.all(
        levels.map((l) =>
          api.put<ServiceLevel>(`/api/v1/support/service-levels/${serviceId}/${l.priority}`, l.body),
        ),
      ),
    onSuccess: invalidate,
  });
}
