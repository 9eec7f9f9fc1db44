import type { DiagnosticTheme, MeasureLevel } from '../../../../contracts/cyber.js';

/**
 * The diagnostic for small public structures: Socle's own questions, written from the themes of
 * ANSSI's public guidance for small structures (the « Guide d'hygiène informatique » and its
 * measures: know your information system, control accounts and access, back up, update, protect
 * workstations and the network, secure e-mail and websites, frame suppliers, get ready for an
 * incident). Each question names the measure that answers it — its effort, cost and impact, and the
 * catalogue service (by code) of the operator that provides it when there is one.
 *
 * Bump QUESTIONNAIRE_VERSION when a question changes: diagnostics keep the version they answered.
 */
export const QUESTIONNAIRE_VERSION = 1;

export interface Measure {
  title: string;
  description: string;
  effort: MeasureLevel;
  cost: MeasureLevel;
  impact: MeasureLevel;
  /** The catalogue service (code) that provides the measure. */
  serviceCode?: string;
}

export interface Question {
  /** `<theme>.<name>`. */
  id: string;
  theme: DiagnosticTheme;
  text: string;
  help: string;
  /** How much the question counts in its theme (1 to 3). */
  weight: number;
  measure: Measure;
}

const q = (
  theme: DiagnosticTheme,
  name: string,
  weight: number,
  text: string,
  help: string,
  measure: Measure,
): Question => ({
  id: `${theme}.${name}`,
  theme,
  text,
  help,
  weight,
  measure,
});

