import { Link, useNavigate } from '@tanstack/react-router';
import { useAuth } from '../../app/auth.js';
import { Alert, PageTitle } from '../../ui/index.js';
import { ActForm } from './ActForm.js';
import { useCreateAct } from './api.js';
import { ActsNav, useCanWriteActs } from './components.js';

/** A new act, saved as a draft: its documents are attached on its page, then it is transmitted. */
export function NewActPage() {
  const auth = useAuth();
  const memberId = auth.current?.id ?? '';
  const canWrite = useCanWriteActs();
  const create = useCreateAct(memberId);
  const navigate = useNavigate();
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/espace/actes">Actes</Link>
          </li>
          <li aria-current="page">Nouvel acte</li>
        </ol>
      </nav>
      <PageTitle title="Nouvel acte" />
      <ActsNav memberId={memberId} canWrite={canWrite} />
      {canWrite ? (
        <>
          <p className="lead">
            L'acte est enregistré comme brouillon. Vous déposerez ensuite le document signé (PDF) et ses
            annexes, puis vous le transmettrez à la préfecture et le publierez.
          </p>
          <p>Les champs marqués d'un astérisque (*) sont obligatoires.</p>
          <ActForm
            id="nouvel-acte"
            memberId={memberId}
            error={create.error}
            pending={create.isPending}
            submitLabel="Enregistrer le brouillon"
            onSubmit={(body) =>
              create.mutate(body, {
                onSuccess: (created) =>
                  navigate({ to: '/espace/actes/$actId', params: { actId: created.id } }),
              })
            }
          />
        </>
      ) : (
        <Alert type="warning" title="Réservé aux référents et aux agents chargés des actes">
          <p>Votre rôle vous permet de consulter les actes de la structure, pas d'en créer.</p>
        </Alert>
      )}
    </>
  );
}
