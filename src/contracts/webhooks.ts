import { z } from 'zod';
import { listOf, paginationQuery } from './common.js';

/**
 * Signed webhooks (issue 16, section 3): the catalogue of event types other software may subscribe
 * to. Each module emits its events (platform/events: `emitEvent(tx, …)`) in the transaction of the
 * change they describe. `ticket.answered` (support) and `service.status_changed` (hosting) are
 * emitted by those modules when they land.
 */
export const WEBHOOK_EVENT_TYPES = [
  'member.updated',
  'subscription.changed',
  'invoice.issued',
  'invoice.paid',
  'act.acknowledged',
  'act.published',
  'breach.declared',
  'advisory.affecting_member',
  'incident.declared',
  'ticket.answered',
  'ticket.merged',
  'service.status_changed',
  'training.registration_created',
  'training.registration_cancelled',
  'training.registration_promoted',
  'training.attendance_recorded',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  'member.updated': 'Fiche de la structure modifiée',
  'subscription.changed': 'Abonnement demandé, accepté, refusé, modifié ou résilié',
  'invoice.issued': 'Facture émise',
  'invoice.paid': 'Facture payée',
  'act.acknowledged': 'Acte reçu par la préfecture (accusé de réception)',
  'act.published': 'Acte publié',
  'breach.declared': 'Violation de données personnelles déclarée',
  'advisory.affecting_member': 'Avis de sécurité concernant la structure',
  'incident.declared': 'Incident de cybersécurité déclaré',
  'ticket.answered': "Réponse à une demande d'assistance",
  'ticket.merged': "Demande d'assistance fusionnée dans une autre (doublon)",
  'service.status_changed': "Changement d'état d'un service hébergé",
  'training.registration_created': 'Inscription à une session de formation (confirmée ou en attente)',
  'training.registration_cancelled': 'Inscription à une session de formation annulée',
  'training.registration_promoted':
    "Inscription confirmée depuis la liste d'attente (une place s'est libérée)",
  'training.attendance_recorded': 'Présence à une session de formation enregistrée',
};

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
export const WEBHOOK_DELIVERY_STATUS_LABELS: Record<WebhookDeliveryStatus, string> = {
  pending: 'En cours',
  succeeded: 'Livrée',
  failed: 'Échouée',
};

export const webhookInputSchema = z.object({
  url: z
    .string({ message: 'adresse du point de réception attendue' })
    .trim()
    .max(2000, 'adresse trop longue (2 000 caractères au plus)')
    .url({ message: 'adresse web attendue, par exemple https://exemple.fr/webhooks' }),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { message: "type d'événement inconnu" }), {
      message: "liste des types d'événements attendue",
    })
    .min(1, "choisissez au moins un type d'événement")
    .max(WEBHOOK_EVENT_TYPES.length),
  description: z.string().trim().max(200, 'description trop longue (200 caractères au plus)').optional(),
});
export type WebhookInput = z.infer<typeof webhookInputSchema>;

export const webhookSchema = z.object({
  id: z.uuid(),
  /** The member the endpoint belongs to, or the operator organisation (events of every member). */
  organisationId: z.uuid(),
  allMembers: z.boolean(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  createdAt: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;

/** The answer to a creation: the only time the signing secret is shown. */
export const webhookCreatedSchema = webhookSchema.extend({
  secret: z.string().meta({ description: 'secret de signature `whsec_…`, montré une seule fois' }),
});
export type WebhookCreated = z.infer<typeof webhookCreatedSchema>;

export const webhookListSchema = listOf(webhookSchema);

export const webhookDeliverySchema = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  eventId: z.uuid(),
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  memberId: z.uuid(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
export const webhookDeliveryListSchema = listOf(webhookDeliverySchema);
export const webhookDeliveryQuerySchema = paginationQuery;

/** The catalogue as the API gives it (for forms and other software). */
export const webhookEventTypesSchema = z.object({
  items: z.array(z.object({ type: z.enum(WEBHOOK_EVENT_TYPES), label: z.string() })),
});
