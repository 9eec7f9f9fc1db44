import { sql } from 'drizzle-orm';
import type { MemberKind } from '../../contracts/members.js';
import { type TemplateFields, templateFieldsSchema } from '../../contracts/rgpd.js';
import { draftFrom } from '../modules/rgpd/processings/rgpd.drafts.service.js';
import * as repo from '../modules/rgpd/processings/rgpd.processings.repository.js';
import {
  completionOf,
  diffSnapshots,
  type ProcessingSnapshot,
} from '../modules/rgpd/processings/rgpd.processings.rules.js';
import {
  rgpdDesignations,
  rgpdProcessors,
  rgpdTemplates,
  rgpdTemplateVersions,
} from '../modules/rgpd/rgpd.schema.js';
import type { Db } from '../platform/db/client.js';
import { rowsOf } from '../platform/db/client.js';
import { Random } from './random.js';

/**
 * Demo RGPD registries: the DPO's template library (communes, EPCI, CCAS), the shared processor
 * directory, and for every member with a référent RGPD a registry built from the templates, with
 * statuses, reviews, DPIAs and pending template updates in various states. Deterministic (seeded
 * generator, fixed reference date), batched, and a no-op once templates exist.
 */
const SEED = 0x5247_5044;
const SHOWCASE_COMMUNE = '85191';
/** The demo's reference « today » for review dates, so two runs produce the same rows. */
const REFERENCE_DAY = '2026-03-02';

const COMMUNAL: MemberKind[] = ['commune'];
const EPCI: MemberKind[] = ['epci'];
const SOCIAL: MemberKind[] = ['ccas'];
const ANY: MemberKind[] = [];

interface TemplateSeed {
  code: string;
  applicableKinds: MemberKind[];
  fields: Partial<TemplateFields> & { name: string };
  /** Processor directory names linked by default. */
  processors?: string[];
  /** A later version of some fields: linked processings then show « update available ». */
  update?: Partial<TemplateFields>;
}

const SECURITY_BASE = {
  accessControl: 'Comptes nominatifs, droits par profil, revue annuelle des habilitations',
  traceability: 'Journalisation des accès et des modifications, conservée 6 mois',
  backups: 'Sauvegarde quotidienne chiffrée, copie hors site',
  updates: 'Mises à jour de sécurité appliquées par l’éditeur',
  encryption: 'Flux chiffrés (TLS)',
  other: null,
};
const agents = { category: 'Agents de la collectivité', estimatedCount: null };

