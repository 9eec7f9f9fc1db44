import { z } from 'zod';
import { departementCode, isoDate, isoInstant, listOf, paginationQuery } from './common.js';
import { MEMBER_KINDS } from './members.js';

/** GDPR rights requests (Art. 15–22) and personal data breaches (Art. 33–34), plus the DPO dashboard. */

export const RIGHTS_REQUEST_TYPES = [
  'access',
  'rectification',
  'erasure',
  'objection',
  'restriction',
  'portability',
  'other',
] as const;
export type RightsRequestType = (typeof RIGHTS_REQUEST_TYPES)[number];
export const RIGHTS_REQUEST_TYPE_LABELS: Record<RightsRequestType, string> = {
  access: "Droit d'accès",
  rectification: 'Droit de rectification',
  erasure: "Droit à l'effacement",
  objection: "Droit d'opposition",
  restriction: 'Droit à la limitation',
  portability: 'Droit à la portabilité',
  other: 'Autre demande',
};

export const RIGHTS_REQUEST_STATUSES = ['received', 'in_progress', 'answered', 'refused', 'closed'] as const;
export type RightsRequestStatus = (typeof RIGHTS_REQUEST_STATUSES)[number];
export const RIGHTS_REQUEST_STATUS_LABELS: Record<RightsRequestStatus, string> = {
  received: 'Reçue',
  in_progress: 'En cours de traitement',
  answered: 'Répondue',
  refused: 'Refusée (motivée)',
  closed: 'Close',
};
/** Statuses that close the request: an answer and its date are then required. */
export const ANSWERED_STATUSES: RightsRequestStatus[] = ['answered', 'refused'];

export const BREACH_NATURES = ['confidentiality', 'integrity', 'availability'] as const;
export type BreachNature = (typeof BREACH_NATURES)[number];
export const BREACH_NATURE_LABELS: Record<BreachNature, string> = {
  confidentiality: 'Confidentialité (divulgation ou accès non autorisé)',
  integrity: 'Intégrité (altération)',
  availability: 'Disponibilité (perte ou destruction)',
};
export const BREACH_RISK_LEVELS = ['none', 'low', 'high'] as const;
export type BreachRiskLevel = (typeof BREACH_RISK_LEVELS)[number];
export const BREACH_RISK_LEVEL_LABELS: Record<BreachRiskLevel, string> = {
  none: 'Aucun risque',
  low: 'Risque',
  high: 'Risque élevé',
};
/** Where a breach stands against the CNIL's 72 h deadline. */
export const BREACH_NOTIFICATION_STATUSES = [
  'not_required',
  'pending',
  'overdue',
  'notified',
  'notified_late',
] as const;
export type BreachNotificationStatus = (typeof BREACH_NOTIFICATION_STATUSES)[number];
export const BREACH_NOTIFICATION_STATUS_LABELS: Record<BreachNotificationStatus, string> = {
  not_required: 'Notification non requise',
  pending: 'À notifier',
  overdue: 'Notification en retard',
  notified: 'Notifiée',
  notified_late: 'Notifiée hors délai',
};

const instant = isoInstant;
const text = (max: number) => z.string().trim().max(max);
const requiredText = (max: number, label: string) =>
  z.string().trim().min(1, `${label} est obligatoire`).max(max);
const count = z.number().int().min(0).max(100_000_000);

// Rights requests ------------------------------------------------------------------------------

export const rightsRequestSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  type: z.enum(RIGHTS_REQUEST_TYPES),
  requesterName: z.string(),
  identityChecked: z.boolean(),
  receivedOn: z.iso.date(),
  dueOn: z.iso.date(),
  extendedUntil: z.iso.date().nullable(),
  extensionReason: z.string().nullable(),
  status: z.enum(RIGHTS_REQUEST_STATUSES),
  answer: z.string().nullable(),
  answeredOn: z.iso.date().nullable(),
  /** Days left to the (extended) due date, in Paris; null once the request is no longer open. */
  daysLeft: z.number().int().nullable(),
  overdue: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type RightsRequest = z.infer<typeof rightsRequestSchema>;
export const rightsRequestListSchema = listOf(rightsRequestSchema);

