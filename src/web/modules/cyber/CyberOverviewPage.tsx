import { Link } from '@tanstack/react-router';
import { useCurrentOrganisation } from '../../app/auth.js';
import { PageTitle } from '../../ui/index.js';
import { CyberProfileSection } from './CyberProfileSection.js';
import { CyberSummary } from './CyberSummary.js';
import { MemberCyberNav, useCanManageCyber } from './components.js';

/** The member's cybersecurity space: its figures, its NIS 2 profile, and where to go next. */
export function CyberOverviewPage() {
  const current = useCurrentOrganisation();
  const canManage = useCanManageCyber();
  return (
    <>
      <PageTitle title="Cybersécurité">Cybersécurité : {current.name}</PageTitle>
      <MemberCyberNav />
      <p className="lead">
        L’inventaire de vos équipements et logiciels permet à l’équipe cybersécurité de l’opérateur de vous
        prévenir des seules vulnérabilités qui vous concernent ; le diagnostic mesure votre maturité et
        propose un plan d’action ; un incident se déclare ici, avec ses délais réglementaires.
      </p>
      <section aria-labelledby="chiffres-titre">
        <h2 id="chiffres-titre">En chiffres</h2>
        <CyberSummary memberId={current.id} />
      </section>
      <section aria-labelledby="actions-titre">
        <h2 id="actions-titre">Que faire ?</h2>
        <ul>
          <li>
            <Link to="/espace/cyber/avis">Traiter les avis de sécurité qui vous concernent</Link>
          </li>
          <li>
            <Link to="/espace/cyber/inventaire">Tenir l’inventaire à jour</Link>
          </li>
          <li>
            <Link to="/espace/cyber/diagnostics">Mener ou consulter un diagnostic</Link>
          </li>
          {canManage && (
            <li>
              <Link to="/espace/cyber/incidents/nouveau">Déclarer un incident de sécurité</Link>
            </li>
          )}
        </ul>
      </section>
      <CyberProfileSection memberId={current.id} canEdit={canManage} />
    </>
  );
}
