import { EmptyState, formatDateTime, QueryView, Table } from '../../../ui/index.js';
import { useServiceHistory } from '../api.js';

const FIELD_LABELS: Record<string, string> = {
  code: 'Code',
  domain: 'Domaine',
  name: 'Nom',
  description: 'Description',
  included: 'Ce qui est compris',
  eligibleKinds: 'Structures éligibles',
  status: 'Statut',
  noticeMonths: 'Préavis',
  unitLabel: 'Unité',
  prerequisiteIds: 'Prérequis',
  prerequisites: 'Prérequis',
  alonePrices: 'Prix seul',
};

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 79)}…` : value;
  return JSON.stringify(value);
}

export function HistorySection({ serviceId }: { serviceId: string }) {
  const history = useServiceHistory(serviceId);
  return (
    <section aria-labelledby="historique-titre">
      <h3 id="historique-titre">Historique des modifications</h3>
      <QueryView query={history} loadingLabel="Chargement de l'historique…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune modification enregistrée.</EmptyState>
          ) : (
            <Table
              caption="Modifications du service, la plus récente en premier"
              rows={page.items}
              rowKey={(h) => h.id}
              columns={[
                { key: 'at', header: 'Date', rowHeader: true, render: (h) => formatDateTime(h.at) },
                { key: 'actor', header: 'Par', render: (h) => h.actor?.displayName ?? '—' },
                {
                  key: 'changes',
                  header: 'Modifications',
                  render: (h) => (
                    <ul>
                      {Object.entries(h.changes).map(([field, c]) => (
                        <li key={field}>
                          {FIELD_LABELS[field] ?? field} : {show(c.before)} → {show(c.after)}
                        </li>
                      ))}
                    </ul>
                  ),
                },
              ]}
            />
          )
        }
      </QueryView>
    </section>
  );
}