export const rightsRequestListQuerySchema = paginationQuery.extend({
  status: z.enum(RIGHTS_REQUEST_STATUSES).optional(),
  /** Only requests still owed an answer. */
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const rightsRequestInputSchema = z.object({
  type: z.enum(RIGHTS_REQUEST_TYPES),
  requesterName: requiredText(200, 'Le nom du demandeur'),
  identityChecked: z.boolean().default(false),
  receivedOn: isoDate,
  status: z.enum(RIGHTS_REQUEST_STATUSES).default('received'),
  answer: text(10_000).nullable().optional(),
  answeredOn: isoDate.nullable().optional(),
});
export type RightsRequestInput = z.infer<typeof rightsRequestInputSchema>;

export const rightsRequestPatchSchema = z
  .object({
    type: z.enum(RIGHTS_REQUEST_TYPES),
    requesterName: requiredText(200, 'Le nom du demandeur'),
    identityChecked: z.boolean(),
    receivedOn: isoDate,
    status: z.enum(RIGHTS_REQUEST_STATUSES),
    answer: text(10_000).nullable(),
    answeredOn: isoDate.nullable(),
  })
  .partial();
export type RightsRequestPatch = z.infer<typeof rightsRequestPatchSchema>;

export const rightsRequestExtensionSchema = z.object({
  months: z.union([z.literal(1), z.literal(2)], { message: 'prolongation de 1 ou 2 mois' }),
  reason: z
    .string()
    .trim()
    .min(10, 'motivez la prolongation (complexité ou nombre de demandes, 10 caractères au moins)')
    .max(2_000),
});

// Breaches -------------------------------------------------------------------------------------

export const breachSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  awareAt: z.iso.datetime(),
  occurredAt: z.iso.datetime().nullable(),
  nature: z.array(z.enum(BREACH_NATURES)),
  dataDescription: z.string().nullable(),
  peopleCount: z.number().int().nullable(),
  recordsCount: z.number().int().nullable(),
  consequences: z.string().nullable(),
  measures: z.string().nullable(),
  riskLevel: z.enum(BREACH_RISK_LEVELS),
  cnilNotificationRequired: z.boolean(),
  notificationReason: z.string().nullable(),
  /** awareAt + 72 h (an instant). */
  notificationDeadline: z.iso.datetime(),
  /** The deadline in Paris time, in French: « lundi 30 mars 2026 à 11:00 ». */
  notificationDeadlineLabel: z.string(),
  notifiedAt: z.iso.datetime().nullable(),
  cnilReference: z.string().nullable(),
  lateReasons: z.string().nullable(),
  peopleInformedAt: z.iso.datetime().nullable(),
  peopleInformation: z.string().nullable(),
  notificationStatus: z.enum(BREACH_NOTIFICATION_STATUSES),
  /** Seconds left before the deadline while a notification is owed; null otherwise. */
  remainingSeconds: z.number().int().nullable(),
  overdue: z.boolean(),
  /** Reported by a member's user in words and not qualified yet (nature, risk, notification). */
  toQualify: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Breach = z.infer<typeof breachSchema>;
export const breachListSchema = listOf(breachSchema);
export const breachListQuerySchema = paginationQuery.extend({
  notificationStatus: z.enum(BREACH_NOTIFICATION_STATUSES).optional(),
});

const breachFields = {
  awareAt: instant,
  occurredAt: instant.nullable(),
  nature: z
    .array(z.enum(BREACH_NATURES))
    .min(1, 'indiquez au moins une nature de violation')
    .refine((v) => new Set(v).size === v.length, 'nature en double'),
  dataDescription: text(5_000).nullable(),
  peopleCount: count.nullable(),
  recordsCount: count.nullable(),
  consequences: text(5_000).nullable(),
  measures: text(5_000).nullable(),
  riskLevel: z.enum(BREACH_RISK_LEVELS),
  cnilNotificationRequired: z.boolean(),
  notificationReason: text(5_000).nullable(),
  notifiedAt: instant.nullable(),
  cnilReference: text(100).nullable(),
  lateReasons: text(5_000).nullable(),
  peopleInformedAt: instant.nullable(),
  peopleInformation: text(5_000).nullable(),
};

export const breachInputSchema = z.object({
  ...breachFields,
  occurredAt: breachFields.occurredAt.optional(),
  dataDescription: breachFields.dataDescription.optional(),
  peopleCount: breachFields.peopleCount.optional(),
  recordsCount: breachFields.recordsCount.optional(),
  consequences: breachFields.consequences.optional(),
  measures: breachFields.measures.optional(),
  notificationReason: breachFields.notificationReason.optional(),
  notifiedAt: breachFields.notifiedAt.optional(),
  cnilReference: breachFields.cnilReference.optional(),
  lateReasons: breachFields.lateReasons.optional(),
  peopleInformedAt: breachFields.peopleInformedAt.optional(),
  peopleInformation: breachFields.peopleInformation.optional(),
});
export type BreachInput = z.infer<typeof breachInputSchema>;
export const breachPatchSchema = z.object(breachFields).partial();
export type BreachPatch = z.infer<typeof breachPatchSchema>;

/**
 * A member's user reports a breach to the mutualised DPO, in words: the 72 h clock starts at
 * `awareAt`, the DPO qualifies it (nature, risk, notification) in the register.
 */
export const breachReportSchema = z.object({
  awareAt: instant,
  description: z
    .string({ message: 'décrivez ce qui s’est passé' })
    .trim()
    .min(10, 'décrivez ce qui s’est passé (10 caractères au moins)')
    .max(5_000, '5 000 caractères au plus'),
  nature: z
    .array(z.enum(BREACH_NATURES))
    .refine((v) => new Set(v).size === v.length, 'nature en double')
    .default([]),
  peopleCount: count.nullable().optional(),
});
export type BreachReport = z.input<typeof breachReportSchema>;

/** A member's user asks the mutualised DPO for help (an empty registry, a question). */
export const dpoRequestSchema = z.object({
  message: z
    .string({ message: 'écrivez votre demande' })
    .trim()
    .min(10, 'écrivez votre demande (10 caractères au moins)')
    .max(5_000, '5 000 caractères au plus'),
});
export type DpoRequest = z.infer<typeof dpoRequestSchema>;
export const dpoRequestAnswerSchema = z.object({
  id: z.uuid(),
  /** Operator people of the DPO team the request was mailed to. */
  notified: z.number().int(),
});

/** A request to the DPO as kept: a task on the DPO's dashboard until the team closes it. */
export const dpoRequestItemSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  memberName: z.string(),
  message: z.string(),
  /** « Name (e-mail) » of who wrote. */
  requester: z.string(),
  createdAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
});
export type DpoRequestItem = z.infer<typeof dpoRequestItemSchema>;
export const dpoRequestListSchema = listOf(dpoRequestItemSchema);
export const dpoRequestListQuerySchema = paginationQuery.extend({
  status: z.enum(['open', 'closed'], { message: 'statut attendu : open ou closed' }).default('open'),
});

