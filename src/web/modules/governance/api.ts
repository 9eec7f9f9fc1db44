import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type {
  AssemblyDetail,
  AssemblyInput,
  AssemblySummary,
  AttendanceInput,
  convocationsSentSchema,
  DelegateDesignation,
  delegateDesignationResultSchema,
  ItemDocument,
  OfficialSpace,
  OperatorOverview,
  PublicConvocation,
  PublishedDeliberations,
  Quorum,
  SeatInput,
  SessionClosed,
  SessionDetail,
  SessionInput,
  SessionLive,
  SessionSummary,
  sessionCreatedSchema,
  VoteInput,
  VoteOutcome,
} from '../../../contracts/governance.js';
import type { MemberSummary } from '../../../contracts/members.js';
import { api, type Page } from '../../app/api.js';

export type {
  AssemblyDetail,
  AssemblySummary,
  ItemDocument,
  OfficialSpace,
  OperatorOverview,
  PublicConvocation,
  PublishedDeliberations,
  Quorum,
  SessionDetail,
  SessionSummary,
};
export type SessionCreated = z.infer<typeof sessionCreatedSchema>;
export type ConvocationsSent = z.infer<typeof convocationsSentSchema>;
export type DelegatesDesignated = z.infer<typeof delegateDesignationResultSchema>;

/** Every governance path, in one place. */
const BASE = '/api/v1/governance';
const assemblyPath = (assemblyId: string) => `${BASE}/assemblies/${assemblyId}`;
const sessionPath = (sessionId: string) => `${BASE}/sessions/${sessionId}`;

/** While a session is being held its page asks for news this often (attendance entered elsewhere). */
export const SITTING_REFRESH_MS = 5_000;

/** Every governance answer is cached under ['governance', …]; a write refreshes the lot (small answers). */
function useInvalidateGovernance() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['governance'] });
    // An adopted item may have changed a membership, the year's tariffs or created an act.
    void client.invalidateQueries({ queryKey: ['members'] });
    void client.invalidateQueries({ queryKey: ['acts'] });
  };
}

// Assemblies and seats ----------------------------------------------------------------------------

/** The assemblies the actor may see (the operator's, its own member's, those they sit in). */
export function useAssemblies() {
  return useQuery({
    queryKey: ['governance', 'assemblies'],
    queryFn: () => api.get<Page<AssemblySummary>>(`${BASE}/assemblies`),
  });
}

export function useAssembly(assemblyId: string) {
  return useQuery({
    queryKey: ['governance', 'assembly', assemblyId],
    queryFn: () => api.get<AssemblyDetail>(assemblyPath(assemblyId)),
  });
}

export function useCreateAssembly() {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: (body: AssemblyInput) => api.post<{ id: string }>(`${BASE}/assemblies`, body),
    onSuccess: invalidate,
  });
}

export function useAddSeat(assemblyId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    meta: { success: 'Siège ajouté.' },
    mutationFn: (body: SeatInput) => api.post<unknown>(`${assemblyPath(assemblyId)}/seats`, body),
    onSuccess: invalidate,
  });
}

export function useRemoveSeat(assemblyId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: (seatId: string) => api.delete<unknown>(`${assemblyPath(assemblyId)}/seats/${seatId}`),
    onSuccess: invalidate,
  });
}

const delegatesPath = (memberId: string) => `/api/v1/members/${memberId}/governance/delegates`;

/** The member's delegates in office at the operator's comité syndical. */
export function useDelegates(memberId: string) {
  return useQuery({
    queryKey: ['governance', 'delegates', memberId],
    queryFn: () => api.get<DelegatesDesignated>(delegatesPath(memberId)),
  });
}

/** A member designates its delegates to the operator's comité syndical, with the deliberation. */
export function useDesignateDelegates(memberId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: (body: DelegateDesignation) => api.post<DelegatesDesignated>(delegatesPath(memberId), body),
    onSuccess: invalidate,
  });
}

/** Members waiting for the comité syndical (a membership or a withdrawal), for an item's decision. */
export function usePendingMembers(status: 'requested' | 'withdrawal_requested' | null) {
  return useQuery({
    queryKey: ['members', 'pending', status],
    queryFn: () => api.get<Page<MemberSummary>>('/api/v1/members', { status, limit: 100, sort: 'name' }),
    enabled: status !== null,
    select: (page) =>
      page.items.map((m) => ({
        id: m.id,
        label: `${m.name}${m.departementCode ? ` (${m.departementCode})` : ''}`,
      })),
  });
}

// Sessions ----------------------------------------------------------------------------------------

