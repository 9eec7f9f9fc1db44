import { z } from 'zod';
import { emailSchema } from './accounts.js';
import { isoInstant, listOf, paginationQuery } from './common.js';
import { MEMBER_KINDS } from './members.js';

/**
 * Mutualised cybersecurity: each member's inventory, its diagnostic (maturity and action plan),
 * CSAF 2.0 advisories matched against every inventory with remediation per asset, and incidents
 * with the regulators' clocks (NIS 2, and the RGPD breach they may open).
 *
 * Routes (under /api/v1):
 *   GET    /members/:memberId/inventory                 inventoryListQuerySchema → inventoryListSchema
 *   POST   /members/:memberId/inventory                 inventoryItemInputSchema → 201 inventoryItemSchema
 *   PATCH  /members/:memberId/inventory/:itemId         inventoryItemPatchSchema → inventoryItemSchema
 *   DELETE /members/:memberId/inventory/:itemId         → 204 (member lines only)
 *   POST   /members/:memberId/inventory/import          multipart `file` (CSV), ?dryRun&mode → inventoryImportReportSchema
 *   GET    /members/:memberId/inventory.csv | .xlsx     the whole inventory
 *   GET    /members/:memberId/cyber-profile             → cyberProfileSchema
 *   PUT    /members/:memberId/cyber-profile             cyberProfileInputSchema → cyberProfileSchema
 *   GET    /cyber/questionnaire                         → diagnosticQuestionnaireSchema (signed in)
 *   POST   /members/:memberId/diagnostics               diagnosticInputSchema → 201 diagnosticSchema
 *   GET    /members/:memberId/diagnostics               paginationQuery → diagnosticListSchema
 *   GET    /members/:memberId/diagnostics/:diagnosticId → diagnosticSchema
 *   POST   /cyber/advisories                            a CSAF 2.0 JSON document → 201 advisoryCreatedSchema
 *   POST   /cyber/advisories/manual                     manualAdvisoryInputSchema → 201 advisoryCreatedSchema
 *   GET    /cyber/advisories                            advisoryListQuerySchema → advisoryListSchema
 *   GET    /cyber/advisories/:advisoryId                → advisoryDetailSchema
 *   GET    /cyber/advisories/:advisoryId/exposure       exposureQuerySchema → exposureListSchema
 *   GET    /members/:memberId/advisories                memberAdvisoryListQuerySchema → memberAdvisoryListSchema
 *   GET    /members/:memberId/advisories/:advisoryId    → memberAdvisoryDetailSchema
 *   PATCH  /members/:memberId/remediations/:remediationId  remediationPatchSchema → remediationSchema
 *   GET|PUT /cyber/settings                             cyberSettingsSchema
 *   GET    /cyber/services                              → serviceSoftwareListSchema (operator-run services)
 *   PUT    /cyber/services/:serviceId/software          serviceSoftwarePutSchema → serviceSoftwareSchema
 *   POST   /members/:memberId/incidents                 incidentInputSchema → 201 incidentCreatedSchema
 *   GET    /members/:memberId/incidents                 incidentListQuerySchema → incidentListSchema
 *   GET    /members/:memberId/incidents/:incidentId     → incidentSchema
 *   PATCH  /members/:memberId/incidents/:incidentId     incidentPatchSchema → incidentSchema
 *   POST   /members/:memberId/incidents/:incidentId/timeline  timelineEntryInputSchema → 201 incidentSchema
 *   GET    /cyber/incidents                             incidentListQuerySchema → incidentListSchema (all members)
 *   GET    /cyber/dashboard                             → cyberDashboardSchema
 *   GET    /cyber/members                               cyberMemberListQuerySchema → cyberMemberListSchema
 */

// Inventory --------------------------------------------------------------------------------------

export const ASSET_KINDS = [
  'workstation',
  'server',
  'network',
  'website',
  'domain',
  'mailbox',
  'software',
] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];
export const ASSET_KIND_LABELS: Record<AssetKind, string> = {
  workstation: 'Postes de travail',
  server: 'Serveur',
  network: 'Équipement réseau',
  website: 'Site internet',
  domain: 'Nom de domaine',
  mailbox: 'Messagerie',
  software: 'Logiciel',
};

/** Who runs an asset: the member itself, the operator (a catalogue service), or a vendor. */
export const RUNNERS = ['member', 'operator', 'vendor'] as const;
export type Runner = (typeof RUNNERS)[number];
export const RUNNER_LABELS: Record<Runner, string> = {
  member: 'La structure',
  operator: "L'opérateur",
  vendor: 'Un prestataire',
};

