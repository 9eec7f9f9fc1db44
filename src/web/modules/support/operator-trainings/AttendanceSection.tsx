import { REGISTRATION_STATUS_LABELS, type TrainingSession } from '../../../../contracts/support.js';
import { Badge, Button, EmptyState, Form, formatDateTime, QueryView, Table } from '../../../ui/index.js';
import {
  attendanceSheetUrl,
  certificateUrl,
  type SessionRegistrationList,
  useRecordAttendance,
  useSessionRegistrations,
} from '../operator-api.js';

type Row = SessionRegistrationList['items'][number];

function AttendanceState({ row }: { row: Row }) {
  if (row.status !== 'confirmed') return <>{REGISTRATION_STATUS_LABELS[row.status]}</>;
  if (row.attended === null) return <>Non saisie</>;
  return row.attended ? <Badge tone="success">Présent(e)</Badge> : <Badge>Absent(e)</Badge>;
}

/**
 * Who registered, and once the session has begun, who attended: a checkbox per confirmed person; the
 * people marked present get their survey link and certificate by e-mail (once).
 */
export function AttendanceSection({ session }: { session: TrainingSession }) {
  const registrations = useSessionRegistrations(session.id);
  const record = useRecordAttendance(session.id);
  const started = new Date(session.startsAt).getTime() <= Date.now();
  return (
    <section aria-labelledby="inscrits-titre">
      <h2 id="inscrits-titre">Inscrits et présences</h2>
      <p>
        <a href={attendanceSheetUrl(session.id)}>Feuille d’émargement (PDF)</a>
      </p>
      {!started && <p>Les présences se saisissent à partir du début de la session.</p>}
      <QueryView query={registrations} loadingLabel="Chargement des inscrits…">
        {(list) => {
          if (list.items.length === 0) return <EmptyState>Personne n’est encore inscrit.</EmptyState>;
          const confirmed = list.items.filter((r) => r.status === 'confirmed');
          const columns = [
            { key: 'name', header: 'Nom', rowHeader: true, render: (r: Row) => r.name },
            { key: 'member', header: 'Structure', render: (r: Row) => r.memberName },
            {
              key: 'state',
              header: 'Inscription ou présence',
              render: (r: Row) => <AttendanceState row={r} />,
            },
            {
              key: 'certificate',
              header: 'Attestation',
              render: (r: Row) =>
                r.attended ? (
                  <a href={certificateUrl(r.id)}>
                    Attestation<span className="sr-only"> de {r.name}</span> (PDF)
                  </a>
                ) : (
                  '—'
                ),
            },
            {
              key: 'survey',
              header: 'Questionnaire',
              render: (r: Row) => (r.attended ? (r.surveyAnswered ? 'Répondu' : 'En attente') : '—'),
            },
          ];
          return (
            <>
              <Table caption="Personnes inscrites" rows={list.items} rowKey={(r) => r.id} columns={columns} />
              {list.attendanceRecordedAt && (
                <p>Présences saisies le {formatDateTime(list.attendanceRecordedAt)}.</p>
              )}
              {started && confirmed.length > 0 ? (
                <Form
                  id="presences"
                  error={record.error}
                  aria-labelledby="presences-titre"
                  onSubmit={(data) => {
                    const present = new Set(data.getAll('present').map(String));
                    record.mutate({
                      attendance: confirmed.map((r) => ({
                        registrationId: r.id,
                        attended: present.has(r.id),
                      })),
                    });
                  }}
                >
                  <fieldset>
                    <legend id="presences-titre">Cochez les personnes présentes</legend>
                    <div className="support-choices">
                      {confirmed.map((r) => (
                        <label key={`${r.id}-${r.attended}`} htmlFor={`present-${r.id}`}>
                          <input
                            type="checkbox"
                            id={`present-${r.id}`}
                            name="present"
                            value={r.id}
                            defaultChecked={r.attended === true}
                          />
                          {r.name} ({r.memberName})
                        </label>
                      ))}
                    </div>
                  </fieldset>
                  <div className="form-actions">
                    <Button type="submit" pending={record.isPending}>
                      Enregistrer les présences
                    </Button>
                  </div>
                </Form>
              ) : null}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
