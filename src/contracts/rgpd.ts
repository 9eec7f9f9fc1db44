import { z } from 'zod';
import { departementCode, isoDate, listOf } from './common.js';
import { MEMBER_KINDS } from './members.js';

/** GDPR registry of processing activities (Art. 30), templates, processors and designation. */

export const LEGAL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interest',
  'public_task',
  'legitimate_interest',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
export const LEGAL_BASIS_LABELS: Record<LegalBasis, string> = {
  consent: 'Consentement (art. 6.1.a)',
  contract: 'Exécution d’un contrat (art. 6.1.b)',
  legal_obligation: 'Obligation légale (art. 6.1.c)',
  vital_interest: 'Sauvegarde des intérêts vitaux (art. 6.1.d)',
  public_task: 'Mission d’intérêt public (art. 6.1.e)',
  legitimate_interest: 'Intérêt légitime (art. 6.1.f)',
};

export const PROCESSING_STATUSES = ['draft', 'to_review', 'validated'] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];
export const PROCESSING_STATUS_LABELS: Record<ProcessingStatus, string> = {
  draft: 'Brouillon',
  to_review: 'À revoir',
  validated: 'Validé',
};

export const DPIA_STATUSES = ['not_started', 'in_progress', 'done', 'not_required'] as const;
export type DpiaStatus = (typeof DPIA_STATUSES)[number];
export const DPIA_STATUS_LABELS: Record<DpiaStatus, string> = {
  not_started: 'Non commencée',
  in_progress: 'En cours',
  done: 'Réalisée',
  not_required: 'Non requise (motivée)',
};

/** The nine EDPB criteria (WP248 rev.01); two or more make a DPIA required. */
export const DPIA_CRITERIA = [
  'evaluation_scoring',
  'automated_decision',
  'systematic_monitoring',
  'sensitive_data',
  'large_scale',
  'matching_datasets',
  'vulnerable_subjects',
  'innovative_technology',
  'blocking_rights',
] as const;
export type DpiaCriterion = (typeof DPIA_CRITERIA)[number];
export const DPIA_CRITERION_LABELS: Record<DpiaCriterion, string> = {
  evaluation_scoring: 'Évaluation ou notation (profilage)',
  automated_decision: 'Décision automatisée avec effet juridique',
  systematic_monitoring: 'Surveillance systématique',
  sensitive_data: 'Données sensibles ou hautement personnelles',
  large_scale: 'Traitement à grande échelle',
  matching_datasets: 'Croisement ou combinaison d’ensembles de données',
  vulnerable_subjects: 'Personnes vulnérables (enfants, patients, usagers de l’aide sociale…)',
  innovative_technology: 'Usage innovant ou nouvelle technologie',
  blocking_rights: 'Exclusion du bénéfice d’un droit, d’un service ou d’un contrat',
};
export const DPIA_REQUIRED_THRESHOLD = 2;

export const RECIPIENT_TYPES = ['internal', 'external', 'third_country'] as const;
export const RECIPIENT_TYPE_LABELS: Record<(typeof RECIPIENT_TYPES)[number], string> = {
  internal: 'Interne',
  external: 'Externe',
  third_country: 'Pays tiers',
};
export const FINAL_FATES = ['destruction', 'archiving', 'anonymisation'] as const;
export const FINAL_FATE_LABELS: Record<(typeof FINAL_FATES)[number], string> = {
  destruction: 'Destruction',
  archiving: 'Archivage',
  anonymisation: 'Anonymisation',
};
export const SECURITY_MEASURE_KEYS = [
  'accessControl',
  'traceability',
  'backups',
  'updates',
  'encryption',
  'other',
] as const;
export const SECURITY_MEASURE_LABELS: Record<(typeof SECURITY_MEASURE_KEYS)[number], string> = {
  accessControl: 'Contrôle des accès',
  traceability: 'Traçabilité',
  backups: 'Sauvegardes',
  updates: 'Mises à jour',
  encryption: 'Chiffrement',
  other: 'Autres mesures',
};

const shortText = (max = 500) => z.string().trim().max(max, `${max} caractères au plus`);
const longText = shortText(10_000);
const optionalText = (max = 10_000) => shortText(max).nullable();

