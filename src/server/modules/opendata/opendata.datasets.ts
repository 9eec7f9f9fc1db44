import { inArray, ne, sql } from 'drizzle-orm';
import { MEMBER_KIND_LABELS, MEMBERSHIP_STATUS_LABELS } from '../../../contracts/members.js';
import type { OpenDatasetId, OpenField } from '../../../contracts/opendata.js';
import { type PublicPrices, RULE_KIND_LABELS } from '../../../contracts/pricing.js';
import { organisations } from '../../kernel/identity.schema.js';
import { today } from '../../platform/clock.js';
import type { Database, Executor, Tx } from '../../platform/db/client.js';
import * as publication from '../acts/acts.publication.service.js';
import { SCDL_DELIBERATIONS_FIELDS, SCDL_DELIBERATIONS_SCHEMA_URL } from '../acts/publication/scdl-schema.js';
import { catalogueServices } from '../catalogue/catalogue.schema.js';
import { statusServices } from '../hosting/hosting.repository.js';
import { serviceAvailability } from '../hosting/hosting.status.service.js';
import { pricedYears, yearPrices } from '../pricing/pricing.public.service.js';

export type Cell = string | number | null;
export type OpenRow = Record<string, Cell>;

/** What a dataset's loader may use: the request's (anonymous) transaction, or the database itself. */
export interface LoadContext {
  inTenant<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  database: Database;
  publicUrl: string;
}

export interface DatasetDefinition {
  id: OpenDatasetId;
  title: string;
  description: string;
  keywords: string[];
  accrualPeriodicity: string;
  conformsTo: string | null;
  fields: OpenField[];
  /** The rows, keyed by the fields' names. */
  load(context: LoadContext): Promise<OpenRow[]>;
  /** The date the data last changed (AAAA-MM-JJ), null when there is none: one cheap query. */
  modified(context: LoadContext): Promise<string | null>;
}

const field = (
  name: string,
  title: string,
  description: string,
  type: OpenField['type'] = 'string',
): OpenField => ({
  name,
  title,
  description,
  type,
});

/** Cents as euros with a decimal point (`1234.50`), null stays null. */
const euros = (cents: number | null): number | null => (cents === null ? null : Math.round(cents) / 100);

async function members(db: Executor) {
  const rows = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      kind: organisations.kind,
      siren: organisations.siren,
      siret: organisations.siret,
      communeCode: organisations.communeCode,
      epciCode: organisations.epciCode,
      departementCode: organisations.departementCode,
      population: organisations.population,
      status: organisations.status,
      statusOn: sql<string>`to_char(${organisations.statusChangedAt} AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')`,
    })
    .from(organisations)
    .where(ne(organisations.kind, 'operator'))
    .orderBy(organisations.searchName, organisations.id);
  return rows;
}

async function membersModified(db: Executor): Promise<string | null> {
  const [row] = await db
    .select({
      on: sql<
        string | null
      >`to_char(max(${organisations.updatedAt}) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD')`,
    })
    .from(organisations)
    .where(ne(organisations.kind, 'operator'));
  return row?.on ?? null;
}

/** Every year's price list, oldest first (each read as the pricing reader, as the public page is). */
async function priceLists(database: Database): Promise<PublicPrices[]> {
  const prices: PublicPrices[] = [];
  for (const { year } of await pricedYears(database)) prices.push(await yearPrices(database, year));
  return prices;
}

const pricesModified = async ({ database }: LoadContext) =>
  (await pricedYears(database))
    .map((y) => y.modifiedOn)
    .sort()
    .at(-1) ?? null;

