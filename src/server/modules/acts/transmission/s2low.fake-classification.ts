import type { ClassificationNode, NatureTypologies } from './s2low.protocol.js';

/**
 * The classification the fake S²LOW serves: the national matières of the @CTES nomenclature (the nine
 * matières and their sub-matières every prefecture starts from; a prefecture may add local third
 * levels, as the few below do), and the six natures with their default typology.
 */

export const FAKE_CLASSIFICATION_DATE = '2025-09-15';

export const FAKE_NATURES: NatureTypologies[] = [
  {
    nature: 'DE',
    label: 'Délibérations',
    typologies: [
      { code: '99_DE', label: 'Délibération' },
      { code: '99_AU', label: 'Autre document' },
    ],
  },
  {
    nature: 'AR',
    label: 'Actes réglementaires',
    typologies: [
      { code: '99_AR', label: 'Arrêté réglementaire' },
      { code: '99_AU', label: 'Autre document' },
    ],
  },
  {
    nature: 'AI',
    label: 'Actes individuels',
    typologies: [
      { code: '99_AI', label: 'Acte individuel' },
      { code: '99_AU', label: 'Autre document' },
    ],
  },
  {
    nature: 'CC',
    label: 'Contrats, conventions et avenants',
    typologies: [
      { code: '99_DC', label: 'Contrat, convention ou avenant' },
      { code: '99_AU', label: 'Autre document' },
    ],
  },
  {
    nature: 'BF',
    label: 'Documents budgétaires et financiers',
    typologies: [
      { code: '99_BU', label: 'Document budgétaire' },
      { code: '99_AU', label: 'Autre document' },
    ],
  },
  { nature: 'AU', label: 'Autres', typologies: [{ code: '99_AU', label: 'Autre document' }] },
];

const leaves = (labels: string[], from = 1): ClassificationNode[] =>
  labels.map((label, i) => ({ code: from + i, label }));

export const FAKE_MATIERES: ClassificationNode[] = [
  {
    code: 1,
    label: 'Commande publique',
    children: [
      {
        code: 1,
        label: 'Marchés publics',
        children: leaves(['Marchés sur procédure adaptée', 'Marchés sur appel d’offres', 'Avenants']),
      },
      { code: 2, label: 'Délégation de service public' },
      { code: 3, label: 'Conventions de mandat' },
      { code: 4, label: 'Autres types de contrats' },
      { code: 5, label: 'Transactions, protocoles d’accord transactionnel' },
      { code: 6, label: 'Actes relatifs à la maîtrise d’œuvre' },
      { code: 7, label: 'Actes spéciaux et divers' },
    ],
  },
  {
    code: 2,
    label: 'Urbanisme',
    children: leaves([
      'Documents d’urbanisme',
      'Actes relatifs au droit d’occupation ou d’utilisation des sols',
      'Droit de préemption urbain',
    ]),
  },
  {
    code: 3,
    label: 'Domaine et patrimoine',
    children: leaves([
      'Acquisitions',
      'Aliénations',
      'Locations',
      'Limites territoriales',
      'Actes de gestion du domaine public',
      'Actes de gestion du domaine privé',
    ]),
  },
  {
    code: 4,
    label: 'Fonction publique',
    children: leaves([
      'Personnels titulaires et stagiaires de la FPT',
      'Personnels contractuels',
      'Fonction publique hospitalière',
      'Autres catégories de personnels',
      'Régime indemnitaire',
    ]),
  },
  {
    code: 5,
    label: 'Institutions et vie politique',
    children: leaves([
      'Élection exécutif',
      'Fonctionnement des assemblées',
      'Désignation de représentants',
      'Délégation de fonctions',
      'Délégation de signature',
      'Exercice des mandats locaux',
      'Intercommunalité',
      'Décision d’ester en justice',
    ]),
  },
  {
    code: 6,
    label: 'Libertés publiques et pouvoirs de police',
    children: leaves([
      'Police municipale',
      'Pouvoir du président du conseil départemental',
      'Pouvoir du président du conseil régional',
      'Autres actes réglementaires',
      'Actes pris au nom de l’État',
    ]),
  },
  {
    code: 7,
    label: 'Finances locales',
    children: [
      {
        code: 1,
        label: 'Décisions budgétaires',
        children: leaves([
          'Budget primitif',
          'Décision modificative',
          'Compte administratif',
          'Compte financier unique',
        ]),
      },
      ...leaves(
        [
          'Fiscalité',
          'Emprunts',
          'Interventions économiques',
          'Subventions',
          'Contributions budgétaires',
          'Avances',
          'Fonds de concours',
          'Prise de participation (SEM, etc.)',
          'Divers',
        ],
        2,
      ),
    ],
  },
  {
    code: 8,
    label: 'Domaines de compétences par thèmes',
    children: leaves([
      'Enseignement',
      'Aide sociale',
      'Voirie',
      'Aménagement du territoire',
      'Politique de la ville, habitat, logement',
      'Emploi, formation professionnelle',
      'Transports',
      'Environnement',
      'Culture',
    ]),
  },
  {
    code: 9,
    label: 'Autres domaines de compétences',
    children: leaves([
      'Autres domaines de compétences des communes',
      'Autres domaines de compétences des départements',
      'Autres domaines de compétences des régions',
      'Vœux et motions',
    ]),
  },
];
