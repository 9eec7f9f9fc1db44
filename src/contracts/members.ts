import { z } from 'zod';
import { cappedListOf, INT4_MAX, isoDate } from './common.js';
import { compactIdentifier, isValidSiren, isValidSiret } from './identifiers.js';

/** Member kinds (the operator itself is kind `operator`, never a member). */
export const MEMBER_KINDS = [
  'commune',
  'epci',
  'syndicat_mixte',
  'syndicat_intercommunal',
  'ccas',
  'medico_social',
  'structure_departementale',
  'spl',
  'autre',
] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];
/** Every organisation kind: the operator and the member kinds. */
export const ORGANISATION_KINDS = ['operator', ...MEMBER_KINDS] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const MEMBER_KIND_LABELS: Record<MemberKind | 'operator', string> = {
  operator: 'Opérateur',
  commune: 'Commune',
  epci: 'EPCI',
  syndicat_mixte: 'Syndicat mixte',
  syndicat_intercommunal: 'Syndicat intercommunal',
  ccas: 'CCAS / CIAS',
  medico_social: 'Établissement médico-social',
  structure_departementale: 'Structure départementale',
  spl: 'SPL / SEM',
  autre: 'Autre organisme public',
};

export const EPCI_TYPE_LABELS: Record<string, string> = {
  CC: 'Communauté de communes',
  CA: "Communauté d'agglomération",
  CU: 'Communauté urbaine',
  METRO: 'Métropole',
  MET69: 'Métropole de Lyon',
};

export const MEMBERSHIP_STATUSES = [
  'prospect',
  'requested',
  'accepted',
  'member',
  'withdrawal_requested',
  'withdrawn',
] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export const MEMBERSHIP_STATUS_LABELS: Record<MembershipStatus, string> = {
  prospect: 'Prospect',
  requested: "Demande d'adhésion",
  accepted: 'Acceptée par le comité syndical',
  member: 'Adhérent',
  withdrawal_requested: 'Retrait demandé',
  withdrawn: 'Retiré',
};

export const CONTACT_ROLES = [
  'maire_president',
  'dgs_secretaire',
  'referent_numerique',
  'referent_rgpd',
  'delegue_titulaire',
  'delegue_suppleant',
] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const CONTACT_ROLE_LABELS: Record<ContactRole, string> = {
  maire_president: 'Maire / Président(e)',
  dgs_secretaire: 'DGS / Secrétaire de mairie',
  referent_numerique: 'Référent numérique',
  referent_rgpd: 'Référent RGPD',
  delegue_titulaire: 'Délégué titulaire au comité syndical',
  delegue_suppleant: 'Délégué suppléant au comité syndical',
};

export const DOCUMENT_KINDS = ['deliberation', 'convention', 'decision', 'other'] as const;
export const DOCUMENT_KIND_LABELS: Record<(typeof DOCUMENT_KINDS)[number], string> = {
  deliberation: 'Délibération',
  convention: 'Convention',
  decision: 'Décision',
  other: 'Autre document',
};

/** « Le SIREN compte 9 chiffres » before « … sa clé de contrôle ne correspond pas »: one message at a time. */
function identifierSchema(noun: 'SIREN' | 'SIRET', digits: number, valid: (v: string) => boolean) {
  return z
    .string()
    .transform(compactIdentifier)
    .superRefine((value, ctx) => {
      if (!new RegExp(`^\\d{${digits}}$`).test(value)) {
        ctx.addIssue({ code: 'custom', message: `Le ${noun} compte ${digits} chiffres` });
      } else if (!valid(value)) {
        ctx.addIssue({
          code: 'custom',
          message: `Le ${noun} n'est pas valide : sa clé de contrôle (Luhn) ne correspond pas`,
        });
      }
    });
}

export const sirenSchema = identifierSchema('SIREN', 9, isValidSiren);

export const siretSchema = identifierSchema('SIRET', 14, isValidSiret);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

/**
 * What a person (or a CSV line) gives to create a member. For a commune or an EPCI the territory code
 * is required and name, département and population come from official data when omitted.
 */
