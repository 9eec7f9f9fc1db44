import { z } from 'zod';
import { INT4_MAX, inYears, isoDate, isoInstant, yearsMessage } from './common.js';

/** A service's state on the status page, best first (the order ranks "worst of"). */
export const SERVICE_STATES = [
  'operational',
  'maintenance',
  'degraded',
  'partial_outage',
  'major_outage',
] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];
export const SERVICE_STATE_LABELS: Record<ServiceState, string> = {
  operational: 'Opérationnel',
  maintenance: 'En maintenance',
  degraded: 'Performances dégradées',
  partial_outage: 'Panne partielle',
  major_outage: 'Panne majeure',
};
/** The states an incident declares (maintenance is scheduled, not declared). */
export const INCIDENT_STATES = ['degraded', 'partial_outage', 'major_outage'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];
/** The states that count as downtime in the availability. */
export const DOWNTIME_STATES: readonly ServiceState[] = ['partial_outage', 'major_outage'];

export const worstState = (states: readonly ServiceState[]): ServiceState =>
  states.reduce<ServiceState>(
    (worst, s) => (SERVICE_STATES.indexOf(s) > SERVICE_STATES.indexOf(worst) ? s : worst),
    'operational',
  );

/** Statuspage's steps of an incident's timeline. */
export const INCIDENT_PHASES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentPhase = (typeof INCIDENT_PHASES)[number];
export const INCIDENT_PHASE_LABELS: Record<IncidentPhase, string> = {
  investigating: 'Analyse en cours',
  identified: 'Cause identifiée',
  monitoring: 'Surveillance',
  resolved: 'Résolu',
};

export const QUALIFICATIONS = ['none', 'secnumcloud', 'hds', 'secnumcloud_hds'] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];
export const QUALIFICATION_LABELS: Record<Qualification, string> = {
  none: 'Aucune qualification',
  secnumcloud: 'SecNumCloud',
  hds: 'Hébergeur de données de santé (HDS)',
  secnumcloud_hds: 'SecNumCloud et HDS',
};

export const MONITOR_KINDS = ['http', 'keyword', 'tcp', 'tls'] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];
export const MONITOR_KIND_LABELS: Record<MonitorKind, string> = {
  http: 'HTTP(S) : code de réponse',
  keyword: 'HTTP(S) : mot-clé dans la page',
  tcp: 'Port TCP ouvert',
  tls: 'Certificat TLS : expiration',
};
/** The scheduler looks once a minute: no shorter interval. */
export const MONITOR_MIN_INTERVAL_SECONDS = 60;

const text = (label: string, max = 200) =>
  z
    .string({ message: `${label} est obligatoire` })
    .trim()
    .min(1, `${label} est obligatoire`)
    .max(max, `${label} : ${max} caractères au plus`);
const optionalText = (label: string, max = 200) =>
  z.string().trim().max(max, `${label} : ${max} caractères au plus`).default('');
const minutes = (label: string) =>
  z
    .number({ message: `${label} : nombre de minutes attendu` })
    .int(`${label} : nombre entier de minutes attendu`)
    .min(0, `${label} ne peut pas être négatif`)
    .max(INT4_MAX, `${label} trop grand`);

// Instances ---------------------------------------------------------------------------------------

export const instanceInputSchema = z.object({
  subscriptionId: z.uuid({ message: "identifiant d'abonnement invalide" }),
  name: text("Le nom de l'instance"),
  url: z
    .url({ message: 'adresse http(s) attendue', protocol: /^https?$/ })
    .max(500)
    .nullable()
    .default(null),
  software: text('Le logiciel'),
  softwareVersion: text('La version', 100),
  datacentre: text('Le centre de données'),
  region: text('La région'),
  provider: text("L'hébergeur"),
  qualification: z.enum(QUALIFICATIONS, { message: 'qualification inconnue' }).default('none'),
  plan: optionalText("L'offre"),
  backupSchedule: optionalText('La fréquence des sauvegardes'),
  backupRetentionDays: z.number().int().min(0).max(36_500).default(30),
  restoreTestEveryDays: z.number().int().min(1).max(3650).default(180),
  rtoMinutes: minutes('Le RTO'),
  rpoMinutes: minutes('Le RPO'),
  processorId: z.uuid({ message: 'identifiant de sous-traitant invalide' }).nullable().default(null),
});
export type InstanceInput = z.infer<typeof instanceInputSchema>;

export const restoreTestInputSchema = z.object({
  testedAt: isoInstant,
  durationMinutes: minutes('La durée'),
  dataAgeMinutes: minutes("L'âge des données"),
  succeeded: z.boolean().default(true),
  note: optionalText('La note', 2000),
});
export type RestoreTestInput = z.infer<typeof restoreTestInputSchema>;

