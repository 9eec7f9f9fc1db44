import { Link } from '@tanstack/react-router';
import { useCurrentOrganisation } from '../../../app/auth.js';
import { PageTitle } from '../../../ui/index.js';
import { MemberCyberNav, useCanManageCyber } from '../components.js';
import { InventoryView } from './InventoryView.js';

/** The member's inventory of equipment, websites, mailboxes and software. */
export function InventoryPage() {
  const current = useCurrentOrganisation();
  const canManage = useCanManageCyber();
  return (
    <>
      <PageTitle title="Inventaire">Inventaire : {current.name}</PageTitle>
      <MemberCyberNav />
      <p className="lead">
        Postes, serveurs, réseau, sites, noms de domaine, messageries et logiciels avec leur version : c’est
        ce qui permet de vous prévenir des seules vulnérabilités qui vous concernent. Les services de
        l’opérateur auxquels vous êtes abonnés y figurent d’eux-mêmes.
        {canManage && (
          <>
            {' '}
            <Link to="/espace/cyber/inventaire/import">Importer un fichier CSV</Link>
          </>
        )}
      </p>
      <InventoryView memberId={current.id} canEdit={canManage} />
    </>
  );
}
