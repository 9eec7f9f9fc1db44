import { useState } from 'react';
import { INCIDENT_STATUS_LABELS, INCIDENT_STATUSES } from '../../../../contracts/cyber.js';
import { useCurrentOrganisation } from '../../../app/auth.js';
import {
  ButtonLink,
  EmptyState,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  useCursorPages,
} from '../../../ui/index.js';
import { INCIDENTS_PAGE_SIZE, useIncidents } from '../api.js';
import { MemberCyberNav, useCanManageCyber } from '../components.js';
import { IncidentsTable } from './IncidentsTable.js';

/** The member's security incidents, the open ones' next regulator deadline beside them. */
export function IncidentsPage() {
  const current = useCurrentOrganisation();
  const canManage = useCanManageCyber();
  const [status, setStatus] = useState('');
  const pages = useCursorPages(status);
  const incidents = useIncidents(current.id, status || undefined, pages.cursor);
  return (
    <>
      <PageTitle title="Incidents de sécurité">Incidents de sécurité : {current.name}</PageTitle>
      <MemberCyberNav />
      <div className="page-header">
        <p className="lead">
          Rançongiciel, hameçonnage, compte compromis, appareil perdu… Déclarez l’incident dès sa détection :
          les délais de notification courent à partir de ce moment.
        </p>
        {canManage && <ButtonLink to="/espace/cyber/incidents/nouveau">Déclarer un incident</ButtonLink>}
      </div>
      <div className="filters">
        <SelectField
          label="Statut"
          placeholder="Tous"
          options={optionsOf(INCIDENT_STATUS_LABELS, INCIDENT_STATUSES)}
          value={status}
          onChange={(e) => setStatus(e.target.value)}
        />
      </div>
      <QueryView query={incidents} loadingLabel="Chargement des incidents…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun incident {status ? 'dans ce statut' : 'déclaré'}.</EmptyState>
          ) : (
            <>
              <IncidentsTable incidents={page.items} caption="Incidents de la structure" asOperator={false} />
              <Pagination
                label="Pagination des incidents"
                pageIndex={pages.pageIndex}
                pageSize={INCIDENTS_PAGE_SIZE}
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