export const EXPOSURES = ['internet', 'internal', 'unknown'] as const;
export type Exposure = (typeof EXPOSURES)[number];
export const EXPOSURE_LABELS: Record<Exposure, string> = {
  internet: 'Exposé sur internet',
  internal: 'Réseau interne uniquement',
  unknown: 'Non renseigné',
};

/** Where an inventory line comes from: entered (or imported) by the member, or a catalogue service. */
export const ASSET_SOURCES = ['member', 'catalogue'] as const;
export type AssetSource = (typeof ASSET_SOURCES)[number];

/** A CPE 2.3 formatted string: `cpe:2.3:part:vendor:product:version:…` (13 components). */
export const CPE_PATTERN =
  /^cpe:2\.3:[aho*-](:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~]))+(\?*|\*?))|[*-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[*-]))(:(((\?*|\*?)([a-zA-Z0-9\-._]|(\\[\\*?!"#$%&'()+,/:;<=>@[\]^`{|}~]))+(\?*|\*?))|[*-])){4}$/;
export const cpeSchema = z
  .string()
  .trim()
  .max(500, 'Le nom CPE compte au plus 500 caractères')
  .regex(CPE_PATTERN, 'Nom CPE 2.3 attendu (ex. cpe:2.3:a:vendeur:produit:1.2.3:*:*:*:*:*:*:*)');

const shortText = (label: string, max = 200) =>
  z.string().trim().max(max, `${label} compte au plus ${max} caractères`);

const inventoryFields = {
  kind: z.enum(ASSET_KINDS, { message: "Type d'équipement inconnu" }),
  /** What people call it: « Poste accueil », « mairie-lrsy.fr », « Serveur de fichiers ». */
  name: shortText('Le nom').min(1, 'Le nom est obligatoire'),
  /** Workstations are counted, not listed one by one; 1 for everything else. */
  quantity: z.number().int().min(1, 'La quantité est au moins 1').max(100_000, 'Quantité trop grande'),
  vendor: shortText("L'éditeur").nullable(),
  product: shortText('Le produit').nullable(),
  version: shortText('La version', 100).nullable(),
  cpe: cpeSchema.nullable(),
  runner: z.enum(RUNNERS, { message: 'Exploitant inconnu' }),
  exposure: z.enum(EXPOSURES, { message: 'Exposition inconnue' }),
  notes: shortText('La note', 2_000).nullable(),
};

export const inventoryItemInputSchema = z.object({
  ...inventoryFields,
  quantity: inventoryFields.quantity.default(1),
  vendor: inventoryFields.vendor.optional(),
  product: inventoryFields.product.optional(),
  version: inventoryFields.version.optional(),
  cpe: inventoryFields.cpe.optional(),
  runner: inventoryFields.runner.default('member'),
  exposure: inventoryFields.exposure.default('unknown'),
  notes: inventoryFields.notes.optional(),
});
export type InventoryItemInput = z.infer<typeof inventoryItemInputSchema>;
export const inventoryItemPatchSchema = z.object(inventoryFields).partial();
export type InventoryItemPatch = z.infer<typeof inventoryItemPatchSchema>;

export const inventoryItemSchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  kind: z.enum(ASSET_KINDS),
  name: z.string(),
  quantity: z.number().int(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  version: z.string().nullable(),
  cpe: z.string().nullable(),
  runner: z.enum(RUNNERS),
  exposure: z.enum(EXPOSURES),
  notes: z.string().nullable(),
  /** `catalogue` lines come from the member's subscriptions and cannot be edited by the member. */
  source: z.enum(ASSET_SOURCES),
  /** The catalogue service a `catalogue` line comes from. */
  serviceId: z.uuid().nullable(),
  serviceName: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type InventoryItem = z.infer<typeof inventoryItemSchema>;
export const inventoryListSchema = listOf(inventoryItemSchema).extend({
  /** Totals over the whole inventory (not the page): workstations are summed by quantity. */
  summary: z.object({
    byKind: z.array(z.object({ kind: z.enum(ASSET_KINDS), count: z.number().int() })),
    internetExposed: z.number().int(),
  }),
});
export type InventoryList = z.infer<typeof inventoryListSchema>;
export const inventoryListQuerySchema = paginationQuery.extend({
  kind: z.enum(ASSET_KINDS).optional(),
  source: z.enum(ASSET_SOURCES).optional(),
  /** Words of the name, vendor or product; accents and case ignored. */
  q: z.string().trim().max(200).optional(),
});
export type InventoryListQuery = z.infer<typeof inventoryListQuerySchema>;

/**
 * The CSV import's columns (header row, `;` or `,`, UTF-8 or Windows-1252), in French:
 * type;nom;quantite;editeur;produit;version;cpe;exploitant;exposition;notes.
 * `type` takes the codes of ASSET_KINDS or their French labels; `exploitant`: structure, operateur,
 * prestataire; `exposition`: internet, interne, inconnue.
 */
export const INVENTORY_IMPORT_COLUMNS = [
  'type',
  'nom',
  'quantite',
  'editeur',
  'produit',
  'version',
  'cpe',
  'exploitant',
  'exposition',
  'notes',
] as const;
export const INVENTORY_IMPORT_MAX_ROWS = 5_000;

export const inventoryImportQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(true),
  /** `replace` removes the member's own lines (never the catalogue's) before adding the file's. */
  mode: z.enum(['append', 'replace']).default('append'),
});
export const inventoryImportReportSchema = z.object({
  dryRun: z.boolean(),
  /** Data rows read (the header excluded). */
  rows: z.number().int(),
  /** Lines that would be (dry run) or were created. */
  created: z.number().int(),
  /** Lines removed first in `replace` mode. */
  removed: z.number().int(),
  /** One French message per faulty line; when non-empty nothing was written. */
  errors: z.array(z.object({ line: z.number().int(), column: z.string().nullable(), message: z.string() })),
});
export type InventoryImportReport = z.infer<typeof inventoryImportReportSchema>;

/** The software an operator-run catalogue service brings to every subscriber's inventory. */
export const serviceSoftwareInputSchema = z.object({
  name: inventoryFields.name,
  vendor: shortText("L'éditeur").min(1, "L'éditeur est obligatoire"),
  product: shortText('Le produit').min(1, 'Le produit est obligatoire'),
  version: shortText('La version', 100).min(1, 'La version est obligatoire'),
  cpe: cpeSchema.nullable().optional(),
  exposure: inventoryFields.exposure.default('internet'),
});
export const serviceSoftwarePutSchema = z.object({
  items: z.array(serviceSoftwareInputSchema).max(100, 'Au plus 100 logiciels par service'),
});
export type ServiceSoftwareInput = z.infer<typeof serviceSoftwareInputSchema>;
export const serviceSoftwareSchema = z.object({
  serviceId: z.uuid(),
  serviceName: z.string(),
  domain: z.string(),
  subscribers: z.number().int(),
  items: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      vendor: z.string(),
      product: z.string(),
      version: z.string(),
      cpe: z.string().nullable(),
      exposure: z.enum(EXPOSURES),
    }),
  ),
});
export type ServiceSoftware = z.infer<typeof serviceSoftwareSchema>;
export const serviceSoftwareListSchema = z.object({ items: z.array(serviceSoftwareSchema) });

// Member cyber profile -------------------------------------------------------------------------

export const cyberProfileSchema = z.object({
  memberId: z.uuid(),
  /** In the scope of NIS 2 (essential or important entity): the incident clocks apply. */
  nis2InScope: z.boolean(),
  nis2Reason: z.string().nullable(),
  /** Who receives advisories besides the member's admins and `cyber` users. */
  securityContactEmail: z.string().nullable(),
  securityContactName: z.string().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export type CyberProfile = z.infer<typeof cyberProfileSchema>;
export const cyberProfileInputSchema = z
  .object({
    nis2InScope: z.boolean(),
    nis2Reason: shortText('La justification', 2_000).nullable().optional(),
    securityContactEmail: emailSchema.nullable().optional(),
    securityContactName: shortText('Le nom du contact').nullable().optional(),
  })
  .refine((v) => !v.nis2InScope || (v.nis2Reason ?? '').length > 0, {
    path: ['nis2Reason'],
    message: 'Indiquez pourquoi la structure relève de NIS 2',
  });
export type CyberProfileInput = z.infer<typeof cyberProfileInputSchema>;

// Diagnostic -------------------------------------------------------------------------------------

export const DIAGNOSTIC_THEMES = [
  'governance',
  'accounts',
  'backups',
  'updates',
  'workstations',
  'network',
  'email_web',
  'suppliers',
  'incident_readiness',
] as const;
export type DiagnosticTheme = (typeof DIAGNOSTIC_THEMES)[number];
export const DIAGNOSTIC_THEME_LABELS: Record<DiagnosticTheme, string> = {
  governance: 'Gouvernance et sensibilisation',
  accounts: 'Comptes, mots de passe et double authentification',
  backups: 'Sauvegardes',
  updates: 'Mises à jour',
  workstations: 'Protection des postes',
  network: 'Réseau et Wi-Fi',
  email_web: 'Messagerie et site internet',
  suppliers: 'Prestataires et contrats',
  incident_readiness: 'Préparation aux incidents',
};

/** An answer: yes (2 points), partly (1), no (0), don't know (0, and noted as such). */
export const DIAGNOSTIC_ANSWERS = ['yes', 'partial', 'no', 'unknown'] as const;
export type DiagnosticAnswer = (typeof DIAGNOSTIC_ANSWERS)[number];
export const DIAGNOSTIC_ANSWER_LABELS: Record<DiagnosticAnswer, string> = {
  yes: 'Oui',
  partial: 'En partie',
  no: 'Non',
  unknown: 'Je ne sais pas',
};

export const MEASURE_LEVELS = ['low', 'medium', 'high'] as const;
export type MeasureLevel = (typeof MEASURE_LEVELS)[number];
export const EFFORT_LABELS: Record<MeasureLevel, string> = {
  low: 'Effort faible',
  medium: 'Effort moyen',
  high: 'Effort important',
};
export const COST_LABELS: Record<MeasureLevel, string> = {
  low: 'Coût faible',
  medium: 'Coût moyen',
  high: 'Coût élevé',
};
export const IMPACT_LABELS: Record<MeasureLevel, string> = {
  low: 'Impact modéré',
  medium: 'Impact important',
  high: 'Impact majeur',
};

export const diagnosticQuestionSchema = z.object({
  id: z.string(),
  theme: z.enum(DIAGNOSTIC_THEMES),
  text: z.string(),
  /** Why it matters, in a sentence. */
  help: z.string(),
});
export const diagnosticQuestionnaireSchema = z.object({
  /** Bumped when questions change; stored with each diagnostic. */
  version: z.number().int(),
  themes: z.array(
    z.object({
      theme: z.enum(DIAGNOSTIC_THEMES),
      label: z.string(),
      questions: z.array(diagnosticQuestionSchema),
    }),
  ),
});
export type DiagnosticQuestionnaire = z.infer<typeof diagnosticQuestionnaireSchema>;

/** Every question of the questionnaire must be answered (the server names the missing ones). */
export const diagnosticInputSchema = z.object({
  answers: z.record(
    z.string().regex(/^[a-z_]+\.[a-z0-9_]+$/, 'Identifiant de question invalide'),
    z.enum(DIAGNOSTIC_ANSWERS, { message: 'Réponse attendue : oui, en partie, non ou je ne sais pas' }),
  ),
  /** Who answered with the member (free text), e.g. « DGS et secrétaire de mairie ». */
  respondents: shortText('Les participants', 500).nullable().optional(),
});
export type DiagnosticInput = z.infer<typeof diagnosticInputSchema>;

export const themeScoreSchema = z.object({
  theme: z.enum(DIAGNOSTIC_THEMES),
  label: z.string(),
  /** 0–100. */
  score: z.number().int(),
});

export const planMeasureSchema = z.object({
  /** The question it answers. */
  questionId: z.string(),
  theme: z.enum(DIAGNOSTIC_THEMES),
  title: z.string(),
  description: z.string(),
  effort: z.enum(MEASURE_LEVELS),
  cost: z.enum(MEASURE_LEVELS),
  impact: z.enum(MEASURE_LEVELS),
  /** 1 first. */
  priority: z.number().int(),
  /** The operator's catalogue service providing it, with the member's share of its cost when priced. */
  service: z
    .object({
      id: z.uuid(),
      name: z.string(),
      subscribed: z.boolean(),
      /** The member's yearly cost excluding tax, cents; null when the pricing engine cannot price it. */
      annualCostCents: z.number().int().nullable(),
    })
    .nullable(),
});
export type PlanMeasure = z.infer<typeof planMeasureSchema>;

export const MATURITY_LEVELS = ['initial', 'basic', 'managed', 'advanced'] as const;
export type MaturityLevel = (typeof MATURITY_LEVELS)[number];
export const MATURITY_LEVEL_LABELS: Record<MaturityLevel, string> = {
  initial: 'Initial (moins de 25)',
  basic: 'Fondamental (25 à 49)',
  managed: 'Maîtrisé (50 à 74)',
  advanced: 'Avancé (75 et plus)',
};
export const maturityOf = (score: number): MaturityLevel =>
  score < 25 ? 'initial' : score < 50 ? 'basic' : score < 75 ? 'managed' : 'advanced';

export const diagnosticSummarySchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  createdAt: z.iso.datetime(),
  createdBy: z.string().nullable(),
  overallScore: z.number().int(),
  maturity: z.enum(MATURITY_LEVELS),
});
export type DiagnosticSummary = z.infer<typeof diagnosticSummarySchema>;
export const diagnosticListSchema = listOf(diagnosticSummarySchema);

export const diagnosticSchema = diagnosticSummarySchema.extend({
  questionnaireVersion: z.number().int(),
  respondents: z.string().nullable(),
  answers: z.record(z.string(), z.enum(DIAGNOSTIC_ANSWERS)),
  themeScores: z.array(themeScoreSchema),
  actionPlan: z.array(planMeasureSchema),
  /** The previous diagnostic of the member, to compare: its scores per theme and overall. */
  previous: z
    .object({
      id: z.uuid(),
      createdAt: z.iso.datetime(),
      overallScore: z.number().int(),
      themeScores: z.array(themeScoreSchema),
    })
    .nullable(),
  /**
   * The median of similar members' latest diagnostics (same kind and population band), anonymised;
   * null when fewer than 5 such members have one.
   */
  peers: z
    .object({
      count: z.number().int(),
      /** « Communes de 10 000 à 49 999 habitants ». */
      label: z.string(),
      overallScore: z.number().int(),
      themeScores: z.array(themeScoreSchema),
    })
    .nullable(),
});
export type Diagnostic = z.infer<typeof diagnosticSchema>;

// Advisories -------------------------------------------------------------------------------------

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critique',
  high: 'Élevée',
  medium: 'Moyenne',
  low: 'Faible',
  none: 'Aucune',
};
/** Days to remediate from the advisory's import, by severity (the cyber team may change them). */
export const DEFAULT_REMEDIATION_DAYS: Record<Severity, number> = {
  critical: 7,
  high: 30,
  medium: 90,
  low: 180,
  none: 365,
};

export const REMEDIATION_STATES = ['to_do', 'patched', 'mitigated', 'not_affected', 'risk_accepted'] as const;
export type RemediationState = (typeof REMEDIATION_STATES)[number];
export const REMEDIATION_STATE_LABELS: Record<RemediationState, string> = {
  to_do: 'À traiter',
  patched: 'Corrigé',
  mitigated: 'Contourné',
  not_affected: 'Non concerné',
  risk_accepted: 'Risque accepté',
};
/** States that close a remediation (everything but `to_do`). */
export const CLOSED_REMEDIATION_STATES: readonly RemediationState[] = [
  'patched',
  'mitigated',
  'not_affected',
  'risk_accepted',
];

/** A member's state for one advisory, summarising its assets. */
export const EXPOSURE_STATES = ['to_do', 'overdue', 'remediated'] as const;
export type ExposureState = (typeof EXPOSURE_STATES)[number];
export const EXPOSURE_STATE_LABELS: Record<ExposureState, string> = {
  to_do: 'À traiter',
  overdue: 'En retard',
  remediated: 'Traité',
};

export const ADVISORY_SOURCES = ['csaf', 'manual'] as const;
export type AdvisorySource = (typeof ADVISORY_SOURCES)[number];

/** A product an advisory concerns, as read from a CSAF product tree or written by hand. */
export const advisoryProductSchema = z.object({
  vendor: z.string(),
  product: z.string(),
  /** An exact version (`product_version`), or null. */
  version: z.string().nullable(),
  /** A vers range (`vers:semver/>=2.0.0|<2.4.1`, `vers:generic/<7.2`), or null. */
  versionRange: z.string().nullable(),
  cpe: z.string().nullable(),
});
export type AdvisoryProduct = z.infer<typeof advisoryProductSchema>;

/** The CSAF 2.0 document itself is the body of POST /cyber/advisories (validated by the server). */
export const csafDocumentSchema = z.looseObject({
  document: z.looseObject({ csaf_version: z.string() }),
});

const versSchema = z
  .string()
  .trim()
  .max(500)
  .regex(/^vers:[a-z0-9.+-]+\/.+$/i, 'Intervalle « vers » attendu (ex. vers:semver/>=1.0.0|<1.4.2)');

export const manualAdvisoryInputSchema = z.object({
  title: shortText('Le titre', 500).min(1, 'Le titre est obligatoire'),
  /** The publisher's reference (CERT-FR, vendor…); unique. */
  reference: shortText('La référence', 200).min(1, 'La référence est obligatoire'),
  severity: z.enum(SEVERITIES, { message: 'Gravité inconnue' }),
  summary: shortText('Le résumé', 10_000).nullable().optional(),
  cves: z
    .array(z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'Identifiant CVE attendu (ex. CVE-2024-3400)'))
    .max(200)
    .default([]),
  url: z.url('Adresse web invalide').max(2_000).nullable().optional(),
  products: z
    .array(
      z
        .object({
          vendor: shortText("L'éditeur").min(1, "L'éditeur est obligatoire"),
          product: shortText('Le produit').min(1, 'Le produit est obligatoire'),
          version: shortText('La version', 100).nullable().optional(),
          versionRange: versSchema.nullable().optional(),
          cpe: cpeSchema.nullable().optional(),
        })
        .refine((p) => Boolean(p.version || p.versionRange || p.cpe), {
          message: 'Indiquez une version, un intervalle « vers » ou un nom CPE',
          path: ['version'],
        }),
    )
    .min(1, 'Indiquez au moins un produit concerné')
    .max(500),
});
export type ManualAdvisoryInput = z.infer<typeof manualAdvisoryInputSchema>;