/** The months a monthly figure is published for: the last `count` completed months, oldest first. */
function completedMonths(count: number, day: string = today()): string[] {
  const [year, month] = day.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const index = year * 12 + (month - 1) - (count - i);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

const AVAILABILITY_MONTHS = 12;

const availabilityDataset: DatasetDefinition = {
  id: 'disponibilite-services',
  title: 'Disponibilité mensuelle des services hébergés',
  description:
    "Pour chaque service hébergé par l'opérateur et chacun des douze derniers mois achevés : la part du temps où le service a fonctionné (maintenances programmées exclues), comparée à l'engagement du catalogue, et les minutes d'indisponibilité et de maintenance. Calculée à partir des incidents et des maintenances de la page publique d'état des services.",
  keywords: ['disponibilité', 'hébergement', 'qualité de service', 'transparence'],
  accrualPeriodicity: 'mensuelle',
  conformsTo: null,
  fields: [
    field('mois', 'Mois', 'Mois mesuré (AAAA-MM, heure de Paris)'),
    field('code_service', 'Code du service', 'Code du service au catalogue de l’opérateur'),
    field('service', 'Service', 'Nom du service au catalogue'),
    field('disponibilite', 'Disponibilité', 'Part du mois où le service a fonctionné, de 0 à 1', 'number'),
    field('engagement', 'Engagement', 'Disponibilité promise au catalogue, de 0 à 1', 'number'),
    field('engagement_tenu', 'Engagement tenu', '« oui » ou « non »'),
    field(
      'minutes_indisponibilite',
      'Minutes d’indisponibilité',
      'Minutes en panne partielle ou majeure, hors maintenance programmée',
      'number',
    ),
    field('minutes_maintenance', 'Minutes de maintenance', 'Minutes de maintenance programmée', 'number'),
  ],
  modified: async () => `${completedMonths(1)[0]}-01`,
  load: ({ inTenant }) =>
    inTenant(async (db) => {
      const months = completedMonths(AVAILABILITY_MONTHS);
      const since = new Date(`${months[0]}-01T00:00:00Z`);
      const services = await statusServices(db, since);
      const codes = new Map(
        services.length
          ? (
              await db
                .select({ id: catalogueServices.id, code: catalogueServices.code })
                .from(catalogueServices)
                .where(
                  inArray(
                    catalogueServices.id,
                    services.map((s) => s.id),
                  ),
                )
            ).map((r) => [r.id, r.code])
          : [],
      );
      const rows: OpenRow[] = [];
      for (const month of months) {
        for (const service of services) {
          const a = await serviceAvailability(db, service.id, month);
          rows.push({
            mois: month,
            code_service: codes.get(service.id) ?? null,
            service: service.name,
            disponibilite: Math.round(a.availability * 100_000) / 100_000,
            engagement: a.slaTarget,
            engagement_tenu: a.met ? 'oui' : 'non',
            minutes_indisponibilite: a.downtimeMinutes,
            minutes_maintenance: a.maintenanceMinutes,
          });
        }
      }
      return rows;
    }),
};

export const DATASETS: readonly DatasetDefinition[] = [
  {
    id: 'adherents',
    title: 'Structures adhérentes',
    description:
      "Les structures (communes, EPCI, syndicats, établissements publics…) adhérentes de l'opérateur ou en cours d'adhésion, avec leurs identifiants officiels et leur statut d'adhésion. Seules les informations publiques sont diffusées.",
    keywords: ['mutualisation', 'collectivités', 'adhérents', 'SIREN'],
    accrualPeriodicity: 'continue',
    conformsTo: null,
    fields: [
      field('id', 'Identifiant', 'Identifiant stable de la structure dans Socle (UUID)'),
      field('nom', 'Nom', 'Nom de la structure'),
      field('type', 'Type', 'Type de structure (commune, EPCI, syndicat…)'),
      field('siren', 'SIREN', 'Numéro SIREN (9 chiffres)'),
      field('siret', 'SIRET', 'Numéro SIRET du siège (14 chiffres), vide si inconnu'),
      field(
        'code_commune',
        'Code commune',
        'Code officiel géographique (INSEE) de la commune, pour une commune',
      ),
      field('code_epci', 'Code EPCI', "SIREN de l'EPCI, pour un EPCI"),
      field('code_departement', 'Code département', 'Code officiel du département'),
      field(
        'population',
        'Population',
        'Population municipale officielle (ou déclarée pour les autres structures)',
        'integer',
      ),
      field(
        'statut',
        "Statut d'adhésion",
        'Prospect, adhésion demandée, acceptée, adhérent, retrait demandé, retiré',
      ),
      field('date_statut', 'Date du statut', 'Date du dernier changement de statut (AAAA-MM-JJ)', 'date'),
    ],
    modified: ({ inTenant }) => inTenant((db) => membersModified(db)),
    async load({ inTenant }) {
      const rows = await inTenant((db) => members(db));
      return rows.map((r) => ({
        id: r.id,
        nom: r.name,
        type: MEMBER_KIND_LABELS[r.kind],
        siren: r.siren,
        siret: r.siret,
        code_commune: r.communeCode,
        code_epci: r.epciCode,
        code_departement: r.departementCode,
        population: r.population,
        statut: MEMBERSHIP_STATUS_LABELS[r.status],
        date_statut: r.statusOn,
      }));
    },
  },
  {
    id: 'catalogue-tarifs',
    title: 'Catalogue des services et tarifs par année',
    description:
      "Pour chaque année tarifée et chaque service du catalogue : le coût mutualisé à répartir, le nombre d'abonnés et, par strate de population, le prix payé (minimum, moyen, maximum) et le prix qu'une structure de cette taille paierait seule.",
    keywords: ['mutualisation', 'tarifs', 'catalogue', 'services numériques'],
    accrualPeriodicity: 'annuelle',
    conformsTo: null,
    fields: [
      field('annee', 'Année', 'Année tarifaire', 'integer'),
      field('code_service', 'Code du service', 'Code du service au catalogue'),
      field('service', 'Service', 'Nom du service'),
      field('domaine', 'Domaine', 'Domaine du service'),
      field(
        'cout_mutualise',
        'Coût mutualisé',
        'Coût annuel du service réparti entre ses abonnés, en euros',
        'number',
      ),
      field('abonnes', 'Abonnés', "Nombre de structures abonnées dans l'année", 'integer'),
      field('strate', 'Strate', 'Strate de population (par exemple « moins de 500 habitants »)'),
      field(
        'strate_plafond',
        'Plafond de la strate',
        'Population maximale de la strate, vide pour la dernière',
        'integer',
      ),
      field(
        'abonnes_strate',
        'Abonnés de la strate',
        'Nombre de structures abonnées dans la strate',
        'integer',
      ),
      field('prix_min', 'Prix minimum', 'Prix annuel le plus bas payé dans la strate, en euros', 'number'),
      field('prix_moyen', 'Prix moyen', 'Prix annuel moyen payé dans la strate, en euros', 'number'),
      field('prix_max', 'Prix maximum', 'Prix annuel le plus haut payé dans la strate, en euros', 'number'),
      field(
        'prix_seul',
        'Prix seul',
        "Prix de marché qu'une structure de cette taille paierait seule, en euros, vide si inconnu",
        'number',
      ),
    ],
    modified: pricesModified,
    async load({ database }) {
      return (await priceLists(database)).flatMap((list) =>
        list.services.flatMap((service) =>
          service.strata.map((stratum) => ({
            annee: list.year,
            code_service: service.code,
            service: service.name,
            domaine: service.domain,
            cout_mutualise: euros(service.poolCents),
            abonnes: service.subscribers,
            strate: stratum.label,
            strate_plafond: stratum.upTo,
            abonnes_strate: stratum.subscribers,
            prix_min: euros(stratum.minCents),
            prix_moyen: euros(stratum.averageCents),
            prix_max: euros(stratum.maxCents),
            prix_seul: euros(stratum.aloneCents),
          })),
        ),
      );
    },
  },
  {
    id: 'regles-repartition',
    title: 'Règles de répartition des coûts',
    description:
      "Pour chaque année tarifée : la règle qui répartit le coût de chaque service entre ses abonnés (parts égales, population, unités, planchers et plafonds…) et la règle de la cotisation d'adhésion, en clair.",
    keywords: ['mutualisation', 'répartition des coûts', 'cotisation'],
    accrualPeriodicity: 'annuelle',
    conformsTo: null,
    fields: [
      field('annee', 'Année', 'Année tarifaire', 'integer'),
      field(
        'code_service',
        'Code du service',
        "Code du service au catalogue, COTISATION pour la cotisation d'adhésion",
      ),
      field('service', 'Service', "Nom du service, ou « Cotisation d'adhésion »"),
      field('type_regle', 'Type de règle', 'Famille de la règle de répartition'),
      field('regle', 'Règle', 'La règle en clair, telle que les adhérents la lisent'),
      field(
        'cout_mutualise',
        'Coût mutualisé',
        'Coût annuel réparti, en euros (vide pour la cotisation)',
        'number',
      ),
      field('abonnes', 'Abonnés', 'Nombre de structures entre lesquelles le coût est réparti', 'integer'),
    ],
    modified: pricesModified,
    async load({ database }) {
      return (await priceLists(database)).flatMap((list) => [
        ...(list.membershipFee
          ? [
              {
                annee: list.year,
                code_service: 'COTISATION',
                service: "Cotisation d'adhésion",
                type_regle: RULE_KIND_LABELS.membershipFee,
                regle: list.membershipFee.ruleText,
                cout_mutualise: null,
                abonnes: null,
              },
            ]
          : []),
        ...list.services.map((service) => ({
          annee: list.year,
          code_service: service.code,
          service: service.name,
          type_regle: RULE_KIND_LABELS[service.rule.kind],
          regle: service.ruleText,
          cout_mutualise: euros(service.poolCents),
          abonnes: service.subscribers,
        })),
      ]);
    },
  },
  {
    id: 'deliberations',
    title: 'Délibérations publiées des adhérents',
    description:
      "Les délibérations que les structures adhérentes ont publiées avec Socle, au schéma national SCDL « Délibérations » (version 2.1.5), avec le lien vers le document publié. Les délibérations que le schéma ne peut pas décrire (SIRET inconnu, classification incomplète) sont omises jusqu'à leur correction.",
    keywords: ['délibérations', 'actes administratifs', 'SCDL', 'transparence'],
    accrualPeriodicity: 'continue',
    conformsTo: SCDL_DELIBERATIONS_SCHEMA_URL,
    fields: SCDL_DELIBERATIONS_FIELDS.map((f) =>
      field(
        f.name,
        f.title,
        `${f.title} (schéma SCDL « Délibérations »)`,
        f.type === 'integer' ? 'integer' : f.type,
      ),
    ),
    modified: ({ inTenant }) => inTenant((db) => publication.lastPublishedOn(db)),
    load: ({ inTenant, publicUrl }) => inTenant((db) => publication.scdlRecords(db, publicUrl)),
  },
  availabilityDataset,
];

export function datasetOf(id: OpenDatasetId): DatasetDefinition {
  const found = DATASETS.find((d) => d.id === id);
  if (!found) throw new Error(`unknown dataset ${id}`);
  return found;
}
