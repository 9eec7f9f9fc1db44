import { Link } from '@tanstack/react-router';
import { countOf } from '../../../contracts/french.js';
import { Button, EmptyState, QueryView, Table } from '../../ui/index.js';
import { useCloseDpoRequest, useDpoTasks } from './api.js';
import { DeadlineCountdown } from './components.js';
import { formatParisDateTime } from './format.js';

/**
 * The DPO team's to-do list on its dashboard: breaches members' users reported (to qualify in the
 * member's register: editing one qualifies it) and what they wrote to the DPO (closed once handled).
 */
export function DpoTasks() {
  const { requests, breaches } = useDpoTasks();
  const close = useCloseDpoRequest();
  return (
    <section aria-labelledby="a-traiter">
      <h2 id="a-traiter">À traiter</h2>
      <QueryView query={breaches} loadingLabel="Chargement des violations signalées…">
        {(page) =>
          page.items.length === 0 ? (
            <p>Aucune violation signalée en attente de qualification.</p>
          ) : (
            <Table
              caption={`Violations signalées par les structures, à qualifier (${countOf(page.total, 'violation', 'violations')})`}
              rows={page.items}
              rowKey={(b) => b.id}
              columns={[
                {
                  key: 'member',
                  header: 'Structure',
                  rowHeader: true,
                  render: (b) => (
                    <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId: b.memberId }}>
                      {b.memberName}
                    </Link>
                  ),
                },
                { key: 'aware', header: 'Découverte le', render: (b) => formatParisDateTime(b.awareAt) },
                {
                  key: 'deadline',
                  header: 'Délai de notification',
                  render: (b) => (
                    <DeadlineCountdown
                      deadline={b.notificationDeadline}
                      deadlineLabel={b.notificationDeadlineLabel}
                    />
                  ),
                },
              ]}
            />
          )
        }
      </QueryView>
      <QueryView query={requests} loadingLabel="Chargement des demandes au DPO…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune demande d’une structure en attente.</EmptyState>
          ) : (
            <Table
              caption={`Demandes des structures au DPO, la plus ancienne d’abord (${countOf(page.total, 'demande', 'demandes')})`}
              rows={page.items}
              rowKey={(r) => r.id}
              columns={[
                {
                  key: 'member',
                  header: 'Structure',
                  rowHeader: true,
                  render: (r) => (
                    <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId: r.memberId }}>
                      {r.memberName}
                    </Link>
                  ),
                },
                {
                  key: 'message',
                  header: 'Demande',
                  render: (r) => (
                    <>
                      {r.message}
                      <br />
                      <span className="muted">
                        {r.requester}, le {formatParisDateTime(r.createdAt)}
                      </span>
                    </>
                  ),
                },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (r) => (
                    <Button
                      variant="secondary"
                      small
                      pending={close.isPending && close.variables === r.id}
                      onClick={() => close.mutate(r.id)}
                      aria-label={`Classer la demande de ${r.memberName} du ${formatParisDateTime(r.createdAt)}`}
                    >
                      Classer
                    </Button>
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
