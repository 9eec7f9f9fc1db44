/**
 * Demo catalogue: about 25 realistic services over the six domains, with "alone" reference prices per
 * population stratum and prerequisites, and subscriptions for most adhérents with a dated history
 * (a few requests waiting for the operator, a few terminations under way). Deterministic: same ids,
 * dates and choices on every machine. Idempotent: does nothing once the catalogue has a service.
 */
import { count, eq, inArray, sql } from 'drizzle-orm';
import type { ServiceDomain, ServiceStatus } from '../../contracts/catalogue.js';
import { MEMBER_KINDS, type MemberKind } from '../../contracts/members.js';
import { type SubscriptionStatus, terminationEndDate } from '../../contracts/subscriptions.js';
import { frenchDate } from '../modules/subscriptions/subscriptions.rules.js';
import { currentYear, now, today as todayAt } from '../platform/clock.js';
import type { Executor } from '../platform/db/client.js';
import { toCount } from '../platform/db/client.js';
import {
  catalogueAlonePrices,
  catalogueServicePrerequisites,
  catalogueServices,
  communes,
  epci,
  organisations,
  subscriptionEvents,
  subscriptions,
} from '../platform/db/schema.js';
import { insertRows } from './bulk.js';
import { Random } from './random.js';

const SEED = 0x5e4c1e;

const ALL: MemberKind[] = [...MEMBER_KINDS];
const LOCAL: MemberKind[] = ['commune', 'epci', 'syndicat_mixte', 'syndicat_intercommunal'];
const COMMUNES: MemberKind[] = ['commune'];

/** Population strata of the reference prices (inclusive bounds), and each one's price factor. */
const STRATA: { upToPopulation: number | null; factor: number }[] = [
  { upToPopulation: 500, factor: 1 },
  { upToPopulation: 2_000, factor: 1.8 },
  { upToPopulation: 10_000, factor: 3.6 },
  { upToPopulation: 50_000, factor: 8 },
  { upToPopulation: null, factor: 16 },
];

interface DemoService {
  code: string;
  domain: ServiceDomain;
  name: string;
  description: string;
  included: string;
  eligibleKinds: MemberKind[];
  status?: ServiceStatus;
  noticeMonths?: number;
  unitLabel?: string;
  /** Alone price for the smallest stratum, in cents. */
  aloneCents: number;
  requires?: string[];
  /** Share of eligible adhérents holding it. */
  uptake: number;
}