export const dataSubjectSchema = z.object({
  category: shortText(200).min(1, 'catégorie de personnes requise'),
  estimatedCount: z.number().int().min(0).nullable().default(null),
});
export const recipientSchema = z.object({
  name: shortText(200).min(1, 'nom du destinataire requis'),
  type: z.enum(RECIPIENT_TYPES),
});
export const transferSchema = z.object({
  country: shortText(100).min(1, 'pays requis'),
  safeguard: shortText(1000),
});
export const retentionSchema = z.object({
  dataCategory: shortText(200).min(1, 'catégorie de données requise'),
  duration: shortText(200).min(1, 'durée requise'),
  finalFate: z.enum(FINAL_FATES),
});
export const securityMeasuresSchema = z.object({
  accessControl: optionalText(2000).default(null),
  traceability: optionalText(2000).default(null),
  backups: optionalText(2000).default(null),
  updates: optionalText(2000).default(null),
  encryption: optionalText(2000).default(null),
  other: optionalText(2000).default(null),
});
export type SecurityMeasures = z.infer<typeof securityMeasuresSchema>;
export type DataSubject = z.infer<typeof dataSubjectSchema>;
export type Recipient = z.infer<typeof recipientSchema>;
export type Transfer = z.infer<typeof transferSchema>;
export type Retention = z.infer<typeof retentionSchema>;

/**
 * The fields a template carries and a linked processing inherits (everything except the member's own
 * lifecycle: status, reviews, DPIA progress, publication, processors).
 */
export const templateFieldsSchema = z.object({
  name: shortText(200).min(1, 'nom du traitement requis'),
  purposes: longText.default(''),
  legalBasis: z.enum(LEGAL_BASES).nullable().default(null),
  legalBasisJustification: optionalText().default(null),
  sensitiveData: z.boolean().default(false),
  sensitiveException: optionalText(2000).default(null),
  dataSubjects: z.array(dataSubjectSchema).max(50).default([]),
  dataCategories: z.array(shortText(200).min(1)).max(100).default([]),
  sources: optionalText(2000).default(null),
  collectionMethod: optionalText(2000).default(null),
  recipients: z.array(recipientSchema).max(100).default([]),
  transfers: z.array(transferSchema).max(50).default([]),
  retention: z.array(retentionSchema).max(50).default([]),
  securityMeasures: securityMeasuresSchema.default({
    accessControl: null,
    traceability: null,
    backups: null,
    updates: null,
    encryption: null,
    other: null,
  }),
  software: optionalText(500).default(null),
  department: optionalText(200).default(null),
  dpiaCriteria: z.array(z.enum(DPIA_CRITERIA)).max(9).default([]),
});
export type TemplateFields = z.infer<typeof templateFieldsSchema>;
export const TEMPLATE_FIELD_NAMES = Object.keys(templateFieldsSchema.shape) as (keyof TemplateFields)[];

/** The member's own part of a processing. */
export const processingLocalSchema = z.object({
  status: z.enum(PROCESSING_STATUSES).default('draft'),
  lastReviewOn: isoDate.nullable().default(null),
  nextReviewOn: isoDate.nullable().default(null),
  dpiaStatus: z.enum(DPIA_STATUSES).default('not_started'),
  dpiaNotRequiredReason: optionalText(2000).default(null),
  isPublic: z.boolean().default(false),
  processorIds: z
    .array(z.uuid({ message: 'identifiant de sous-traitant invalide' }))
    .max(50)
    .default([]),
});

export const processingInputSchema = templateFieldsSchema.extend(processingLocalSchema.shape);
export type ProcessingInput = z.infer<typeof processingInputSchema>;

/**
 * The same object with every field optional and no default: a PATCH changes only what it sends
 * (zod's `.partial()` would keep the defaults and reset the fields left out).
 */
function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional(),
    ]),
  );
  return z.object(shape) as unknown as z.ZodObject<{
    [K in keyof S]: z.ZodOptional<z.ZodType<z.output<S[K]>, z.input<S[K]>>>;
  }>;
}

/** Every field optional; `version` (when sent) must be the version read, or the change is refused (409). */
export const processingPatchSchema = patchOf(processingInputSchema).extend({
  version: z.number().int().min(1).optional(),
});
export type ProcessingPatch = z.infer<typeof processingPatchSchema>;

export const processorRefSchema = z.object({ id: z.uuid(), name: z.string() });

export const processingSummarySchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  name: z.string(),
  purposes: z.string(),
  legalBasis: z.enum(LEGAL_BASES).nullable(),
  status: z.enum(PROCESSING_STATUSES),
  completion: z.number().int().min(0).max(100),
  dpiaRequired: z.boolean(),
  dpiaStatus: z.enum(DPIA_STATUSES),
  department: z.string().nullable(),
  lastReviewOn: z.string().nullable(),
  nextReviewOn: z.string().nullable(),
  isPublic: z.boolean(),
  templateId: z.uuid().nullable(),
  templateUpdateAvailable: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type ProcessingSummary = z.infer<typeof processingSummarySchema>;

