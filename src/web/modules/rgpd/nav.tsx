import { Link } from '@tanstack/react-router';

/** The operator's DPO pages share this sub-menu. */
export function DpoNav() {
  return (
    <nav aria-label="Rubriques du DPO mutualisé" className="rgpd-subnav">
      <ul>
        <li>
          <Link to="/operateur/rgpd" activeOptions={{ exact: true, includeSearch: false }}>
            Tableau de bord RGPD
          </Link>
        </li>
        <li>
          <Link to="/operateur/rgpd/modeles" activeOptions={{ includeSearch: false }}>
            Modèles de traitements
          </Link>
        </li>
        <li>
          <Link to="/operateur/rgpd/sous-traitants">Sous-traitants</Link>
        </li>
      </ul>
    </nav>
  );
}

/** Member pages of the RGPD space share this sub-menu. */
export function MemberRgpdNav() {
  return (
    <nav aria-label="Rubriques RGPD" className="rgpd-subnav">
      <ul>
        <li>
          <Link to="/espace/rgpd" activeOptions={{ exact: true }}>
            Registre des traitements
          </Link>
        </li>
        <li>
          <Link to="/espace/rgpd/demandes">Demandes d'exercice des droits</Link>
        </li>
        <li>
          <Link to="/espace/rgpd/violations">Violations de données</Link>
        </li>
      </ul>
    </nav>
  );
}