export const memberInputSchema = z
  .object({
    kind: z.enum(MEMBER_KINDS, { message: "Le type de structure n'est pas une valeur proposée" }),
    name: z.string().trim().min(2, 'Le nom compte au moins 2 caractères').max(200).optional(),
    siren: sirenSchema,
    siret: siretSchema.nullable().optional(),
    communeCode: z
      .string()
      .trim()
      .regex(/^(\d{5}|2[AB]\d{3})$/, 'code INSEE invalide (5 caractères)')
      .nullable()
      .optional(),
    epciCode: z
      .string()
      .trim()
      .regex(/^\d{9}$/, 'code EPCI invalide (SIREN à 9 chiffres)')
      .nullable()
      .optional(),
    departementCode: z
      .string()
      .trim()
      .regex(/^(\d{2,3}|2A|2B)$/, 'code département invalide')
      .nullable()
      .optional(),
    address: optionalText(300),
    postalCode: z
      .string()
      .trim()
      .regex(/^\d{5}$/, 'code postal invalide (5 chiffres)')
      .nullable()
      .optional()
      .or(z.literal('').transform(() => null)),
    city: optionalText(120),
    chorusServiceCode: optionalText(100),
    chorusServiceCodeRequired: z.boolean({ message: 'oui ou non attendu' }).optional(),
    population: z.coerce
      .number()
      .int('nombre entier attendu')
      .min(0)
      .max(INT4_MAX, 'nombre trop grand')
      .nullable()
      .optional(),
    parentId: z.uuid().nullable().optional(),
    status: z.enum(MEMBERSHIP_STATUSES).optional(),
  })
  .superRefine(
    (v, ctx) => {
      // Also run when other fields are invalid (`when` below), so that every missing field is told at
      // once: `v` may then lack any key, and the kind may itself be invalid.
      const kind: unknown = v?.kind;
      if (kind === 'commune' && !v.communeCode) {
        ctx.addIssue({ code: 'custom', path: ['communeCode'], message: 'La commune est obligatoire' });
      }
      if (kind === 'epci' && !v.epciCode) {
        ctx.addIssue({ code: 'custom', path: ['epciCode'], message: "L'EPCI est obligatoire" });
      }
      if (typeof kind === 'string' && kind !== 'commune' && kind !== 'epci' && !v.name) {
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'Le nom est obligatoire' });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
export type MemberInput = z.infer<typeof memberInputSchema>;

/*
 * Registry API contracts. Everything below is shared with the web app: no server imports.
 */

const instant = z.iso.datetime();

/**
 * The membership lifecycle as data, so the web app can offer only the possible next steps.
 * `requires` lists what the step must carry; `byMember` marks steps a member admin may take for
 * its own structure (the others are decisions of the operator).
 */
export const MEMBERSHIP_TRANSITIONS = [
  { from: 'prospect', to: 'requested', requires: ['documentId'], byMember: true },
  { from: 'requested', to: 'accepted', requires: ['decisionReference'], byMember: false },
  { from: 'requested', to: 'prospect', requires: ['note'], byMember: false },
  { from: 'accepted', to: 'member', requires: [], byMember: false },
  { from: 'member', to: 'withdrawal_requested', requires: ['documentId'], byMember: true },
  { from: 'withdrawal_requested', to: 'withdrawn', requires: ['decisionReference'], byMember: false },
  { from: 'withdrawn', to: 'requested', requires: ['documentId'], byMember: true },
] as const satisfies readonly {
  from: MembershipStatus;
  to: MembershipStatus;
  requires: readonly ('documentId' | 'decisionReference' | 'note')[];
  byMember: boolean;
}[];

export const MEMBER_SORTS = [
  'name',
  '-name',
  'population',
  '-population',
  'status',
  '-status',
  'updatedAt',
  '-updatedAt',
] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

/** Filters shared by the list and the exports. */
export const memberFiltersSchema = z.object({
  q: z.string().trim().max(100, 'recherche trop longue (100 caractères au plus)').optional(),
  kind: z.enum(MEMBER_KINDS, { message: 'type de structure inconnu' }).optional(),
  departement: z
    .string()
    .regex(/^(\d{2,3}|2A|2B)$/, 'code département invalide')
    .optional(),
  epci: z
    .string()
    .regex(/^\d{9}$/, 'code EPCI invalide (SIREN à 9 chiffres)')
    .optional(),
  status: z.enum(MEMBERSHIP_STATUSES, { message: "statut d'adhésion inconnu" }).optional(),
  sort: z.enum(MEMBER_SORTS, { message: 'tri inconnu' }).default('name'),
});
export type MemberFilters = z.infer<typeof memberFiltersSchema>;

export const memberListQuerySchema = memberFiltersSchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type MemberListQuery = z.infer<typeof memberListQuerySchema>;

/** What everyone, anonymous visitors included, may see of a member (transparency). */
export const memberSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(MEMBER_KINDS),
  epciType: z.string().nullable(),
  siren: z.string(),
  communeCode: z.string().nullable(),
  epciCode: z.string().nullable(),
  departementCode: z.string().nullable(),
  status: z.enum(MEMBERSHIP_STATUSES),
  /** Official population for communes and EPCI, entered otherwise. */
  population: z.number().int().nullable(),
});
export type MemberSummary = z.infer<typeof memberSummarySchema>;