export const processingSchema = processingSummarySchema.extend(templateFieldsSchema.shape).extend({
  legalBasis: z.enum(LEGAL_BASES).nullable(),
  dpiaNotRequiredReason: z.string().nullable(),
  templateVersion: z.number().int().nullable(),
  templateName: z.string().nullable(),
  processors: z.array(processorRefSchema),
  /** Labels of the required fields still empty. */
  missingFields: z.array(z.string()),
  createdAt: z.string(),
});
export type Processing = z.infer<typeof processingSchema>;

export const processingListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  status: z.enum(PROCESSING_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  cursor: z.string().max(500).optional(),
});
export const processingListSchema = listOf(processingSummarySchema);

export const fieldChangeSchema = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof fieldChangeSchema>;
export const processingVersionSchema = z.object({
  version: z.number().int(),
  at: z.string(),
  actorUserId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  changes: z.array(fieldChangeSchema),
});
export const processingVersionListSchema = listOf(processingVersionSchema);
export const processingVersionDetailSchema = processingVersionSchema.extend({
  snapshot: z.record(z.string(), z.unknown()),
});

export const templateUpdateSchema = z.object({
  templateId: z.uuid(),
  templateName: z.string(),
  fromVersion: z.number().int().nullable(),
  toVersion: z.number().int(),
  available: z.boolean(),
  differences: z.array(
    z.object({ field: z.string(), current: z.unknown(), proposed: z.unknown(), base: z.unknown() }),
  ),
});
export const templateUpdateDecisionSchema = z
  .object({
    accept: z.array(z.enum(TEMPLATE_FIELD_NAMES as [string, ...string[]])).default([]),
    dismiss: z.boolean().default(false),
  })
  .refine((v) => v.accept.length > 0 || v.dismiss, {
    message: 'acceptez au moins un champ ou écartez la mise à jour (dismiss)',
    path: ['accept'],
  });

export const memberTargetSchema = z
  .object({
    memberIds: z
      .array(z.uuid({ message: 'identifiant de structure invalide' }))
      .min(1)
      .max(5000)
      .optional(),
    departement: departementCode.optional(),
    kind: z.enum(MEMBER_KINDS).optional(),
    epciCode: z
      .string()
      .regex(/^\d{9}$/, 'code EPCI (SIREN) invalide')
      .optional(),
  })
  .refine((v) => v.memberIds || v.departement || v.epciCode || v.kind, {
    message: 'indiquez memberIds, departement (et kind) ou epciCode',
    path: ['memberIds'],
  });
export type MemberTarget = z.infer<typeof memberTargetSchema>;

export const APPLY_OUTCOMES = ['created', 'already_present', 'not_applicable', 'not_found'] as const;
export const applyReportSchema = z.object({
  created: z.number().int(),
  skipped: z.number().int(),
  members: z.array(
    z.object({
      memberId: z.uuid(),
      memberName: z.string().nullable(),
      outcome: z.enum(APPLY_OUTCOMES),
      processingId: z.uuid().nullable(),
    }),
  ),
});
export type ApplyReport = z.infer<typeof applyReportSchema>;
export const copyInputSchema = z.object({
  memberIds: z
    .array(z.uuid({ message: 'identifiant de structure invalide' }))
    .min(1)
    .max(5000),
});

// Templates ---------------------------------------------------------------------------------------

export const templateSummarySchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  version: z.number().int(),
  applicableKinds: z.array(z.string()),
  purposes: z.string(),
  legalBasis: z.enum(LEGAL_BASES).nullable(),
  dpiaRequired: z.boolean(),
  linkedProcessings: z.number().int(),
  updatedAt: z.string(),
});
export const templateSchema = templateSummarySchema.extend({ fields: templateFieldsSchema });
export const templateListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(MEMBER_KINDS).optional(),
});
export const templateListSchema = listOf(templateSummarySchema);
export const templateInputSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, 'code en minuscules, chiffres, - et _ (2 à 63 caractères)'),
  name: shortText(200).min(1, 'nom requis'),
  applicableKinds: z.array(z.enum(MEMBER_KINDS)).default([]),
  fields: templateFieldsSchema,
});
export const templatePatchSchema = z.object({
  name: shortText(200).min(1).optional(),
  applicableKinds: z.array(z.enum(MEMBER_KINDS)).optional(),
  fields: patchOf(templateFieldsSchema).optional(),
});

