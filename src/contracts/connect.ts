import { z } from 'zod';
import { ROLES } from './accounts.js';
import { isoDate, listOf, paginationQuery } from './common.js';

/**
 * The open platform's identity side (issue 16): ProConnect sign-in, the access requests it opens for
 * unknown agents of a member, and API tokens.
 */

// --- API tokens ---

/**
 * The modules a token may be given access to, read-only or read-write each. The accounts (people,
 * invitations, tokens), the audit log, the outbox and the jobs are never reachable with a token.
 */
export const TOKEN_MODULES = [
  'members',
  'subscriptions',
  'catalogue',
  'pricing',
  'billing',
  'rgpd',
  'acts',
  'governance',
  'cyber',
  'hosting',
  'support',
  'webhooks',
] as const;
export type TokenModule = (typeof TOKEN_MODULES)[number];

export const TOKEN_MODULE_LABELS: Record<TokenModule, string> = {
  members: 'Adhérents',
  subscriptions: 'Services souscrits',
  catalogue: 'Catalogue',
  pricing: 'Tarifs et contributions',
  billing: 'Facturation',
  rgpd: 'RGPD',
  acts: 'Actes',
  governance: 'Assemblées',
  cyber: 'Cybersécurité',
  hosting: 'Hébergement',
  support: 'Assistance et formations',
  webhooks: 'Webhooks',
};

export const TOKEN_ACCESS = ['read', 'write'] as const;
export type TokenAccess = (typeof TOKEN_ACCESS)[number];
export const TOKEN_ACCESS_LABELS: Record<TokenAccess, string> = {
  read: 'Lecture seule',
  write: 'Lecture et écriture',
};

/**
 * `personal`: acts as the person who made it, with their current rights in the member (it stops when
 * they lose access); `member`: the structure's own integration (made by its admin), acting for the
 * structure with exactly its scopes, whoever made it; `operator`: the operator's, as its admin.
 */
export const TOKEN_KINDS = ['personal', 'member', 'operator'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];
export const TOKEN_KIND_LABELS: Record<TokenKind, string> = {
  personal: 'Personnel',
  member: 'De la structure',
  operator: "De l'opérateur",
};

/** Scopes as sent and answered: `{ "rgpd": "read", "acts": "write" }`. */
export const tokenScopesSchema = z
  .partialRecord(z.enum(TOKEN_MODULES, 'module inconnu'), z.enum(TOKEN_ACCESS, 'read ou write attendu'))
  .refine((scopes) => Object.keys(scopes).length > 0, 'choisissez au moins un module');
export type TokenScopes = Partial<Record<TokenModule, TokenAccess>>;

/** Longest life of a token: one year. */
export const TOKEN_MAX_DAYS = 366;

export const createTokenBody = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Donnez un nom au jeton.')
    .max(100, 'Le nom ne doit pas dépasser 100 caractères.'),
  scopes: tokenScopesSchema,
  expiresOn: isoDate,
  kind: z.enum(['personal', 'member']).default('member'),
});
export const createOperatorTokenBody = createTokenBody.omit({ kind: true });