export const memberListSchema = cappedListOf(memberSummarySchema);

/** Private to the operator and the member's own users. */
export const memberPrivateSchema = z.object({
  siret: z.string().nullable(),
  /** Chorus Pro: the structure's service code, and whether its structure requires one on invoices. */
  chorusServiceCode: z.string().nullable(),
  chorusServiceCodeRequired: z.boolean(),
  address: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  contacts: z.array(
    z.object({
      id: z.uuid(),
      role: z.enum(CONTACT_ROLES),
      firstName: z.string(),
      lastName: z.string(),
    }),
  ),
  usersCount: z.number().int(),
  documentsCount: z.number().int(),
});

export const memberDetailSchema = memberSummarySchema.extend({
  departementName: z.string().nullable(),
  parent: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  statusChangedAt: instant,
  createdAt: instant,
  updatedAt: instant,
  /** Null when the reader is neither the operator nor a user of this member. */
  private: memberPrivateSchema.nullable(),
});
export type MemberDetail = z.infer<typeof memberDetailSchema>;

/** Fields a PATCH may change; status changes go through transitions. */
export const memberPatchSchema = z
  .object({
    name: z.string().trim().min(2, 'nom trop court').max(200),
    siren: sirenSchema,
    siret: siretSchema.nullable(),
    communeCode: z
      .string()
      .trim()
      .regex(/^(\d{5}|2[AB]\d{3})$/, 'code INSEE invalide (5 caractères)')
      .nullable(),
    epciCode: z
      .string()
      .trim()
      .regex(/^\d{9}$/, 'code EPCI invalide (SIREN à 9 chiffres)')
      .nullable(),
    departementCode: z
      .string()
      .trim()
      .regex(/^(\d{2,3}|2A|2B)$/, 'code département invalide')
      .nullable(),
    address: optionalText(300),
    postalCode: z
      .string()
      .trim()
      .regex(/^\d{5}$/, 'code postal invalide (5 chiffres)')
      .nullable()
      .or(z.literal('').transform(() => null)),
    city: optionalText(120),
    chorusServiceCode: optionalText(100),
    chorusServiceCodeRequired: z.boolean({ message: 'oui ou non attendu' }),
    population: z.coerce
      .number()
      .int('nombre entier attendu')
      .min(0)
      .max(INT4_MAX, 'nombre trop grand')
      .nullable(),
    parentId: z.uuid().nullable(),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'aucun champ à modifier');
export type MemberPatch = z.infer<typeof memberPatchSchema>;

/** The fields a member admin may change on its own structure. */
export const MEMBER_SELF_EDITABLE_FIELDS = [
  'address',
  'postalCode',
  'city',
  'siret',
  'chorusServiceCode',
  'chorusServiceCodeRequired',
  'population',
] as const;

const phoneSchema = z
  .string()
  .transform((v) => v.replace(/[\s.\-()\u00a0]/g, ''))
  .refine(
    (v) => /^(0[1-9]\d{8}|\+\d{8,15})$/.test(v),
    'numéro de téléphone invalide (10 chiffres commençant par 0, ou format international +33…)',
  );

export const contactInputSchema = z.object({
  role: z.enum(CONTACT_ROLES, { message: 'rôle de contact inconnu' }),
  firstName: z.string().trim().min(1, 'prénom obligatoire').max(100),
  lastName: z.string().trim().min(1, 'nom obligatoire').max(100),
  email: z
    .email({ message: 'adresse e-mail invalide' })
    .max(254)
    .transform((v) => v.toLowerCase())
    .nullable()
    .optional()
    .or(z.literal('').transform(() => null)),
  phone: phoneSchema
    .nullable()
    .optional()
    .or(z.literal('').transform(() => null)),
});
export type ContactInput = z.infer<typeof contactInputSchema>;

export const contactPatchSchema = contactInputSchema
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'aucun champ à modifier');
export type ContactPatch = z.infer<typeof contactPatchSchema>;

