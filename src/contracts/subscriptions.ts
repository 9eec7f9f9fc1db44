import { z } from 'zod';
import { SERVICE_DOMAINS } from './catalogue.js';
import { isoDate } from './common.js';
import { MEMBER_KINDS } from './members.js';

/*
 * Subscription API contracts, shared with the web app: no server imports.
 */

export const SUBSCRIPTION_STATUSES = [
  'requested',
  'active',
  'refused',
  'termination_requested',
  'terminated',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const SUBSCRIPTION_STATUS_LABELS: Record<SubscriptionStatus, string> = {
  requested: 'Demandée',
  active: 'Active',
  refused: 'Refusée',
  termination_requested: 'Résiliation demandée',
  terminated: 'Résiliée',
};

/** Statuses in which the member holds, or is about to hold, the service. */
export const LIVE_SUBSCRIPTION_STATUSES = ['requested', 'active', 'termination_requested'] as const;
export type LiveSubscriptionStatus = (typeof LIVE_SUBSCRIPTION_STATUSES)[number];
export const isLiveStatus = (status: SubscriptionStatus): status is LiveSubscriptionStatus =>
  LIVE_SUBSCRIPTION_STATUSES.some((live) => live === status);

const instant = z.iso.datetime();

/**
 * When a termination asked on `requestedOn` takes effect: the notice runs `noticeMonths` whole
 * months from the request, and the subscription ends on the last day of the month the notice
 * ends in (asked 15 March with 3 months' notice → 30 June; with no notice → 31 March). A
 * subscription that has not started yet ends no earlier than its start date.
 */
export function terminationEndDate(
  requestedOn: string,
  noticeMonths: number,
  startDate?: string | null,
): string {
  const [year, month] = requestedOn.split('-').map(Number);
  // Day 0 of the following month is the last day of the month the notice ends in.
  const last = new Date(Date.UTC(year, month - 1 + noticeMonths + 1, 0));
  const end = last.toISOString().slice(0, 10);
  return startDate && startDate > end ? startDate : end;
}

export const subscriptionRequestSchema = z.object({
  serviceId: z.uuid({ message: 'identifiant de service invalide' }),
  /** Required for per-unit services (agents, licences…), refused otherwise. */
  units: z.number().int('nombre entier attendu').min(1, 'au moins 1').max(1_000_000).optional(),
});
export type SubscriptionRequest = z.infer<typeof subscriptionRequestSchema>;

/** The operator subscribes one member directly: a request accepted at once, starting on `startDate`. */
export const directSubscriptionSchema = subscriptionRequestSchema.extend({
  startDate: isoDate,
  note: z.string().trim().max(1000).optional(),
});
export type DirectSubscription = z.infer<typeof directSubscriptionSchema>;

export const acceptSubscriptionSchema = z.object({
  startDate: isoDate,
  note: z.string().trim().max(1000).optional(),
});
export const refuseSubscriptionSchema = z.object({
  reason: z.string().trim().min(3, 'indiquez le motif du refus').max(1000),
});
export const terminateSubscriptionSchema = z.object({
  note: z.string().trim().max(1000).optional(),
});
export const confirmTerminationSchema = z.object({
  /** Defaults to the end date computed from the notice period. */
  endDate: isoDate.optional(),
  note: z.string().trim().max(1000).optional(),
});
export const subscriptionPatchSchema = z.object({
  units: z.number().int('nombre entier attendu').min(1, 'au moins 1').max(1_000_000),
});

export const subscriptionServiceSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  domain: z.enum(SERVICE_DOMAINS),
  noticeMonths: z.number().int(),
  unitLabel: z.string().nullable(),
});

