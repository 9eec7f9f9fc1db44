import { Link } from '@tanstack/react-router';
import { useAuth, useCurrentOrganisation } from '../../app/auth.js';
import { PageTitle } from '../../ui/index.js';
import { TokensManager } from './TokensManager.js';

const apiDocs = (
  <p>
    Les jetons d'API permettent à un logiciel (finances, site internet, outil d'actes…) d'appeler l'API de
    Socle sans mot de passe. Chaque jeton est affiché une seule fois, expire à la date choisie, et peut être
    révoqué à tout moment. <a href="/api/docs">Documentation de l'API</a> (bouton « Authorize » pour essayer
    un appel avec un jeton).
  </p>
);

export function MyTokensPage() {
  const current = useCurrentOrganisation();
  return (
    <>
      <PageTitle title="Jetons d'API de ma structure" />
      <p className="lead">Les accès par programme de « {current.name} ».</p>
      {apiDocs}
      <p>
        <Link to="/espace/utilisateurs">Retour aux utilisateurs</Link>
      </p>
      <TokensManager scope={{ organisationId: current.id, isOperator: false }} />
    </>
  );
}

export function OperatorTokensPage() {
  const auth = useAuth();
  const operatorId = auth.current?.id ?? '';
  return (
    <>
      <PageTitle title="Jetons d'API de l'opérateur" />
      {apiDocs}
      <p>
        <Link to="/operateur/utilisateurs">Retour aux utilisateurs</Link>
      </p>
      <TokensManager scope={{ organisationId: operatorId, isOperator: true }} />
    </>
  );
}
