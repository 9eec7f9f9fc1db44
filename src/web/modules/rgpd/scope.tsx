import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useAuth } from '../../app/auth.js';
import { Alert, PageTitle } from '../../ui/index.js';

/** The same registry pages serve the member (its own space) and the operator's DPO (any member). */
export type RegistryScope = { area: 'member'; memberId: string } | { area: 'operator'; memberId: string };

export function ProcessingLink({
  scope,
  processingId,
  children,
}: {
  scope: RegistryScope;
  processingId: string;
  children: ReactNode;
}) {
  return scope.area === 'member' ? (
    <Link to="/espace/rgpd/traitements/$processingId" params={{ processingId }}>
      {children}
    </Link>
  ) : (
    <Link
      to="/operateur/rgpd/adherents/$memberId/traitements/$processingId"
      params={{ memberId: scope.memberId, processingId }}
    >
      {children}
    </Link>
  );
}

/** Operator admins and agents holding the `dpo` scope. */
export function useIsDpo(): boolean {
  const auth = useAuth();
  return auth.isOperator && (auth.current?.role === 'admin' || !!auth.current?.scopes.includes('dpo'));
}

/** The operator's RGPD pages are for the DPO team: others are told why they cannot see them. */
export function RequireDpo({ children }: { children: ReactNode }) {
  const isDpo = useIsDpo();
  if (isDpo) return <>{children}</>;
  return (
    <>
      <PageTitle title="Accès refusé" />
      <Alert type="warning" title="Réservé au DPO mutualisé">
        <p>
          Ces pages sont accessibles aux agents de l'opérateur qui ont le périmètre « DPO mutualisé » et aux
          administrateurs.
        </p>
      </Alert>
    </>
  );
}