export const subscriptionSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  memberName: z.string(),
  service: subscriptionServiceSchema,
  status: z.enum(SUBSCRIPTION_STATUSES),
  requestedOn: isoDate,
  startDate: isoDate.nullable(),
  endDate: isoDate.nullable(),
  units: z.number().int().nullable(),
  refusalReason: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const subscriptionEventSchema = z.object({
  id: z.uuid(),
  fromStatus: z.enum(SUBSCRIPTION_STATUSES).nullable(),
  toStatus: z.enum(SUBSCRIPTION_STATUSES),
  effectiveOn: isoDate,
  note: z.string().nullable(),
  actor: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  createdAt: instant,
});
export type SubscriptionEvent = z.infer<typeof subscriptionEventSchema>;

export const subscriptionDetailSchema = subscriptionSchema.extend({
  events: z.array(subscriptionEventSchema),
});
export type SubscriptionDetail = z.infer<typeof subscriptionDetailSchema>;

export const subscriptionListSchema = z.object({
  items: z.array(subscriptionSchema),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});

export const subscriptionQueueQuerySchema = z.object({
  status: z.enum(SUBSCRIPTION_STATUSES, { message: 'statut inconnu' }).optional(),
  serviceId: z.uuid({ message: 'identifiant de service invalide' }).optional(),
  memberId: z.uuid({ message: 'identifiant de structure invalide' }).optional(),
  /** Words of the member's name. */
  q: z.string().trim().max(100, '100 caractères au plus').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type SubscriptionQueueQuery = z.infer<typeof subscriptionQueueQuerySchema>;

export const subscriberQuerySchema = z.object({
  /** Without it: live subscriptions (requested, active, termination requested). */
  status: z.enum(SUBSCRIPTION_STATUSES, { message: 'statut inconnu' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type SubscriberQuery = z.infer<typeof subscriberQuerySchema>;

export const subscriberSchema = z.object({
  subscriptionId: z.uuid(),
  memberId: z.uuid(),
  memberName: z.string(),
  kind: z.enum(MEMBER_KINDS),
  siren: z.string(),
  departementCode: z.string().nullable(),
  population: z.number().int().nullable(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  requestedOn: isoDate,
  startDate: isoDate.nullable(),
  endDate: isoDate.nullable(),
  units: z.number().int().nullable(),
});
export type Subscriber = z.infer<typeof subscriberSchema>;

export const subscriberListSchema = z.object({
  items: z.array(subscriberSchema),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});

/** Exactly one way to pick members: a list, an EPCI (its communes and their satellites, and itself), or a département. */
export const bulkSubscriptionSchema = z
  .object({
    memberIds: z
      .array(z.uuid({ message: 'identifiant de structure invalide' }))
      .min(1, 'au moins une structure')
      .max(5000, '5 000 structures au plus')
      .optional(),
    epciCode: z
      .string()
      .trim()
      .regex(/^\d{9}$/, 'code EPCI invalide (SIREN à 9 chiffres)')
      .optional(),
    departement: z
      .string()
      .trim()
      .regex(/^(\d{2,3}|2A|2B)$/, 'code département invalide')
      .optional(),
    kind: z.enum(MEMBER_KINDS, { message: 'type de structure inconnu' }).optional(),
    startDate: isoDate,
    /** Report what would happen without writing anything. */
    dryRun: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const chosen = [v.memberIds, v.epciCode, v.departement].filter((x) => x !== undefined).length;
    if (chosen !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['memberIds'],
        message: 'choisissez exactement un critère : memberIds, epciCode ou departement',
      });
    }
  });
export type BulkSubscriptionInput = z.infer<typeof bulkSubscriptionSchema>;

export const bulkReportItemSchema = z.object({
  memberId: z.uuid(),
  name: z.string(),
  outcome: z.enum(['created', 'skipped']),
  reason: z.string().nullable(),
  subscriptionId: z.uuid().nullable(),
});
export type BulkReportItem = z.infer<typeof bulkReportItemSchema>;

export const bulkReportSchema = z.object({
  serviceId: z.uuid(),
  startDate: isoDate,
  dryRun: z.boolean(),
  created: z.number().int(),
  skipped: z.number().int(),
  items: z.array(bulkReportItemSchema),
});
export type BulkReport = z.infer<typeof bulkReportSchema>;
