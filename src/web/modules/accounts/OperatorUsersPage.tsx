import { Link } from '@tanstack/react-router';
import { useCurrentOrganisation } from '../../app/auth.js';
import { Alert, Form, PageTitle, QueryView } from '../../ui/index.js';
import { useAuthSettings, useProConnectStatus, useSaveAuthSettings } from './connect-api.js';
import { UsersManager } from './UsersManager.js';

/** The operator's sign-in rule: ProConnect required for its agents (admins keep their password). */
function ProConnectSetting() {
  const status = useProConnectStatus();
  const settings = useAuthSettings();
  const save = useSaveAuthSettings();
  return (
    <section aria-labelledby="connexion-proconnect">
      <h2 id="connexion-proconnect">Connexion par ProConnect</h2>
      {status.data && !status.data.enabled && (
        <Alert type="info">
          <p>
            ProConnect n'est pas configuré sur cette plateforme (variables PROCONNECT_ISSUER,
            PROCONNECT_CLIENT_ID, PROCONNECT_CLIENT_SECRET) : la règle ne s'applique pas.
          </p>
        </Alert>
      )}
      <QueryView query={settings}>
        {(current) => (
          <Form id="regle-proconnect" error={save.error} onSubmit={() => {}}>
            <div className="checkbox">
              <input
                type="checkbox"
                id="regle-proconnect-exiger"
                checked={current.proconnectRequiredForOperatorAgents}
                onChange={(event) =>
                  save.mutate({ proconnectRequiredForOperatorAgents: event.target.checked })
                }
              />
              <label htmlFor="regle-proconnect-exiger">
                Exiger ProConnect pour les agents de l'opérateur (leur mot de passe est refusé ; les
                administrateurs gardent le leur)
              </label>
            </div>
          </Form>
        )}
      </QueryView>
    </section>
  );
}

export function OperatorUsersPage() {
  const current = useCurrentOrganisation();
  return (
    <>
      <PageTitle title="Utilisateurs de l'opérateur" />
      <p className="lead">
        Les agents de l'opérateur agissent pour toutes les structures adhérentes, dans leurs périmètres (DPO
        mutualisé, cybersécurité, assistance, finances, hébergement). Les administrateurs ont tous les droits.
      </p>
      <p>
        <Link to="/operateur/jetons">Jetons d'API de l'opérateur</Link>
      </p>
      <ProConnectSetting />
      <UsersManager scope={{ organisationId: current.id, isOperator: true }} />
    </>
  );
}
