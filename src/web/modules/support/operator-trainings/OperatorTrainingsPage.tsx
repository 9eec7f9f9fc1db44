import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import {
  Badge,
  ButtonLink,
  EmptyState,
  formatDateTime,
  PageTitle,
  Pagination,
  QueryView,
  SelectField,
  Table,
  useCursorPages,
} from '../../../ui/index.js';
import { OPERATOR_TRAININGS_PAGE_SIZE, useOperatorSessions } from '../operator-api.js';
import { SupportTeamNav } from '../operator-nav.js';
import '../support.css';

const PERIODS = [
  { value: 'upcoming', label: 'À venir' },
  { value: 'past', label: 'Passées (présences et avis)' },
];

/** The support team's sessions: the coming ones to fill, the past ones whose attendance is to record. */
export function OperatorTrainingsPage() {
  const [period, setPeriod] = useState<'upcoming' | 'past'>('upcoming');
  const pages = useCursorPages(period);
  const sessions = useOperatorSessions(period, pages.cursor);
  return (
    <>
      <PageTitle title="Formations : sessions" />
      <SupportTeamNav />
      <p className="form-actions">
        <ButtonLink to="/operateur/formations/nouvelle">Programmer une session</ButtonLink>
        <ButtonLink to="/operateur/formations/bilan" variant="secondary">
          Bilan des formations
        </ButtonLink>
      </p>
      <div className="filters">
        <SelectField
          label="Sessions"
          options={PERIODS}
          value={period}
          onChange={(e) => setPeriod(e.target.value === 'past' ? 'past' : 'upcoming')}
        />
      </div>
      <QueryView query={sessions} loadingLabel="Chargement des sessions…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune session.</EmptyState>
          ) : (
            <>
              <Table
                caption={period === 'past' ? 'Sessions passées' : 'Sessions à venir'}
                rows={page.items}
                rowKey={(s) => s.id}
                columns={[
                  {
                    key: 'title',
                    header: 'Formation',
                    rowHeader: true,
                    render: (s) => (
                      <Link to="/operateur/formations/$sessionId" params={{ sessionId: s.id }}>
                        {s.title}
                      </Link>
                    ),
                  },
                  { key: 'when', header: 'Début', render: (s) => formatDateTime(s.startsAt) },
                  {
                    key: 'where',
                    header: 'Lieu',
                    render: (s) => (s.remote ? `${s.place} (à distance)` : s.place),
                  },
                  {
                    key: 'places',
                    header: 'Inscrits',
                    render: (s) => `${s.confirmed} sur ${s.capacity}`,
                  },
                  { key: 'waiting', header: 'Liste d’attente', render: (s) => s.waitlisted },
                  {
                    key: 'attendance',
                    header: 'Présences',
                    render: (s) =>
                      s.attendanceRecordedAt ? (
                        <Badge tone="success">Saisies</Badge>
                      ) : new Date(s.startsAt).getTime() < Date.now() ? (
                        <Badge tone="warning">À saisir</Badge>
                      ) : (
                        '—'
                      ),
                  },
                ]}
              />
              <Pagination
                label="Pagination des sessions"
                pageIndex={pages.pageIndex}
                pageSize={OPERATOR_TRAININGS_PAGE_SIZE}
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
