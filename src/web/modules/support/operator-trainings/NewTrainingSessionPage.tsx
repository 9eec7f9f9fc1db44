import { Link, useNavigate } from '@tanstack/react-router';
import { PageTitle } from '../../../ui/index.js';
import { useSaveSession } from '../operator-api.js';
import { SessionForm } from './SessionForm.js';

export function NewTrainingSessionPage() {
  const save = useSaveSession();
  const navigate = useNavigate();
  return (
    <>
      <PageTitle title="Programmer une session de formation" />
      <p>
        <Link to="/operateur/formations">Toutes les sessions</Link>
      </p>
      <SessionForm
        error={save.error}
        pending={save.isPending}
        submitLabel="Programmer la session"
        onSubmit={(body) =>
          save.mutate(
            { body },
            {
              onSuccess: (session) =>
                void navigate({ to: '/operateur/formations/$sessionId', params: { sessionId: session.id } }),
            },
          )
        }
      />
    </>
  );
}