export const contactSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  role: z.enum(CONTACT_ROLES),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  updatedAt: instant,
});
export type Contact = z.infer<typeof contactSchema>;

/** The text fields of a document upload (multipart/form-data, beside the `file` part). */
export const documentUploadFieldsSchema = z.object({
  kind: z.enum(DOCUMENT_KINDS, { message: 'type de document inconnu' }),
  title: z.string().trim().min(2, 'titre trop court').max(200),
  documentDate: isoDate.nullable().optional(),
});

export const memberDocumentSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  kind: z.enum(DOCUMENT_KINDS),
  title: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  documentDate: z.string().nullable(),
  createdAt: instant,
});
export type MemberDocument = z.infer<typeof memberDocumentSchema>;

export const transitionInputSchema = z.object({
  to: z.enum(MEMBERSHIP_STATUSES, { message: "statut d'adhésion inconnu" }),
  /** Date of the délibération, of the comité syndical decision, or when membership takes effect. */
  effectiveOn: isoDate,
  decisionReference: z.string().trim().min(1).max(100).optional(),
  documentId: z.uuid().optional(),
  note: z.string().trim().min(1).max(2000).optional(),
});
export type TransitionInput = z.infer<typeof transitionInputSchema>;

export const membershipEventSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  fromStatus: z.enum(MEMBERSHIP_STATUSES).nullable(),
  toStatus: z.enum(MEMBERSHIP_STATUSES),
  effectiveOn: z.string(),
  decisionReference: z.string().nullable(),
  document: z.object({ id: z.uuid(), title: z.string() }).nullable(),
  note: z.string().nullable(),
  actor: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  createdAt: instant,
});
export type MembershipEvent = z.infer<typeof membershipEventSchema>;

export const memberStatsSchema = z.object({
  byDepartement: z.array(z.object({ code: z.string(), name: z.string(), members: z.number().int() })),
  byKind: z.array(z.object({ kind: z.enum(MEMBER_KINDS), count: z.number().int() })),
  /** Inhabitants of the distinct communes covered by a member commune or a member EPCI. */
  populationCovered: z.number().int(),
  /** Operator only: structures waiting for the next membership step. */
  pending: z
    .object({
      requested: z.number().int(),
      accepted: z.number().int(),
      withdrawal_requested: z.number().int(),
    })
    .optional(),
});
export type MemberStats = z.infer<typeof memberStatsSchema>;

/** Path parameters of the member routes, with the French message a bad identifier gets. */
export const memberIdParams = z.object({
  memberId: z.uuid({ message: 'identifiant de structure invalide' }),
});
export const contactIdParams = memberIdParams.extend({
  contactId: z.uuid({ message: 'identifiant de contact invalide' }),
});
export const documentIdParams = memberIdParams.extend({
  documentId: z.uuid({ message: 'identifiant de document invalide' }),
});
