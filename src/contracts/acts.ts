import { z } from 'zod';
import { cappedListOf, INT4_MAX, isoDate, paginationQuery } from './common.js';

/**
 * Dematerialisation of acts: the member's act register, transmission to the prefecture's legality
 * check through a tiers de télétransmission (S²LOW protocol), and legal e-publication.
 */

/** @CTES natures, with the numeric code the transmission envelope carries (1–6). */
export const ACT_NATURES = ['DE', 'AR', 'AI', 'CC', 'BF', 'AU'] as const;
export type ActNature = (typeof ACT_NATURES)[number];
export const ACT_NATURE_LABELS: Record<ActNature, string> = {
  DE: 'Délibération',
  AR: 'Acte réglementaire',
  AI: 'Acte individuel',
  CC: 'Contrat, convention ou avenant',
  BF: 'Document budgétaire ou financier',
  AU: 'Autre acte',
};
export const ACT_NATURE_CODES: Record<ActNature, number> = { DE: 1, AR: 2, AI: 3, CC: 4, BF: 5, AU: 6 };

/**
 * Where an act stands in its transmission. Publication is independent (see `publishedAt`).
 * draft → ready → transmitting → acknowledged | error; acknowledged → cancelled.
 */
export const ACT_STATUSES = ['draft', 'ready', 'transmitting', 'acknowledged', 'error', 'cancelled'] as const;
export type ActStatus = (typeof ACT_STATUSES)[number];
export const ACT_STATUS_LABELS: Record<ActStatus, string> = {
  draft: 'Brouillon',
  ready: 'Prêt à transmettre',
  transmitting: 'En cours de transmission',
  acknowledged: 'Accusé de réception reçu',
  error: 'En erreur',
  cancelled: 'Annulé',
};

export const ACT_DOCUMENT_ROLES = ['main', 'annex'] as const;
export type ActDocumentRole = (typeof ACT_DOCUMENT_ROLES)[number];
export const ACT_DOCUMENT_ROLE_LABELS: Record<ActDocumentRole, string> = {
  main: 'Document principal',
  annex: 'Annexe',
};
/** The main document is a PDF; annexes may be PDF, PNG, JPEG, and XML for budget documents (BF). */
export const ACT_MAIN_MEDIA_TYPES = ['application/pdf'] as const;
export const ACT_ANNEX_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export const ACT_BUDGET_ANNEX_MEDIA_TYPES = [...ACT_ANNEX_MEDIA_TYPES, 'application/xml'] as const;
/** S²LOW refuses envelopes over 150 MB; one file at most 20 MB here. */
export const ACT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;

/** Messages from the prefecture, and the member's answers. */
export const ACT_MESSAGE_KINDS = [
  'courrier_simple',
  'demande_pieces',
  'lettre_observations',
  'defere',
  'reponse_pieces',
] as const;
export type ActMessageKind = (typeof ACT_MESSAGE_KINDS)[number];
export const ACT_MESSAGE_KIND_LABELS: Record<ActMessageKind, string> = {
  courrier_simple: 'Courrier simple',
  demande_pieces: 'Demande de pièces complémentaires',
  lettre_observations: "Lettre d'observations",
  defere: 'Déféré au tribunal administratif',
  reponse_pieces: 'Réponse : pièces complémentaires envoyées',
};

/**
 * Internal number: at most 15 characters, capital letters, digits and `_` (@CTES), and — as S²LOW
 * checks it — neither starting nor ending with `_`.
 */
export const ACT_NUMBER_PATTERN = /^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$/;
export const actNumberSchema = z
  .string()
  .trim()
  .min(1, 'Le numéro est obligatoire')
  .max(15, 'Le numéro compte au plus 15 caractères')
  .regex(/^[A-Z0-9_]+$/, 'Le numéro ne contient que des majuscules, des chiffres et « _ »')
  .regex(ACT_NUMBER_PATTERN, 'Le numéro ne commence ni ne finit par « _ »');

/** A classification code: the matière (1–9) and its sub-levels, e.g. `1`, `7.1`, `3.2.1` (5 levels at most). */
export const classificationCodeSchema = z
  .string()
  .trim()
  .regex(/^[1-9](\.\d{1,2}){0,4}$/, 'Code de classification attendu (ex. 7.1)');

/** @CTES subject: at most 499 characters. */
export const ACT_SUBJECT_MAX = 499;

const voteCount = z.number().int().min(0).max(INT4_MAX);