export function useSessions(assemblyId: string, when: 'upcoming' | 'past' | 'all' = 'all') {
  return useQuery({
    queryKey: ['governance', 'sessions', assemblyId, when],
    queryFn: () => api.get<Page<SessionSummary>>(`${assemblyPath(assemblyId)}/sessions`, { when }),
  });
}

export function useCreateSession(assemblyId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: (body: SessionInput) =>
      api.post<SessionCreated>(`${assemblyPath(assemblyId)}/sessions`, body),
    onSuccess: invalidate,
  });
}

export function useSession(sessionId: string) {
  const client = useQueryClient();
  const queryKey = ['governance', 'session', sessionId];
  const session = useQuery({
    queryKey,
    // Asks with the ETag of what it shows: the server answers 304 while nothing changed.
    queryFn: () =>
      api.getIfChanged<SessionDetail>(sessionPath(sessionId), client.getQueryData<SessionDetail>(queryKey)),
    // The cache holds the very object answered, whose ETag getIfChanged kept (app/api.ts).
    structuralSharing: false,
    // While convocations leave through the mail queue, the page follows them (the sitting itself is
    // followed through its live state, below).
    refetchInterval: (query) =>
      query.state.data?.convocations.some((c) => !c.sentAt && !c.paper && c.email)
        ? SITTING_REFRESH_MS / 2
        : false,
  });
  useSittingLive(sessionId, session.data);
  return session;
}

/**
 * While the sitting is held, the page follows its live state (the quorum and the items' states, a
 * few hundred bytes) rather than the whole page: pushed by the server (`…/live/events`, server-sent
 * events: nothing asked while nothing changes) where the browser has EventSource and the server
 * accepts the stream, else polled (`…/live`, 304 while nothing changed). When the revision moves,
 * the quorum shown follows; the whole page is asked again (with its ETag) only when it shows more
 * than that changed: a vote or the session's status, or, for those who manage the assembly,
 * attendance and convocations recorded by someone else.
 */
function useSittingLive(sessionId: string, detail: SessionDetail | undefined) {
  const client = useQueryClient();
  const queryKey = ['governance', 'session-live', sessionId];
  const following = detail?.status === 'held' || detail?.status === 'convened';
  const pushed = useLivePush(sessionId, following);
  const live = useQuery({
    queryKey,
    queryFn: () =>
      api.getIfChanged<SessionLive>(
        `${sessionPath(sessionId)}/live`,
        client.getQueryData<SessionLive>(queryKey),
      ),
    structuralSharing: false,
    enabled: following,
    refetchInterval: pushed ? false : SITTING_REFRESH_MS,
  });
  const data = live.data;
  useEffect(() => {
    if (!data || !detail || data.revision <= detail.revision) return;
    const itemsMoved =
      data.status !== detail.status ||
      data.items.length !== detail.items.length ||
      data.items.some((item, index) => detail.items[index]?.status !== item.status);
    if (detail.canManage || itemsMoved) {
      void client.invalidateQueries({ queryKey: ['governance', 'session', sessionId], exact: true });
    } else {
      client.setQueryData<SessionDetail>(['governance', 'session', sessionId], (previous) =>
        previous ? { ...previous, quorum: data.quorum, revision: data.revision } : previous,
      );
    }
  }, [client, data, detail, sessionId]);
}

/**
 * The live state pushed into the page's cache while `enabled`; true while the stream is open. A
 * refusal (503 when the server follows too many pages, 401/404) closes the EventSource for good and
 * the page polls; a dropped connection is retried by the browser, and the page polls meanwhile. The
 * server also ends streams itself: at their lifetime (`retry: 1000`, the browser reconnects a second
 * later and `onopen` stops the polling again) and when the reader may no longer read (the
 * reconnection is then refused: closed for good, and the polling is refused too).
 */
function useLivePush(sessionId: string, enabled: boolean): boolean {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const source = new EventSource(`${sessionPath(sessionId)}/live/events`);
    source.onopen = () => setOpen(true);
    source.onmessage = (event: MessageEvent<string>) => {
      const live = JSON.parse(event.data) as SessionLive;
      client.setQueryData<SessionLive>(['governance', 'session-live', sessionId], (previous) =>
        previous && previous.revision >= live.revision ? previous : live,
      );
    };
    source.onerror = () => setOpen(false);
    return () => {
      source.close();
      setOpen(false);
    };
  }, [client, enabled, sessionId]);
  return open;
}

export function useSendConvocations(sessionId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: () => api.post<ConvocationsSent>(`${sessionPath(sessionId)}/convocations`),
    onSuccess: invalidate,
  });
}

