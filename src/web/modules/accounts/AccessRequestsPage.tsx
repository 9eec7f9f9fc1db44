import { Link } from '@tanstack/react-router';
import type { Role } from '../../../contracts/accounts.js';
import type { AccessRequest } from '../../../contracts/connect.js';
import { MEMBER_ROLE_LABELS, useCurrentOrganisation } from '../../app/auth.js';
import {
  Button,
  EmptyState,
  Form,
  formatDateTime,
  optionsOf,
  PageTitle,
  QueryView,
  SelectField,
} from '../../ui/index.js';
import { useAccessRequests, useDecideAccessRequest } from './connect-api.js';

function RequestCard({ memberId, request }: { memberId: string; request: AccessRequest }) {
  const decide = useDecideAccessRequest(memberId);
  const name = `${request.givenName} ${request.usualName}`;
  return (
    <section className="card" aria-label={`Demande de ${name}`}>
      <h2>{name}</h2>
      <p>
        {request.email} — SIRET {request.siret} — demande du {formatDateTime(request.createdAt)}
      </p>
      <Form
        id={`demande-${request.id}`}
        error={decide.error}
        aria-label={`Répondre à la demande de ${name}`}
        onSubmit={(data) => decide.mutate({ requestId: request.id, role: String(data.get('role')) as Role })}
      >
        <SelectField
          name="role"
          label="Rôle accordé"
          options={optionsOf(MEMBER_ROLE_LABELS)}
          defaultValue="agent"
          required
        />
        <Button type="submit" pending={decide.isPending}>
          Accepter
        </Button>{' '}
        <Button
          type="button"
          variant="secondary"
          onClick={() => decide.mutate({ requestId: request.id, role: null })}
        >
          Refuser
        </Button>
      </Form>
    </section>
  );
}

/** The member admin's answers to agents met through ProConnect. */
export function AccessRequestsPage() {
  const current = useCurrentOrganisation();
  const requests = useAccessRequests(current.id);
  return (
    <>
      <PageTitle title="Demandes d'accès ProConnect" />
      <p className="lead">
        Les agents de « {current.name} » qui se sont identifiés avec ProConnect sans avoir de compte. En
        acceptant, vous choisissez leur rôle : ils se connectent ensuite avec ProConnect.
      </p>
      <p>
        <Link to="/espace/utilisateurs">Retour aux utilisateurs</Link>
      </p>
      <QueryView query={requests}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune demande en attente.</EmptyState>
          ) : (
            <div>
              {page.items.map((request) => (
                <RequestCard key={request.id} memberId={current.id} request={request} />
              ))}
            </div>
          )
        }
      </QueryView>
    </>
  );
}
