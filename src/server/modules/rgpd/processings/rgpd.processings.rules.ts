import { addYears, format } from 'date-fns';
import {
  DPIA_REQUIRED_THRESHOLD,
  type DpiaStatus,
  type FieldChange,
  type LegalBasis,
  type ProcessingStatus,
  SECURITY_MEASURE_KEYS,
  TEMPLATE_FIELD_NAMES,
  type TemplateFields,
} from '../../../../contracts/rgpd.js';
import type { FieldError } from '../../../platform/errors.js';

/** Pure rules of the registry: DPIA, completion, legal basis, review dates, diffs and template merges. */

/** The processing as versioned: the template field set plus the member's own lifecycle fields. */
export interface ProcessingSnapshot extends TemplateFields {
  status: ProcessingStatus;
  lastReviewOn: string | null;
  nextReviewOn: string | null;
  dpiaStatus: DpiaStatus;
  dpiaNotRequiredReason: string | null;
  isPublic: boolean;
  processorIds: string[];
}

export const SNAPSHOT_FIELDS: (keyof ProcessingSnapshot)[] = [
  ...TEMPLATE_FIELD_NAMES,
  'status',
  'lastReviewOn',
  'nextReviewOn',
  'dpiaStatus',
  'dpiaNotRequiredReason',
  'isPublic',
  'processorIds',
];

/** French labels of the fields, for diffs, missing-field lists and exports. */
export const FIELD_LABELS: Record<keyof ProcessingSnapshot, string> = {
  name: 'Nom du traitement',
  purposes: 'Finalités',
  legalBasis: 'Base légale',
  legalBasisJustification: 'Justification de la base légale',
  sensitiveData: 'Données sensibles',
  sensitiveException: 'Exception (art. 9.2)',
  dataSubjects: 'Personnes concernées',
  dataCategories: 'Catégories de données',
  sources: 'Sources des données',
  collectionMethod: 'Mode de collecte',
  recipients: 'Destinataires',
  transfers: 'Transferts hors UE',
  retention: 'Durées de conservation',
  securityMeasures: 'Mesures de sécurité',
  software: 'Logiciel utilisé',
  department: 'Service responsable',
  dpiaCriteria: 'Critères AIPD',
  status: 'Statut',
  lastReviewOn: 'Dernière revue',
  nextReviewOn: 'Prochaine revue',
  dpiaStatus: 'Statut de l’AIPD',
  dpiaNotRequiredReason: 'Motif d’AIPD non requise',
  isPublic: 'Publié',
  processorIds: 'Sous-traitants',
};

/** EDPB guidelines: a processing meeting two or more of the nine criteria needs a DPIA. */
export function isDpiaRequired(criteria: readonly string[]): boolean {
  return new Set(criteria).size >= DPIA_REQUIRED_THRESHOLD;
}

const filled = (value: string | null | undefined) => !!value && value.trim().length > 0;

/**
 * The Art. 30 content a registry entry must show, as checks. Conditional checks only count when
 * they apply (an exception is only needed for sensitive data, a safeguard only for a transfer).
 */
const COMPLETION_CHECKS: {
  field: keyof ProcessingSnapshot;
  applies?: (p: ProcessingSnapshot) => boolean;
  ok: (p: ProcessingSnapshot) => boolean;
}[] = [
  { field: 'name', ok: (p) => filled(p.name) },
  { field: 'purposes', ok: (p) => filled(p.purposes) },
  { field: 'legalBasis', ok: (p) => p.legalBasis !== null },
  { field: 'legalBasisJustification', ok: (p) => filled(p.legalBasisJustification) },
  { field: 'dataSubjects', ok: (p) => p.dataSubjects.length > 0 },
  { field: 'dataCategories', ok: (p) => p.dataCategories.length > 0 },
  { field: 'sources', ok: (p) => filled(p.sources) || filled(p.collectionMethod) },
  { field: 'recipients', ok: (p) => p.recipients.length > 0 },
  { field: 'retention', ok: (p) => p.retention.length > 0 },
  { field: 'securityMeasures', ok: (p) => SECURITY_MEASURE_KEYS.some((k) => filled(p.securityMeasures[k])) },
  { field: 'department', ok: (p) => filled(p.department) },
  { field: 'sensitiveException', applies: (p) => p.sensitiveData, ok: (p) => filled(p.sensitiveException) },
  {
    field: 'transfers',
    applies: (p) => p.transfers.length > 0,
    ok: (p) => p.transfers.every((t) => filled(t.safeguard)),
  },
  {
    field: 'dpiaStatus',
    applies: (p) => isDpiaRequired(p.dpiaCriteria),
    ok: (p) => p.dpiaStatus !== 'not_started',
  },
];

/** Percentage (0–100, rounded down so 100 means complete) of required fields filled, and what is missing. */
export function completionOf(p: ProcessingSnapshot): { percent: number; missing: string[] } {
  const checks = COMPLETION_CHECKS.filter((c) => !c.applies || c.applies(p));
  const missing = checks.filter((c) => !c.ok(p)).map((c) => FIELD_LABELS[c.field]);
  return { percent: Math.floor((100 * (checks.length - missing.length)) / checks.length), missing };
}

