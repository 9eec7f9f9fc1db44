import { useCurrentOrganisation } from '../../app/auth.js';
import { PageTitle } from '../../ui/index.js';
import { UsersManager } from './UsersManager.js';

export function OperatorUsersPage() {
  const current = useCurrentOrganisation();
  return (
    <>
      <PageTitle title="Utilisateurs de l'opérateur" />
      <p className="lead">
        Les agents de l'opérateur agissent pour toutes les structures adhérentes, dans leurs périmètres (DPO
        mutualisé, cybersécurité, assistance, finances, hébergement). Les administrateurs ont tous les droits.
      </p>
      <UsersManager scope={{ organisationId: current.id, isOperator: true }} />
    </>
  );
}
