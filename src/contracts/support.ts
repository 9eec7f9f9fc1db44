import { z } from 'zod';
import { inYears, listOf, listTotalFields, paginationQuery, yearsMessage } from './common.js';

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
 * Desk (attachments: multipart/form-data, files in `file` parts, ATTACHMENT_* limits):
 *   POST /members/:memberId/tickets/with-attachments        multipart ticket fields + files → 201 ticketCreatedSchema
 *   POST /members/:memberId/tickets/:ticketId/attachments   multipart `body`? + files → 201 ticketSchema
 *   GET  /members/:memberId/tickets/:ticketId/attachments/:attachmentId   the file (not internal ones)
 *   POST /support/tickets/:ticketId/attachments             multipart `body`?, `internal`?, `waitForMember`? + files
 *   GET  /support/tickets/:ticketId/attachments/:attachmentId             the file
 *   POST /support/tickets/:ticketId/merge                   ticketMergeSchema → ticketSchema (the one kept)
 *   GET  /support/tickets/:ticketId/link-candidates         → linkCandidatesSchema
 *   POST /support/tickets/:ticketId/links                   ticketLinkInputSchema → 201 ticketSchema
 *   DELETE /support/tickets/:ticketId/links/:linkId         → ticketSchema
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

/**
 * A field a PUT must carry, as the whole resource is replaced: left out, the body is refused (400
 * naming the field) rather than the field taken as empty or as its default — a client that does not
 * know the field (an older page, a script) would otherwise clear it without a word. The message names
 * the field and says what to send (null, for a field that may be empty).
 */
export const requiredOnUpdate = (label: string, field: string, send: string) =>
  `${label} (${field}) est obligatoire pour une modification : ${send}`;
/**
 * The error of such a field: `missing` when it is left out, `wrong` for any other bad value (none: the
 * French error map's).
 */
const missingOr =
  (missing: string, wrong?: string) =>
  (issue: { input?: unknown }): string | undefined =>
    issue.input === undefined ? missing : wrong;

/** A text field; `missing`: the message when it is left out (a field a PUT must carry). */
const text = (label: string, max: number, missing?: string) =>
  z
    .string(
      missing === undefined
        ? { message: `${label} est obligatoire` }
        : { error: missingOr(missing, `${label} est obligatoire`) },
    )
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
  /** The merged duplicate it was written on (its reference); null: this ticket's own. */
  mergedFrom: z.string().nullable(),
});
export type TicketMessage = z.infer<typeof ticketMessageSchema>;

// Ticket desk: attachments, merges, links (issue 14) ----------------------------------------------

/** Files joined to a ticket or a message: at most this many per sending, each at most this size. */
export const ATTACHMENT_MAX_FILES = 5;
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/**
 * The files accepted, by extension: documents, spreadsheets, images, text and logs (screenshots and
 * error reports). Executables, archives and scripts are refused.
 */
export const ATTACHMENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  eml: 'message/rfc822',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
/** The accepted extensions, for messages and the file input's `accept`. */
export const ATTACHMENT_EXTENSIONS = Object.keys(ATTACHMENT_TYPES);
export const ATTACHMENT_RULES_TEXT = `${ATTACHMENT_MAX_FILES} fichiers au plus, 10 Mo chacun : ${ATTACHMENT_EXTENSIONS.join(', ')}`;

export const ticketAttachmentSchema = z.object({
  id: z.uuid(),
  /** The ticket the file came with (a merged duplicate's id when read from the ticket it was merged into). */
  ticketId: z.uuid(),
  /** The message it came with; null: with the ticket itself. */
  messageId: z.uuid().nullable(),
  internal: z.boolean(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
});
export type TicketAttachment = z.infer<typeof ticketAttachmentSchema>;

/** A duplicate merged into this ticket: its description and messages are read here. */
export const mergedTicketSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  subject: z.string(),
  description: z.string(),
  requesterName: z.string().nullable(),
  createdAt: z.string(),
});

export const TICKET_LINK_KINDS = ['cyber_incident', 'hosting_incident'] as const;
export type TicketLinkKind = (typeof TICKET_LINK_KINDS)[number];
export const TICKET_LINK_KIND_LABELS: Record<TicketLinkKind, string> = {
  cyber_incident: 'Incident de cybersécurité',
  hosting_incident: "Incident d'hébergement (page de statut)",
};
export const ticketLinkSchema = z.object({
  id: z.uuid(),
  kind: z.enum(TICKET_LINK_KINDS),
  incidentId: z.uuid(),
  title: z.string(),
  /** The incident's state in its own module's words (cyber: status; hosting: state or resolved). */
  state: z.string(),
  startedAt: z.string(),
  resolved: z.boolean(),
});
export type TicketLink = z.infer<typeof ticketLinkSchema>;