// Processors --------------------------------------------------------------------------------------

export const processorInputSchema = z.object({
  name: shortText(200).min(1, 'nom requis'),
  siren: z
    .string()
    .trim()
    .regex(/^\d{9}$/, 'SIREN à 9 chiffres')
    .nullable()
    .default(null),
  contractClausesChecked: z.boolean().default(false),
  ownRegistry: z.boolean().default(false),
  dpoContact: optionalText(500).default(null),
  transfersOutsideEu: z.boolean().default(false),
  transferDetails: optionalText(2000).default(null),
  isOperator: z.boolean().default(false),
});
export const processorPatchSchema = z.object({
  name: shortText(200).min(1).optional(),
  siren: z
    .string()
    .trim()
    .regex(/^\d{9}$/, 'SIREN à 9 chiffres')
    .nullable()
    .optional(),
  contractClausesChecked: z.boolean().optional(),
  ownRegistry: z.boolean().optional(),
  dpoContact: optionalText(500).optional(),
  transfersOutsideEu: z.boolean().optional(),
  transferDetails: optionalText(2000).optional(),
  isOperator: z.boolean().optional(),
});
export const processorSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  siren: z.string().nullable(),
  contractClausesChecked: z.boolean(),
  ownRegistry: z.boolean(),
  dpoContact: z.string().nullable(),
  transfersOutsideEu: z.boolean(),
  transferDetails: z.string().nullable(),
  isOperator: z.boolean(),
  linkedProcessings: z.number().int(),
  updatedAt: z.string(),
});
export const processorListSchema = listOf(processorSchema);
export const processorListQuerySchema = z.object({ q: z.string().trim().max(100).optional() });

// Designation, editors, summary -------------------------------------------------------------------

export const designationInputSchema = z.object({
  cnilNumber: optionalText(50).default(null),
  designatedOn: isoDate.nullable().default(null),
  dpoName: optionalText(200).default(null),
});
export const designationSchema = z.object({
  memberId: z.uuid(),
  cnilNumber: z.string().nullable(),
  designatedOn: z.string().nullable(),
  dpoName: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export const rgpdEditorSchema = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  since: z.string(),
});
export const rgpdEditorListSchema = listOf(rgpdEditorSchema);

export const registrySummarySchema = z.object({
  memberId: z.uuid(),
  processings: z.number().int(),
  /** Average completion of the member's processings; 0 for an empty registry. */
  completion: z.number().int(),
  validated: z.number().int(),
  dpiaRequiredNotDone: z.number().int(),
  dueForReview: z.number().int(),
  templateUpdatesAvailable: z.number().int(),
  /** Whether the current user may edit this registry (for the web app). */
  canEdit: z.boolean(),
});

// Public registry ---------------------------------------------------------------------------------

export const publicProcessingSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  purposes: z.string(),
  legalBasis: z.enum(LEGAL_BASES).nullable(),
  dataSubjects: z.array(z.string()),
  dataCategories: z.array(z.string()),
  recipients: z.array(recipientSchema),
  transfers: z.array(transferSchema),
  retention: z.array(retentionSchema),
  processors: z.array(z.string()),
});
export const publicRegistrySchema = z.object({
  member: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }),
  processings: z.array(publicProcessingSchema),
});

// Catalogue link ----------------------------------------------------------------------------------

const templateRefSchema = z.object({ id: z.uuid(), code: z.string(), name: z.string() });
export const serviceImpliedSchema = z.object({
  serviceId: z.uuid(),
  templates: z.array(templateRefSchema),
  processors: z.array(processorRefSchema),
});
export const serviceImpliedInputSchema = z.object({
  templateIds: z
    .array(z.uuid({ message: 'identifiant de modèle invalide' }))
    .max(100)
    .default([]),
  processorIds: z
    .array(z.uuid({ message: 'identifiant de sous-traitant invalide' }))
    .max(100)
    .default([]),
});
/** Templates the member's subscribed services imply and its registry does not hold yet. */
export const registrySuggestionListSchema = listOf(
  z.object({
    template: templateRefSchema,
    services: z.array(z.object({ id: z.uuid(), name: z.string() })),
    processors: z.array(processorRefSchema),
  }),
);
export const adoptTemplateInputSchema = z.object({
  templateId: z.uuid({ message: 'identifiant de modèle invalide' }),
});
