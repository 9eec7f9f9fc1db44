import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { TRAINING_AUDIENCE_LABELS } from '../../../contracts/support.js';
import { useAuth } from '../../app/auth.js';
import {
  Badge,
  EmptyState,
  formatDateTime,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  Table,
  useCursorPages,
} from '../../ui/index.js';
import { TRAININGS_PAGE_SIZE, type TrainingSession, useTrainingSessions } from './api.js';

export const DEPARTEMENTS = [
  { value: '44', label: 'Loire-Atlantique (44)' },
  { value: '49', label: 'Maine-et-Loire (49)' },
  { value: '53', label: 'Mayenne (53)' },
  { value: '72', label: 'Sarthe (72)' },
  { value: '85', label: 'Vendée (85)' },
];

export function Places({ session }: { session: TrainingSession }) {
  if (session.full) {
    return (
      <>
        <Badge tone="warning">Complet</Badge> {session.waitlisted} en liste d’attente
      </>
    );
  }
  const left = session.capacity - session.confirmed;
  return (
    <>
      {left} place{left > 1 ? 's' : ''} sur {session.capacity}
    </>
  );
}

/** For a member's people: where their structure's registrations and certificates are. */
function MyTrainingsLink() {
  const auth = useAuth();
  if (!auth.current || auth.isOperator) return null;
  return (
    <p>
      <Link to="/espace/formations">Les inscriptions et attestations de ma structure</Link>
    </p>
  );
}

/** The operator's training offer, public: upcoming sessions by date, per département. */
export function TrainingCalendarPage() {
  const [departement, setDepartement] = useState('');
  const pages = useCursorPages(departement);
  const sessions = useTrainingSessions(departement || undefined, pages.cursor);
  return (
    <>
      <PageTitle title="Formations des agents et des élus" />
      <p className="lead">
        Les sessions à venir, près de chez vous ou à distance. Les personnes des structures adhérentes s’y
        inscrivent en ligne ; au-delà des places, une liste d’attente prévient dès qu’une place se libère.
      </p>
      <MyTrainingsLink />
      <div className="filters">
        <SelectField
          label="Département"
          placeholder="Tous"
          options={DEPARTEMENTS}
          value={departement}
          onChange={(e) => setDepartement(e.target.value)}
        />
      </div>
      <QueryView query={sessions} loadingLabel="Chargement des formations…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune session à venir.</EmptyState>
          ) : (
            <>
              <Table
                caption="Sessions de formation à venir"
                rows={page.items}
                rowKey={(s) => s.id}
                columns={[
                  {
                    key: 'title',
                    header: 'Formation',
                    rowHeader: true,
                    render: (s) => (
                      <Link to="/formations/$sessionId" params={{ sessionId: s.id }}>
                        {s.title}
                      </Link>
                    ),
                  },
                  { key: 'when', header: 'Date', render: (s) => formatDateTime(s.startsAt) },
                  {
                    key: 'where',
                    header: 'Lieu',
                    render: (s) => (s.remote ? `${s.place} (à distance)` : s.place),
                  },
                  { key: 'audience', header: 'Public', render: (s) => TRAINING_AUDIENCE_LABELS[s.audience] },
                  { key: 'places', header: 'Places', render: (s) => <Places session={s} /> },
                ]}
              />
              <Pagination
                label="Pagination des formations"
                pageIndex={pages.pageIndex}
                pageSize={TRAININGS_PAGE_SIZE}
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