export const ticketMergeSchema = z.object({
  intoTicketId: z.uuid({ message: 'identifiant du ticket à conserver invalide' }),
});
export const ticketLinkInputSchema = z.object({
  kind: z.enum(TICKET_LINK_KINDS, { message: "Type d'incident inconnu" }),
  incidentId: z.uuid({ message: "identifiant d'incident invalide" }),
});
export const linkCandidatesSchema = z.object({
  items: z.array(ticketLinkSchema.omit({ id: true })),
});
export type LinkCandidates = z.infer<typeof linkCandidatesSchema>;

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
  // Desk (issue 14): files, merged duplicates, linked incidents.
  attachments: z.array(ticketAttachmentSchema),
  /** Set on a duplicate merged into another ticket (closed as « fusionné »). */
  mergedInto: z.object({ id: z.uuid(), reference: z.string() }).nullable(),
  merged: z.array(mergedTicketSchema),
  links: z.array(ticketLinkSchema),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const ticketListSchema = listOf(ticketSummarySchema);
export type TicketList = z.infer<typeof ticketListSchema>;
export const ticketQueueSchema = ticketListSchema.extend(listTotalFields);
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
  /** Desk: one month of the year only (1–12): the monthly report; absent, the whole year. */
  month: z.coerce
    .number({ message: 'mois attendu (1 à 12)' })
    .int('mois attendu (1 à 12)')
    .min(1, 'mois attendu (1 à 12)')
    .max(12, 'mois attendu (1 à 12)')
    .optional(),
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
  /** The month reported (1–12), or null: the whole year. */
  month: z.number().int().nullable(),
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

// Training sessions ------------------------------------------------------------------------------
/*
 *   GET    /trainings/sessions                         trainingListQuerySchema → trainingSessionListSchema (public)
 *   POST   /trainings/sessions                         trainingSessionInputSchema → 201 trainingSessionSchema
 *   GET    /trainings/sessions/:sessionId              → trainingSessionSchema (public: counts, no names)
 *   GET    /trainings/sessions/:sessionId/invitation.ics  the session as an iCalendar event (public)
 *   GET    /trainings/sessions/:sessionId/attendance.pdf  the attendance sheet (the support team)
 *   POST   /trainings/sessions/:sessionId/registrations   registrationInputSchema → 201 registrationSchema
 *   DELETE /trainings/registrations/:registrationId   → 204 (until the deadline; the first waitlisted is promoted)
 */

export const TRAINING_AUDIENCES = ['agents', 'elus', 'tous'] as const;
export type TrainingAudience = (typeof TRAINING_AUDIENCES)[number];
export const TRAINING_AUDIENCE_LABELS: Record<TrainingAudience, string> = {
  agents: 'Agents',
  elus: 'Élus',
  tous: 'Agents et élus',
};
export const REGISTRATION_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  confirmed: 'Inscription confirmée',
  waitlisted: "Sur liste d'attente",
  cancelled: 'Annulée',
};

/** An instant; `missing`: the message when it is left out (a field a PUT must carry). */
const instantField = (label: string, missing?: string) => {
  const wrong = `${label} : date et heure ISO 8601 attendues (avec fuseau)`;
  return z.iso
    .datetime({
      offset: true,
      ...(missing === undefined ? { message: wrong } : { error: missingOr(missing, wrong) }),
      abort: true,
    })
    .refine(inYears, `${label} : ${yearsMessage}`);
};

/** `serviceId` when a PUT replaces a session or an article: required, null to tie it to no service. */
export const SERVICE_ID_REQUIRED = requiredOnUpdate(
  'Le service',
  'serviceId',
  "l'identifiant du service du catalogue, ou null pour n'en rattacher aucun",
);
const replacedServiceId = z
  .uuid({ error: missingOr(SERVICE_ID_REQUIRED, 'identifiant de service invalide') })
  .nullable();

const DEPARTEMENT_CODE = /^(\d{2,3}|2A|2B)$/;
const capacityField = z
  .number({ message: 'La capacité est un nombre de places' })
  .int('La capacité est un nombre entier de places')
  .min(1, 'Au moins une place')
  .max(10_000, 'Au plus 10 000 places');
const perMemberCapField = (error?: ReturnType<typeof missingOr>) =>
  z.number({ error }).int().min(1, 'Au moins une place par structure').max(10_000);

