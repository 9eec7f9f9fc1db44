import { z } from 'zod';
import { listOf, paginationQuery } from './common.js';

/**
 * The support desk (issue 14): tickets opened by a member's people about a subscribed service or a
 * general topic, with service levels counted in business time (office hours minus French public
 * holidays, paused while the operator waits for the member), worked by the operator's `support` team.
 *
 * Routes (under /api/v1):
 *   POST /members/:memberId/tickets                         ticketInputSchema → 201 ticketCreatedSchema
 *   GET  /members/:memberId/tickets                         memberTicketListQuerySchema → ticketListSchema
 *   GET  /members/:memberId/tickets/:ticketId               → ticketSchema (public messages only)
 *   POST /members/:memberId/tickets/:ticketId/messages      memberMessageInputSchema → 201 ticketSchema
 *   POST /members/:memberId/tickets/:ticketId/confirm       ticketConfirmSchema → ticketSchema (closed)
 *   POST /members/:memberId/tickets/:ticketId/reopen        ticketReopenSchema → ticketSchema
 *   GET  /support/tickets                                   queueQuerySchema → ticketQueueSchema
 *   GET  /support/tickets/:ticketId                         → ticketSchema (internal notes included)
 *   POST /support/tickets/:ticketId/messages                agentMessageInputSchema → 201 ticketSchema
 *   POST /support/tickets/:ticketId/assign                  ticketAssignSchema → ticketSchema
 *   POST /support/tickets/:ticketId/resolve                 ticketResolveSchema → ticketSchema
 */

