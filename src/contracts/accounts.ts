import { z } from 'zod';
import { listOf, paginationQuery } from './common.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * `actes` is a member role: an agent who also prepares, transmits and publishes the member's acts
 * (every rule granting agents something grants it to `actes` too, see platform/auth/policy.ts).
 * `assemblees` likewise: an agent who also manages the member's assemblies (sessions, convocations,
 * attendance, votes), when the member subscribes to « Convocations électroniques des élus ».
 * `cyber` (référent sécurité) is an agent who also manages the member's cybersecurity: inventory,
 * diagnostics, remediation of advisories and incidents.
 */
export const ROLES = ['admin', 'agent', 'reader', 'actes', 'assemblees', 'cyber'] as const;
export type Role = (typeof ROLES)[number];
/** The operator has no readers: its people act across members. */
export const OPERATOR_ROLES = ['admin', 'agent'] as const;
export const OPERATOR_SCOPES = [
  'dpo',
  'cyber',
  'support',
  'finance',
  'hosting',
  'demat',
  'governance',
] as const;
export type OperatorScope = (typeof OPERATOR_SCOPES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrateur',
  agent: 'Agent',
  reader: 'Lecteur',
  actes: 'Agent chargé des actes',
  assemblees: 'Agent chargé des assemblées',
  cyber: 'Référent sécurité',
};

export const SCOPE_LABELS: Record<OperatorScope, string> = {
  dpo: 'DPO mutualisé',
  cyber: 'Cybersécurité',
  support: 'Assistance',
  finance: 'Finances',
  hosting: 'Hébergement',
  demat: 'Dématérialisation des actes',
  governance: 'Assemblées et élus',
};

/** Emails are compared lower-case everywhere. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email('adresse électronique invalide'));

/** A new password; `label` names the field in the message ("Le nouveau mot de passe doit…"). */
export const newPasswordSchema = (label = 'Le mot de passe') =>
  z
    .string()
    .min(PASSWORD_MIN_LENGTH, `${label} doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères.`)
    .max(PASSWORD_MAX_LENGTH, `${label} ne doit pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`);

/** Tokens are 32 random bytes in base64url (43 characters). */
export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, 'jeton invalide');

// --- Authentication and the current user ---

export const loginBody = z.object({
  email: z.string().trim().toLowerCase().min(1, "Saisissez l'adresse électronique.").max(320),
  password: z.string().min(1, 'Saisissez le mot de passe.').max(PASSWORD_MAX_LENGTH),
});

export const organisationRoleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(OPERATOR_SCOPES)),
});
export type OrganisationRoleView = z.infer<typeof organisationRoleSchema>;

export const meResponse = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), displayName: z.string() }),
  organisations: z.array(organisationRoleSchema),
  current: organisationRoleSchema.nullable(),
  /** Send it back in the `x-csrf-token` header with every write. */
  csrfToken: z.string(),
  /** The session was opened with ProConnect: signing out goes through its end-session endpoint. */
  viaProConnect: z.boolean().optional(),
});
export type Me = z.infer<typeof meResponse>;

export const switchOrganisationBody = z.object({ organisationId: z.uuid() });

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1, 'Saisissez votre mot de passe actuel.').max(PASSWORD_MAX_LENGTH),
  newPassword: newPasswordSchema('Le nouveau mot de passe'),
});

export const messageResponse = z.object({ message: z.string() });

export const passwordResetRequestBody = z.object({ email: emailSchema });

export const passwordResetConfirmBody = z.object({
  token: tokenSchema,
  newPassword: newPasswordSchema('Le nouveau mot de passe'),
});

// --- Invitations ---

export const inviteBody = z.object({
  email: emailSchema,
  role: z.enum(ROLES),
  /** Operator agents only. */
  scopes: z.array(z.enum(OPERATOR_SCOPES)).max(OPERATOR_SCOPES.length).default([]),
});

const personRef = z.object({ id: z.uuid(), displayName: z.string() });

export const invitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(OPERATOR_SCOPES)),
  invitedBy: personRef.nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type Invitation = z.infer<typeof invitationSchema>;
export const invitationList = listOf(invitationSchema);

export const invitationParams = z.object({ memberId: z.uuid(), invitationId: z.uuid() });
export const invitationTokenParams = z.object({ token: tokenSchema });

/** What the person following an invitation link sees before accepting. */
export const publicInvitationSchema = z.object({
  organisation: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }),
  email: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(OPERATOR_SCOPES)),
  /** When true, the person logs in with that address, then accepts. */
  accountExists: z.boolean(),
  expiresAt: z.iso.datetime(),
});
export type PublicInvitation = z.infer<typeof publicInvitationSchema>;

/** A new account gives a name and a password; a logged-in invitee sends an empty body. */
export const acceptInvitationBody = z.object({
  displayName: z.string().trim().min(1, 'Saisissez votre nom.').max(120).optional(),
  password: newPasswordSchema().optional(),
});

// --- Users of an organisation ---

export const organisationUserSchema = z.object({
  userId: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  scopes: z.array(z.enum(OPERATOR_SCOPES)),
  isActive: z.boolean(),
  joinedAt: z.iso.datetime(),
  lastLoginAt: z.iso.datetime().nullable(),
});
export type OrganisationUser = z.infer<typeof organisationUserSchema>;
export const organisationUserList = listOf(organisationUserSchema);

export const usersQuery = paginationQuery.extend({
  /** Part of the person's name or e-mail address. */
  q: z.string().trim().max(100, '100 caractères au plus').optional(),
});
export const memberParams = z.object({ memberId: z.uuid() });
export const userParams = z.object({ userId: z.uuid() });
export const memberUserParams = z.object({ memberId: z.uuid(), userId: z.uuid() });

export const changeRoleBody = z.object({ role: z.enum(ROLES) });

export const operatorUserPatchBody = z
  .object({
    role: z.enum(OPERATOR_ROLES).optional(),
    scopes: z.array(z.enum(OPERATOR_SCOPES)).max(OPERATOR_SCOPES.length).optional(),
  })
  .refine((b) => b.role !== undefined || b.scopes !== undefined, {
    message: 'Indiquez un rôle ou des périmètres à modifier.',
  });
