import { Link, useParams } from '@tanstack/react-router';
import { TRAINING_AUDIENCE_LABELS } from '../../../../contracts/support.js';
import { formatDateTime, PageTitle, QueryView } from '../../../ui/index.js';
import { useTrainingSession } from '../api.js';
import { useSaveSession } from '../operator-api.js';
import { AttendanceSection } from './AttendanceSection.js';
import { SessionForm } from './SessionForm.js';
import { SurveyResultsSection } from './SurveyResultsSection.js';

/** One session for the support team: its registrations, attendance, survey answers; edited here. */
export function OperatorTrainingSessionPage() {
  const { sessionId } = useParams({ from: '/operateur/formations/$sessionId' });
  const session = useTrainingSession(sessionId);
  const save = useSaveSession();
  return (
    <QueryView query={session} loadingLabel="Chargement de la session…">
      {(s) => (
        <>
          <PageTitle title={s.title} />
          <p>
            <Link to="/operateur/formations">Toutes les sessions</Link>
          </p>
          <dl className="dl">
            <dt>Date</dt>
            <dd>
              du {formatDateTime(s.startsAt)} au {formatDateTime(s.endsAt)}
            </dd>
            <dt>Lieu</dt>
            <dd>{s.remote ? `${s.place} (à distance)` : s.place}</dd>
            <dt>Public</dt>
            <dd>{TRAINING_AUDIENCE_LABELS[s.audience]}</dd>
            <dt>Inscrits</dt>
            <dd>
              {s.confirmed} sur {s.capacity} places, {s.waitlisted} en liste d’attente
            </dd>
          </dl>
          <AttendanceSection session={s} />
          <SurveyResultsSection sessionId={s.id} />
          <section aria-labelledby="modifier-titre">
            <h2 id="modifier-titre">Modifier la session</h2>
            <SessionForm
              key={`${s.id}-${s.capacity}-${s.startsAt}-${s.title}`}
              session={s}
              error={save.error}
              pending={save.isPending}
              submitLabel="Enregistrer la session"
              onSubmit={(body) => save.mutate({ id: s.id, body })}
            />
          </section>
        </>
      )}
    </QueryView>
  );
}
