import { Link, useParams } from '@tanstack/react-router';
import { REGISTRATION_STATUS_LABELS, TRAINING_AUDIENCE_LABELS } from '../../../contracts/support.js';
import { useAuth } from '../../app/auth.js';
import { Alert, Button, Form, formatDateTime, PageTitle, QueryView, TextField } from '../../ui/index.js';
import { type TrainingSession, useRegister, useTrainingSession } from './api.js';
import { Places } from './TrainingCalendarPage.js';

function RegistrationForm({ session }: { session: TrainingSession }) {
  const auth = useAuth();
  const registration = useRegister(session.id);
  const current = auth.current;
  if (!auth.me) {
    return (
      <p>
        <Link to="/connexion" search={{ retour: `/formations/${session.id}` }}>
          Connectez-vous
        </Link>{' '}
        pour inscrire une personne de votre structure.
      </p>
    );
  }
  if (!current || auth.isOperator) return null;
  if (new Date(session.registrationDeadline).getTime() < Date.now()) {
    return <p>Les inscriptions sont closes.</p>;
  }
  return (
    <section aria-labelledby="inscription-titre">
      <h2 id="inscription-titre">Inscrire une personne de {current.name}</h2>
      {registration.data && (
        <Alert
          type={registration.data.status === 'confirmed' ? 'success' : 'info'}
          title={REGISTRATION_STATUS_LABELS[registration.data.status]}
        >
          <p>
            {registration.data.status === 'confirmed'
              ? `${registration.data.name} reçoit sa convocation par courriel.`
              : `${registration.data.name} est sur la liste d’attente et sera prévenu(e) par courriel si une place se libère.`}
          </p>
        </Alert>
      )}
      <Form
        id="inscription"
        error={registration.error}
        onSubmit={(data) =>
          registration.mutate({
            memberId: current.id,
            name: String(data.get('name') ?? '').trim(),
            email: String(data.get('email') ?? '').trim(),
          })
        }
      >
        <TextField name="name" label="Nom et prénom" defaultValue={auth.me.user.displayName} required />
        <TextField
          name="email"
          type="email"
          label="Adresse électronique"
          defaultValue={auth.me.user.email}
          required
        />
        <div className="form-actions">
          <Button type="submit" pending={registration.isPending}>
            {session.full ? 'S’inscrire sur la liste d’attente' : 'S’inscrire'}
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** One training session: when, where, places left; the member's people register from here. */
export function TrainingSessionPage() {
  const { sessionId } = useParams({ from: '/formations/$sessionId' });
  const session = useTrainingSession(sessionId);
  return (
    <QueryView query={session} loadingLabel="Chargement de la session…">
      {(s) => (
        <>
          <PageTitle title={s.title} />
          <p>
            <Link to="/formations">Toutes les formations</Link>
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
            {s.trainer && (
              <>
                <dt>Formateur</dt>
                <dd>{s.trainer}</dd>
              </>
            )}
            <dt>Places</dt>
            <dd>
              <Places session={s} />
            </dd>
            <dt>Inscriptions jusqu’au</dt>
            <dd>{formatDateTime(s.registrationDeadline)}</dd>
          </dl>
          {s.description && <p>{s.description}</p>}
          <p>
            <a href={`/api/v1/trainings/sessions/${s.id}/invitation.ics`}>
              Ajouter à mon agenda (fichier .ics)
            </a>
          </p>
          <RegistrationForm session={s} />
        </>
      )}
    </QueryView>
  );
}
