import { z } from 'zod';
import { INT4_MAX } from './common.js';
import { MEMBER_KINDS } from './members.js';

/*
 * Catalogue API contracts, shared with the web app: no server imports.
 */

export const SERVICE_DOMAINS = [
  'dematerialisation',
  'logiciels_metiers',
  'rgpd',
  'cybersecurite',
  'hebergement',
  'accompagnement_formation',
] as const;
export type ServiceDomain = (typeof SERVICE_DOMAINS)[number];

export const SERVICE_DOMAIN_LABELS: Record<ServiceDomain, string> = {
  dematerialisation: 'Dématérialisation',
  logiciels_metiers: 'Logiciels métiers',
  rgpd: 'RGPD',
  cybersecurite: 'Cybersécurité',
  hebergement: 'Hébergement',
  accompagnement_formation: 'Accompagnement & formation',
};

export const SERVICE_STATUSES = ['proposed', 'open', 'closed', 'retired'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const SERVICE_STATUS_LABELS: Record<ServiceStatus, string> = {
  proposed: 'En projet',
  open: 'Ouvert aux souscriptions',
  closed: 'Fermé aux nouvelles souscriptions',
  retired: 'Retiré',
};

/** A stratum: structures of up to `upToPopulation` inhabitants (inclusive); null = no upper bound. */
export const alonePriceSchema = z.object({
  upToPopulation: z
    .number()
    .int('nombre entier attendu')
    .min(1, 'la borne doit être positive')
    .max(INT4_MAX, 'nombre trop grand')
    .nullable(),
  aloneCents: z
    .number()
    .int('montant en centimes entiers attendu')
    .min(0, 'montant négatif')
    .max(INT4_MAX, 'montant trop grand'),
});
export type AlonePrice = z.infer<typeof alonePriceSchema>;

/**
 * The "alone" reference price for a structure of `population` inhabitants: the first stratum whose
 * bound is at least the population (bounds inclusive), the open-ended one last. Null when the
 * service has no reference price or the population is unknown.
 */
export function alonePriceFor(strata: readonly AlonePrice[], population: number | null): number | null {
  if (population === null || strata.length === 0) return null;
  const sorted = [...strata].sort(
    (a, b) => (a.upToPopulation ?? Number.POSITIVE_INFINITY) - (b.upToPopulation ?? Number.POSITIVE_INFINITY),
  );
  const stratum = sorted.find((s) => s.upToPopulation === null || population <= s.upToPopulation);
  return stratum ? stratum.aloneCents : null;
}

const alonePricesSchema = z
  .array(alonePriceSchema)
  .max(20, '20 tranches au plus')
  .superRefine((strata, ctx) => {
    if (strata.length === 0) return;
    const bounds = new Set<number | null>();
    strata.forEach((s, i) => {
      if (bounds.has(s.upToPopulation)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'upToPopulation'],
          message:
            s.upToPopulation === null
              ? 'une seule tranche sans limite supérieure'
              : `la tranche « jusqu'à ${s.upToPopulation} habitants » est en double`,
        });
      }
      bounds.add(s.upToPopulation);
    });
    if (!bounds.has(null)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          'ajoutez une dernière tranche sans limite supérieure (upToPopulation: null) pour couvrir toutes les tailles',
      });
    }
  });

const serviceCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,39}$/, 'code invalide : 2 à 40 caractères, lettres, chiffres, - ou _');

const serviceFields = {
  code: serviceCode,
  domain: z.enum(SERVICE_DOMAINS, { message: 'domaine inconnu' }),
  name: z.string().trim().min(3, 'nom trop court').max(200, 'nom trop long'),
  description: z.string().trim().max(5000, 'description trop longue'),
  included: z.string().trim().max(5000, 'texte trop long'),
  eligibleKinds: z
    .array(z.enum(MEMBER_KINDS, { message: 'type de structure inconnu' }))
    .min(1, 'au moins un type de structure éligible')
    .refine((kinds) => new Set(kinds).size === kinds.length, 'type de structure en double'),
  status: z.enum(SERVICE_STATUSES, { message: 'statut inconnu' }),
  noticeMonths: z.number().int('nombre entier de mois attendu').min(0).max(36, '36 mois au plus'),
  unitLabel: z
    .string()
    .trim()
    .max(60)
    .transform((v) => (v === '' ? null : v))
    .nullable(),
  /** Ids of the services this one requires (replaces the whole set). */
  prerequisiteIds: z
    .array(z.uuid({ message: 'identifiant de service invalide' }))
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, 'prérequis en double'),
  /** Replaces every stratum. */
  alonePrices: alonePricesSchema,
};

export const serviceInputSchema = z.object({
  ...serviceFields,
  description: serviceFields.description.default(''),
  included: serviceFields.included.default(''),
  status: serviceFields.status.default('proposed'),
  noticeMonths: serviceFields.noticeMonths.default(3),
  unitLabel: serviceFields.unitLabel.optional().default(null),
  prerequisiteIds: serviceFields.prerequisiteIds.default([]),
  alonePrices: serviceFields.alonePrices.default([]),
});
export type ServiceInput = z.infer<typeof serviceInputSchema>;

export const servicePatchSchema = z
  .object(serviceFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'aucun champ à modifier');
export type ServicePatch = z.infer<typeof servicePatchSchema>;

export const serviceListQuerySchema = z.object({
  domain: z.enum(SERVICE_DOMAINS, { message: 'domaine inconnu' }).optional(),
  /** Without it, retired services are left out. */
  status: z.enum(SERVICE_STATUSES, { message: 'statut inconnu' }).optional(),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(500).optional(),
});
export type ServiceListQuery = z.infer<typeof serviceListQuerySchema>;

export const serviceRefSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string() });

export const serviceSummarySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  domain: z.enum(SERVICE_DOMAINS),
  name: z.string(),
  description: z.string(),
  eligibleKinds: z.array(z.enum(MEMBER_KINDS)),
  status: z.enum(SERVICE_STATUSES),
  noticeMonths: z.number().int(),
  unitLabel: z.string().nullable(),
});
export type ServiceSummary = z.infer<typeof serviceSummarySchema>;

export const serviceListSchema = z.object({
  items: z.array(serviceSummarySchema),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});

/** Whether the current member may request the service, and why not (in French). */
export const eligibilitySchema = z.object({
  eligible: z.boolean(),
  reasons: z.array(z.string()),
  /** The member's live subscription to this service, if any. */
  subscription: z
    .object({ id: z.uuid(), status: z.enum(['requested', 'active', 'termination_requested']) })
    .nullable(),
});
export type Eligibility = z.infer<typeof eligibilitySchema>;

export const serviceDetailSchema = serviceSummarySchema.extend({
  included: z.string(),
  prerequisites: z.array(serviceRefSchema),
  /** Services that require this one. */
  requiredBy: z.array(serviceRefSchema),
  /** Sorted by bound, the open-ended stratum last. */
  alonePrices: z.array(alonePriceSchema),
  /** For a logged-in member user acting for a member; null otherwise. */
  forCurrentMember: eligibilitySchema.nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ServiceDetail = z.infer<typeof serviceDetailSchema>;

export const serviceHistoryEntrySchema = z.object({
  id: z.uuid(),
  at: z.iso.datetime(),
  actor: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  /** Field name → before and after. */
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
});
export type ServiceHistoryEntry = z.infer<typeof serviceHistoryEntrySchema>;

export const serviceHistorySchema = z.object({
  items: z.array(serviceHistoryEntrySchema),
  total: z.number().int(),
  nextCursor: z.string().nullable(),
});
