import {
  CONTACT_ROLE_LABELS,
  CONTACT_ROLES,
  type ContactRole,
  MEMBER_KIND_LABELS,
  MEMBER_KINDS,
  MEMBERSHIP_STATUS_LABELS,
  MEMBERSHIP_STATUSES,
  type MemberKind,
  type MembershipStatus,
} from '../../../contracts/members.js';
import {
  MEMBER_IMPORT_COLUMNS,
  type MemberImportField,
  type MemberImportIssue,
} from '../../../contracts/members-import.js';
import { searchKey } from '../../../contracts/search.js';

/**
 * The members import, pure part one: which column of a file holds which field (headers written any
 * way a person might), and the codes behind the labels people write in cells ("Mairie", "CCAS",
 * "Adhérente", "DGS"…).
 */

// ---------------------------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------------------------

const HEADER_ALIASES: Record<MemberImportField, string[]> = {
  kind: ['type', 'nature', 'type de structure', 'nature juridique', 'kind'],
  name: ['nom', 'nom de la structure', 'denomination', 'raison sociale', 'libelle', 'name'],
  siren: ['siren', 'n siren', 'numero siren'],
  siret: ['siret', 'n siret', 'numero siret'],
  communeCode: [
    'code insee',
    'insee',
    'code commune',
    'code commune insee',
    'code officiel geographique',
    'cog',
  ],
  epciCode: ['code epci', 'siren epci', 'epci'],
  departementCode: ['departement', 'code departement', 'dept', 'dep'],
  address: ['adresse', 'adresse postale'],
  postalCode: ['code postal', 'cp'],
  city: ['commune', 'ville', 'localite'],
  population: ['population', 'habitants', 'nombre d habitants'],
  status: ['statut', 'statut d adhesion', 'status'],
  parentSiren: [
    'structure parente siren',
    'structure parente',
    'siren structure parente',
    'siren parent',
    'siren de la structure parente',
  ],
  contactLastName: ['contact nom'],
  contactFirstName: ['contact prenom'],
  contactRole: ['contact role', 'contact fonction'],
  contactEmail: [
    'contact email',
    'contact e mail',
    'contact courriel',
    'contact mel',
    'contact adresse electronique',
  ],
  contactPhone: ['contact telephone', 'contact tel'],
};

const FIELD_BY_HEADER = new Map<string, MemberImportField>(
  MEMBER_IMPORT_COLUMNS.flatMap(({ field }) => HEADER_ALIASES[field].map((alias) => [alias, field] as const)),
);

const TEMPLATE_HEADER = Object.fromEntries(MEMBER_IMPORT_COLUMNS.map((c) => [c.field, c.header])) as Record<
  MemberImportField,
  string
>;

export interface ColumnMap {
  /** Field → index of its column in the file. */
  index: Partial<Record<MemberImportField, number>>;
  /** Field → header as the file writes it (the template's when the column is absent). */
  header: Record<MemberImportField, string>;
  errors: MemberImportIssue[];
  warnings: MemberImportIssue[];
}

/** Recognises headers written any way a person might: accents, case, punctuation and aliases. */
export function mapColumns(headers: string[]): ColumnMap {
  const index: ColumnMap['index'] = {};
  const header = { ...TEMPLATE_HEADER };
  const errors: MemberImportIssue[] = [];
  const warnings: MemberImportIssue[] = [];
  headers.forEach((raw, i) => {
    const written = raw.trim();
    if (written === '') return;
    const field = FIELD_BY_HEADER.get(searchKey(written));
    if (!field) {
      warnings.push(issue(1, written, null, 'colonne non reconnue : elle est ignorée'));
    } else if (index[field] !== undefined) {
      errors.push(
        issue(
          1,
          written,
          null,
          `colonne en double : « ${header[field]} » et « ${written} » désignent la même donnée`,
        ),
      );
    } else {
      index[field] = i;
      header[field] = written;
    }
  });
  if (index.kind === undefined) {
    errors.push(issue(1, 'type', null, 'colonne obligatoire absente : « type » (ou « nature »)'));
  }
  if (index.siren === undefined) {
    errors.push(issue(1, 'siren', null, 'colonne obligatoire absente : « siren »'));
  }
  if (index.status === undefined) {
    warnings.push(
      issue(
        1,
        'statut',
        null,
        'colonne « statut » absente : les structures seront enregistrées comme « Adhérent »',
      ),
    );
  }
  return { index, header, errors, warnings };
}