export const advisoryCreatedSchema = z.object({
  id: z.uuid(),
  /** How many members have at least one asset matching the advisory. */
  affectedMembers: z.number().int(),
});

export const advisorySummarySchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  source: z.enum(ADVISORY_SOURCES),
  publisher: z.string().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  importedAt: z.iso.datetime(),
  cves: z.array(z.string()),
  affectedMembers: z.number().int(),
  remediatedMembers: z.number().int(),
  overdueMembers: z.number().int(),
});
export type AdvisorySummary = z.infer<typeof advisorySummarySchema>;
export const advisoryListSchema = listOf(advisorySummarySchema);
export const advisoryListQuerySchema = paginationQuery.extend({
  severity: z.enum(SEVERITIES).optional(),
  q: z.string().trim().max(200).optional(),
});

export const advisoryDetailSchema = advisorySummarySchema.extend({
  summary: z.string().nullable(),
  url: z.string().nullable(),
  products: z.array(advisoryProductSchema),
  /** The default due date for an affected member (import + days for the severity). */
  dueOn: z.iso.date(),
});
export type AdvisoryDetail = z.infer<typeof advisoryDetailSchema>;

export const exposureItemSchema = z.object({
  memberId: z.uuid(),
  memberName: z.string(),
  state: z.enum(EXPOSURE_STATES),
  assets: z.number().int(),
  remediatedAssets: z.number().int(),
  dueOn: z.iso.date(),
  notifiedAt: z.iso.datetime().nullable(),
});
export type ExposureItem = z.infer<typeof exposureItemSchema>;
export const exposureListSchema = listOf(exposureItemSchema).extend({
  counts: z.object({
    affected: z.number().int(),
    remediated: z.number().int(),
    overdue: z.number().int(),
  }),
});
export const exposureQuerySchema = paginationQuery.extend({ state: z.enum(EXPOSURE_STATES).optional() });