/** A backup run's result, as the team records it; a success moves the instance's last success forward. */
export const backupInputSchema = z.object({
  at: z.iso
    .datetime({
      offset: true,
      message: 'La date de la sauvegarde est obligatoire (date et heure ISO 8601 avec fuseau)',
      abort: true,
    })
    .refine(inYears, `La date de la sauvegarde : ${yearsMessage}`),
  succeeded: z
    .boolean({ message: 'Le résultat de la sauvegarde : réussie ou échouée attendu' })
    .default(true),
  sizeBytes: z
    .number({ message: "La taille de la sauvegarde : nombre d'octets attendu" })
    .int("La taille de la sauvegarde : nombre entier d'octets attendu")
    .min(0, 'La taille de la sauvegarde ne peut pas être négative')
    .max(Number.MAX_SAFE_INTEGER, 'La taille de la sauvegarde est trop grande')
    .nullable()
    .default(null),
  durationMinutes: minutes('La durée de la sauvegarde').nullable().default(null),
  note: optionalText('La note', 2000),
});
export type BackupInput = z.infer<typeof backupInputSchema>;

export const backupSchema = z.object({
  id: z.uuid(),
  at: z.string(),
  succeeded: z.boolean(),
  sizeBytes: z.number().int().nullable(),
  durationMinutes: z.number().int().nullable(),
  note: z.string(),
});
export type Backup = z.infer<typeof backupSchema>;
/** How many of an instance's latest backup runs its detail shows. */
export const BACKUPS_SHOWN = 10;

export const restoreTestSchema = z.object({
  id: z.uuid(),
  testedAt: z.string(),
  durationMinutes: z.number().int(),
  dataAgeMinutes: z.number().int(),
  succeeded: z.boolean(),
  note: z.string(),
  /** Measured against the instance's targets. */
  rtoMet: z.boolean(),
  rpoMet: z.boolean(),
});

export const instanceSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  subscriptionId: z.uuid(),
  serviceId: z.uuid(),
  serviceName: z.string(),
  name: z.string(),
  url: z.string().nullable(),
  software: z.string(),
  softwareVersion: z.string(),
  datacentre: z.string(),
  region: z.string(),
  provider: z.string(),
  qualification: z.enum(QUALIFICATIONS),
  plan: z.string(),
  backupSchedule: z.string(),
  backupRetentionDays: z.number().int(),
  restoreTestEveryDays: z.number().int(),
  lastBackupAt: z.string().nullable(),
  rtoMinutes: z.number().int(),
  rpoMinutes: z.number().int(),
  processor: z.object({ id: z.uuid(), name: z.string(), transfersOutsideEu: z.boolean() }).nullable(),
  lastRestoreTest: restoreTestSchema.nullable(),
  /** No restore test within `restoreTestEveryDays`. */
  restoreTestOverdue: z.boolean(),
  state: z.enum(SERVICE_STATES),
});
export type Instance = z.infer<typeof instanceSchema>;
export const instanceListSchema = z.object({ items: z.array(instanceSchema) });
export const instanceDetailSchema = instanceSchema.extend({
  restoreTests: z.array(restoreTestSchema),
  /** The latest backup runs recorded, newest first (BACKUPS_SHOWN of them at most). */
  backups: z.array(backupSchema),
});
export type InstanceDetail = z.infer<typeof instanceDetailSchema>;

// Continuity plans --------------------------------------------------------------------------------

