import { useNavigate, useSearch } from '@tanstack/react-router';
import {
  EmptyState,
  formatDate,
  formatNumber,
  Pagination,
  QueryView,
  SelectField,
  Table,
  useCursorPages,
} from '../../../ui/index.js';
import { kindLabel } from '../../members/components.js';
import { PAGE_SIZE, subscribersExportUrl, useSubscribers } from '../api.js';
import { SubscriptionStatusBadge } from '../components.js';

export function SubscribersSection({
  serviceOptions,
}: {
  serviceOptions: { value: string; label: string }[];
}) {
  const search = useSearch({ from: '/operateur/abonnements' });
  const navigate = useNavigate();
  const serviceId = search.service;
  const pages = useCursorPages(serviceId ?? '');
  const subscribers = useSubscribers(serviceId, pages.cursor);
  return (
    <section aria-labelledby="abonnes-titre">
      <h2 id="abonnes-titre">Abonnés par service</h2>
      <div className="filters">
        <SelectField
          name="service"
          label="Service"
          placeholder="Choisir un service…"
          options={serviceOptions}
          value={serviceId ?? ''}
          onChange={(e) =>
            navigate({
              to: '/operateur/abonnements',
              search: e.target.value ? { service: e.target.value } : {},
            })
          }
        />
      </div>
      {serviceId && (
        <>
          <p className="row">
            <span>Exporter les abonnés :</span>
            <a
              className="btn btn--secondary btn--small"
              href={subscribersExportUrl(serviceId, 'csv')}
              download
            >
              Exporter en CSV
            </a>
            <a
              className="btn btn--secondary btn--small"
              href={subscribersExportUrl(serviceId, 'xlsx')}
              download
            >
              Exporter en XLSX (tableur)
            </a>
          </p>
          <QueryView query={subscribers} loadingLabel="Chargement des abonnés…">
            {(page) =>
              page.items.length === 0 ? (
                <EmptyState>Aucun abonné à ce service.</EmptyState>
              ) : (
                <>
                  <Table
                    caption={`Abonnés du service (${formatNumber(page.total)})`}
                    rows={page.items}
                    rowKey={(s) => s.subscriptionId}
                    columns={[
                      { key: 'name', header: 'Structure', rowHeader: true, render: (s) => s.memberName },
                      { key: 'kind', header: 'Type', render: (s) => kindLabel(s.kind) },
                      { key: 'dep', header: 'Département', render: (s) => s.departementCode ?? '—' },
                      {
                        key: 'population',
                        header: 'Population',
                        numeric: true,
                        render: (s) => formatNumber(s.population),
                      },
                      {
                        key: 'status',
                        header: 'Statut',
                        render: (s) => <SubscriptionStatusBadge status={s.status} />,
                      },
                      { key: 'start', header: 'Début', render: (s) => formatDate(s.startDate) },
                      { key: 'end', header: 'Fin', render: (s) => formatDate(s.endDate) },
                      {
                        key: 'units',
                        header: 'Unités',
                        numeric: true,
                        render: (s) => (s.units == null ? '—' : formatNumber(s.units)),
                      },
                    ]}
                  />
                  <Pagination
                    label="Pagination des abonnés"
                    pageIndex={pages.pageIndex}
                    pageSize={PAGE_SIZE}
                    shown={page.items.length}
                    total={page.total}
                    nextCursor={page.nextCursor}
                    onNext={pages.next}
                    onPrevious={pages.previous}
                  />
                </>
              )
            }
          </QueryView>
        </>
      )}
    </section>
  );
}
