import { useSearch } from '@tanstack/react-router';
import { ButtonLink, PageTitle } from '../../ui/index.js';
import { exportUrl } from './api.js';
import { MembersList } from './MembersList.js';

export function OperatorMembersPage() {
  const search = useSearch({ from: '/operateur/adherents' });
  return (
    <>
      <div className="page-header">
        <PageTitle title="Adhérents" />
        <ButtonLink to="/operateur/adherents/nouveau">Nouvelle structure</ButtonLink>
      </div>
      <p className="row">
        <span>Exporter la liste filtrée :</span>
        <a className="btn btn--secondary btn--small" href={exportUrl('csv', search)} download>
          Exporter en CSV
        </a>
        <a className="btn btn--secondary btn--small" href={exportUrl('xlsx', search)} download>
          Exporter en XLSX (tableur)
        </a>
      </p>
      <MembersList search={search} to="/operateur/adherents" />
    </>
  );
}
