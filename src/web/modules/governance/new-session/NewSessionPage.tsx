import { useNavigate, useParams } from '@tanstack/react-router';
import { Alert, announce, formatDate, PageTitle, QueryView } from '../../../ui/index.js';
import { useAssembly, useCreateSession } from '../api.js';
import { AssemblyLink, GovernanceBreadcrumb, useGovernanceArea } from '../components.js';
import { SessionForm } from './SessionForm.js';

/** A new session of an assembly: its date, place, urgency and agenda; convocations are sent from its page. */
export function NewSessionPage() {
  const { assemblyId } = useParams({ strict: false }) as { assemblyId: string };
  const area = useGovernanceArea();
  const assembly = useAssembly(assemblyId);
  const create = useCreateSession(assemblyId);
  const navigate = useNavigate();
  const name = assembly.data?.name ?? 'Assemblée';
  return (
    <>
      <GovernanceBreadcrumb
        trail={[
          <AssemblyLink key="assembly" assemblyId={assemblyId}>
            {name}
          </AssemblyLink>,
        ]}
        current="Nouvelle séance"
      />
      <PageTitle title={`Nouvelle séance : ${name}`} />
      <QueryView query={assembly} loadingLabel="Chargement de l'assemblée…">
        {(a) =>
          a.canManage ? (
            <>
              <p className="lead">
                Les convocations partent depuis la page de la séance, par courriel, avec un lien personnel
                pour chaque élu ; une version PDF est prévue pour ceux qui reçoivent la convocation sur
                papier.
              </p>
              <p>Les champs marqués d'un astérisque (*) sont obligatoires.</p>
              <SessionForm
                convocationDays={a.convocationDays}
                platformDecisions={a.kind === 'comite_syndical' && area === 'operator'}
                minutesToAdopt={a.minutesToAdopt}
                error={create.error}
                pending={create.isPending}
                onSubmit={(body) =>
                  create.mutate(body, {
                    onSuccess: (created) => {
                      announce(
                        `Séance créée : à convoquer au plus tard le ${formatDate(created.convocationDueBy)}.`,
                      );
                      if (area === 'operator') {
                        navigate({ to: '/operateur/seances/$sessionId', params: { sessionId: created.id } });
                      } else {
                        navigate({ to: '/espace/seances/$sessionId', params: { sessionId: created.id } });
                      }
                    },
                  })
                }
              />
            </>
          ) : (
            <Alert type="warning" title="Réservé à ceux qui gèrent l'assemblée">
              <p>Votre rôle vous permet de consulter cette assemblée, pas d'y créer une séance.</p>
            </Alert>
          )
        }
      </QueryView>
    </>
  );
}
