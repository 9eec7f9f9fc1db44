import { z } from 'zod';
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

export const sirenSchema = z
  .string()
  .transform(compactIdentifier)
  .refine(isValidSiren, 'SIREN invalide : 9 chiffres avec une clé de contrôle correcte (Luhn)');

export const siretSchema = z
  .string()
  .transform(compactIdentifier)
  .refine(isValidSiret, 'SIRET invalide : 14 chiffres avec une clé de contrôle correcte (Luhn)');

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
    kind: z.enum(MEMBER_KINDS, { message: 'type de structure inconnu' }),
    name: z.string().trim().min(2, 'nom trop court').max(200).optional(),
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
    population: z.coerce.number().int('nombre entier attendu').min(0).nullable().optional(),
    parentId: z.uuid().nullable().optional(),
    status: z.enum(MEMBERSHIP_STATUSES).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'commune' && !v.communeCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['communeCode'],
        message: 'code INSEE obligatoire pour une commune',
      });
    }
    if (v.kind === 'epci' && !v.epciCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['epciCode'],
        message: 'code EPCI (SIREN) obligatoire pour un EPCI',
      });
    }
    if (v.kind !== 'commune' && v.kind !== 'epci' && !v.name) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'nom obligatoire' });
    }
  });
export type MemberInput = z.infer<typeof memberInputSchema>;
