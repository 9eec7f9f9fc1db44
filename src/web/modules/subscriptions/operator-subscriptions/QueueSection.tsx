import { useDeferredValue, useState } from 'react';
import { SUBSCRIPTION_STATUS_LABELS, type Subscription } from '../../../../contracts/subscriptions.js';
import {
  Button,
  EmptyState,
  formatDate,
  formatNumber,
  Pagination,
  QueryView,
  SelectField,
  Table,
  TextField,
  useCursorPages,
} from '../../../ui/index.js';
import { PAGE_SIZE, useSubscriptionQueue } from '../api.js';
import { SubscriptionHistoryDialog } from '../SubscriptionHistoryDialog.js';
import { type Decision, DecisionDialog } from './DecisionDialog.js';

export function QueueSection({ serviceOptions }: { serviceOptions: { value: string; label: string }[] }) {
  const [status, setStatus] = useState<'requested' | 'termination_requested'>('requested');
  const [serviceId, setServiceId] = useState('');
  const [q, setQ] = useState('');
  const name = useDeferredValue(q.trim());
  const pages = useCursorPages(`${status}-${serviceId}-${name}`);
  const queue = useSubscriptionQueue(status, serviceId || undefined, pages.cursor, name || undefined);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [history, setHistory] = useState<Subscription | null>(null);
  return (
    <section aria-labelledby="file-titre">
      <h2 id="file-titre">Demandes à traiter</h2>
      <div className="filters">
        <SelectField
          name="queue"
          label="Afficher"
          options={[
            { value: 'requested', label: 'Demandes de souscription' },
            { value: 'termination_requested', label: 'Demandes de résiliation' },
          ]}
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
        />
        <SelectField
          name="queueService"
          label="Service demandé"
          placeholder="Tous les services"
          options={serviceOptions}
          value={serviceId}
          onChange={(e) => setServiceId(e.target.value)}
        />
        <TextField
          name="queueMember"
          type="search"
          label="Structure"
          hint="Mots du nom"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <QueryView query={queue} loadingLabel="Chargement des demandes…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              {name || serviceId
                ? 'Aucune demande en attente pour ces critères : modifiez la structure ou le service cherchés.'
                : 'Aucune demande en attente : les structures demandent un service depuis leur espace, et vous pouvez en souscrire un pour une structure depuis sa page.'}
            </EmptyState>
          ) : (
            <>
              <Table
                caption={`${SUBSCRIPTION_STATUS_LABELS[status]}s : ${formatNumber(page.total)} en attente`}
                rows={page.items}
                rowKey={(s) => s.id}
                columns={[
                  { key: 'member', header: 'Structure', rowHeader: true, render: (s) => s.memberName },
                  { key: 'service', header: 'Service', render: (s) => s.service.name },
                  { key: 'requested', header: 'Demandée le', render: (s) => formatDate(s.requestedOn) },
                  {
                    key: 'units',
                    header: 'Unités',
                    numeric: true,
                    render: (s) => (s.units == null ? '—' : formatNumber(s.units)),
                  },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (s) => (
                      <div className="row">
                        {s.status === 'requested' ? (
                          <>
                            <Button small onClick={() => setDecision({ subscription: s, action: 'accept' })}>
                              Accepter
                              <span className="sr-only">
                                {' '}
                                la demande de {s.memberName} pour {s.service.name}
                              </span>
                            </Button>
                            <Button
                              small
                              variant="secondary"
                              onClick={() => setDecision({ subscription: s, action: 'refuse' })}
                            >
                              Refuser
                              <span className="sr-only">
                                {' '}
                                la demande de {s.memberName} pour {s.service.name}
                              </span>
                            </Button>
                          </>
                        ) : (
                          <Button
                            small
                            onClick={() => setDecision({ subscription: s, action: 'confirm-termination' })}
                          >
                            Confirmer la résiliation
                            <span className="sr-only">
                              {' '}
                              de {s.memberName} pour {s.service.name}
                            </span>
                          </Button>
                        )}
                        <Button small variant="tertiary" onClick={() => setHistory(s)}>
                          Historique
                          <span className="sr-only">
                            {' '}
                            de {s.memberName} pour {s.service.name}
                          </span>
                        </Button>
                      </div>
                    ),
                  },
                ]}
              />
              <Pagination
                label="Pagination des demandes"
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
      {decision && <DecisionDialog decision={decision} onClose={() => setDecision(null)} />}
      {history && <SubscriptionHistoryDialog subscription={history} onClose={() => setHistory(null)} />}
    </section>
  );
}
