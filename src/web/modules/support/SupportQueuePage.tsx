import { useState } from 'react';
import {
  QUEUE_SORT_LABELS,
  QUEUE_SORTS,
  TICKET_PRIORITIES,
  TICKET_PRIORITY_LABELS,
  TICKET_STATUS_LABELS,
  TICKET_STATUSES,
} from '../../../contracts/support.js';
import { useAuth } from '../../app/auth.js';
import {
  EmptyState,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  useCursorPages,
} from '../../ui/index.js';
import { QUEUE_PAGE_SIZE, type QueueFilters, useQueue } from './api.js';
import { TicketsTable } from './components.js';
import { SupportTeamNav } from './operator-nav.js';

const STATUS_OPTIONS = [
  { value: 'active', label: 'À traiter (nouveaux, en cours, en attente)' },
  ...optionsOf(TICKET_STATUS_LABELS, TICKET_STATUSES),
];
const WHO_OPTIONS = [
  { value: 'me', label: 'Mes tickets' },
  { value: 'none', label: 'Non attribués' },
];

/** The support team's queue over every member: filtered, sorted by the nearest deadline. */
export function SupportQueuePage() {
  const me = useAuth().me;
  const [status, setStatus] = useState('active');
  const [priority, setPriority] = useState('');
  const [who, setWho] = useState('');
  const [late, setLate] = useState('');
  const [sort, setSort] = useState('due');
  const filters: QueueFilters = {
    status,
    sort,
    priority: priority || undefined,
    assigneeId: who === 'me' ? me?.user.id : undefined,
    unassigned: who === 'none' ? 'true' : undefined,
    breached: late || undefined,
  };
  const pages = useCursorPages(JSON.stringify(filters));
  const queue = useQueue(filters, pages.cursor);
  return (
    <>
      <PageTitle title="Assistance : file des tickets" />
      <SupportTeamNav />
      <p className="lead">
        Les demandes de toutes les structures, la plus proche de son échéance d’abord (délais en heures
        ouvrées, suspendus quand la structure doit répondre).
      </p>
      <div className="filters">
        <SelectField
          label="Statut"
          options={STATUS_OPTIONS}
          value={status}
          onChange={(e) => setStatus(e.target.value)}
        />
        <SelectField
          label="Priorité"
          placeholder="Toutes"
          options={optionsOf(TICKET_PRIORITY_LABELS, TICKET_PRIORITIES)}
          value={priority}
          onChange={(e) => setPriority(e.target.value)}
        />
        <SelectField
          label="Attribution"
          placeholder="Tous"
          options={WHO_OPTIONS}
          value={who}
          onChange={(e) => setWho(e.target.value)}
        />
        <SelectField
          label="Échéance"
          placeholder="Toutes"
          options={[{ value: 'true', label: 'Dépassée' }]}
          value={late}
          onChange={(e) => setLate(e.target.value)}
        />
        <SelectField
          label="Tri"
          options={optionsOf(QUEUE_SORT_LABELS, QUEUE_SORTS)}
          value={sort}
          onChange={(e) => setSort(e.target.value)}
        />
      </div>
      <QueryView query={queue} loadingLabel="Chargement de la file…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun ticket ne correspond.</EmptyState>
          ) : (
            <>
              <TicketsTable tickets={page.items} caption="File de l’assistance" asOperator />
              <Pagination
                label="Pagination de la file"
                pageIndex={pages.pageIndex}
                pageSize={QUEUE_PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                totalIsExact={page.totalIsExact}
                totalIsEstimate={page.totalIsEstimate}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
    </>
  );
}