export const remediationSchema = z.object({
  id: z.uuid(),
  advisoryId: z.uuid(),
  memberId: z.uuid(),
  asset: inventoryItemSchema.pick({
    id: true,
    kind: true,
    name: true,
    vendor: true,
    product: true,
    version: true,
    cpe: true,
    runner: true,
    exposure: true,
  }),
  /** The advisory product that matched (its range or CPE, as written). */
  matchedOn: z.string(),
  state: z.enum(REMEDIATION_STATES),
  reason: z.string().nullable(),
  dueOn: z.iso.date(),
  overdue: z.boolean(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string().nullable(),
});
export type Remediation = z.infer<typeof remediationSchema>;

/** An advisory as one member sees it: only its own assets. */
export const memberAdvisorySchema = advisorySummarySchema
  .omit({ affectedMembers: true, remediatedMembers: true, overdueMembers: true })
  .extend({
    state: z.enum(EXPOSURE_STATES),
    assets: z.number().int(),
    remediatedAssets: z.number().int(),
    dueOn: z.iso.date(),
  });
export type MemberAdvisory = z.infer<typeof memberAdvisorySchema>;
export const memberAdvisoryListSchema = listOf(memberAdvisorySchema);
export const memberAdvisoryListQuerySchema = paginationQuery.extend({
  state: z.enum(EXPOSURE_STATES).optional(),
});
export const memberAdvisoryDetailSchema = memberAdvisorySchema.extend({
  summary: z.string().nullable(),
  url: z.string().nullable(),
  remediations: z.array(remediationSchema),
});
export type MemberAdvisoryDetail = z.infer<typeof memberAdvisoryDetailSchema>;

export const remediationPatchSchema = z
  .object({
    state: z.enum(REMEDIATION_STATES, { message: 'État de traitement inconnu' }),
    reason: shortText('La justification', 2_000).nullable().optional(),
  })
  .refine((v) => v.state !== 'risk_accepted' || (v.reason ?? '').length > 0, {
    path: ['reason'],
    message: 'Justifiez l’acceptation du risque',
  });
export type RemediationPatch = z.infer<typeof remediationPatchSchema>;

const days = z.number().int().min(1, 'Au moins 1 jour').max(3_650, 'Au plus 3 650 jours');
export const cyberSettingsSchema = z.object({
  remediationDays: z.object({ critical: days, high: days, medium: days, low: days, none: days }),
});
export type CyberSettings = z.infer<typeof cyberSettingsSchema>;

// Incidents --------------------------------------------------------------------------------------

export const INCIDENT_CATEGORIES = [
  'ransomware',
  'phishing',
  'account_compromise',
  'denial_of_service',
  'defacement',
  'data_leak',
  'lost_device',
  'other',
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];
export const INCIDENT_CATEGORY_LABELS: Record<IncidentCategory, string> = {
  ransomware: 'Rançongiciel',
  phishing: 'Hameçonnage',
  account_compromise: 'Compte compromis',
  denial_of_service: 'Déni de service',
  defacement: 'Défiguration de site',
  data_leak: 'Fuite de données',
  lost_device: 'Appareil perdu ou volé',
  other: 'Autre',
};

export const INCIDENT_STATUSES = ['open', 'contained', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  open: 'En cours',
  contained: 'Maîtrisé',
  closed: 'Clos',
};

/** NIS 2 reporting steps (art. 23): early warning 24 h, notification 72 h, final report one month. */
export const INCIDENT_CLOCKS = ['earlyWarning', 'notification', 'finalReport'] as const;
export type IncidentClock = (typeof INCIDENT_CLOCKS)[number];
export const INCIDENT_CLOCK_LABELS: Record<IncidentClock, string> = {
  earlyWarning: 'Alerte précoce (24 h)',
  notification: "Notification d'incident (72 h)",
  finalReport: 'Rapport final (1 mois)',
};

export const incidentDeadlinesSchema = z.object({
  earlyWarning: z.iso.datetime(),
  notification: z.iso.datetime(),
  finalReport: z.iso.datetime(),
});
export type IncidentDeadlines = z.infer<typeof incidentDeadlinesSchema>;

export const incidentInputSchema = z.object({
  category: z.enum(INCIDENT_CATEGORIES, { message: "Catégorie d'incident inconnue" }),
  detectedAt: isoInstant,
  personalData: z.boolean(),
  title: shortText('Le titre', 300).min(1, 'Le titre est obligatoire').optional(),
  description: shortText('La description', 10_000).nullable().optional(),
  /** Services affected, in the member's words (« messagerie », « état civil »…). */
  servicesAffected: z.array(shortText('Le service', 200).min(1)).max(50).default([]),
});
export type IncidentInput = z.infer<typeof incidentInputSchema>;

export const incidentCreatedSchema = z.object({
  id: z.uuid(),
  /** NIS 2 deadlines; null when the member is out of NIS 2 scope. */
  deadlines: incidentDeadlinesSchema.nullable(),
  /** The RGPD breach created with the incident when personal data is affected. */
  breachId: z.uuid().nullable(),
});

export const incidentPatchSchema = z.object({
  status: z.enum(INCIDENT_STATUSES, { message: 'Statut inconnu' }).optional(),
  title: shortText('Le titre', 300).min(1, 'Le titre est obligatoire').optional(),
  description: shortText('La description', 10_000).nullable().optional(),
  servicesAffected: z.array(shortText('Le service', 200).min(1)).max(50).optional(),
  earlyWarningSentAt: isoInstant.nullable().optional(),
  notificationSentAt: isoInstant.nullable().optional(),
  finalReportSentAt: isoInstant.nullable().optional(),
  /** Dates (instants) the police complaint was filed and the insurer informed. */
  policeComplaintAt: isoInstant.nullable().optional(),
  insurerDeclaredAt: isoInstant.nullable().optional(),
});
export type IncidentPatch = z.infer<typeof incidentPatchSchema>;

export const timelineEntryInputSchema = z.object({
  at: isoInstant,
  text: shortText("L'action", 2_000).min(1, "Décrivez l'action"),
});
export const timelineEntrySchema = z.object({
  id: z.uuid(),
  at: z.iso.datetime(),
  text: z.string(),
  by: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const incidentClockSchema = z.object({
  clock: z.enum(INCIDENT_CLOCKS),
  deadline: z.iso.datetime(),
  /** « mardi 31 mars 2026 à 10:00 » (Paris). */
  deadlineLabel: z.string(),
  doneAt: z.iso.datetime().nullable(),
  /** Seconds left while not done; negative when overdue; null once done. */
  remainingSeconds: z.number().int().nullable(),
  overdue: z.boolean(),
});
export type IncidentClockView = z.infer<typeof incidentClockSchema>;

export const incidentSummarySchema = z.object({
  id: z.uuid(),
  memberId: z.uuid(),
  memberName: z.string(),
  title: z.string(),
  category: z.enum(INCIDENT_CATEGORIES),
  status: z.enum(INCIDENT_STATUSES),
  detectedAt: z.iso.datetime(),
  personalData: z.boolean(),
  nis2: z.boolean(),
  /** The next clock not done (null when none runs). */
  nextClock: incidentClockSchema.nullable(),
  breachId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;
export const incidentListSchema = listOf(incidentSummarySchema);
export const incidentListQuerySchema = paginationQuery.extend({
  status: z.enum(INCIDENT_STATUSES).optional(),
  /** The incident an RGPD breach was opened by (the breach page links back with it). */
  breachId: z.uuid().optional(),
});

export const incidentSchema = incidentSummarySchema.extend({
  description: z.string().nullable(),
  servicesAffected: z.array(z.string()),
  deadlines: incidentDeadlinesSchema.nullable(),
  clocks: z.array(incidentClockSchema),
  earlyWarningSentAt: z.iso.datetime().nullable(),
  notificationSentAt: z.iso.datetime().nullable(),
  finalReportSentAt: z.iso.datetime().nullable(),
  policeComplaintAt: z.iso.datetime().nullable(),
  insurerDeclaredAt: z.iso.datetime().nullable(),
  timeline: z.array(timelineEntrySchema),
  updatedAt: z.iso.datetime(),
});
export type Incident = z.infer<typeof incidentSchema>;

// Operator dashboard -----------------------------------------------------------------------------

export const cyberDashboardSchema = z.object({
  /** Open incidents, the nearest running clock first (then those with no clock). */
  openIncidents: z.array(incidentSummarySchema),
  /** Members by maturity of their latest diagnostic; `none` counts members never diagnosed. */
  maturity: z.array(
    z.object({ level: z.enum([...MATURITY_LEVELS, 'none']), label: z.string(), members: z.number().int() }),
  ),
  /** Critical (then high) advisories with members not yet remediated. */
  unremediatedAdvisories: z.array(advisorySummarySchema),
});
export type CyberDashboard = z.infer<typeof cyberDashboardSchema>;

/** One row per member for the cyber team: maturity and exposure. */
export const cyberMemberRowSchema = z.object({
  memberId: z.uuid(),
  memberName: z.string(),
  kind: z.enum(MEMBER_KINDS),
  nis2InScope: z.boolean(),
  lastDiagnosticAt: z.iso.datetime().nullable(),
  overallScore: z.number().int().nullable(),
  maturity: z.enum(MATURITY_LEVELS).nullable(),
  openAdvisories: z.number().int(),
  overdueAdvisories: z.number().int(),
  openIncidents: z.number().int(),
  assets: z.number().int(),
});
export type CyberMemberRow = z.infer<typeof cyberMemberRowSchema>;
export const cyberMemberListSchema = listOf(cyberMemberRowSchema);
export const cyberMemberListQuerySchema = paginationQuery.extend({
  maturity: z.enum([...MATURITY_LEVELS, 'none']).optional(),
  q: z.string().trim().max(200).optional(),
});