/** A member's registry completion: the mean of its processings' (0 for an empty registry). */
export function memberCompletion(percents: readonly number[]): number {
  if (percents.length === 0) return 0;
  return Math.round(percents.reduce((a, b) => a + b, 0) / percents.length);
}

/** Organisation kinds governed by private law, the only ones that may rely on legitimate interest. */
const PRIVATE_LAW_KINDS = new Set(['spl']);

/**
 * Art. 6.1 last sentence: legitimate interest « ne s'applique pas au traitement effectué par les
 * autorités publiques dans l'exécution de leurs missions ». Every member kind except SPL/SEM is a public
 * authority and the registry only holds their tasks, so the choice is refused, not merely flagged.
 */
export function legalBasisErrors(
  legalBasis: LegalBasis | null,
  kinds: readonly string[],
  path = 'body.legalBasis',
): FieldError[] {
  if (legalBasis !== 'legitimate_interest') return [];
  if (kinds.length > 0 && kinds.every((k) => PRIVATE_LAW_KINDS.has(k))) return [];
  return [
    {
      path,
      message:
        'L’intérêt légitime ne peut pas fonder un traitement d’une autorité publique dans l’exécution de ses missions (art. 6.1 du RGPD) : choisissez « mission d’intérêt public » ou « obligation légale ».',
    },
  ];
}

export function dpiaErrors(
  p: Pick<ProcessingSnapshot, 'dpiaStatus' | 'dpiaNotRequiredReason'>,
): FieldError[] {
  if (p.dpiaStatus === 'not_required' && !filled(p.dpiaNotRequiredReason)) {
    return [
      {
        path: 'body.dpiaNotRequiredReason',
        message: 'Indiquez pourquoi l’analyse d’impact n’est pas requise.',
      },
    ];
  }
  return [];
}

export function reviewErrors(p: Pick<ProcessingSnapshot, 'lastReviewOn' | 'nextReviewOn'>): FieldError[] {
  if (p.lastReviewOn && p.nextReviewOn && p.nextReviewOn < p.lastReviewOn) {
    return [{ path: 'body.nextReviewOn', message: 'La prochaine revue doit suivre la dernière revue.' }];
  }
  return [];
}

/**
 * Validating a processing is a review: when the status becomes `validated` and the dates were not
 * given, the last review is today and the next one a year later.
 */
export function applyReviewRule(
  before: ProcessingSnapshot | null,
  after: ProcessingSnapshot,
  explicit: { lastReviewOn: boolean; nextReviewOn: boolean },
  today: string,
): ProcessingSnapshot {
  if (after.status !== 'validated' || before?.status === 'validated') return after;
  const lastReviewOn = explicit.lastReviewOn ? after.lastReviewOn : today;
  const nextReviewOn =
    explicit.nextReviewOn || !lastReviewOn
      ? after.nextReviewOn
      : format(addYears(new Date(`${lastReviewOn}T12:00:00Z`), 1), 'yyyy-MM-dd');
  return { ...after, lastReviewOn, nextReviewOn };
}

/** JSON with sorted keys, so two equal values compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
export const sameValue = (a: unknown, b: unknown) => canonical(a ?? null) === canonical(b ?? null);

/** The fields that differ between two snapshots, in field order. */
export function diffSnapshots(
  before: Partial<ProcessingSnapshot> | null,
  after: Partial<ProcessingSnapshot>,
  fields: readonly string[] = SNAPSHOT_FIELDS,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const b = before ? ((before as Record<string, unknown>)[field] ?? null) : null;
    const a = (after as Record<string, unknown>)[field] ?? null;
    if (!sameValue(b, a)) changes.push({ field, before: b, after: a });
  }
  return changes;
}

export interface TemplateDifference {
  field: keyof TemplateFields;
  current: unknown;
  proposed: unknown;
  base: unknown;
}

/**
 * Three-way merge of a template update into a linked processing: a field is proposed when the
 * template changed it since the version the processing follows (base → proposed) and the processing
 * does not hold that value already. Local adjustments of fields the template did not touch are never
 * proposed for overwrite. Without a base (unknown version) every differing field is proposed.
 */
export function templateDifferences(
  base: Partial<TemplateFields> | null,
  proposed: TemplateFields,
  current: TemplateFields,
): TemplateDifference[] {
  const differences: TemplateDifference[] = [];
  for (const field of TEMPLATE_FIELD_NAMES) {
    const p = proposed[field] ?? null;
    const c = current[field] ?? null;
    if (sameValue(p, c)) continue;
    const b = base ? (base[field] ?? null) : undefined;
    if (base && sameValue(b, p)) continue;
    differences.push({ field, current: c, proposed: p, base: b ?? null });
  }
  return differences;
}

/**
 * The canonical form of a snapshot: processor ids unique and sorted, criteria unique, and the fields
 * that only mean something under a condition (the sensitive-data exception, why no DPIA) cleared
 * otherwise.
 */
export const normaliseSnapshot = (s: ProcessingSnapshot): ProcessingSnapshot => ({
  ...s,
  processorIds: [...new Set(s.processorIds)].sort(),
  dpiaCriteria: [...new Set(s.dpiaCriteria)],
  sensitiveException: s.sensitiveData ? s.sensitiveException : null,
  dpiaNotRequiredReason: s.dpiaStatus === 'not_required' ? s.dpiaNotRequiredReason : null,
});