export const DEMO_TEMPLATES: TemplateSeed[] = [
  {
    code: 'etat-civil',
    applicableKinds: COMMUNAL,
    processors: ['Berger-Levrault'],
    fields: {
      name: 'Tenue de l’état civil',
      purposes:
        'Établissement et tenue des actes de naissance, mariage, PACS, décès ; délivrance des copies et extraits ; mentions marginales.',
      legalBasis: 'legal_obligation',
      legalBasisJustification: 'Code civil (art. 34 et suivants), décret n° 2017-890 relatif à l’état civil.',
      dataSubjects: [{ category: 'Usagers (naissance, mariage, décès)', estimatedCount: 2000 }],
      dataCategories: ['État civil', 'Filiation', 'Adresse', 'Nationalité'],
      sources: 'Déclarations des usagers, avis des établissements de santé, autres communes',
      collectionMethod: 'Guichet, formulaires, COMEDEC',
      recipients: [
        { name: 'Service état civil', type: 'internal' },
        { name: 'Procureur de la République', type: 'external' },
        { name: 'INSEE', type: 'external' },
      ],
      retention: [
        {
          dataCategory: 'Registres de moins de 75 ans',
          duration: '75 ans (100 ans pour les naissances)',
          finalFate: 'archiving',
        },
        { dataCategory: 'Pièces annexes', duration: '30 ans', finalFate: 'destruction' },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Logiciel d’état civil',
      department: 'Service population — état civil',
    },
    update: {
      purposes:
        'Établissement et tenue des actes de naissance, mariage, PACS, décès ; délivrance des copies et extraits ; mentions marginales ; vérification des données par COMEDEC.',
    },
  },
  {
    code: 'listes-electorales',
    applicableKinds: COMMUNAL,
    fields: {
      name: 'Gestion des listes électorales',
      purposes:
        'Inscriptions et radiations sur les listes électorales via le répertoire électoral unique, organisation des scrutins.',
      legalBasis: 'legal_obligation',
      legalBasisJustification: 'Code électoral, art. L. 11 et suivants ; loi n° 2016-1048 (REU).',
      dataSubjects: [{ category: 'Électeurs', estimatedCount: 30000 }],
      dataCategories: ['Identité', 'Adresse', 'Date et lieu de naissance', 'Bureau de vote'],
      sources: 'Répertoire électoral unique (INSEE), demandes des électeurs',
      collectionMethod: 'Guichet, service-public.fr',
      recipients: [
        { name: 'Service élections', type: 'internal' },
        { name: 'INSEE (REU)', type: 'external' },
        { name: 'Candidats et partis (communication de la liste)', type: 'external' },
      ],
      retention: [
        {
          dataCategory: 'Listes et pièces',
          duration: 'Durée de l’inscription + 1 an',
          finalFate: 'destruction',
        },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Logiciel élections',
      department: 'Service élections',
    },
  },
  {
    code: 'rh-paie',
    applicableKinds: ANY,
    processors: ['Berger-Levrault'],
    fields: {
      name: 'Gestion du personnel et paie',
      purposes:
        'Gestion des carrières, de la paie, des absences, de la formation et des déclarations sociales des agents.',
      legalBasis: 'legal_obligation',
      legalBasisJustification: 'Code général de la fonction publique ; code de la sécurité sociale (DSN).',
      sensitiveData: true,
      sensitiveException:
        'Art. 9.2.b : obligations en matière de droit du travail et de protection sociale (arrêts maladie, handicap).',
      dataSubjects: [agents, { category: 'Candidats', estimatedCount: null }],
      dataCategories: [
        'Identité',
        'NIR',
        'Coordonnées bancaires',
        'Carrière',
        'Rémunération',
        'Absences',
        'Santé (arrêts)',
      ],
      sources: 'Agents, centre de gestion, organismes sociaux',
      collectionMethod: 'Dossier individuel, logiciel de paie',
      recipients: [
        { name: 'Service ressources humaines', type: 'internal' },
        { name: 'Trésorerie (DGFiP)', type: 'external' },
        { name: 'URSSAF, CNRACL, IRCANTEC', type: 'external' },
        { name: 'Centre de gestion', type: 'external' },
      ],
      retention: [
        {
          dataCategory: 'Dossier individuel',
          duration: 'Jusqu’aux 80 ans de l’agent',
          finalFate: 'archiving',
        },
        { dataCategory: 'Bulletins de paie (double)', duration: '5 ans', finalFate: 'destruction' },
        { dataCategory: 'Candidatures non retenues', duration: '2 ans', finalFate: 'destruction' },
      ],
      securityMeasures: { ...SECURITY_BASE, encryption: 'Chiffrement des flux DSN et des sauvegardes' },
      software: 'Logiciel RH et paie',
      department: 'Ressources humaines',
    },
    update: {
      retention: [
        {
          dataCategory: 'Dossier individuel',
          duration: 'Jusqu’aux 80 ans de l’agent',
          finalFate: 'archiving',
        },
        { dataCategory: 'Bulletins de paie (double)', duration: '6 ans', finalFate: 'destruction' },
        { dataCategory: 'Candidatures non retenues', duration: '2 ans', finalFate: 'destruction' },
      ],
    },
  },
  {
    code: 'restauration-periscolaire',
    applicableKinds: [...COMMUNAL, ...EPCI],
    processors: ['Syndicat mixte e-Collectivités'],
    fields: {
      name: 'Restauration scolaire et accueil périscolaire',
      purposes:
        'Inscriptions à la cantine et au périscolaire, pointage des présences, facturation aux familles, gestion des régimes alimentaires et PAI.',
      legalBasis: 'public_task',
      legalBasisJustification:
        'Service public facultatif de restauration scolaire (code de l’éducation, art. L. 212-4).',
      sensitiveData: true,
      sensitiveException:
        'Art. 9.2.g : intérêt public important (projets d’accueil individualisés, allergies).',
      dataSubjects: [
        { category: 'Enfants scolarisés', estimatedCount: 1200 },
        { category: 'Parents et responsables légaux', estimatedCount: 2000 },
      ],
      dataCategories: ['Identité', 'Coordonnées', 'Quotient familial', 'Allergies et PAI', 'Présences'],
      sources: 'Familles, CAF (quotient familial)',
      collectionMethod: 'Portail famille, dossier papier',
      recipients: [
        { name: 'Service enfance', type: 'internal' },
        { name: 'Prestataire de restauration (régimes)', type: 'external' },
        { name: 'Trésorerie', type: 'external' },
      ],
      retention: [
        {
          dataCategory: 'Dossier d’inscription',
          duration: 'Année scolaire + 1 an',
          finalFate: 'destruction',
        },
        { dataCategory: 'Factures', duration: '10 ans', finalFate: 'destruction' },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Portail famille',
      department: 'Service enfance — jeunesse',
      dpiaCriteria: ['vulnerable_subjects', 'sensitive_data'],
    },
  },
  {
    code: 'urbanisme-ads',
    applicableKinds: [...COMMUNAL, ...EPCI],
    processors: ['Syndicat mixte e-Collectivités'],
    fields: {
      name: 'Instruction des autorisations du droit des sols (ADS)',
      purposes:
        'Réception et instruction des permis de construire, d’aménager, de démolir, déclarations préalables et certificats d’urbanisme.',
      legalBasis: 'legal_obligation',
      legalBasisJustification:
        'Code de l’urbanisme, art. L. 421-1 et suivants ; saisine par voie électronique (SVE).',
      dataSubjects: [
        { category: 'Pétitionnaires', estimatedCount: 400 },
        { category: 'Architectes', estimatedCount: null },
      ],
      dataCategories: ['Identité', 'Coordonnées', 'Références cadastrales', 'Plans'],
      sources: 'Pétitionnaires, services consultés',
      collectionMethod: 'Guichet numérique des autorisations d’urbanisme, dépôt papier',
      recipients: [
        { name: 'Service urbanisme', type: 'internal' },
        { name: 'Service instructeur mutualisé', type: 'external' },
        { name: 'Direction départementale des territoires', type: 'external' },
        { name: 'Architecte des Bâtiments de France', type: 'external' },
      ],
      retention: [
        {
          dataCategory: 'Dossiers d’autorisation',
          duration: 'Durée de validité + 10 ans',
          finalFate: 'archiving',
        },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Logiciel d’instruction ADS',
      department: 'Urbanisme',
    },
  },
  {
    code: 'cadastre',
    applicableKinds: [...COMMUNAL, ...EPCI],
    processors: ['Syndicat mixte e-Collectivités'],
    fields: {
      name: 'Consultation du cadastre et du SIG',
      purposes:
        'Consultation des données cadastrales (MAJIC) pour l’urbanisme, la fiscalité locale et la réponse aux usagers.',
      legalBasis: 'public_task',
      legalBasisJustification:
        'Mission d’intérêt public ; accès encadré par la convention DGFiP et le code des relations entre le public et l’administration.',
      dataSubjects: [{ category: 'Propriétaires fonciers', estimatedCount: 15000 }],
      dataCategories: ['Identité des propriétaires', 'Adresse', 'Références et contenance des parcelles'],
      sources: 'DGFiP (fichiers fonciers MAJIC)',
      collectionMethod: 'Import annuel des fichiers',
      recipients: [{ name: 'Services techniques et urbanisme', type: 'internal' }],
      retention: [
        {
          dataCategory: 'Millésime cadastral',
          duration: 'Jusqu’au millésime suivant',
          finalFate: 'destruction',
        },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Système d’information géographique mutualisé',
      department: 'Services techniques',
    },
  },
  {
    code: 'facturation-eau',
    applicableKinds: [...COMMUNAL, ...EPCI],
    fields: {
      name: 'Facturation de l’eau et de l’assainissement',
      purposes: 'Gestion des abonnés, relève des compteurs, facturation, recouvrement et aides (chèque eau).',
      legalBasis: 'contract',
      legalBasisJustification: 'Contrat d’abonnement au service public de l’eau (règlement de service).',
      dataSubjects: [{ category: 'Abonnés', estimatedCount: 12000 }],
      dataCategories: [
        'Identité',
        'Adresse',
        'Coordonnées bancaires',
        'Consommations',
        'Incidents de paiement',
      ],
      sources: 'Abonnés, relève des compteurs',
      collectionMethod: 'Contrat, télérelève',
      recipients: [
        { name: 'Régie des eaux', type: 'internal' },
        { name: 'Trésorerie', type: 'external' },
      ],
      retention: [
        {
          dataCategory: 'Dossier abonné',
          duration: 'Durée de l’abonnement + 5 ans',
          finalFate: 'destruction',
        },
        { dataCategory: 'Factures', duration: '10 ans', finalFate: 'destruction' },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Logiciel de facturation eau',
      department: 'Eau et assainissement',
    },
  },
  {
    code: 'videoprotection',
    applicableKinds: COMMUNAL,
    fields: {
      name: 'Vidéoprotection de la voie publique',
      purposes:
        'Prévention des atteintes aux personnes et aux biens, régulation du trafic, constatation des infractions.',
      legalBasis: 'public_task',
      legalBasisJustification: 'Code de la sécurité intérieure, art. L. 251-2 ; autorisation préfectorale.',
      dataSubjects: [{ category: 'Passants et usagers de la voie publique', estimatedCount: null }],
      dataCategories: ['Images', 'Date, heure et lieu'],
      sources: 'Caméras de la voie publique',
      collectionMethod: 'Enregistrement continu',
      recipients: [
        { name: 'Police municipale (agents habilités)', type: 'internal' },
        { name: 'Police et gendarmerie nationales sur réquisition', type: 'external' },
      ],
      retention: [{ dataCategory: 'Images', duration: '30 jours au plus', finalFate: 'destruction' }],
      securityMeasures: {
        ...SECURITY_BASE,
        accessControl: 'Local sécurisé, accès limité aux agents habilités par arrêté',
        traceability: 'Registre des extractions et des consultations',
      },
      software: 'Logiciel de supervision vidéo',
      department: 'Police municipale',
      dpiaCriteria: ['systematic_monitoring', 'large_scale'],
    },
    update: { retention: [{ dataCategory: 'Images', duration: '15 jours', finalFate: 'destruction' }] },
  },
  {
    code: 'aide-sociale-ccas',
    applicableKinds: SOCIAL,
    fields: {
      name: 'Instruction des demandes d’aide sociale',
      purposes: 'Instruction des aides légales et facultatives, domiciliation, analyse des besoins sociaux.',
      legalBasis: 'legal_obligation',
      legalBasisJustification: 'Code de l’action sociale et des familles, art. L. 123-5 et R. 123-1.',
      sensitiveData: true,
      sensitiveException: 'Art. 9.2.h : gestion des systèmes et services de protection sociale.',
      dataSubjects: [{ category: 'Demandeurs et leur foyer', estimatedCount: 800 }],
      dataCategories: ['Identité', 'Situation familiale', 'Ressources', 'Santé', 'Logement'],
      sources: 'Demandeurs, travailleurs sociaux, CAF',
      collectionMethod: 'Entretien, dossier de demande',
      recipients: [
        { name: 'Travailleurs sociaux du CCAS', type: 'internal' },
        { name: 'Conseil départemental', type: 'external' },
        { name: 'Commission d’attribution', type: 'internal' },
      ],
      retention: [
        {
          dataCategory: 'Dossier d’aide',
          duration: '5 ans après la dernière aide',
          finalFate: 'destruction',
        },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Logiciel d’action sociale',
      department: 'CCAS — action sociale',
      dpiaCriteria: ['vulnerable_subjects', 'sensitive_data', 'evaluation_scoring'],
    },
  },
  {
    code: 'portage-repas-ccas',
    applicableKinds: SOCIAL,
    fields: {
      name: 'Portage de repas à domicile',
      purposes: 'Organisation des tournées, commandes de repas adaptés, facturation aux bénéficiaires.',
      legalBasis: 'public_task',
      legalBasisJustification: 'Action sociale facultative du CCAS (CASF, art. L. 123-5).',
      sensitiveData: true,
      sensitiveException: 'Art. 9.2.a : consentement explicite pour les régimes alimentaires médicaux.',
      dataSubjects: [{ category: 'Personnes âgées ou dépendantes', estimatedCount: 150 }],
      dataCategories: ['Identité', 'Adresse', 'Régime alimentaire', 'Contacts d’urgence'],
      sources: 'Bénéficiaires, familles',
      collectionMethod: 'Visite à domicile',
      recipients: [
        { name: 'Agents de portage', type: 'internal' },
        { name: 'Cuisine centrale', type: 'external' },
      ],
      retention: [
        {
          dataCategory: 'Dossier bénéficiaire',
          duration: 'Fin du service + 2 ans',
          finalFate: 'destruction',
        },
      ],
      securityMeasures: SECURITY_BASE,
      department: 'CCAS — maintien à domicile',
      dpiaCriteria: ['vulnerable_subjects', 'sensitive_data'],
    },
  },
  {
    code: 'site-internet-lettre',
    applicableKinds: ANY,
    processors: ['OVHcloud', 'Syndicat mixte e-Collectivités'],
    fields: {
      name: 'Site internet et lettre d’information',
      purposes:
        'Publication d’informations, formulaires de contact, envoi de la lettre d’information aux abonnés, mesure d’audience.',
      legalBasis: 'consent',
      legalBasisJustification:
        'Inscription volontaire à la lettre d’information, désinscription dans chaque envoi.',
      dataSubjects: [
        { category: 'Abonnés à la lettre', estimatedCount: 3000 },
        { category: 'Internautes', estimatedCount: null },
      ],
      dataCategories: ['Adresse électronique', 'Nom', 'Données de navigation (audience anonymisée)'],
      sources: 'Internautes',
      collectionMethod: 'Formulaires en ligne',
      recipients: [{ name: 'Service communication', type: 'internal' }],
      retention: [
        { dataCategory: 'Abonnés', duration: 'Jusqu’à la désinscription', finalFate: 'destruction' },
        { dataCategory: 'Statistiques d’audience', duration: '25 mois', finalFate: 'anonymisation' },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Plateforme de sites mutualisée',
      department: 'Communication',
    },
  },
  {
    code: 'courrier',
    applicableKinds: ANY,
    fields: {
      name: 'Gestion du courrier entrant et sortant',
      purposes:
        'Enregistrement, diffusion interne et suivi des réponses au courrier et aux courriels adressés à la collectivité.',
      legalBasis: 'public_task',
      legalBasisJustification:
        'Code des relations entre le public et l’administration (accusé de réception, délais).',
      dataSubjects: [{ category: 'Correspondants', estimatedCount: 5000 }],
      dataCategories: ['Identité', 'Coordonnées', 'Objet de la demande'],
      sources: 'Correspondants',
      collectionMethod: 'Courrier, courriel, formulaires',
      recipients: [{ name: 'Services destinataires', type: 'internal' }],
      retention: [{ dataCategory: 'Registre et courriers', duration: '5 ans', finalFate: 'archiving' }],
      securityMeasures: SECURITY_BASE,
      software: 'Gestion électronique du courrier',
      department: 'Secrétariat général',
    },
  },
  {
    code: 'cimetieres',
    applicableKinds: COMMUNAL,
    fields: {
      name: 'Gestion des cimetières et concessions funéraires',
      purposes: 'Attribution et renouvellement des concessions, registre des inhumations, reprises.',
      legalBasis: 'legal_obligation',
      legalBasisJustification:
        'Code général des collectivités territoriales, art. L. 2213-7 et suivants, R. 2213-39.',
      dataSubjects: [
        { category: 'Défunts', estimatedCount: null },
        { category: 'Concessionnaires et ayants droit', estimatedCount: 2500 },
      ],
      dataCategories: ['Identité', 'Coordonnées', 'Emplacement', 'Dates d’inhumation'],
      sources: 'Familles, opérateurs funéraires',
      collectionMethod: 'Guichet',
      recipients: [
        { name: 'Service cimetières', type: 'internal' },
        { name: 'Opérateurs funéraires', type: 'external' },
      ],
      retention: [
        {
          dataCategory: 'Registres et concessions',
          duration: 'Durée de la concession + reprise',
          finalFate: 'archiving',
        },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Logiciel de gestion des cimetières',
      department: 'Service population',
    },
  },
  {
    code: 'police-municipale',
    applicableKinds: COMMUNAL,
    fields: {
      name: 'Main courante et procédures de police municipale',
      purposes:
        'Enregistrement des interventions, rédaction des rapports et procès-verbaux, gestion des fourrières et objets trouvés.',
      legalBasis: 'legal_obligation',
      legalBasisJustification:
        'Code de la sécurité intérieure, art. L. 511-1 ; décret n° 2012-2 (main courante informatisée).',
      sensitiveData: true,
      sensitiveException:
        'Données d’infraction (art. 10 du RGPD) traitées sous le contrôle de l’autorité publique.',
      dataSubjects: [{ category: 'Personnes mises en cause, victimes, témoins', estimatedCount: 1000 }],
      dataCategories: ['Identité', 'Adresse', 'Faits', 'Infractions', 'Immatriculations'],
      sources: 'Agents, plaignants',
      collectionMethod: 'Intervention, saisie dans la main courante',
      recipients: [
        { name: 'Agents de police municipale', type: 'internal' },
        { name: 'Officier de police judiciaire, procureur', type: 'external' },
      ],
      retention: [{ dataCategory: 'Main courante', duration: '5 ans', finalFate: 'destruction' }],
      securityMeasures: SECURITY_BASE,
      software: 'Logiciel de police municipale',
      department: 'Police municipale',
      dpiaCriteria: ['sensitive_data', 'systematic_monitoring'],
    },
  },
  {
    code: 'marches-publics',
    applicableKinds: ANY,
    fields: {
      name: 'Passation et exécution des marchés publics',
      purposes: 'Publicité, réception et analyse des offres, notification et exécution des marchés.',
      legalBasis: 'legal_obligation',
      legalBasisJustification: 'Code de la commande publique.',
      dataSubjects: [{ category: 'Représentants des entreprises candidates', estimatedCount: 300 }],
      dataCategories: [
        'Identité',
        'Coordonnées professionnelles',
        'Références',
        'Attestations fiscales et sociales',
      ],
      sources: 'Candidats',
      collectionMethod: 'Profil d’acheteur (dématérialisation)',
      recipients: [
        { name: 'Service marchés', type: 'internal' },
        { name: 'Comptable public', type: 'external' },
      ],
      retention: [
        {
          dataCategory: 'Marchés attribués',
          duration: '10 ans après la fin d’exécution',
          finalFate: 'archiving',
        },
        { dataCategory: 'Offres non retenues', duration: '5 ans', finalFate: 'destruction' },
      ],
      securityMeasures: SECURITY_BASE,
      software: 'Profil d’acheteur mutualisé',
      department: 'Commande publique',
    },
  },
  {
    code: 'registre-deliberations',
    applicableKinds: ANY,
    processors: ['Syndicat mixte e-Collectivités'],
    fields: {
      name: 'Registre des délibérations et actes administratifs',
      purposes:
        'Préparation des séances, tenue du registre des délibérations et arrêtés, transmission au contrôle de légalité, publication.',
      legalBasis: 'legal_obligation',
      legalBasisJustification:
        'CGCT, art. L. 2121-23 et L. 2131-1 ; ordonnance n° 2021-1310 (publicité des actes).',
      dataSubjects: [
        { category: 'Élus', estimatedCount: 33 },
        { category: 'Personnes citées dans les actes', estimatedCount: null },
      ],
      dataCategories: ['Identité', 'Fonction', 'Votes'],
      sources: 'Services, élus',
      collectionMethod: 'Rédaction des actes',
      recipients: [
        { name: 'Secrétariat général', type: 'internal' },
        { name: 'Préfecture (contrôle de légalité)', type: 'external' },
        { name: 'Public (actes publiés)', type: 'external' },
      ],
      retention: [{ dataCategory: 'Registres', duration: 'Illimitée', finalFate: 'archiving' }],
      securityMeasures: SECURITY_BASE,
      software: 'Tiers de télétransmission des actes',
      department: 'Secrétariat général',
    },
  },
  {
    code: 'collecte-dechets',
    applicableKinds: EPCI,
    fields: {
      name: 'Collecte des déchets et redevance incitative',
      purposes: 'Attribution des bacs, suivi des levées, facturation de la redevance, accès aux déchèteries.',
      legalBasis: 'public_task',
      legalBasisJustification: 'Compétence collecte et traitement des déchets (CGCT, art. L. 2224-13).',
      dataSubjects: [{ category: 'Usagers du service', estimatedCount: 40000 }],
      dataCategories: [
        'Identité',
        'Adresse',
        'Composition du foyer',
        'Nombre de levées',
        'Passages en déchèterie',
      ],
      sources: 'Usagers, puces des bacs, badges de déchèterie',
      collectionMethod: 'Formulaire, lecture automatique des puces',
      recipients: [
        { name: 'Service déchets', type: 'internal' },
        { name: 'Trésorerie', type: 'external' },
      ],
      retention: [{ dataCategory: 'Levées et passages', duration: '3 ans', finalFate: 'anonymisation' }],
      securityMeasures: SECURITY_BASE,
      software: 'Logiciel de redevance incitative',
      department: 'Environnement — déchets',
      dpiaCriteria: ['large_scale', 'systematic_monitoring'],
    },
  },
  {
    code: 'transport-scolaire',
    applicableKinds: EPCI,
    fields: {
      name: 'Transport scolaire',
      purposes: 'Inscriptions au transport scolaire, attribution des titres, organisation des circuits.',
      legalBasis: 'public_task',
      legalBasisJustification: 'Code des transports, art. L. 3111-7 ; délégation de la Région.',
      dataSubjects: [
        { category: 'Élèves', estimatedCount: 3000 },
        { category: 'Responsables légaux', estimatedCount: 4000 },
      ],
      dataCategories: ['Identité', 'Adresse', 'Établissement', 'Photographie'],
      sources: 'Familles',
      collectionMethod: 'Inscription en ligne',
      recipients: [
        { name: 'Service mobilité', type: 'internal' },
        { name: 'Transporteurs', type: 'external' },
      ],
      retention: [{ dataCategory: 'Dossiers', duration: 'Année scolaire + 1 an', finalFate: 'destruction' }],
      securityMeasures: SECURITY_BASE,
      department: 'Mobilités',
      dpiaCriteria: ['vulnerable_subjects'],
    },
  },
];

export const DEMO_PROCESSORS: (typeof rgpdProcessors.$inferInsert)[] = [
  {
    name: 'Syndicat mixte e-Collectivités',
    contractClausesChecked: true,
    ownRegistry: true,
    dpoContact: 'dpo@e-collectivites.example',
    isOperator: true,
  },
  {
    name: 'Berger-Levrault',
    siren: '755800646',
    contractClausesChecked: true,
    ownRegistry: true,
    dpoContact: 'dpo@berger-levrault.example',
  },
  {
    name: 'OVHcloud',
    siren: '424761419',
    contractClausesChecked: true,
    ownRegistry: true,
    dpoContact: 'dpo@ovhcloud.example',
  },
  {
    name: 'La Poste',
    siren: '356000000',
    contractClausesChecked: true,
    ownRegistry: true,
    dpoContact: 'dpo@laposte.example',
  },
  {
    name: 'Éditeur de messagerie (hébergement hors UE)',
    contractClausesChecked: false,
    ownRegistry: false,
    transfersOutsideEu: true,
    transferDetails: 'Support et sauvegardes aux États-Unis ; clauses contractuelles types à vérifier.',
  },
];

/** Templates by kind of member, in the order they are offered. */
function applicableTo(kind: MemberKind): TemplateSeed[] {
  return DEMO_TEMPLATES.filter((t) => t.applicableKinds.length === 0 || t.applicableKinds.includes(kind));
}

const addDays = (iso: string, days: number) => {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export async function seedRgpd(
  db: Db,
): Promise<{ templates: number; processors: number; members: number; processings: number }> {
  const existing = rowsOf<{ n: unknown }>(await db.execute(sql`SELECT count(*) AS n FROM rgpd_templates`));
  if (Number(existing[0]?.n ?? 0) > 0) return { templates: 0, processors: 0, members: 0, processings: 0 };
  const rng = new Random(SEED);

  const processorIds = new Map<string, string>();
  const processorRows = DEMO_PROCESSORS.map((p) => ({ ...p, id: rng.uuid() }));
  await db.insert(rgpdProcessors).values(processorRows);
  for (const p of processorRows) processorIds.set(p.name, p.id);

  // Version 1 of every template; those with an `update` are at version 2, so processings linked
  // at version 1 show « update available ».
  const templateRows = DEMO_TEMPLATES.map((t) => {
    const v1 = templateFieldsSchema.parse(t.fields);
    const current = t.update ? templateFieldsSchema.parse({ ...v1, ...t.update }) : v1;
    return { seed: t, id: rng.uuid(), v1, current, version: t.update ? 2 : 1 };
  });
  await db.insert(rgpdTemplates).values(
    templateRows.map((t) => ({
      id: t.id,
      code: t.seed.code,
      name: t.v1.name,
      version: t.version,
      fields: t.current,
      applicableKinds: t.seed.applicableKinds,
    })),
  );
  await db
    .insert(rgpdTemplateVersions)
    .values(
      templateRows.flatMap((t) => [
        { templateId: t.id, version: 1, snapshot: t.v1 },
        ...(t.seed.update ? [{ templateId: t.id, version: 2, snapshot: t.current }] : []),
      ]),
    );
  const templateByCode = new Map(templateRows.map((t) => [t.seed.code, t]));

  const members = rowsOf<{ id: string; kind: MemberKind; commune_code: string | null }>(
    await db.execute(sql`
      SELECT o.id, o.kind, o.commune_code FROM organisations o
      WHERE o.kind <> 'operator'
        AND EXISTS (SELECT 1 FROM member_contacts c WHERE c.member_id = o.id AND c.role = 'referent_rgpd')
      ORDER BY o.id`),
  );
  const [operator] = rowsOf<{ name: string }>(
    await db.execute(sql`SELECT name FROM organisations WHERE kind = 'operator'`),
  );

  const items: repo.NewProcessing[] = [];
  const designations: (typeof rgpdDesignations.$inferInsert)[] = [];
  for (const member of members) {
    const showcase = member.commune_code === SHOWCASE_COMMUNE;
    const offered = applicableTo(member.kind);
    if (offered.length === 0) continue;
    // The showcase commune holds every template it suits; others a deterministic selection.
    const chosen = showcase ? offered : offered.filter((_t, i) => i < 3 || rng.chance(0.45));
    for (const seedTemplate of chosen) {
      const template = templateByCode.get(seedTemplate.code);
      if (!template) continue;
      const atOldVersion = template.version === 2 && rng.chance(showcase ? 0.7 : 0.5);
      const fields = atOldVersion ? template.v1 : template.current;
      const processors = (seedTemplate.processors ?? []).flatMap((n) => {
        const id = processorIds.get(n);
        return id ? [id] : [];
      });
      const snapshot = withLocalState(draftFrom(fields, processors), rng, showcase);
      items.push({
        id: rng.uuid(),
        memberId: member.id,
        snapshot,
        completion: completionOf(snapshot).percent,
        templateId: template.id,
        templateVersion: atOldVersion ? 1 : template.version,
      });
    }
    designations.push({
      memberId: member.id,
      cnilNumber: `DPO-${String(rng.int(10_000, 99_999))}`,
      designatedOn: addDays('2018-05-25', rng.int(0, 2400)),
      dpoName: operator?.name ?? 'DPO mutualisé',
    });
  }
  await repo.insertProcessings(db, items, null, (item) => diffSnapshots(null, item.snapshot));
  if (designations.length > 0) {
    for (let i = 0; i < designations.length; i += 1000) {
      await db.insert(rgpdDesignations).values(designations.slice(i, i + 1000));
    }
  }
  return {
    templates: templateRows.length,
    processors: processorRows.length,
    members: designations.length,
    processings: items.length,
  };
}

/**
 * A member's own progress on a processing: most validated with review dates (some overdue), some
 * under review or still drafts with gaps, DPIAs at every stage, a few published.
 */
function withLocalState(draft: ProcessingSnapshot, rng: Random, showcase: boolean): ProcessingSnapshot {
  const roll = rng.next();
  const s: ProcessingSnapshot = { ...draft };
  if (roll < 0.55) {
    s.status = 'validated';
    s.lastReviewOn = addDays(REFERENCE_DAY, -rng.int(30, 700));
    s.nextReviewOn = addDays(s.lastReviewOn, 365);
  } else if (roll < 0.8) {
    s.status = 'to_review';
    s.lastReviewOn = addDays(REFERENCE_DAY, -rng.int(400, 900));
    s.nextReviewOn = addDays(s.lastReviewOn, 365);
  } else {
    s.status = 'draft';
    if (rng.chance(0.6)) s.department = null;
    if (rng.chance(0.4)) s.retention = [];
  }
  if (s.dpiaCriteria.length >= 2) {
    s.dpiaStatus = rng.pick(['not_started', 'in_progress', 'done', 'done'] as const);
  }
  s.isPublic = s.status === 'validated' && (showcase || rng.chance(0.2));
  return s;
}