export const continuityPlanInputSchema = z.object({
  rtoMinutes: minutes('Le RTO'),
  rpoMinutes: minutes('Le RPO'),
  procedures: text('Les procédures', 20_000),
  lastExerciseOn: isoDate.nullable().default(null),
  lastExerciseSummary: optionalText('Le bilan du dernier exercice', 5000),
});
export type ContinuityPlanInput = z.infer<typeof continuityPlanInputSchema>;
/** The procedures attached to a service's continuity plan as documents. */
export const CONTINUITY_DOCUMENT_TYPES = ['PDF', 'ODT', 'DOCX'] as const;
/** A plan's documents at most. */
export const MAX_CONTINUITY_DOCUMENTS = 20;
export const continuityDocumentSchema = z.object({
  id: z.uuid(),
  serviceId: z.uuid(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  uploadedAt: z.string(),
});
export type ContinuityDocument = z.infer<typeof continuityDocumentSchema>;

export const continuityPlanSchema = z.object({
  serviceId: z.uuid(),
  serviceName: z.string(),
  rtoMinutes: z.number().int(),
  rpoMinutes: z.number().int(),
  procedures: z.string(),
  lastExerciseOn: z.string().nullable(),
  lastExerciseSummary: z.string(),
  updatedAt: z.string(),
  /** The procedures as documents (PDF, ODT, DOCX), oldest first. */
  documents: z.array(continuityDocumentSchema),
});
export type ContinuityPlan = z.infer<typeof continuityPlanSchema>;
export const continuityPlanListSchema = z.object({ items: z.array(continuityPlanSchema) });

// Status ------------------------------------------------------------------------------------------

export const incidentInputSchema = z.object({
  serviceIds: z
    .array(z.uuid({ message: 'identifiant de service invalide' }))
    .min(1, 'au moins un service concerné')
    .max(100, '100 services au plus'),
  title: text("Le titre de l'incident"),
  state: z.enum(INCIDENT_STATES, { message: 'état inconnu' }),
  message: text('Le message', 5000),
});
export type IncidentInput = z.infer<typeof incidentInputSchema>;

export const incidentUpdateInputSchema = z.object({
  phase: z.enum(INCIDENT_PHASES, { message: 'étape inconnue' }),
  state: z.enum(INCIDENT_STATES, { message: 'état inconnu' }).optional(),
  message: text('Le message', 5000),
});
export type IncidentUpdateInput = z.infer<typeof incidentUpdateInputSchema>;

export const maintenanceInputSchema = z
  .object({
    serviceIds: incidentInputSchema.shape.serviceIds,
    title: text('Le titre de la maintenance'),
    message: text('Le message', 5000),
    startsAt: isoInstant,
    endsAt: isoInstant,
  })
  .refine((m) => new Date(m.endsAt) > new Date(m.startsAt), {
    path: ['endsAt'],
    message: 'la fin doit suivre le début',
  });
export type MaintenanceInput = z.infer<typeof maintenanceInputSchema>;

export const incidentUpdateSchema = z.object({
  id: z.uuid(),
  phase: z.enum(INCIDENT_PHASES),
  state: z.enum(INCIDENT_STATES),
  message: z.string(),
  at: z.string(),
});
export const incidentSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  state: z.enum(INCIDENT_STATES),
  phase: z.enum(INCIDENT_PHASES),
  automatic: z.boolean(),
  startedAt: z.string(),
  resolvedAt: z.string().nullable(),
  services: z.array(z.object({ serviceId: z.uuid(), name: z.string() })),
  updates: z.array(incidentUpdateSchema),
});
export type HostingIncident = z.infer<typeof incidentSchema>;
export const maintenanceSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  message: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  services: z.array(z.object({ serviceId: z.uuid(), name: z.string() })),
});
export type Maintenance = z.infer<typeof maintenanceSchema>;
export const createdSchema = z.object({ id: z.uuid() });

export const statusServiceSchema = z.object({
  serviceId: z.uuid(),
  name: z.string(),
  state: z.enum(SERVICE_STATES),
  /** The days of the last 90 that were not operational, with their worst state. */
  history: z.array(z.object({ date: z.string(), state: z.enum(SERVICE_STATES) })),
});
export type StatusService = z.infer<typeof statusServiceSchema>;
/** A resolved incident in the status page's short list: its timeline is served on its own. */
export const recentIncidentSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  /** The worst state the incident declared along its timeline. */
  worstState: z.enum(INCIDENT_STATES),
  automatic: z.boolean(),
  startedAt: z.string(),
  resolvedAt: z.string(),
  services: z.array(z.object({ serviceId: z.uuid(), name: z.string() })),
});
export type RecentIncident = z.infer<typeof recentIncidentSchema>;
export const statusSchema = z.object({
  updatedAt: z.string(),
  /** Each service's state now and its last 90 days as day states. */
  services: z.array(statusServiceSchema),
  /** Open incidents, newest first, each with its whole timeline. */
  incidents: z.array(incidentSchema),
  /**
   * Incidents resolved in the last `STATUS_RECENT_DAYS` days, last resolved first, without their
   * timeline (`GET /api/v1/status/incidents/{incidentId}` gives it).
   */
  recentIncidents: z.array(recentIncidentSchema),
  /** Maintenance in progress or to come. */
  maintenances: z.array(maintenanceSchema),
});
export type PublicStatus = z.infer<typeof statusSchema>;
export const STATUS_HISTORY_DAYS = 90;
/** How many days back the status page lists resolved incidents. */
export const STATUS_RECENT_DAYS = 14;

