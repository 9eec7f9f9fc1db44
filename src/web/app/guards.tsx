import { useLocation, useNavigate } from '@tanstack/react-router';
import { type ReactNode, useEffect, useRef } from 'react';
import { Alert, Loading, PageTitle } from '../ui/index.js';
import { useAuth } from './auth.js';

export type Area =
  | 'acts'
  | 'member'
  | 'member-admin'
  | 'member-cyber'
  | 'operator'
  | 'operator-cyber'
  | 'operator-hosting'
  | 'operator-admin'
  | 'operator-finance'
  | 'operator-governance'
  | 'operator-support'
  | 'signed-in';

function allowed(area: Area, auth: ReturnType<typeof useAuth>): boolean {
  switch (area) {
    case 'signed-in':
      return !!auth.me;
    case 'member':
      return !!auth.current && !auth.isOperator;
    case 'acts':
      // A member's register, or the operator's own (its comité syndical's deliberations).
      return (!!auth.current && !auth.isOperator) || keepsOperatorActs(auth);
    case 'member-admin':
      return auth.isMemberAdmin;
    case 'member-cyber':
      return auth.isMemberAdmin || (!auth.isOperator && auth.current?.role === 'cyber');
    case 'operator':
      return auth.isOperator;
    case 'operator-admin':
      return auth.isOperatorAdmin;
    case 'operator-cyber':
      return auth.isOperatorAdmin || (auth.isOperator && !!auth.current?.scopes.includes('cyber'));
    case 'operator-hosting':
      return auth.isOperatorAdmin || (auth.isOperator && !!auth.current?.scopes.includes('hosting'));
    case 'operator-finance':
      return auth.isFinance;
    case 'operator-support':
      return auth.isOperatorAdmin || (auth.isOperator && !!auth.current?.scopes.includes('support'));
    case 'operator-governance':
      return (
        auth.isOperator && (auth.current?.role === 'admin' || !!auth.current?.scopes.includes('governance'))
      );
  }
}

/** Sends anonymous visitors to the login page, and tells signed-in users without the right role why. */
/** The operator's admins and its `governance` and `demat` agents keep the operator's own register. */
export function keepsOperatorActs(auth: ReturnType<typeof useAuth>): boolean {
  return (
    auth.isOperator &&
    (auth.current?.role === 'admin' ||
      !!auth.current?.scopes.includes('governance') ||
      !!auth.current?.scopes.includes('demat'))
  );
}

export function RequireArea({ area, children }: { area: Area; children: ReactNode }) {
  const auth = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const redirected = useRef(false);
  const anonymous = !auth.isPending && !auth.me;
  // Once only: <Navigate> with a fresh search object re-fires on every render and can loop.
  useEffect(() => {
    if (anonymous && !redirected.current) {
      redirected.current = true;
      navigate({ to: '/connexion', search: { retour: location.href }, replace: true });
    }
  }, [anonymous, navigate, location.href]);
  if (auth.isPending) return <Loading label="Vérification de votre session…" />;
  if (!auth.me) return <Loading label="Redirection vers la page de connexion…" />;
  if (!allowed(area, auth)) {
    return (
      <>
        <PageTitle title="Accès refusé" />
        <Alert type="warning" title="Cette page n'est pas accessible avec votre rôle actuel">
          <p>
            {auth.current
              ? `Vous agissez pour « ${auth.current.name} ». Changez d'organisation dans l'en-tête si vous en avez plusieurs, ou demandez les droits nécessaires à votre référent.`
              : "Votre compte n'est rattaché à aucune organisation."}
          </p>
        </Alert>
      </>
    );
  }
  return <>{children}</>;
}
