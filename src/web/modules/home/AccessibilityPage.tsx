import { PageTitle } from '../../ui/index.js';

export function AccessibilityPage() {
  return (
    <>
      <PageTitle title="Déclaration d'accessibilité" />
      <p>
        L'opérateur s'engage à rendre ses sites internet, intranet, extranet et progiciels accessibles
        conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. La présente déclaration
        s'applique à la plateforme Socle.
      </p>
      <h2>État de conformité</h2>
      <p>
        La plateforme est <strong>partiellement conforme</strong> avec le référentiel général d'amélioration
        de l'accessibilité (RGAA), version 4.1, en raison des non-conformités et des dérogations énumérées
        ci-dessous.
      </p>
      <h2>Résultats des tests</h2>
      <p>
        Chaque parcours principal (connexion, recherche d'un adhérent, adhésion, import, invitation,
        réinitialisation du mot de passe) est vérifié automatiquement à chaque modification avec l'outil
        axe-core (critères WCAG 2.1 niveaux A et AA). Aucun audit complet par un tiers n'a encore été réalisé.
      </p>
      <h2>Contenus non accessibles</h2>
      <ul>
        <li>
          La carte des départements est une image interactive ; son équivalent textuel est le tableau qui
          l'accompagne.
        </li>
        <li>Les documents PDF déposés par les structures (délibérations) peuvent ne pas être accessibles.</li>
        <li>L'export XLSX n'a pas été vérifié avec toutes les technologies d'assistance.</li>
      </ul>
      <h2>Établissement de cette déclaration</h2>
      <p>Technologies utilisées : HTML, CSS, JavaScript (React), WAI-ARIA.</p>
      <p>
        Environnement de test : navigateur Chromium avec axe-core ; navigation au clavier seul ; lecteur
        d'écran NVDA avec Firefox.
      </p>
      <h2>Retour d'information et contact</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez l'opérateur pour être orienté
        vers une alternative accessible ou obtenir le contenu sous une autre forme.
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une
        fonctionnalité, que vous nous l'avez signalé et que vous n'avez pas obtenu de réponse satisfaisante,
        vous pouvez écrire au Défenseur des droits, contacter son délégué dans votre région ou lui écrire par
        courrier postal (gratuit, sans affranchissement) : Défenseur des droits, Libre réponse 71120, 75342
        Paris CEDEX 07.
      </p>
    </>
  );
}