const actFields = {
  nature: z.enum(ACT_NATURES, { message: 'Nature attendue : DE, AR, AI, CC, BF ou AU' }),
  classification: classificationCodeSchema,
  number: actNumberSchema,
  decidedOn: isoDate,
  subject: z
    .string()
    .trim()
    .min(1, "L'objet est obligatoire")
    .max(ACT_SUBJECT_MAX, `L'objet compte au plus ${ACT_SUBJECT_MAX} caractères`),
  signatoryName: z.string().trim().max(200).nullable().optional(),
  signedOn: isoDate.nullable().optional(),
  /** The date of the council session the act belongs to (deliberations), if any. */
  sessionOn: isoDate.nullable().optional(),
  /** False for acts not subject to the legality check: executory once published or notified. */
  transmissionRequired: z.boolean().optional(),
  /** For individual acts: the date the person concerned was notified. */
  notifiedOn: isoDate.nullable().optional(),
  /** The act this one corrects (both are published; each points to the other). */
  correctsActId: z.uuid().nullable().optional(),
  votesMembers: voteCount.nullable().optional(),
  votesPresent: voteCount.nullable().optional(),
  votesFor: voteCount.nullable().optional(),
  votesAgainst: voteCount.nullable().optional(),
  votesAbstention: voteCount.nullable().optional(),
};

export const actInputSchema = z.object(actFields);
export type ActInput = z.infer<typeof actInputSchema>;
/** Drafts (and acts in error) are edited field by field; the number stays unique per member. */
export const actPatchSchema = z.object(actFields).partial();
export type ActPatch = z.infer<typeof actPatchSchema>;

export const actDocumentSchema = z.object({
  id: z.uuid(),
  role: z.enum(ACT_DOCUMENT_ROLES),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.iso.datetime(),
});
export type ActDocument = z.infer<typeof actDocumentSchema>;

export const actMessageSchema = z.object({
  id: z.uuid(),
  kind: z.enum(ACT_MESSAGE_KINDS),
  /** When the prefecture sent it (or the member answered). */
  receivedAt: z.iso.datetime(),
  /** For a demande de pièces: the date the answer is due (one month), null otherwise. */
  answerDueOn: z.iso.date().nullable(),
  answeredAt: z.iso.datetime().nullable(),
  documents: z.array(actDocumentSchema),
});
export type ActMessage = z.infer<typeof actMessageSchema>;

export const actEventSchema = z.object({
  status: z.enum(ACT_STATUSES).nullable(),
  /** What happened, in French (« Transmis à la préfecture », « Publié »…). */
  label: z.string(),
  at: z.iso.datetime(),
  /** Who did it (a person's name, or « Préfecture » / « Socle »). */
  by: z.string().nullable(),
});

export const actSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  nature: z.enum(ACT_NATURES),
  classification: z.string(),
  classificationLabel: z.string().nullable(),
  number: z.string(),
  decidedOn: z.iso.date(),
  subject: z.string(),
  signatoryName: z.string().nullable(),
  signedOn: z.iso.date().nullable(),
  sessionOn: z.iso.date().nullable(),
  transmissionRequired: z.boolean(),
  notifiedOn: z.iso.date().nullable(),
  status: z.enum(ACT_STATUSES),
  /** The reason of the last error (S²LOW's or the prefecture's message, in French). */
  errorMessage: z.string().nullable(),
  /** The official identifier `DDD-SIREN-YYYYMMDD-NUMBER-NATURE`, once acknowledged. */
  prefectureId: z.string().nullable(),
  transmittedAt: z.iso.datetime().nullable(),
  acknowledgedAt: z.iso.datetime().nullable(),
  /** Recorded by the server when the act is published; never edited. */
  publishedAt: z.iso.datetime().nullable(),
  /** SHA-256 of the published PDF (with its publication mention), hex. */
  sha256: z.string().nullable(),
  /** The date the act became executory, or null with the reason in `executoryReason`. */
  executoryOn: z.iso.date().nullable(),
  executoryReason: z.string().nullable(),
  /** Individual acts: signature + 15 days. */
  transmissionDueOn: z.iso.date().nullable(),
  /** Acknowledgement + 2 months: the end of the prefect's legality-check period. */
  legalityCheckEndsOn: z.iso.date().nullable(),
  correctsActId: z.uuid().nullable(),
  correctedByActId: z.uuid().nullable(),
  votesMembers: z.number().int().nullable(),
  votesPresent: z.number().int().nullable(),
  votesFor: z.number().int().nullable(),
  votesAgainst: z.number().int().nullable(),
  votesAbstention: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Act = z.infer<typeof actSchema>;
