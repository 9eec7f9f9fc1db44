import { Link, useParams } from '@tanstack/react-router';
import { EPCI_TYPE_LABELS } from '../../../contracts/members.js';
import { formatNumber, PageTitle, QueryView, Table } from '../../ui/index.js';
import { useEpci } from './api.js';

export function EpciPage() {
  const { code } = useParams({ from: '/operateur/territoire/epci/$code' });
  const epci = useEpci(code);
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/operateur/territoire" search={{ vue: 'epci' }}>
              Territoire
            </Link>
          </li>
          <li aria-current="page">{epci.data?.name ?? 'EPCI'}</li>
        </ol>
      </nav>
      <PageTitle title={epci.data?.name ?? 'EPCI'} />
      <QueryView query={epci} loadingLabel="Chargement de l'EPCI…">
        {(e) => (
          <>
            <dl className="dl">
              <dt>SIREN</dt>
              <dd>{e.code}</dd>
              <dt>Type</dt>
              <dd>{EPCI_TYPE_LABELS[e.type] ?? e.type}</dd>
              <dt>Population</dt>
              <dd>{formatNumber(e.population)} habitants</dd>
              <dt>Communes membres</dt>
              <dd>{formatNumber(e.memberCount)}</dd>
              <dt>Départements</dt>
              <dd>{e.departementCodes.join(', ')}</dd>
              <dt>Millésime des données</dt>
              <dd>{e.vintage}</dd>
            </dl>
            <p>
              <Link to="/operateur/adherents" search={{ q: e.code }}>
                Voir cet EPCI dans les adhérents
              </Link>
            </p>
            <Table
              caption={`Communes membres (${formatNumber(e.communes.length)})`}
              rows={e.communes}
              rowKey={(c) => c.code}
              columns={[
                { key: 'name', header: 'Commune', rowHeader: true, render: (c) => c.name },
                { key: 'code', header: 'Code INSEE', render: (c) => c.code },
                {
                  key: 'pop',
                  header: 'Population',
                  numeric: true,
                  render: (c) => formatNumber(c.population),
                },
              ]}
            />
          </>
        )}
      </QueryView>
    </>
  );
}
