import { useState } from 'react';
import { TICKET_STATUS_LABELS, TICKET_STATUSES } from '../../../contracts/support.js';
import { useCurrentOrganisation } from '../../app/auth.js';
import {
  ButtonLink,
  EmptyState,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  useCursorPages,
} from '../../ui/index.js';
import { TICKETS_PAGE_SIZE, useMemberTickets } from './api.js';
import { TicketsTable } from './components.js';

/** The member's requests to the operator's support desk (its admins see all of them, others their own). */
export function MyTicketsPage() {
  const current = useCurrentOrganisation();
  const [status, setStatus] = useState('');
  const pages = useCursorPages(status);
  const tickets = useMemberTickets(current.id, status || undefined, pages.cursor);
  return (
    <>
      <PageTitle title="Assistance">Assistance : {current.name}</PageTitle>
      <div className="page-header">
        <p className="lead">
          Une question, une panne, une demande ? L’équipe d’assistance de l’opérateur vous répond dans les
          délais promis pour chaque service, comptés en heures ouvrées.
        </p>
        <ButtonLink to="/espace/assistance/nouveau">Nouvelle demande</ButtonLink>
      </div>
      <div className="filters">
        <SelectField
          label="Statut"
          placeholder="Tous"
          options={optionsOf(TICKET_STATUS_LABELS, TICKET_STATUSES)}
          value={status}
          onChange={(e) => setStatus(e.target.value)}
        />
      </div>
      <QueryView query={tickets} loadingLabel="Chargement des demandes…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune demande {status ? 'dans ce statut' : 'pour le moment'}.</EmptyState>
          ) : (
            <>
              <TicketsTable tickets={page.items} caption="Demandes d’assistance" asOperator={false} />
              <Pagination
                label="Pagination des demandes"
                pageIndex={pages.pageIndex}
                pageSize={TICKETS_PAGE_SIZE}
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
  );
}