/** POST: a new session; what is left out is empty or takes its default (`serviceId`: no service). */
const trainingSessionFields = z.object({
  title: text('Le titre', 200).min(3, 'Le titre compte au moins 3 caractères'),
  description: text('La description', 5_000).nullish(),
  audience: z.enum(TRAINING_AUDIENCES, { message: 'Public inconnu' }).default('tous'),
  startsAt: instantField('Le début'),
  endsAt: instantField('La fin'),
  /** Where: an address, or « À distance ». */
  place: text('Le lieu', 300).min(1, 'Le lieu est obligatoire'),
  departementCode: z.string().regex(DEPARTEMENT_CODE, 'code département invalide').nullish(),
  remote: z.boolean().default(false),
  trainer: text('Le formateur', 200).nullish(),
  capacity: capacityField,
  /** Places one member may hold at most (null: no cap). */
  perMemberCap: perMemberCapField().nullish(),
  /** Registrations and cancellations close then (default, or null: the session's start). */
  registrationDeadline: instantField("La date limite d'inscription").nullish(),
  serviceId: z.uuid({ message: 'identifiant de service invalide' }).nullish(),
});

/**
 * What a PUT of a session must carry besides the fields a new session requires, with the message a
 * body that leaves one out gets (`requiredOnUpdate`).
 */
export const SESSION_FIELDS_REQUIRED_ON_UPDATE = {
  description: requiredOnUpdate('La description', 'description', 'son texte, ou null pour aucune'),
  audience: requiredOnUpdate('Le public', 'audience', '« agents », « elus » ou « tous »'),
  departementCode: requiredOnUpdate(
    'Le département',
    'departementCode',
    'son code, ou null pour aucun (à distance)',
  ),
  remote: requiredOnUpdate('La formation à distance', 'remote', 'true ou false'),
  trainer: requiredOnUpdate('Le formateur', 'trainer', 'son nom, ou null pour aucun'),
  perMemberCap: requiredOnUpdate(
    'Le nombre de places au plus par structure',
    'perMemberCap',
    'un nombre, ou null pour aucune limite',
  ),
  registrationDeadline: requiredOnUpdate(
    "La date limite d'inscription",
    'registrationDeadline',
    'date et heure ISO 8601, ou null pour le début de la session',
  ),
  serviceId: SERVICE_ID_REQUIRED,
} as const;
const required = SESSION_FIELDS_REQUIRED_ON_UPDATE;

const endsAfterStart = (s: { startsAt: string; endsAt: string }) =>
  new Date(s.endsAt).getTime() > new Date(s.startsAt).getTime();
const endsAfterStartError = { message: 'La fin doit suivre le début', path: ['endsAt'] };
/** POST: a new session (the optional fields may be left out or null). */
export const trainingSessionInputSchema = trainingSessionFields.refine(endsAfterStart, endsAfterStartError);
export type TrainingSessionInput = z.input<typeof trainingSessionInputSchema>;
/**
 * PUT: the whole session again. Every field is required, those that may be empty as null (see
 * SESSION_FIELDS_REQUIRED_ON_UPDATE): none is reset because the body left it out.
 */
export const trainingSessionUpdateSchema = trainingSessionFields
  .extend({
    description: text('La description', 5_000, required.description).nullable(),
    audience: z.enum(TRAINING_AUDIENCES, { error: missingOr(required.audience, 'Public inconnu') }),
    departementCode: z
      .string({ error: missingOr(required.departementCode, 'code département invalide') })
      .regex(DEPARTEMENT_CODE, 'code département invalide')
      .nullable(),
    remote: z.boolean({ error: missingOr(required.remote) }),
    trainer: text('Le formateur', 200, required.trainer).nullable(),
    perMemberCap: perMemberCapField(
      missingOr(required.perMemberCap, 'Le nombre de places au plus par structure est un nombre entier'),
    ).nullable(),
    registrationDeadline: instantField(
      "La date limite d'inscription",
      required.registrationDeadline,
    ).nullable(),
    serviceId: replacedServiceId,
  })
  .refine(endsAfterStart, endsAfterStartError);
export type TrainingSessionUpdate = z.input<typeof trainingSessionUpdateSchema>;

export const trainingSessionSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  audience: z.enum(TRAINING_AUDIENCES),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  departementCode: z.string().nullable(),
  remote: z.boolean(),
  trainer: z.string().nullable(),
  capacity: z.number().int(),
  perMemberCap: z.number().int().nullable(),
  registrationDeadline: z.string(),
  confirmed: z.number().int(),
  waitlisted: z.number().int(),
  full: z.boolean(),
  /** When the attendance was recorded (null: not yet). */
  attendanceRecordedAt: z.string().nullable(),
  serviceId: z.uuid().nullable(),
});
export type TrainingSession = z.infer<typeof trainingSessionSchema>;
export const trainingSessionListSchema = listOf(trainingSessionSchema);