export const QUESTIONS: readonly Question[] = [
  // Gouvernance et sensibilisation
  q(
    'governance',
    'referent',
    2,
    'Une personne est-elle désignée pour suivre la sécurité informatique de la structure ?',
    'Sans responsable identifié, les alertes et les décisions restent sans suite.',
    {
      title: 'Désigner un référent sécurité',
      description:
        'Nommer un agent (ou un élu) référent sécurité, lui donner le rôle dans Socle et un temps dédié.',
      effort: 'low',
      cost: 'low',
      impact: 'high',
    },
  ),
  q(
    'governance',
    'inventory',
    2,
    'Tenez-vous à jour la liste de vos équipements, logiciels et comptes d’accès ?',
    'On ne protège bien que ce que l’on connaît : c’est la première mesure du guide d’hygiène.',
    {
      title: 'Tenir l’inventaire à jour',
      description:
        'Renseigner l’inventaire de Socle (postes, serveurs, logiciels et versions, sites) et le revoir chaque trimestre.',
      effort: 'medium',
      cost: 'low',
      impact: 'high',
    },
  ),
  q(
    'governance',
    'awareness',
    2,
    'Les agents et les élus ont-ils été sensibilisés aux risques (hameçonnage, mots de passe) depuis moins d’un an ?',
    'La plupart des attaques commencent par un courriel piégé ouvert de bonne foi.',
    {
      title: 'Sensibiliser les agents et les élus',
      description: 'Une session courte par an, complétée d’exercices d’hameçonnage simulés.',
      effort: 'low',
      cost: 'low',
      impact: 'high',
      serviceCode: 'CYBER-HAMECONNAGE',
    },
  ),
  q(
    'governance',
    'charter',
    1,
    'Une charte informatique est-elle signée par les utilisateurs ?',
    'Elle fixe les règles d’usage et rend possibles les contrôles.',
    {
      title: 'Adopter une charte informatique',
      description:
        'Rédiger une charte d’usage des outils numériques, la faire adopter et signer par chaque utilisateur.',
      effort: 'low',
      cost: 'low',
      impact: 'medium',
    },
  ),
  // Comptes et mots de passe
  q(
    'accounts',
    'personal',
    2,
    'Chaque utilisateur a-t-il son propre compte (pas de compte partagé) ?',
    'Un compte partagé empêche de savoir qui a fait quoi et de retirer un accès.',
    {
      title: 'Supprimer les comptes partagés',
      description: 'Créer un compte nominatif par personne ; désactiver les comptes génériques.',
      effort: 'medium',
      cost: 'low',
      impact: 'high',
    },
  ),
  q(
    'accounts',
    'mfa',
    3,
    'La double authentification est-elle activée sur la messagerie et les accès à distance ?',
    'Un mot de passe volé ne suffit plus alors à entrer.',
    {
      title: 'Activer la double authentification',
      description:
        'Exiger un second facteur pour la messagerie, le VPN et les outils en ligne d’administration.',
      effort: 'medium',
      cost: 'low',
      impact: 'high',
      serviceCode: 'HEB-MESSAGERIE',
    },
  ),
  q(
    'accounts',
    'admin',
    2,
    'Les comptes administrateurs sont-ils distincts des comptes utilisés au quotidien ?',
    'Naviguer ou lire ses courriels avec des droits d’administrateur donne tout à un logiciel malveillant.',
    {
      title: 'Séparer les comptes d’administration',
      description:
        'Réserver un compte administrateur à l’administration ; retirer les droits d’administration des comptes courants.',
      effort: 'low',
      cost: 'low',
      impact: 'high',
    },
  ),
  q(
    'accounts',
    'departures',
    1,
    'Les accès d’une personne qui part sont-ils retirés le jour de son départ ?',
    'Un compte oublié reste une porte ouverte.',
    {
      title: 'Retirer les accès au départ',
      description:
        'Une procédure d’arrivée et de départ : comptes, badges, clés, accès aux logiciels métier.',
      effort: 'low',
      cost: 'low',
      impact: 'medium',
    },
  ),
  // Sauvegardes
  q(
    'backups',
    'regular',
    3,
    'Les données importantes sont-elles sauvegardées automatiquement au moins chaque semaine ?',
    'Après un rançongiciel, la sauvegarde est souvent le seul moyen de repartir.',
    {
      title: 'Mettre en place une sauvegarde externalisée',
      description: 'Sauvegarder automatiquement serveurs et postes dans un centre de données, chiffré.',
      effort: 'medium',
      cost: 'medium',
      impact: 'high',
      serviceCode: 'CYBER-SAUVEGARDE',
    },
  ),
  q(
    'backups',
    'offline',
    3,
    'Une copie des sauvegardes est-elle hors ligne ou hors d’atteinte du réseau ?',
    'Les rançongiciels chiffrent aussi les sauvegardes qu’ils peuvent atteindre.',
    {
      title: 'Garder une copie hors ligne',
      description: 'Une copie déconnectée ou immuable, conservée hors des locaux.',
      effort: 'medium',
      cost: 'medium',
      impact: 'high',
      serviceCode: 'CYBER-SAUVEGARDE',
    },
  ),
  q(
    'backups',
    'restore',
    2,
    'Avez-vous testé une restauration depuis moins d’un an ?',
    'Une sauvegarde jamais restaurée est une promesse, pas une garantie.',
    {
      title: 'Tester la restauration chaque année',
      description: 'Restaurer un serveur ou un dossier test et noter le temps qu’il a fallu.',
      effort: 'low',
      cost: 'low',
      impact: 'high',
      serviceCode: 'CYBER-SAUVEGARDE',
    },
  ),
  // Mises à jour
  q(
    'updates',
    'workstations',
    3,
    'Les mises à jour de sécurité des postes sont-elles installées automatiquement ?',
    'La plupart des attaques exploitent des failles déjà corrigées.',
    {
      title: 'Automatiser les mises à jour des postes',
      description:
        'Activer les mises à jour automatiques du système et des navigateurs ; vérifier chaque mois.',
      effort: 'low',
      cost: 'low',
      impact: 'high',
    },
  ),
  q(
    'updates',
    'software',
    2,
    'Les logiciels métier et les équipements (pare-feu, box, NAS) sont-ils mis à jour ?',
    'Les équipements exposés sur internet sont les premiers visés.',
    {
      title: 'Suivre les versions des logiciels et équipements',
      description:
        'Renseigner les versions dans l’inventaire pour recevoir les alertes qui vous concernent, et les appliquer.',
      effort: 'medium',
      cost: 'low',
      impact: 'high',
    },
  ),
  q(
    'updates',
    'obsolete',
    2,
    'Avez-vous retiré les systèmes qui ne sont plus maintenus (Windows 7, vieux serveurs) ?',
    'Un système sans correctifs ne peut plus être protégé.',
    {
      title: 'Remplacer les systèmes obsolètes',
      description: 'Lister les systèmes hors support et planifier leur remplacement au budget.',
      effort: 'high',
      cost: 'high',
      impact: 'high',
    },
  ),
  // Protection des postes
  q(
    'workstations',
    'antivirus',
    3,
    'Chaque poste a-t-il un antivirus à jour dont les alertes sont suivies ?',
    'Un antivirus dont personne ne lit les alertes n’arrête pas une attaque en cours.',
    {
      title: 'Déployer un antivirus supervisé',
      description: 'Une protection des postes avec détection et supervision des alertes.',
      effort: 'low',
      cost: 'medium',
      impact: 'high',
      serviceCode: 'CYBER-EDR',
    },
  ),
  q(
    'workstations',
    'encryption',
    1,
    'Les ordinateurs portables sont-ils chiffrés ?',
    'Un portable perdu ou volé ne doit pas livrer ses données.',
    {
      title: 'Chiffrer les portables',
      description: 'Activer le chiffrement du disque (BitLocker, FileVault) sur chaque portable.',
      effort: 'low',
      cost: 'low',
      impact: 'medium',
    },
  ),
  q(
    'workstations',
    'usb',
    1,
    'L’usage des clés USB inconnues est-il encadré ?',
    'Une clé trouvée ou prêtée peut porter un logiciel malveillant.',
    {
      title: 'Encadrer les supports amovibles',
      description: 'Désactiver l’exécution automatique et analyser les supports avant usage.',
      effort: 'low',
      cost: 'low',
      impact: 'low',
    },
  ),
  q(
    'workstations',
    'locking',
    1,
    'Les postes se verrouillent-ils automatiquement après quelques minutes ?',
    'Un poste ouvert à l’accueil est un accès à tout le système.',
    {
      title: 'Verrouiller les postes automatiquement',
      description: 'Verrouillage après 5 minutes d’inactivité, par stratégie de groupe.',
      effort: 'low',
      cost: 'low',
      impact: 'low',
    },
  ),
  // Réseau et Wi-Fi
  q(
    'network',
    'firewall',
    2,
    'Un pare-feu filtre-t-il les accès entre internet et votre réseau ?',
    'Sans filtrage, chaque service interne est joignable depuis internet.',
    {
      title: 'Filtrer les accès par un pare-feu',
      description: 'Un pare-feu maintenu, n’ouvrant que les flux nécessaires et documentés.',
      effort: 'medium',
      cost: 'medium',
      impact: 'high',
    },
  ),
  q(
    'network',
    'guest_wifi',
    2,
    'Le Wi-Fi des visiteurs est-il séparé du réseau des agents ?',
    'Un visiteur ne doit pas pouvoir joindre vos serveurs.',
    {
      title: 'Séparer le Wi-Fi public',
      description: 'Un réseau invité isolé, avec un mot de passe distinct changé régulièrement.',
      effort: 'low',
      cost: 'low',
      impact: 'medium',
    },
  ),
  q(
    'network',
    'remote',
    2,
    'Les accès à distance passent-ils par un VPN (et pas par un bureau à distance ouvert sur internet) ?',
    'Le bureau à distance exposé est une entrée classique des rançongiciels.',
    {
      title: 'Fermer les accès à distance exposés',
      description:
        'Passer les accès à distance par un VPN avec double authentification ; fermer le port RDP.',
      effort: 'medium',
      cost: 'low',
      impact: 'high',
    },
  ),
  q(
    'network',
    'defaults',
    1,
    'Les mots de passe par défaut des équipements (box, imprimantes, caméras) ont-ils été changés ?',
    'Les mots de passe d’usine sont publics.',
    {
      title: 'Changer les mots de passe par défaut',
      description: 'Faire le tour des équipements réseau et changer chaque mot de passe d’usine.',
      effort: 'low',
      cost: 'low',
      impact: 'medium',
    },
  ),
  // Messagerie et site internet
  q(
    'email_web',
    'filtering',
    2,
    'La messagerie filtre-t-elle les pourriels et les pièces jointes dangereuses ?',
    'Le courriel reste la première porte d’entrée.',
    {
      title: 'Utiliser une messagerie protégée',
      description: 'Une messagerie hébergée avec antispam, antivirus et double authentification.',
      effort: 'low',
      cost: 'medium',
      impact: 'high',
      serviceCode: 'HEB-MESSAGERIE',
    },
  ),
  q(
    'email_web',
    'domain',
    1,
    'Votre nom de domaine est-il protégé contre l’usurpation (SPF, DKIM, DMARC) ?',
    'Sans ces réglages, n’importe qui peut écrire en votre nom.',
    {
      title: 'Protéger le domaine de messagerie',
      description: 'Publier SPF, DKIM et DMARC pour le nom de domaine de la structure.',
      effort: 'low',
      cost: 'low',
      impact: 'medium',
    },
  ),
  q(
    'email_web',
    'website',
    2,
    'Votre site internet est-il hébergé et mis à jour par un professionnel ?',
    'Un site non maintenu est défiguré ou sert à attaquer d’autres sites.',
    {
      title: 'Confier le site à un hébergement maintenu',
      description: 'Un hébergement qui applique les mises à jour de sécurité du site et de ses extensions.',
      effort: 'medium',
      cost: 'medium',
      impact: 'medium',
      serviceCode: 'HEB-SITES',
    },
  ),
  q(
    'email_web',
    'https',
    1,
    'Votre site est-il servi uniquement en HTTPS ?',
    'Les formulaires en clair exposent les données des habitants.',
    {
      title: 'Passer le site en HTTPS',
      description: 'Certificat valide, redirection systématique vers HTTPS.',
      effort: 'low',
      cost: 'low',
      impact: 'low',
      serviceCode: 'HEB-SITES',
    },
  ),
  // Prestataires et contrats
  q(
    'suppliers',
    'list',
    1,
    'Savez-vous quels prestataires ont accès à votre système (maintenance, éditeurs) ?',
    'Un prestataire compromis donne accès à tous ses clients.',
    {
      title: 'Recenser les prestataires et leurs accès',
      description:
        'Lister chaque prestataire, ses accès et ses contacts ; l’indiquer dans l’inventaire (exploitant).',
      effort: 'low',
      cost: 'low',
      impact: 'medium',
    },
  ),
  q(
    'suppliers',
    'clauses',
    2,
    'Vos contrats prévoient-ils des clauses de sécurité (notification d’incident, mises à jour, réversibilité) ?',
    'Sans clause, le prestataire n’a aucune obligation de vous prévenir.',
    {
      title: 'Ajouter des clauses de sécurité aux contrats',
      description:
        'Notification des incidents sous 24 h, maintien des mises à jour, localisation des données, réversibilité.',
      effort: 'medium',
      cost: 'low',
      impact: 'medium',
    },
  ),
  q(
    'suppliers',
    'remote_access',
    2,
    'Les accès à distance des prestataires sont-ils ouverts seulement pendant les interventions ?',
    'Un accès permanent de télémaintenance est une entrée permanente.',
    {
      title: 'Ouvrir la télémaintenance à la demande',
      description:
        'Désactiver les accès des prestataires en dehors des interventions et tracer leurs connexions.',
      effort: 'low',
      cost: 'low',
      impact: 'medium',
    },
  ),
  // Préparation aux incidents
  q(
    'incident_readiness',
    'contacts',
    2,
    'Savez-vous qui appeler en cas d’incident (opérateur, CSIRT régional, assurance) ?',
    'Les premières heures comptent ; chercher un numéro les fait perdre.',
    {
      title: 'Afficher la fiche réflexe incident',
      description:
        'Une fiche avec les contacts (opérateur, CSIRT régional, gendarmerie, assureur) et les premiers gestes.',
      effort: 'low',
      cost: 'low',
      impact: 'high',
    },
  ),
  q(
    'incident_readiness',
    'continuity',
    2,
    'Savez-vous comment assurer l’état civil et la paie sans informatique pendant une semaine ?',
    'Après un rançongiciel, la remise en service prend souvent des semaines.',
    {
      title: 'Préparer un mode dégradé',
      description: 'Pour les services essentiels : formulaires papier, contacts, priorités de redémarrage.',
      effort: 'medium',
      cost: 'low',
      impact: 'high',
    },
  ),
  q(
    'incident_readiness',
    'exercise',
    1,
    'Avez-vous fait un exercice de crise (même d’une heure) ?',
    'Un exercice révèle ce qui manque avant que cela manque vraiment.',
    {
      title: 'Faire un exercice de crise',
      description: 'Un exercice sur table d’une heure avec le maire, le DGS et l’opérateur.',
      effort: 'medium',
      cost: 'low',
      impact: 'medium',
      serviceCode: 'CYBER-DIAG',
    },
  ),
  q(
    'incident_readiness',
    'logs',
    1,
    'Les journaux des équipements et serveurs sont-ils conservés au moins six mois ?',
    'Sans journaux, impossible de savoir ce qu’un attaquant a fait.',
    {
      title: 'Conserver les journaux',
      description: 'Centraliser et conserver six mois les journaux des serveurs, pare-feu et messagerie.',
      effort: 'medium',
      cost: 'medium',
      impact: 'medium',
      serviceCode: 'CYBER-EDR',
    },
  ),
];

export const QUESTION_BY_ID: ReadonlyMap<string, Question> = new Map(
  QUESTIONS.map((question) => [question.id, question]),
);
