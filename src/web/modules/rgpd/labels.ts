import {
  DPIA_CRITERION_LABELS,
  DPIA_STATUS_LABELS,
  type DpiaCriterion,
  type DpiaStatus,
  FINAL_FATE_LABELS,
  LEGAL_BASIS_LABELS,
  type LegalBasis,
  PROCESSING_STATUS_LABELS,
  type ProcessingStatus,
  RECIPIENT_TYPE_LABELS,
  SECURITY_MEASURE_KEYS,
  SECURITY_MEASURE_LABELS,
} from '../../../contracts/rgpd.js';
import { formatParisDate } from './format.js';

/** French names of a processing's fields, for the version diff and the template update review. */
export const FIELD_LABELS: Record<string, string> = {
  name: 'Nom du traitement',
  purposes: 'Finalités',
  legalBasis: 'Base légale',
  legalBasisJustification: 'Justification de la base légale',
  sensitiveData: 'Données sensibles',
  sensitiveException: 'Exception invoquée (art. 9.2)',
  dataSubjects: 'Personnes concernées',
  dataCategories: 'Catégories de données',
  sources: 'Sources des données',
  collectionMethod: 'Mode de collecte',
  recipients: 'Destinataires',
  transfers: "Transferts hors de l'Union européenne",
  retention: 'Durées de conservation',
  securityMeasures: 'Mesures de sécurité',
  software: 'Logiciel utilisé',
  department: 'Service responsable',
  dpiaCriteria: "Critères d'AIPD",
  status: 'Statut',
  lastReviewOn: 'Dernière revue',
  nextReviewOn: 'Prochaine revue',
  dpiaStatus: "État de l'AIPD",
  dpiaNotRequiredReason: "Motif d'absence d'AIPD",
  isPublic: 'Publié sur la page publique',
  processorIds: 'Sous-traitants',
  processors: 'Sous-traitants',
  templateVersion: 'Version du modèle',
};

export const fieldLabel = (field: string) => FIELD_LABELS[field] ?? field;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const fmtCount = new Intl.NumberFormat('fr-FR');

/** Any field value as readable French text (diffs show arrays of objects as one line each). */
export function formatFieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(vide)';
  if (typeof value === 'boolean') return value ? 'Oui' : 'Non';
  if (field === 'legalBasis') return LEGAL_BASIS_LABELS[value as LegalBasis] ?? String(value);
  if (field === 'status') return PROCESSING_STATUS_LABELS[value as ProcessingStatus] ?? String(value);
  if (field === 'dpiaStatus') return DPIA_STATUS_LABELS[value as DpiaStatus] ?? String(value);
  if (field === 'lastReviewOn' || field === 'nextReviewOn') return formatParisDate(String(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return '(vide)';
    return value
      .map((item) => {
        if (field === 'dpiaCriteria') return DPIA_CRITERION_LABELS[item as DpiaCriterion] ?? String(item);
        if (!isObj(item)) return String(item);
        if ('category' in item)
          return item.estimatedCount == null
            ? String(item.category)
            : `${item.category} (≈ ${fmtCount.format(Number(item.estimatedCount))})`;
        if ('type' in item && 'name' in item)
          return `${item.name} (${RECIPIENT_TYPE_LABELS[item.type as keyof typeof RECIPIENT_TYPE_LABELS] ?? item.type})`;
        if ('country' in item) return `${item.country} : ${item.safeguard || 'garantie non précisée'}`;
        if ('dataCategory' in item)
          return `${item.dataCategory} : ${item.duration}, puis ${(
            FINAL_FATE_LABELS[item.finalFate as keyof typeof FINAL_FATE_LABELS] ?? String(item.finalFate)
          ).toLowerCase()}`;
        if ('name' in item) return String(item.name);
        return JSON.stringify(item);
      })
      .join(' ; ');
  }
  if (isObj(value)) {
    if (field === 'securityMeasures') {
      const lines = SECURITY_MEASURE_KEYS.filter((k) => value[k]).map(
        (k) => `${SECURITY_MEASURE_LABELS[k]} : ${value[k]}`,
      );
      return lines.length ? lines.join(' ; ') : '(vide)';
    }
    return JSON.stringify(value);
  }
  return String(value);
}