export const convocationsPdfUrl = (sessionId: string) => `${sessionPath(sessionId)}/convocations.pdf`;
export const minutesPdfUrl = (sessionId: string) => `${sessionPath(sessionId)}/minutes.pdf`;
/** The procès-verbal as adopted (frozen), for the session's signed-in readers. */
export const adoptedMinutesPdfUrl = (sessionId: string) => `${sessionPath(sessionId)}/minutes/adopted.pdf`;
/** A published procès-verbal, for anyone. */
export const publicMinutesPdfUrl = (organisationId: string, sessionId: string) =>
  `/api/v1/public/organisations/${organisationId}/minutes/${sessionId}`;

/** An organisation's published lists of deliberations, session by session (anyone). */
export function usePublishedDeliberations(organisationId: string) {
  return useQuery({
    queryKey: ['governance', 'public', organisationId],
    queryFn: () =>
      api.get<PublishedDeliberations>(`/api/v1/public/organisations/${organisationId}/deliberations`),
  });
}

export function useRecordAttendance(sessionId: string) {
  const client = useQueryClient();
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: (body: AttendanceInput) =>
      api.put<{ quorum: Quorum }>(`${sessionPath(sessionId)}/attendance`, body),
    onSuccess: ({ quorum }) => {
      // The quorum shown at once, before the page's answer comes back.
      client.setQueryData<SessionDetail>(['governance', 'session', sessionId], (previous) =>
        previous ? { ...previous, quorum } : previous,
      );
      invalidate();
    },
  });
}

export function useAddItemDocument(sessionId: string, itemId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: (form: FormData) =>
      api.post<ItemDocument>(`${sessionPath(sessionId)}/items/${itemId}/documents`, form),
    onSuccess: invalidate,
  });
}

/** A document of the session, for its signed-in readers. */
export const itemDocumentUrl = (sessionId: string, documentId: string) =>
  `${sessionPath(sessionId)}/documents/${documentId}`;

export function usePublishDeliberations(sessionId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: () =>
      api.post<{ sessionId: string; publishedAt: string }>(`${sessionPath(sessionId)}/deliberations/publish`),
    onSuccess: invalidate,
  });
}

export function usePublishMinutes(sessionId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: () =>
      api.post<{ sessionId: string; publishedAt: string }>(`${sessionPath(sessionId)}/minutes/publish`),
    onSuccess: invalidate,
  });
}

export function useCloseSession(sessionId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: () => api.post<SessionClosed>(`${sessionPath(sessionId)}/close`),
    onSuccess: invalidate,
  });
}

export function useVote(sessionId: string, itemId: string) {
  const invalidate = useInvalidateGovernance();
  return useMutation({
    mutationFn: (body: VoteInput) =>
      api.post<VoteOutcome>(`${sessionPath(sessionId)}/items/${itemId}/vote`, body),
    onSuccess: invalidate,
  });
}

// The recipient's personal link (public) -----------------------------------------------------------

const convocationPath = (token: string) => `${BASE}/convocations/${encodeURIComponent(token)}`;

/** Reading the convocation through its link records its opening (the proof an assembly keeps). */
/** A document of the agenda, through the recipient's personal link. */
export const linkedDocumentUrl = (token: string, documentId: string) =>
  `${convocationPath(token)}/documents/${documentId}`;

export function usePublicConvocation(token: string) {
  return useQuery({
    queryKey: ['governance', 'convocation', token],
    queryFn: () => api.get<PublicConvocation>(convocationPath(token)),
    enabled: token.length > 0,
    retry: false,
  });
}

export function useConvocationAnswer(token: string, answer: 'receipt' | 'unavailability') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<PublicConvocation>(`${convocationPath(token)}/${answer}`),
    onSuccess: (convocation) => client.setQueryData(['governance', 'convocation', token], convocation),
  });
}

// The official's space ----------------------------------------------------------------------------

export function useOfficialSpace(enabled = true) {
  return useQuery({
    queryKey: ['governance', 'me'],
    queryFn: () => api.get<OfficialSpace>(`${BASE}/me`),
    enabled,
    staleTime: 60_000,
    retry: false,
  });
}

/** Whether the signed-in person sits in an assembly (the header's « Espace élu » link). */
export function useSitsInAssemblies(signedIn: boolean): boolean {
  return (useOfficialSpace(signedIn).data?.seats.length ?? 0) > 0;
}

export function useOperatorOverview() {
  return useQuery({
    queryKey: ['governance', 'overview'],
    queryFn: () => api.get<OperatorOverview>(`${BASE}/operator-overview`),
  });
}
