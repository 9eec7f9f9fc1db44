/**
 * The rules of the SCDL « Délibérations » schema, as data: the fields (name, type, format, constraints)
 * and the Validata custom checks of its Table Schema, taken from
 *   https://schema.data.gouv.fr/schemas/scdl/deliberations/2.1.5/schema.json
 * (version 2.1.5, lastModified 2023-08-28, the latest published on schema.data.gouv.fr; the same file
 * as `latest/schema.json`; source https://gitlab.com/opendatafrance/scdl/deliberations). Only the
 * rules are kept here, not the descriptions. The schema declares no `missingValues` (Table Schema's
 * default: the empty string) and no CSV dialect (Table Schema's default: comma, double quote).
 *
 * The custom checks are implemented by Validata (validata-core, `custom_checks/`); scdl.ts reads them
 * as that code does: `cohesive-columns-value` (all the columns filled, or none),
 * `compare-columns-value` (when both cells have a value; numbers compared as numbers, other values as
 * text), `sum-columns-value` (when every cell has a value), `year-interval-value` (AAAA, or AAAA/AAAA
 * with the first year before the second), `french-siret-value` (the SIRET's check digit) and
 * `nomenclature-actes-value` (the text before the first « / » is one of the nine ACTES matières,
 * case and accents ignored, without a space around the « / »).
 */
export const SCDL_DELIBERATIONS_VERSION = '2.1.5';
export const SCDL_DELIBERATIONS_SCHEMA_URL =
  'https://schema.data.gouv.fr/schemas/scdl/deliberations/2.1.5/schema.json';

export type ScdlFieldType = 'string' | 'date' | 'integer';

export interface ScdlField {
  name: string;
  title: string;
  type: ScdlFieldType;
  format?: 'uri';
  constraints?: { required?: boolean; pattern?: string };
}

export const SCDL_DELIBERATIONS_FIELDS = [
  { name: 'COLL_NOM', title: 'Nom de la collectivité', type: 'string', constraints: { required: true } },
  {
    name: 'COLL_SIRET',
    title: 'Code SIRET de la collectivité',
    type: 'string',
    constraints: { required: true, pattern: '^\\d{14}$' },
  },
  {
    name: 'DELIB_ID',
    title: 'Identifiant de la délibération',
    type: 'string',
    constraints: { required: true },
  },
  {
    name: 'DELIB_DATE',
    title: "Date d'adoption de la délibération",
    type: 'date',
    constraints: { required: true },
  },
  {
    name: 'DELIB_MATIERE_CODE',
    title: 'Code de matière issu de la nomenclature ACTES',
    type: 'string',
    constraints: { required: true, pattern: '^\\d\\.\\d{1,2}$' },
  },
  { name: 'DELIB_MATIERE_NOM', title: 'Nom de matière', type: 'string', constraints: { required: true } },
  { name: 'DELIB_OBJET', title: 'Objet de la délibération', type: 'string', constraints: { required: true } },
  {
    name: 'BUDGET_ANNEE',
    title: 'Année du budget',
    type: 'string',
    constraints: { pattern: '^[0-9]{4}(\\/[0-9]{4})?$' },
  },
  { name: 'BUDGET_NOM', title: 'Nom du budget', type: 'string' },
  { name: 'PREF_ID', title: "Identifiant de l'entité exerçant le contrôle de légalité", type: 'string' },
  {
    name: 'PREF_DATE',
    title: "Date d'enregistrement de la délibération auprès du contrôle de légalité",
    type: 'date',
  },
  { name: 'VOTE_EFFECTIF', title: 'Effectif théorique des votants', type: 'integer' },
  { name: 'VOTE_REEL', title: 'Effectif réel des votants', type: 'integer' },
  { name: 'VOTE_POUR', title: 'Pour', type: 'integer' },
  { name: 'VOTE_CONTRE', title: 'Contre', type: 'integer' },
  { name: 'VOTE_ABSTENTION', title: 'Abstention', type: 'integer' },
  { name: 'DELIB_URL', title: 'Lien vers le document de la délibération', type: 'string', format: 'uri' },
] as const satisfies readonly ScdlField[];

export type ScdlColumn = (typeof SCDL_DELIBERATIONS_FIELDS)[number]['name'];
export const SCDL_COLUMNS: readonly ScdlColumn[] = SCDL_DELIBERATIONS_FIELDS.map((f) => f.name);

export type ScdlCustomCheck =
  | { name: 'french-siret-value'; params: { column: ScdlColumn } }
  | { name: 'year-interval-value'; params: { column: ScdlColumn; 'allow-year-only': 'yes' | 'no' } }
  | { name: 'cohesive-columns-value'; params: { column: ScdlColumn; othercolumns: ScdlColumn[] } }
  | {
      name: 'compare-columns-value';
      params: { column: ScdlColumn; op: '>' | '>=' | '==' | '<=' | '<'; column2: ScdlColumn };
    }
  | { name: 'sum-columns-value'; params: { column: ScdlColumn; columns: ScdlColumn[] } }
  | { name: 'nomenclature-actes-value'; params: { column: ScdlColumn } };

export const SCDL_DELIBERATIONS_CUSTOM_CHECKS: readonly ScdlCustomCheck[] = [
  { name: 'french-siret-value', params: { column: 'COLL_SIRET' } },
  { name: 'year-interval-value', params: { column: 'BUDGET_ANNEE', 'allow-year-only': 'yes' } },
  { name: 'cohesive-columns-value', params: { column: 'BUDGET_ANNEE', othercolumns: ['BUDGET_NOM'] } },
  {
    name: 'cohesive-columns-value',
    params: {
      column: 'VOTE_EFFECTIF',
      othercolumns: ['VOTE_REEL', 'VOTE_POUR', 'VOTE_CONTRE', 'VOTE_ABSTENTION'],
    },
  },
  { name: 'compare-columns-value', params: { column: 'PREF_DATE', op: '>=', column2: 'DELIB_DATE' } },
  { name: 'compare-columns-value', params: { column: 'VOTE_EFFECTIF', op: '>=', column2: 'VOTE_REEL' } },
  { name: 'compare-columns-value', params: { column: 'VOTE_REEL', op: '>=', column2: 'VOTE_POUR' } },
  { name: 'compare-columns-value', params: { column: 'VOTE_REEL', op: '>=', column2: 'VOTE_CONTRE' } },
  { name: 'compare-columns-value', params: { column: 'VOTE_REEL', op: '>=', column2: 'VOTE_ABSTENTION' } },
  {
    name: 'sum-columns-value',
    params: { column: 'VOTE_REEL', columns: ['VOTE_POUR', 'VOTE_CONTRE', 'VOTE_ABSTENTION'] },
  },
  { name: 'nomenclature-actes-value', params: { column: 'DELIB_MATIERE_NOM' } },
];

/**
 * The nine matières of the ACTES nomenclature, the values `nomenclature-actes-value` accepts before the
 * « / » of DELIB_MATIERE_NOM (validata-core, custom_checks/nomenclature_actes_value.py), in the order
 * of their codes 1 to 9.
 */
export const ACTES_MATIERES = [
  'Commande publique',
  'Urbanisme',
  'Domaine et patrimoine',
  'Fonction publique',
  'Institutions et vie politique',
  'Libertés publiques et pouvoirs de police',
  'Finances locales',
  'Domaines de compétences par thèmes',
  'Autres domaines de compétences',
] as const;
