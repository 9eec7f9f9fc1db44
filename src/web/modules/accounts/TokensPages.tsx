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
  const isAdmin = current.role === 'admin';
  return (
    <>
      <PageTitle title={isAdmin ? "Jetons d'API de ma structure" : "Mes jetons d'API"} />
      <p className="lead">Les accès par programme de « {current.name} ».</p>
      {apiDocs}
      <ul>
        <li>
          <strong>Jeton personnel</strong> : agit en votre nom, avec vos droits actuels dans la structure,
          limités aux modules choisis ; il cesse de fonctionner si vous perdez l'accès à la structure.
        </li>
        <li>
          <strong>Jeton de la structure</strong> (créé par l'administrateur) : appartient à la structure et
          agit pour elle, avec exactement les modules choisis ; il continue de fonctionner si la personne qui
          l'a créé quitte la structure. Le journal d'audit le nomme, lui, et non une personne.
        </li>
      </ul>
      {isAdmin && (
        <p>
          <Link to="/espace/utilisateurs">Retour aux utilisateurs</Link>
        </p>
      )}
      <TokensManager scope={{ organisationId: current.id, isOperator: false, isAdmin }} />
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
      <TokensManager scope={{ organisationId: operatorId, isOperator: true, isAdmin: true }} />
    </>
  );
}