/** One problem of the file, at `line` (1: the header line), in the column as the file writes it. */
export const issue = (
  line: number,
  column: string | null,
  value: string | null,
  message: string,
): MemberImportIssue => ({
  line,
  column,
  value: value === '' ? null : value,
  message,
});

// ---------------------------------------------------------------------------------------------
// Values written as people write them
// ---------------------------------------------------------------------------------------------

const labelMap = <T extends string>(
  codes: readonly T[],
  labels: Record<string, string>,
  extra: Record<string, T>,
) => {
  const map = new Map<string, T>();
  for (const code of codes) {
    map.set(searchKey(code), code);
    if (labels[code]) map.set(searchKey(labels[code]), code);
  }
  for (const [label, code] of Object.entries(extra)) map.set(searchKey(label), code);
  return map;
};

const KIND_BY_LABEL = labelMap<MemberKind>(MEMBER_KINDS, MEMBER_KIND_LABELS, {
  mairie: 'commune',
  CC: 'epci',
  CA: 'epci',
  CU: 'epci',
  Métropole: 'epci',
  'Communauté de communes': 'epci',
  "Communauté d'agglomération": 'epci',
  'Communauté urbaine': 'epci',
  'EPCI à fiscalité propre': 'epci',
  'Syndicat mixte ouvert': 'syndicat_mixte',
  'Syndicat mixte fermé': 'syndicat_mixte',
  SIVU: 'syndicat_intercommunal',
  SIVOM: 'syndicat_intercommunal',
  Syndicat: 'syndicat_intercommunal',
  CCAS: 'ccas',
  CIAS: 'ccas',
  "Centre communal d'action sociale": 'ccas',
  "Centre intercommunal d'action sociale": 'ccas',
  EHPAD: 'medico_social',
  'Médico-social': 'medico_social',
  'Établissement médico-social': 'medico_social',
  SDIS: 'structure_departementale',
  SPL: 'spl',
  SEM: 'spl',
  'Société publique locale': 'spl',
  "Société d'économie mixte": 'spl',
  Autre: 'autre',
});

const STATUS_BY_LABEL = labelMap<MembershipStatus>(MEMBERSHIP_STATUSES, MEMBERSHIP_STATUS_LABELS, {
  Adhérente: 'member',
  Demande: 'requested',
  'Demande en cours': 'requested',
  'Adhésion demandée': 'requested',
  Acceptée: 'accepted',
  Accepté: 'accepted',
  'Demande de retrait': 'withdrawal_requested',
  Retirée: 'withdrawn',
  Retrait: 'withdrawn',
});

const CONTACT_ROLE_BY_LABEL = labelMap<ContactRole>(CONTACT_ROLES, CONTACT_ROLE_LABELS, {
  Maire: 'maire_president',
  Président: 'maire_president',
  Présidente: 'maire_president',
  'Maire / Président': 'maire_president',
  DGS: 'dgs_secretaire',
  'Directeur général des services': 'dgs_secretaire',
  'Directrice générale des services': 'dgs_secretaire',
  'Secrétaire de mairie': 'dgs_secretaire',
  Secrétaire: 'dgs_secretaire',
  'Référent numérique': 'referent_numerique',
  'Référente numérique': 'referent_numerique',
  'Référent RGPD': 'referent_rgpd',
  'Référente RGPD': 'referent_rgpd',
  'Délégué titulaire': 'delegue_titulaire',
  'Déléguée titulaire': 'delegue_titulaire',
  Titulaire: 'delegue_titulaire',
  'Délégué suppléant': 'delegue_suppleant',
  'Déléguée suppléante': 'delegue_suppleant',
  Suppléant: 'delegue_suppleant',
  Suppléante: 'delegue_suppleant',
});

/** The labels accepted for a field, listed in an error message. */
export const accepted = (labels: Record<string, string>, codes: readonly string[]) =>
  codes.map((c) => labels[c]).join(', ');

export const parseKind = (value: string): MemberKind | null => KIND_BY_LABEL.get(searchKey(value)) ?? null;
export const parseStatus = (value: string): MembershipStatus | null =>
  STATUS_BY_LABEL.get(searchKey(value)) ?? null;
export const parseContactRole = (value: string): ContactRole | null =>
  CONTACT_ROLE_BY_LABEL.get(searchKey(value)) ?? null;

/** Spreadsheets drop leading zeros of codes they take for numbers ("1001" for 01001). */
export const padDigits = (value: string, length: number) =>
  /^\d+$/.test(value) && value.length < length ? value.padStart(length, '0') : value;