export const actListSchema = cappedListOf(actSchema);

export const actDetailSchema = actSchema.extend({
  documents: z.array(actDocumentSchema),
  messages: z.array(actMessageSchema),
  history: z.array(actEventSchema),
});
export type ActDetail = z.infer<typeof actDetailSchema>;

export const actCreatedSchema = z.object({ id: z.uuid(), status: z.enum(ACT_STATUSES) });

export const actListQuerySchema = paginationQuery.extend({
  status: z.enum(ACT_STATUSES).optional(),
  nature: z.enum(ACT_NATURES).optional(),
  /** A matière or sub-level: `7` finds 7, 7.1, 7.1.2… */
  classification: classificationCodeSchema.optional(),
  /** Words of the subject or the number; accents and case ignored. */
  q: z.string().trim().max(200).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  published: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type ActListQuery = z.infer<typeof actListQuerySchema>;

export const actDocumentUploadSchema = z.object({ role: z.enum(ACT_DOCUMENT_ROLES) });

// Transmitting several acts at once --------------------------------------------------------------

/** Acts one request may transmit together (a council session's deliberations fit many times over). */
export const ACT_BULK_TRANSMIT_MAX = 500;
export const actBulkTransmitSchema = z.object({
  actIds: z
    .array(z.uuid({ message: "identifiant d'acte invalide" }))
    .min(1, { message: 'choisissez au moins un acte à transmettre' })
    .max(ACT_BULK_TRANSMIT_MAX, {
      message: `${ACT_BULK_TRANSMIT_MAX} actes au plus par transmission groupée`,
    }),
});
export type ActBulkTransmitInput = z.infer<typeof actBulkTransmitSchema>;
export const ACT_BULK_OUTCOMES = ['queued', 'refused'] as const;
export const actBulkTransmitItemSchema = z.object({
  actId: z.uuid(),
  /** The act's internal number; null when no act of the member has this id. */
  number: z.string().nullable(),
  outcome: z.enum(ACT_BULK_OUTCOMES),
  /** Why it was refused (French, naming the act's number), null when queued. */
  reason: z.string().nullable(),
});
export type ActBulkTransmitItem = z.infer<typeof actBulkTransmitItemSchema>;
export const actBulkTransmitReportSchema = z.object({
  queued: z.number().int(),
  refused: z.number().int(),
  /** One per distinct id asked, in the order asked. */
  items: z.array(actBulkTransmitItemSchema),
});
export type ActBulkTransmitReport = z.infer<typeof actBulkTransmitReportSchema>;

// Classification ---------------------------------------------------------------------------------

export const classificationEntrySchema = z.object({
  code: z.string(),
  label: z.string(),
  level: z.number().int(),
});
export const classificationSchema = z.object({
  /** The date of the prefecture's classification file; null when never fetched. */
  classificationDate: z.iso.date().nullable(),
  fetchedAt: z.iso.datetime().nullable(),
  entries: z.array(classificationEntrySchema),
});
export type Classification = z.infer<typeof classificationSchema>;

// Public portal ----------------------------------------------------------------------------------

export const publicActSchema = actSchema
  .pick({
    id: true,
    memberId: true,
    nature: true,
    classification: true,
    classificationLabel: true,
    number: true,
    decidedOn: true,
    subject: true,
    sessionOn: true,
    prefectureId: true,
    acknowledgedAt: true,
    publishedAt: true,
    sha256: true,
    executoryOn: true,
    correctsActId: true,
    correctedByActId: true,
  })
  .extend({ documentUrl: z.string() });
export type PublicAct = z.infer<typeof publicActSchema>;
export const publicActListSchema = cappedListOf(publicActSchema);
export type PublicActList = z.infer<typeof publicActListSchema>;
export const publicActListQuerySchema = actListQuerySchema.omit({ status: true, published: true });

// Operator (scope `demat`) -----------------------------------------------------------------------

export const transmissionOverviewQuerySchema = paginationQuery.extend({
  status: z.enum(ACT_STATUSES).optional(),
  memberId: z.uuid().optional(),
});
export const transmissionItemSchema = actSchema.extend({ memberName: z.string() });
export const transmissionListSchema = cappedListOf(transmissionItemSchema);
export const transmissionVolumesSchema = z.object({
  byStatus: z.record(z.enum(ACT_STATUSES), z.number().int()),
  /** Acts transmitted per month over the last 12 months (`YYYY-MM`). */
  byMonth: z.array(z.object({ month: z.string(), count: z.number().int() })),
});
