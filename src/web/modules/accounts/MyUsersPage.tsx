import { Link } from '@tanstack/react-router';
import { useCurrentOrganisation } from '../../app/auth.js';
import { PageTitle } from '../../ui/index.js';
import { UsersManager } from './UsersManager.js';

export function MyUsersPage() {
  const current = useCurrentOrganisation();
  return (
    <>
      <PageTitle title="Utilisateurs de ma structure" />
      <p className="lead">
        Les personnes qui agissent pour « {current.name} ». En tant que référent, vous invitez vos collègues
        et choisissez leur rôle : agent (agit au quotidien) ou lecteur (consulte seulement).
      </p>
      <ul>
        <li>
          <Link to="/espace/demandes-acces">Demandes d'accès ProConnect</Link>
        </li>
        <li>
          <Link to="/espace/jetons">Jetons d'API de la structure</Link>
        </li>
      </ul>
      <UsersManager scope={{ organisationId: current.id, isOperator: false }} />
    </>
  );
}
