import { Link, useSearch } from '@tanstack/react-router';
import { PageTitle } from '../../ui/index.js';
import { MembersList } from './MembersList.js';

export function PublicMembersPage() {
  const search = useSearch({ from: '/adherents' });
  return (
    <>
      <PageTitle title="Les adhérents" />
      <p className="lead">
        Par transparence, la liste des structures publiques adhérentes est publique : nom, type, territoire et
        statut d'adhésion. Voir aussi la <Link to="/carte">carte des adhérents par département</Link>.
      </p>
      <MembersList search={search} to="/adherents" />
    </>
  );
}