export const DEMO_SERVICES: DemoService[] = [
  {
    code: 'DEMAT-ACTES',
    domain: 'dematerialisation',
    name: 'Télétransmission des actes',
    description:
      'Transmission électronique des délibérations, arrêtés et contrats au contrôle de légalité (@ctes), avec accusé de réception.',
    included:
      'Tiers de télétransmission homologué, certificats des signataires, formation des agents, assistance.',
    eligibleKinds: ALL,
    aloneCents: 45_000,
    uptake: 0.9,
  },
  {
    code: 'DEMAT-PARAPHEUR',
    domain: 'dematerialisation',
    name: 'Parapheur électronique',
    description: 'Circuits de validation et signature électronique des actes, bons de commande et courriers.',
    included: 'Parapheur en ligne, signature sur tablette ou certificat, circuits paramétrés avec vous.',
    eligibleKinds: ALL,
    aloneCents: 60_000,
    requires: ['DEMAT-ACTES'],
    uptake: 0.55,
  },
  {
    code: 'DEMAT-ARCHIVES',
    domain: 'dematerialisation',
    name: 'Archivage électronique',
    description:
      'Système d’archivage électronique à valeur probatoire, conforme au référentiel des Archives de France.',
    included:
      'Versement automatique des actes signés, plan de classement, communication et élimination réglementaires.',
    eligibleKinds: ALL,
    aloneCents: 80_000,
    noticeMonths: 6,
    requires: ['DEMAT-PARAPHEUR'],
    uptake: 0.5,
  },
  {
    code: 'DEMAT-HELIOS',
    domain: 'dematerialisation',
    name: 'Dématérialisation de la chaîne comptable',
    description:
      'Envoi des flux PES (mandats, titres, pièces justificatives) au comptable public via Hélios.',
    included: 'Connecteur PES, signature des bordereaux, suivi des acquittements.',
    eligibleKinds: ALL,
    aloneCents: 35_000,
    uptake: 0.7,
  },
  {
    code: 'DEMAT-MARCHES',
    domain: 'dematerialisation',
    name: 'Profil d’acheteur pour les marchés publics',
    description:
      'Publication des consultations, dépôt électronique des offres et données essentielles des marchés.',
    included: 'Plateforme de dématérialisation, publicité BOAMP/JOUE, coffre-fort des plis.',
    eligibleKinds: ALL,
    aloneCents: 50_000,
    uptake: 0.35,
  },
  {
    code: 'DEMAT-CONVOCATIONS',
    domain: 'dematerialisation',
    name: 'Convocations électroniques des élus',
    description: 'Envoi des convocations et des notes de synthèse aux élus, avec preuve de réception.',
    included: 'Application pour les élus, horodatage, archivage des envois.',
    eligibleKinds: LOCAL,
    status: 'proposed',
    aloneCents: 20_000,
    uptake: 0,
  },
  {
    code: 'LM-FINANCES',
    domain: 'logiciels_metiers',
    name: 'Suite finances',
    description: 'Préparation budgétaire, exécution comptable M57, immobilisations et dette.',
    included: 'Logiciel hébergé, mises à jour réglementaires, reprise des données, formation initiale.',
    eligibleKinds: ALL,
    aloneCents: 120_000,
    noticeMonths: 6,
    requires: ['DEMAT-HELIOS'],
    uptake: 0.6,
  },
  {
    code: 'LM-RH-PAIE',
    domain: 'logiciels_metiers',
    name: 'Suite ressources humaines et paie',
    description: 'Paie, carrières, absences et déclarations sociales nominatives (DSN).',
    included: 'Logiciel hébergé, DSN, mises à jour statutaires, assistance paie.',
    eligibleKinds: ALL,
    noticeMonths: 6,
    unitLabel: 'agents',
    aloneCents: 90_000,
    uptake: 0.5,
  },
  {
    code: 'LM-ETAT-CIVIL',
    domain: 'logiciels_metiers',
    name: 'État civil',
    description: 'Registres d’état civil, mentions, délivrance des actes et échanges COMEDEC.',
    included: 'Logiciel hébergé, raccordement COMEDEC, reprise des registres numérisés.',
    eligibleKinds: COMMUNES,
    aloneCents: 40_000,
    uptake: 0.65,
  },
  {
    code: 'LM-ELECTIONS',
    domain: 'logiciels_metiers',
    name: 'Élections et listes électorales',
    description: 'Gestion des listes électorales synchronisée avec le répertoire électoral unique (REU).',
    included: 'Logiciel hébergé, synchronisation REU, éditions des cartes et des listes d’émargement.',
    eligibleKinds: COMMUNES,
    aloneCents: 25_000,
    uptake: 0.6,
  },
  {
    code: 'LM-URBANISME',
    domain: 'logiciels_metiers',
    name: 'Instruction des autorisations d’urbanisme',
    description: 'Dépôt en ligne et instruction des permis et déclarations préalables (SVE urbanisme).',
    included: 'Guichet numérique, logiciel d’instruction, connecteur PLAT’AU.',
    eligibleKinds: ['commune', 'epci'],
    aloneCents: 70_000,
    uptake: 0.4,
  },
  {
    code: 'LM-CIMETIERES',
    domain: 'logiciels_metiers',
    name: 'Gestion des cimetières',
    description: 'Plans, concessions, échéances et reprises.',
    included: 'Logiciel hébergé et cartographie des concessions.',
    eligibleKinds: COMMUNES,
    status: 'closed',
    aloneCents: 18_000,
    uptake: 0.15,
  },
  {
    code: 'LM-FACTURATION',
    domain: 'logiciels_metiers',
    name: 'Facturation des services aux usagers',
    description:
      'Restauration scolaire, accueil périscolaire, eau : inscriptions, facturation et paiement en ligne.',
    included: 'Portail famille, prélèvement et PayFiP, relances.',
    eligibleKinds: ALL,
    aloneCents: 45_000,
    uptake: 0.3,
  },
  {
    code: 'RGPD-DPO',
    domain: 'rgpd',
    name: 'Délégué à la protection des données mutualisé',
    description:
      'Désignation d’un DPO auprès de la CNIL, registre des traitements, réponses aux demandes de droits.',
    included: 'DPO désigné, registre, modèles, analyse des violations de données, rapport annuel.',
    eligibleKinds: ALL,
    noticeMonths: 6,
    aloneCents: 60_000,
    uptake: 0.7,
  },
  {
    code: 'RGPD-SENSIBILISATION',
    domain: 'rgpd',
    name: 'Sensibilisation des agents au RGPD',
    description: 'Ateliers courts pour les agents et les élus, sur place ou à distance.',
    included: 'Deux sessions par an, supports, attestation de participation.',
    eligibleKinds: ALL,
    requires: ['RGPD-DPO'],
    aloneCents: 12_000,
    uptake: 0.3,
  },
  {
    code: 'CYBER-DIAG',
    domain: 'cybersecurite',
    name: 'Diagnostic de cybersécurité',
    description: 'État des lieux de la sécurité du système d’information et plan d’action priorisé.',
    included: 'Audit sur site, scan des vulnérabilités exposées, restitution aux élus.',
    eligibleKinds: ALL,
    noticeMonths: 0,
    aloneCents: 80_000,
    uptake: 0.25,
  },
  {
    code: 'CYBER-SAUVEGARDE',
    domain: 'cybersecurite',
    name: 'Sauvegarde externalisée',
    description: 'Sauvegarde chiffrée des serveurs et postes dans deux centres de données en France.',
    included: 'Agent de sauvegarde, rétention 30 jours, test de restauration annuel.',
    eligibleKinds: ALL,
    aloneCents: 30_000,
    uptake: 0.45,
  },
  {
    code: 'CYBER-EDR',
    domain: 'cybersecurite',
    name: 'Antivirus et détection managés',
    description: 'Protection des postes de travail et supervision des alertes par l’équipe de l’opérateur.',
    included: 'Licences, console supervisée, intervention en cas d’alerte.',
    eligibleKinds: ALL,
    unitLabel: 'postes',
    aloneCents: 9_000,
    uptake: 0.35,
  },
  {
    code: 'CYBER-HAMECONNAGE',
    domain: 'cybersecurite',
    name: 'Exercices d’hameçonnage',
    description: 'Campagnes simulées de courriels piégés et sensibilisation ciblée.',
    included: 'Deux campagnes par an, tableau de bord, micro-formations.',
    eligibleKinds: ALL,
    status: 'proposed',
    aloneCents: 10_000,
    uptake: 0,
  },
  {
    code: 'HEB-MESSAGERIE',
    domain: 'hebergement',
    name: 'Messagerie collaborative',
    description: 'Boîtes aux lettres, agendas et contacts partagés, hébergés en France.',
    included: 'Adresses à votre nom de domaine, antispam, webmail et synchronisation mobile.',
    eligibleKinds: ALL,
    unitLabel: 'boîtes aux lettres',
    aloneCents: 6_000,
    uptake: 0.5,
  },
  {
    code: 'HEB-SITES',
    domain: 'hebergement',
    name: 'Hébergement de sites internet',
    description: 'Site internet accessible (RGAA) sur un gabarit commun, hébergé et maintenu.',
    included: 'Hébergement, nom de domaine, certificats, mises à jour de sécurité.',
    eligibleKinds: ALL,
    aloneCents: 25_000,
    uptake: 0.45,
  },
  {
    code: 'HEB-VISIO',
    domain: 'hebergement',
    name: 'Visioconférence',
    description: 'Salles de réunion virtuelles pour les agents et les élus, hébergées en France.',
    included: 'Salles illimitées, enregistrement, diffusion des conseils.',
    eligibleKinds: ALL,
    aloneCents: 8_000,
    uptake: 0.2,
  },
  {
    code: 'HEB-FTP',
    domain: 'hebergement',
    name: 'Dépôt de fichiers (FTP)',
    description: 'Ancien service d’échange de fichiers, remplacé par la messagerie collaborative.',
    included: 'Espace de dépôt de 10 Go.',
    eligibleKinds: ALL,
    status: 'retired',
    aloneCents: 5_000,
    uptake: 0,
  },
  {
    code: 'AF-ASSISTANCE',
    domain: 'accompagnement_formation',
    name: 'Assistance informatique',
    description: 'Centre de services joignable par téléphone et en ligne, intervention à distance.',
    included: 'Prise en main à distance, suivi des demandes, interventions sur site au besoin.',
    eligibleKinds: ALL,
    aloneCents: 40_000,
    uptake: 0.6,
  },
  {
    code: 'AF-FORMATIONS',
    domain: 'accompagnement_formation',
    name: 'Formations des agents et des élus',
    description: 'Catalogue annuel de formations aux logiciels et aux usages numériques.',
    included: 'Inscriptions en ligne, sessions dans chaque département, attestations.',
    eligibleKinds: ALL,
    noticeMonths: 0,
    aloneCents: 15_000,
    uptake: 0.4,
  },
  {
    code: 'AF-PROJETS',
    domain: 'accompagnement_formation',
    name: 'Accompagnement de projets numériques',
    description: 'Conseil pour équiper une école, choisir un logiciel, rédiger un cahier des charges.',
    included: 'Chef de projet dédié, rédaction des pièces techniques, suivi du déploiement.',
    eligibleKinds: ALL,
    aloneCents: 50_000,
    uptake: 0.15,
  },
  {
    code: 'AF-SECRETARIAT',
    domain: 'accompagnement_formation',
    name: 'Secrétariat de mairie itinérant',
    description: 'Secrétaires de mairie de l’opérateur en remplacement ou en renfort des petites communes.',
    included: 'Remplacements planifiés et urgents, tutorat des nouvelles secrétaires.',
    eligibleKinds: COMMUNES,
    aloneCents: 150_000,
    uptake: 0.1,
  },
];