export const memberServiceStatesSchema = z.object({
  items: z.array(z.object({ serviceId: z.uuid(), name: z.string(), state: z.enum(SERVICE_STATES) })),
  incidents: z.array(incidentSchema),
  maintenances: z.array(maintenanceSchema),
});
export type MemberServiceStates = z.infer<typeof memberServiceStatesSchema>;

// Monitors ----------------------------------------------------------------------------------------

export const monitorInputSchema = z
  .object({
    serviceId: z.uuid({ message: 'identifiant de service invalide' }),
    kind: z.enum(MONITOR_KINDS, { message: 'type de sonde inconnu' }),
    target: text('La cible', 500),
    keyword: z.string().trim().max(200).nullable().default(null),
    intervalSeconds: z
      .number()
      .int()
      .min(MONITOR_MIN_INTERVAL_SECONDS, `intervalle de ${MONITOR_MIN_INTERVAL_SECONDS} secondes au moins`)
      .max(86_400, 'intervalle d’un jour au plus')
      .default(60),
    failuresBeforeIncident: z.number().int().min(1).max(100).default(3),
    /** TLS: a certificate expiring in fewer days is a failure. */
    tlsWarningDays: z.number().int().min(1).max(365).default(14),
  })
  .refine((m) => m.kind !== 'keyword' || (m.keyword ?? '') !== '', {
    path: ['keyword'],
    message: 'mot-clé obligatoire pour ce type de sonde',
  });
export type MonitorInput = z.infer<typeof monitorInputSchema>;

export const monitorSchema = z.object({
  id: z.uuid(),
  serviceId: z.uuid(),
  serviceName: z.string(),
  kind: z.enum(MONITOR_KINDS),
  target: z.string(),
  keyword: z.string().nullable(),
  intervalSeconds: z.number().int(),
  failuresBeforeIncident: z.number().int(),
  consecutiveFailures: z.number().int(),
  lastCheckAt: z.string().nullable(),
  lastOk: z.boolean().nullable(),
  lastMessage: z.string().nullable(),
  lastResponseMs: z.number().int().nullable(),
  openIncidentId: z.uuid().nullable(),
});
export type Monitor = z.infer<typeof monitorSchema>;
export const monitorListSchema = z.object({ items: z.array(monitorSchema) });

// Availability ------------------------------------------------------------------------------------

export const availabilityQuerySchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mois attendu au format AAAA-MM'),
});
export const availabilitySchema = z.object({
  serviceId: z.uuid(),
  month: z.string(),
  /** Share of the month's minutes (planned maintenance excluded) the service was up: 0 to 1. */
  availability: z.number(),
  /** The catalogue's promise, as a ratio (0.995). */
  slaTarget: z.number(),
  downtimeMinutes: z.number(),
  maintenanceMinutes: z.number(),
  met: z.boolean(),
});
export type Availability = z.infer<typeof availabilitySchema>;

/** A member's month: the availability of each service it subscribes to. */
export const memberAvailabilitySchema = z.object({
  month: z.string(),
  items: z.array(availabilitySchema.extend({ serviceName: z.string() })),
});
export type MemberAvailability = z.infer<typeof memberAvailabilitySchema>;

// Licences and usage ------------------------------------------------------------------------------

export const LICENCE_SOURCES = ['declared', 'import'] as const;
export type LicenceSource = (typeof LICENCE_SOURCES)[number];
/** A licence is near its cap from this share of the seats allowed. */
export const NEAR_CAP_RATIO = 0.9;

export const licenceUsageInputSchema = z.object({
  seatsUsed: z
    .number({ message: 'nombre de licences utilisées attendu' })
    .int('nombre entier attendu')
    .min(0, 'nombre positif attendu')
    .max(INT4_MAX, 'nombre trop grand'),
});
export const moreSeatsInputSchema = z.object({
  additional: z
    .number({ message: 'nombre de licences attendu' })
    .int('nombre entier attendu')
    .min(1, 'au moins une licence')
    .max(100_000, '100 000 au plus'),
});
/** A request for more seats: pending until the hosting team approves (units grow) or refuses it. */
export const SEAT_REQUEST_STATUSES = ['pending', 'approved', 'refused'] as const;
export type SeatRequestStatus = (typeof SEAT_REQUEST_STATUSES)[number];
export const SEAT_REQUEST_STATUS_LABELS: Record<SeatRequestStatus, string> = {
  pending: 'En attente',
  approved: 'Acceptée',
  refused: 'Refusée',
};
export const seatRequestSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  memberName: z.string(),
  subscriptionId: z.uuid(),
  serviceName: z.string(),
  unitLabel: z.string(),
  additional: z.number().int(),
  /** The subscription's units when asked. */
  unitsBefore: z.number().int(),
  status: z.enum(SEAT_REQUEST_STATUSES),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type SeatRequest = z.infer<typeof seatRequestSchema>;