/** Breaches reported by members' users, waiting for the DPO to qualify them (oldest first). */
export const breachesToQualifySchema = listOf(
  z.object({
    id: z.uuid(),
    memberId: z.uuid(),
    memberName: z.string(),
    awareAt: z.iso.datetime(),
    notificationDeadline: z.iso.datetime(),
    notificationDeadlineLabel: z.string(),
    createdAt: z.iso.datetime(),
  }),
);

// DPO dashboard --------------------------------------------------------------------------------

export const DASHBOARD_SORTS = [
  'name',
  '-name',
  'completion',
  '-completion',
  '-reviewDue',
  '-dpiaToDo',
  '-openRequests',
  'nextDueOn',
  '-breachesInWindow',
] as const;
export type DashboardSort = (typeof DASHBOARD_SORTS)[number];

export const dashboardFiltersSchema = z.object({
  /** Words of the member's name. */
  q: z.string().trim().max(100, '100 caractères au plus').optional(),
  departement: departementCode.optional(),
  kind: z.enum(MEMBER_KINDS).optional(),
});
export const dashboardQuerySchema = paginationQuery.extend({
  ...dashboardFiltersSchema.shape,
  sort: z.enum(DASHBOARD_SORTS).default('completion'),
});
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;
export const dashboardExportQuerySchema = dashboardFiltersSchema.extend({
  sort: z.enum(DASHBOARD_SORTS).default('completion'),
});

export const dashboardMemberSchema = z.object({
  memberId: z.uuid(),
  name: z.string(),
  kind: z.enum(MEMBER_KINDS),
  departementCode: z.string().nullable(),
  processings: z.number().int(),
  /** Average of the member's processings' completion; null without a registry. */
  completion: z.number().int().nullable(),
  reviewDue: z.number().int(),
  dpiaToDo: z.number().int(),
  openRequests: z.number().int(),
  overdueRequests: z.number().int(),
  /** Earliest (extended) due date among open requests. */
  nextDueOn: z.iso.date().nullable(),
  breachesInWindow: z.number().int(),
  hasReferent: z.boolean(),
});
export type DashboardMember = z.infer<typeof dashboardMemberSchema>;

export const dashboardSchema = z.object({
  /** « Today » in Paris, the date every count is computed for. */
  asOf: z.iso.date(),
  totals: z.object({
    members: z.number().int(),
    membersWithRegistry: z.number().int(),
    processings: z.number().int(),
    /** Average completion of every processing in scope (0–100); null without any. */
    completion: z.number().int().nullable(),
    reviewDue: z.number().int(),
    dpiaToDo: z.number().int(),
    openRequests: z.number().int(),
    overdueRequests: z.number().int(),
    breachesInWindow: z.number().int(),
    membersWithoutReferent: z.number().int(),
  }),
  /** Open requests, earliest (extended) due date first. */
  openRequests: z.array(
    z.object({
      id: z.uuid(),
      memberId: z.uuid(),
      memberName: z.string(),
      type: z.enum(RIGHTS_REQUEST_TYPES),
      receivedOn: z.iso.date(),
      dueOn: z.iso.date(),
      overdue: z.boolean(),
    }),
  ),
  /** Breaches still owed a notification whose 72 h window has not closed, most urgent first. */
  breachesInWindow: z.array(
    z.object({
      id: z.uuid(),
      memberId: z.uuid(),
      memberName: z.string(),
      awareAt: z.iso.datetime(),
      notificationDeadline: z.iso.datetime(),
      notificationDeadlineLabel: z.string(),
      remainingSeconds: z.number().int(),
      toQualify: z.boolean(),
    }),
  ),
  /** Members in scope with no référent RGPD contact (first ones by name). */
  membersWithoutReferent: z.array(
    z.object({ memberId: z.uuid(), name: z.string(), kind: z.enum(MEMBER_KINDS) }),
  ),
  members: listOf(dashboardMemberSchema),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