export const trainingListQuerySchema = paginationQuery.extend({
  /** `upcoming` (default): from today on, soonest first; `past`: over, latest first. */
  period: z
    .enum(['upcoming', 'past'], { message: 'Période inconnue : upcoming ou past' })
    .default('upcoming'),
  departement: z
    .string()
    .regex(/^(\d{2,3}|2A|2B)$/, 'code département invalide')
    .optional(),
});

export const registrationInputSchema = z.object({
  memberId: z.uuid({ message: 'identifiant de structure invalide' }),
  name: text('Le nom', 200).min(1, 'Le nom est obligatoire'),
  email: z
    .string({ message: "L'adresse électronique est obligatoire" })
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: 'adresse électronique invalide' }).max(254)),
});
export type RegistrationInput = z.input<typeof registrationInputSchema>;

export const registrationSchema = z.object({
  id: z.uuid(),
  sessionId: z.uuid(),
  memberId: z.uuid(),
  name: z.string(),
  email: z.string(),
  status: z.enum(REGISTRATION_STATUSES),
  createdAt: z.string(),
});
export type Registration = z.infer<typeof registrationSchema>;

// Knowledge base ---------------------------------------------------------------------------------
/*
 *   GET  /support/articles                   articleListQuerySchema → articleListSchema (public ones for
 *                                            everyone, members-only ones for the signed-in; `q` searches)
 *   GET  /support/articles/:articleId        → articleSchema (markdown rendered without raw HTML)
 *   POST /support/articles                   articleInputSchema → 201 articleSchema (the support team)
 *   POST /support/articles/:articleId/feedback  articleFeedbackSchema → articleCountsSchema (anyone)
 */

export const ARTICLE_VISIBILITIES = ['public', 'members'] as const;
export type ArticleVisibility = (typeof ARTICLE_VISIBILITIES)[number];
export const ARTICLE_VISIBILITY_LABELS: Record<ArticleVisibility, string> = {
  public: 'Public',
  members: 'Réservé aux structures adhérentes',
};

export const articleInputSchema = z.object({
  title: text('Le titre', 200).min(3, 'Le titre compte au moins 3 caractères'),
  /** Markdown; raw HTML is shown as text, never interpreted. */
  body: text('Le texte', 50_000).min(1, 'Le texte est obligatoire'),
  serviceId: z.uuid({ message: 'identifiant de service invalide' }).nullish(),
  visibility: z.enum(ARTICLE_VISIBILITIES, { message: 'Visibilité inconnue' }).default('public'),
});
export type ArticleInput = z.input<typeof articleInputSchema>;
/**
 * `visibility` when a PUT replaces an article: required, with no default — left out, a « members »
 * article would otherwise become public without a word.
 */
export const VISIBILITY_REQUIRED = requiredOnUpdate(
  'La visibilité',
  'visibility',
  '« public » ou « members » (réservé aux structures adhérentes)',
);
/** PUT: the whole article again, `serviceId` (null: no service) and `visibility` included. */
export const articleUpdateSchema = articleInputSchema.extend({
  serviceId: replacedServiceId,
  visibility: z.enum(ARTICLE_VISIBILITIES, { error: missingOr(VISIBILITY_REQUIRED, 'Visibilité inconnue') }),
});
export type ArticleUpdate = z.input<typeof articleUpdateSchema>;

export const articleCountsSchema = z.object({ helpfulYes: z.number().int(), helpfulNo: z.number().int() });

export const articleSummarySchema = articleCountsSchema.extend({
  id: z.uuid(),
  title: z.string(),
  serviceId: z.uuid().nullable(),
  serviceName: z.string().nullable(),
  visibility: z.enum(ARTICLE_VISIBILITIES),
  /** The first words of the text, without markdown. */
  excerpt: z.string(),
  updatedAt: z.string(),
});
export type ArticleSummary = z.infer<typeof articleSummarySchema>;
export const articleSchema = articleSummarySchema.extend({ body: z.string(), html: z.string() });
export type Article = z.infer<typeof articleSchema>;
export const articleListSchema = listOf(articleSummarySchema);

export const articleListQuerySchema = paginationQuery.extend({
  q: z.string().trim().max(200, '200 caractères au plus').optional(),
  serviceId: z.uuid({ message: 'identifiant de service invalide' }).optional(),
});
export const articleFeedbackSchema = z.object({
  helpful: z.boolean({ message: 'helpful : vrai ou faux attendu' }),
});