/** Demo communes whose users log in: kept predictable for the journeys. */
const LA_ROCHE_SUR_YON = '85191';
const LES_SABLES_D_OLONNE = '85194';

export interface CatalogueSeedReport {
  services: number;
  subscriptions: number;
  events: number;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (date: string, days: number) =>
  iso(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));

/**
 * Seeds the catalogue and the subscriptions of the organisations already in the database (run after
 * the members demo). Writes as the owner, like the rest of the demo seed.
 */
export async function seedCatalogue(
  db: Executor,
  rng = new Random(SEED),
  at: Date = now(),
): Promise<CatalogueSeedReport> {
  const [{ n }] = await db.select({ n: count() }).from(catalogueServices);
  if (toCount(n) > 0) return { services: 0, subscriptions: 0, events: 0 };
  const today = todayAt(at);
  const year = currentYear(at);
  const month = Number(today.slice(5, 7));

  const services = DEMO_SERVICES.map((s) => ({ ...s, id: rng.uuid() }));
  const idOf = new Map(services.map((s) => [s.code, s.id]));
  const idOfCode = (code: string) => {
    const id = idOf.get(code);
    if (!id) throw new Error(`demo catalogue: unknown prerequisite ${code}`);
    return id;
  };
  await db.insert(catalogueServices).values(
    services.map((s) => ({
      id: s.id,
      code: s.code,
      domain: s.domain,
      name: s.name,
      description: s.description,
      included: s.included,
      eligibleKinds: s.eligibleKinds,
      status: s.status ?? 'open',
      noticeMonths: s.noticeMonths ?? 3,
      unitLabel: s.unitLabel ?? null,
    })),
  );
  await db
    .insert(catalogueServicePrerequisites)
    .values(
      services.flatMap((s) =>
        (s.requires ?? []).map((code) => ({ serviceId: s.id, requiresServiceId: idOfCode(code) })),
      ),
    );
  await db.insert(catalogueAlonePrices).values(
    services.flatMap((s) =>
      STRATA.map((stratum) => ({
        serviceId: s.id,
        upToPopulation: stratum.upToPopulation,
        aloneCents: Math.round((s.aloneCents * stratum.factor) / 100) * 100,
      })),
    ),
  );

  const members = await db
    .select({
      id: organisations.id,
      kind: organisations.kind,
      communeCode: organisations.communeCode,
      status: organisations.status,
      population: sql<number | null>`CASE ${organisations.kind}
        WHEN 'commune' THEN ${communes.population} WHEN 'epci' THEN ${epci.population}
        ELSE ${organisations.population} END`,
    })
    .from(organisations)
    .leftJoin(communes, eq(communes.code, organisations.communeCode))
    .leftJoin(epci, eq(epci.code, organisations.epciCode))
    .where(inArray(organisations.status, ['member', 'withdrawal_requested']))
    .orderBy(organisations.id);

  type SubscriptionInsert = typeof subscriptions.$inferInsert & { id: string };
  const subscriptionRows: SubscriptionInsert[] = [];
  const eventRows: (typeof subscriptionEvents.$inferInsert)[] = [];
  const event = (
    s: SubscriptionInsert,
    from: SubscriptionStatus | null,
    to: SubscriptionStatus,
    on: string,
    note?: string,
  ) =>
    eventRows.push({
      id: rng.uuid(),
      memberId: s.memberId,
      subscriptionId: s.id,
      fromStatus: from,
      toStatus: to,
      effectiveOn: on,
      note: note ?? null,
      actorUserId: null,
      createdAt: new Date(`${on}T09:00:00Z`),
    });
  // Services in catalogue order list prerequisites first, so a dependant sees what was chosen.
  const openServices = services.filter((s) => (s.status ?? 'open') !== 'retired' && s.uptake > 0);

  for (const member of members) {
    const population = Number(member.population ?? 0);
    // One member in ten holds nothing yet: "most members" subscribe, not all.
    if (rng.chance(0.1) && member.communeCode !== LA_ROCHE_SUR_YON) continue;
    /** Code → start date of the services this member holds (or has asked for). */
    const held = new Map<string, string>();
    for (const service of openServices) {
      if (!service.eligibleKinds.some((kind) => kind === member.kind)) continue;
      const required = service.requires ?? [];
      const requiredStarts = required.flatMap((code) => held.get(code) ?? []);
      if (requiredStarts.length < required.length) continue;
      let take = rng.chance(service.uptake);
      if (member.communeCode === LA_ROCHE_SUR_YON) {
        // The journey « request the parapheur »: the town holds the actes but not the parapheur.
        take = service.code === 'DEMAT-ACTES' || (take && service.code !== 'DEMAT-PARAPHEUR');
      }
      if (!take) continue;

      const startYear = rng.int(Math.max(2016, year - 8), year);
      const startMonth = startYear === year ? rng.int(1, month) : rng.int(1, 12);
      const drawnStart = `${startYear}-${String(startMonth).padStart(2, '0')}-01`;
      // A dependant never starts before the services it requires.
      const startDate = [drawnStart, ...requiredStarts].sort().at(-1) ?? drawnStart;
      held.set(service.code, startDate);
      const requestedOn = addDays(startDate, -rng.int(10, 60));
      const units = service.unitLabel
        ? Math.max(1, Math.round(population / rng.int(80, 200)) + rng.int(0, 3))
        : null;
      const roll = rng.next();
      const waiting =
        (member.communeCode === LES_SABLES_D_OLONNE && service.code === 'RGPD-SENSIBILISATION') ||
        roll < 0.03;
      const s: SubscriptionInsert = {
        id: rng.uuid(),
        memberId: member.id,
        serviceId: service.id,
        status: 'active',
        requestedOn,
        startDate,
        endDate: null,
        units,
        createdAt: new Date(`${requestedOn}T09:00:00Z`),
        updatedAt: new Date(`${startDate}T09:00:00Z`),
      };
      if (waiting && service.status !== 'closed') {
        const asked = addDays(today, -rng.int(1, 40));
        Object.assign(s, {
          status: 'requested',
          requestedOn: asked,
          startDate: null,
          createdAt: new Date(`${asked}T09:00:00Z`),
        });
        subscriptionRows.push(s);
        event(s, null, 'requested', asked);
        // A service still waiting for the operator cannot carry active dependants.
        held.delete(service.code);
        continue;
      }
      subscriptionRows.push(s);
      event(s, null, 'requested', requestedOn);
      event(s, 'requested', 'active', startDate);
      const dependants = services.some((d) => d.requires?.includes(service.code));
      if (dependants || startDate >= `${year}-01-01`) continue;
      if (roll > 0.985) {
        const asked = addDays(today, -rng.int(1, 60));
        const endDate = terminationEndDate(asked, service.noticeMonths ?? 3, startDate);
        Object.assign(s, { status: 'termination_requested', endDate });
        event(
          s,
          'active',
          'termination_requested',
          asked,
          `Préavis de ${service.noticeMonths ?? 3} mois : fin le ${frenchDate(endDate)}.`,
        );
      } else if (roll > 0.96) {
        const endDate = `${year - 1}-12-31`;
        Object.assign(s, { status: 'terminated', endDate });
        event(s, 'active', 'termination_requested', addDays(endDate, -120));
        event(s, 'termination_requested', 'terminated', endDate);
        held.delete(service.code);
      }
    }
  }

  await insertRows(db, subscriptions, subscriptionRows);
  await insertRows(db, subscriptionEvents, eventRows);
  return { services: services.length, subscriptions: subscriptionRows.length, events: eventRows.length };
}