export const tokenSchema = z.object({
  id: z.uuid(),
  kind: z.enum(TOKEN_KINDS),
  name: z.string(),
  /** The token's first characters, to recognise it (the secret itself is never shown again). */
  prefix: z.string(),
  scopes: z.partialRecord(z.enum(TOKEN_MODULES), z.enum(TOKEN_ACCESS)),
  expiresOn: z.string(),
  createdAt: z.string(),
  createdBy: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof tokenSchema>;
export const tokenList = listOf(tokenSchema);
export const createdTokenSchema = tokenSchema.extend({
  /** Shown once: only its SHA-256 is kept. */
  token: z.string(),
});
export type CreatedToken = z.infer<typeof createdTokenSchema>;
export const tokensQuery = paginationQuery.extend({
  includeRevoked: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});
export const memberTokenParams = z.object({ memberId: z.uuid(), tokenId: z.uuid() });
export const tokenParams = z.object({ tokenId: z.uuid() });

// --- ProConnect ---

/** The scopes ProConnect defines that Socle asks for. */
export const PROCONNECT_SCOPES = ['openid', 'email', 'given_name', 'usual_name', 'siret', 'uid'] as const;

/** Where the callback sends the browser back to the login page, and what that page then says. */
export const PROCONNECT_OUTCOMES = [
  'confirmer',
  'sans-mot-de-passe',
  'demande',
  'demande-en-cours',
  'non-adherent',
  'inconnu',
  'refuse',
  'erreur',
] as const;
export type ProConnectOutcome = (typeof PROCONNECT_OUTCOMES)[number];
export const PROCONNECT_OUTCOME_MESSAGES: Record<ProConnectOutcome, string> = {
  confirmer:
    'Votre identité ProConnect correspond à un compte Socle existant. Pour la lier à ce compte, connectez-vous une fois ci-dessous avec son adresse et son mot de passe (dans les 15 minutes) : ensuite, ProConnect suffira.',
  'sans-mot-de-passe':
    "Votre identité ProConnect correspond à un compte Socle qui n'a pas encore de mot de passe pour confirmer le lien : choisissez-en un avec « Mot de passe oublié ? », puis recommencez avec ProConnect.",
  demande:
    "Votre demande d'accès a été transmise à l'administrateur de votre structure : vous pourrez vous connecter avec ProConnect dès qu'il l'aura acceptée.",
  'demande-en-cours': "Votre demande d'accès attend déjà la réponse de l'administrateur de votre structure.",
  'non-adherent':
    "Votre structure n'est pas adhérente : aucun compte n'a été créé. Rapprochez-vous de l'opérateur pour adhérer.",
  inconnu:
    "Aucun compte ne correspond à votre adresse : demandez une invitation à un administrateur de l'opérateur.",
  refuse:
    "La connexion par ProConnect n'a pas pu aboutir pour ce compte (compte désactivé ou déjà lié à une autre identité).",
  erreur: 'La connexion par ProConnect a échoué ou a expiré : recommencez depuis cette page.',
};

export const proconnectStatusSchema = z.object({
  enabled: z.boolean(),
  /** Operator agents must sign in with ProConnect (the password is refused for them). */
  requiredForOperatorAgents: z.boolean(),
});
export type ProConnectStatus = z.infer<typeof proconnectStatusSchema>;

export const proconnectCallbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  iss: z.string().max(2000).optional(),
});

export const authSettingsSchema = z.object({ proconnectRequiredForOperatorAgents: z.boolean() });
export type AuthSettings = z.infer<typeof authSettingsSchema>;

// --- Access requests (unknown agents of a member met through ProConnect) ---

export const ACCESS_REQUEST_STATUSES = ['pending', 'accepted', 'refused'] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];
export const ACCESS_REQUEST_STATUS_LABELS: Record<AccessRequestStatus, string> = {
  pending: 'En attente',
  accepted: 'Acceptée',
  refused: 'Refusée',
};

export const accessRequestSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  givenName: z.string(),
  usualName: z.string(),
  siret: z.string(),
  status: z.enum(ACCESS_REQUEST_STATUSES),
  role: z.enum(ROLES).nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type AccessRequest = z.infer<typeof accessRequestSchema>;
export const accessRequestList = listOf(accessRequestSchema);
export const accessRequestsQuery = paginationQuery.extend({
  status: z.enum(ACCESS_REQUEST_STATUSES).optional(),
});
export const accessRequestParams = z.object({ memberId: z.uuid(), requestId: z.uuid() });
/** Member roles an admin may grant through an access request. */
export const acceptAccessRequestBody = z.object({
  role: z.enum(['admin', 'agent', 'reader', 'actes', 'assemblees', 'cyber'], 'rôle inconnu'),
});
