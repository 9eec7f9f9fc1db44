import { Link } from '@tanstack/react-router';
import { REGISTRATION_STATUS_LABELS } from '../../../contracts/support.js';
import { useAuth } from '../../app/auth.js';
import { EmptyState, formatDateTime, PageTitle, QueryView, Table } from '../../ui/index.js';
import { certificateUrl, type MemberTraining, useMemberTrainings } from './operator-api.js';

function Attendance({ row }: { row: MemberTraining }) {
  if (row.status !== 'confirmed') return <>{REGISTRATION_STATUS_LABELS[row.status]}</>;
  if (row.attended === null) return <>{REGISTRATION_STATUS_LABELS.confirmed}</>;
  return <>{row.attended ? 'Présent(e)' : 'Absent(e)'}</>;
}

/** The member's registrations to training sessions, and the certificates of attendance. */
export function MyTrainingsPage() {
  const memberId = useAuth().current?.id ?? '';
  const trainings = useMemberTrainings(memberId);
  return (
    <>
      <PageTitle title="Formations de ma structure" />
      <p>
        <Link to="/formations">Le calendrier des formations</Link>
      </p>
      <QueryView query={trainings} loadingLabel="Chargement des inscriptions…">
        {({ items }) =>
          items.length === 0 ? (
            <EmptyState>Personne de votre structure n’est inscrit à une formation.</EmptyState>
          ) : (
            <Table
              caption="Inscriptions de la structure aux formations"
              rows={items}
              rowKey={(r) => r.registrationId}
              columns={[
                { key: 'name', header: 'Personne', rowHeader: true, render: (r) => r.name },
                {
                  key: 'session',
                  header: 'Formation',
                  render: (r) => (
                    <Link to="/formations/$sessionId" params={{ sessionId: r.sessionId }}>
                      {r.title}
                    </Link>
                  ),
                },
                { key: 'when', header: 'Date', render: (r) => formatDateTime(r.startsAt) },
                { key: 'state', header: 'Inscription ou présence', render: (r) => <Attendance row={r} /> },
                {
                  key: 'certificate',
                  header: 'Attestation',
                  render: (r) =>
                    r.certificateAvailable ? (
                      <a href={certificateUrl(r.registrationId)}>
                        Attestation<span className="sr-only"> de {r.name}</span> (PDF)
                      </a>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          )
        }
      </QueryView>
    </>
  );
}