export const TICKET_STATUSES = ['open', 'in_progress', 'waiting_member', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Statuses of a ticket the team still owes something on (the queue's default). */
export const ACTIVE_TICKET_STATUSES = ['open', 'in_progress', 'waiting_member'] as const;
export const TICKET_STATUS_LABELS: Record<TicketStatus, string> = {
  open: 'Nouveau',
  in_progress: 'En cours',
  waiting_member: 'En attente de votre réponse',
  resolved: 'Résolu, à confirmer',
  closed: 'Clos',
};

export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_PRIORITY_LABELS: Record<TicketPriority, string> = {
  low: 'Basse',
  medium: 'Moyenne',
  high: 'Haute',
  critical: 'Critique',
};

/** Urgency and impact, from 1 (low) to 3 (high). */
export const LEVELS = ['low', 'medium', 'high'] as const;
export type Level = (typeof LEVELS)[number];
export const URGENCY_LABELS: Record<Level, string> = {
  low: 'Peut attendre quelques jours',
  medium: 'Gêne le travail',
  high: 'Bloque le travail',
};
export const IMPACT_LABELS: Record<Level, string> = {
  low: 'Une personne',
  medium: 'Un service de la structure',
  high: 'Toute la structure ou le public',
};

/**
 * Priority from urgency × impact (the matrix of ITIL tools such as GLPI): both high → critical; one
 * high and one medium → high; one high and one low, or both medium → medium; otherwise low.
 */
export function priorityOf(urgency: Level, impact: Level): TicketPriority {
  const score = LEVELS.indexOf(urgency) + LEVELS.indexOf(impact);
  if (score >= 4) return 'critical';
  if (score === 3) return 'high';
  if (score === 2) return 'medium';
  return 'low';
}

export const TICKET_CATEGORIES = ['question', 'incident', 'request', 'access', 'training', 'other'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const TICKET_CATEGORY_LABELS: Record<TicketCategory, string> = {
  question: 'Question',
  incident: 'Panne ou dysfonctionnement',
  request: 'Demande de service',
  access: 'Accès et comptes',
  training: 'Formation',
  other: 'Autre',
};

/** Days a member has to confirm or reopen a resolved ticket; then it closes by itself. */
export const REOPEN_DAYS = 15;

const text = (label: string, max: number) =>
  z
    .string({ message: `${label} est obligatoire` })
    .trim()
    .max(max, `${label} compte au plus ${max} caractères`);

export const ticketInputSchema = z.object({
  subject: text("L'objet", 200).min(3, "L'objet compte au moins 3 caractères"),
  description: text('La description', 20_000).min(1, 'La description est obligatoire'),
  /** A catalogue service the member subscribes to; absent for a general topic. */
  serviceId: z.uuid({ message: 'identifiant de service invalide' }).nullish(),
  category: z.enum(TICKET_CATEGORIES, { message: 'Catégorie inconnue' }).default('question'),
  urgency: z.enum(LEVELS, { message: 'Urgence inconnue' }).optional(),
  impact: z.enum(LEVELS, { message: 'Impact inconnu' }).optional(),
  /** Given directly (API clients); otherwise computed from urgency × impact (medium by default). */
  priority: z.enum(TICKET_PRIORITIES, { message: 'Priorité inconnue' }).optional(),
});
export type TicketInput = z.input<typeof ticketInputSchema>;

export const ticketCreatedSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(TICKET_PRIORITIES),
  firstResponseDueAt: z.string().nullable(),
  resolutionDueAt: z.string().nullable(),
});
export type TicketCreated = z.infer<typeof ticketCreatedSchema>;

export const ticketSummarySchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  reference: z.string(),
  memberId: z.uuid(),
  memberName: z.string(),
  subject: z.string(),
  category: z.enum(TICKET_CATEGORIES),
  serviceId: z.uuid().nullable(),
  serviceName: z.string().nullable(),
  priority: z.enum(TICKET_PRIORITIES),
  status: z.enum(TICKET_STATUSES),
  requesterId: z.uuid().nullable(),
  requesterName: z.string().nullable(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  firstResponseDueAt: z.string().nullable(),
  resolutionDueAt: z.string().nullable(),
  firstRespondedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** A deadline passed without the step done (first response or resolution). */
  breached: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TicketSummary = z.infer<typeof ticketSummarySchema>;

export const ticketMessageSchema = z.object({
  id: z.uuid(),
  body: z.string(),
  /** An internal note: shown to the support team only, never to the member. */
  internal: z.boolean(),
  fromOperator: z.boolean(),
  authorName: z.string().nullable(),
  createdAt: z.string(),
});
export type TicketMessage = z.infer<typeof ticketMessageSchema>;

export const ticketSchema = ticketSummarySchema.extend({
  description: z.string(),
  urgency: z.enum(LEVELS).nullable(),
  impact: z.enum(LEVELS).nullable(),
  resolution: z.string().nullable(),
  closedAt: z.string().nullable(),
  satisfaction: z.number().int().nullable(),
  satisfactionComment: z.string().nullable(),
  /** Until when the member may confirm or reopen a resolved ticket. */
  reopenUntil: z.string().nullable(),
  /** The clock is stopped: the team waits for the member's answer. */
  paused: z.boolean(),
  messages: z.array(ticketMessageSchema),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const ticketListSchema = listOf(ticketSummarySchema);
export type TicketList = z.infer<typeof ticketListSchema>;
export const ticketQueueSchema = ticketListSchema.extend({ totalIsExact: z.boolean() });
export type TicketQueue = z.infer<typeof ticketQueueSchema>;

export const memberTicketListQuerySchema = paginationQuery.extend({
  status: z.enum(TICKET_STATUSES, { message: 'Statut inconnu' }).optional(),
});

export const QUEUE_SORTS = ['due', 'recent'] as const;
export const QUEUE_SORT_LABELS: Record<(typeof QUEUE_SORTS)[number], string> = {
  due: 'Échéance la plus proche',
  recent: 'Les plus récents',
};
const booleanQuery = z
  .enum(['true', 'false'], { message: 'true ou false attendu' })
  .transform((v) => v === 'true');

export const queueQuerySchema = paginationQuery.extend({
  /** `active` (default): new, in progress and waiting for the member. */
  status: z.enum([...TICKET_STATUSES, 'active'], { message: 'Statut inconnu' }).default('active'),
  priority: z.enum(TICKET_PRIORITIES, { message: 'Priorité inconnue' }).optional(),
  serviceId: z.uuid({ message: 'identifiant de service invalide' }).optional(),
  memberId: z.uuid({ message: 'identifiant de structure invalide' }).optional(),
  assigneeId: z.uuid({ message: "identifiant d'agent invalide" }).optional(),
  unassigned: booleanQuery.optional(),
  /** Only tickets whose next deadline has passed. */
  breached: booleanQuery.optional(),
  sort: z.enum(QUEUE_SORTS, { message: 'Tri inconnu' }).default('due'),
});
export type QueueQuery = z.input<typeof queueQuerySchema>;

export const memberMessageInputSchema = z.object({
  body: text('Le message', 20_000).min(1, 'Le message est obligatoire'),
});
export const agentMessageInputSchema = z.object({
  body: text('Le message', 20_000).min(1, 'Le message est obligatoire'),
  internal: z.boolean({ message: 'internal : vrai ou faux attendu' }).default(false),
  /** A public reply asking the member something: the clock stops until the member answers. */
  waitForMember: z.boolean().default(false),
});
export type AgentMessageInput = z.input<typeof agentMessageInputSchema>;

export const ticketAssignSchema = z.object({
  assigneeId: z.uuid({ message: "identifiant d'agent invalide" }).nullable(),
});
export const ticketResolveSchema = z.object({
  resolution: text('La résolution', 20_000).min(1, 'La résolution est obligatoire'),
});
export const ticketConfirmSchema = z.object({
  satisfaction: z
    .number({ message: 'La satisfaction est une note de 1 à 5' })
    .int('La satisfaction est une note de 1 à 5')
    .min(1, 'La satisfaction est une note de 1 à 5')
    .max(5, 'La satisfaction est une note de 1 à 5')
    .optional(),
  comment: text('Le commentaire', 2_000).optional(),
});
export const ticketReopenSchema = z.object({
  body: text('Le message', 20_000).min(1, 'Dites ce qui ne va toujours pas'),
});

/** « T-000123 »: the reference quoted in mail subjects, by which a reply finds its ticket. */
export const ticketReference = (number: number) => `T-${String(number).padStart(6, '0')}`;
export const TICKET_REFERENCE_PATTERN = /\bT-(\d{6,})\b/;

// Reports ----------------------------------------------------------------------------------------

export const supportReportQuerySchema = z.object({
  year: z.coerce
    .number({ message: 'année attendue' })
    .int('année attendue')
    .min(2000, 'année entre 2000 et 2200 attendue')
    .max(2200, 'année entre 2000 et 2200 attendue'),
});

const slaFigures = {
  opened: z.number().int(),
  responded: z.number().int(),
  respondedInTime: z.number().int(),
  resolved: z.number().int(),
  resolvedInTime: z.number().int(),
  /** Share of answered tickets answered before their first-response deadline (0–1), null if none. */
  responseCompliance: z.number().nullable(),
  resolutionCompliance: z.number().nullable(),
  /** Elapsed hours from opening to first response and to resolution (calendar time). */
  responseHoursMedian: z.number().nullable(),
  responseHoursP90: z.number().nullable(),
  resolutionHoursMedian: z.number().nullable(),
  resolutionHoursP90: z.number().nullable(),
  satisfactionAverage: z.number().nullable(),
  satisfactionAnswers: z.number().int(),
};

export const supportReportSchema = z.object({
  year: z.number().int(),
  /** One row per month (`AAAA-MM`, Paris time) and service (null: general questions). */
  months: z.array(
    z.object({
      month: z.string(),
      serviceId: z.uuid().nullable(),
      serviceName: z.string().nullable(),
      ...slaFigures,
    }),
  ),
  /** The year per département and member kind: does a rural département get the same service? */
  equity: z.array(
    z.object({ departementCode: z.string().nullable(), memberKind: z.string(), ...slaFigures }),
  ),
});
export type SupportReport = z.infer<typeof supportReportSchema>;