export const seatRequestListSchema = z.object({ items: z.array(seatRequestSchema) });
export const seatRequestQuerySchema = z.object({
  status: z
    .enum(SEAT_REQUEST_STATUSES, { message: 'statut inconnu (pending, approved, refused)' })
    .optional(),
});
export const seatRequestRefusalSchema = z.object({
  reason: z
    .string({ message: 'motif attendu' })
    .trim()
    .min(1, 'Le motif du refus est obligatoire.')
    .max(2000, '2 000 caractères au plus'),
});
export const licenceSchema = z.object({
  subscriptionId: z.uuid(),
  serviceId: z.uuid(),
  serviceName: z.string(),
  unitLabel: z.string(),
  seatsAllowed: z.number().int(),
  seatsUsed: z.number().int().nullable(),
  source: z.enum(LICENCE_SOURCES).nullable(),
  updatedAt: z.string().nullable(),
  nearCap: z.boolean(),
  overCap: z.boolean(),
  /** The request for more seats awaiting the hosting team, if any. */
  pendingRequest: z
    .object({ id: z.uuid(), additional: z.number().int(), requestedAt: z.string() })
    .nullable(),
});
export type Licence = z.infer<typeof licenceSchema>;
export const licenceListSchema = z.object({ items: z.array(licenceSchema) });

/**
 * The thresholds of the seats allowed at which a member's admins are told by e-mail, once each: near
 * the cap (NEAR_CAP_RATIO) and at the cap. Percentages.
 */
export const LICENCE_ALERT_THRESHOLDS = [90, 100] as const;

// Usage imported from the software's own export (CSV) -----------------------------------------------

/**
 * Columns recognised in a software's export, compared without accents, case or spaces. Without a
 * count column each data line is one account (one seat); a status column leaves inactive accounts out;
 * an identifier column refuses a line seen twice.
 */
export const USAGE_COUNT_COLUMNS = ['licences', 'quantite', 'nombre', 'postes', 'utilisateurs'] as const;
export const USAGE_STATUS_COLUMNS = ['actif', 'statut', 'etat', 'active', 'enabled', 'status'] as const;
export const USAGE_ID_COLUMNS = [
  'identifiant',
  'login',
  'courriel',
  'email',
  'utilisateur',
  'compte',
] as const;
export const USAGE_IMPORT_MAX_ROWS = 100_000;

export const usageImportQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'], { message: 'dryRun : true ou false' })
    .transform((v) => v === 'true')
    .default(true),
});
export const usageImportReportSchema = z.object({
  dryRun: z.boolean(),
  encoding: z.string().nullable(),
  /** Data lines read (the header excluded). */
  rows: z.number().int(),
  /** Lines counted as seats (active accounts) or the sum of the count column. */
  seatsUsed: z.number().int(),
  seatsAllowed: z.number().int(),
  /** Lines left out: inactive accounts. */
  inactive: z.number().int(),
  /** One French message per faulty line; when non-empty nothing was written. */
  errors: z.array(z.object({ line: z.number().int(), column: z.string().nullable(), message: z.string() })),
  /** The licence once written (null on a dry run or with errors). */
  licence: licenceSchema.nullable(),
});
export type UsageImportReport = z.infer<typeof usageImportReportSchema>;

// Usage as the pricing engine's declared units ------------------------------------------------------

export const declaredUnitsInputSchema = z.object({
  year: z
    .number({ message: 'année attendue' })
    .int('année entière attendue')
    .min(2000, 'année trop ancienne')
    .max(2200, 'année trop lointaine'),
  /** false: the preview of what would change; true: the subscriptions' units are set. */
  confirm: z.boolean({ message: 'confirm : vrai ou faux' }).default(false),
});
export const declaredUnitsChangeSchema = z.object({
  subscriptionId: z.uuid(),
  memberId: z.uuid(),
  memberName: z.string(),
  serviceName: z.string(),
  unitLabel: z.string(),
  /** The subscription's declared units now (null: none declared). */
  units: z.number().int().nullable(),
  seatsUsed: z.number().int(),
});
export const declaredUnitsReportSchema = z.object({
  year: z.number().int(),
  confirmed: z.boolean(),
  /** Subscriptions whose declared units differ from the seats used (changed when confirmed). */
  changes: z.array(declaredUnitsChangeSchema),
});
export type DeclaredUnitsReport = z.infer<typeof declaredUnitsReportSchema>;
