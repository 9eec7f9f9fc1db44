import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import {
  PROCONNECT_OUTCOME_MESSAGES,
  PROCONNECT_OUTCOMES,
  type ProConnectOutcome,
} from '../../../contracts/connect.js';
import { useAuth, useLogin } from '../../app/auth.js';
import { Alert, Button, Form, PageTitle, TextField } from '../../ui/index.js';
import { getMe } from './api.js';
import { useProConnectStatus } from './connect-api.js';

/** Only same-site paths are followed after login (no open redirect). */
function safeReturn(value: string | undefined): string | null {
  return value?.startsWith('/') && !value.startsWith('//') ? value : null;
}

export function LoginPage() {
  const { retour, proconnect: outcome } = useSearch({ from: '/connexion' });
  const proconnect = useProConnectStatus();
  const told = PROCONNECT_OUTCOMES.includes(outcome as ProConnectOutcome)
    ? PROCONNECT_OUTCOME_MESSAGES[outcome as ProConnectOutcome]
    : null;
  const login = useLogin();
  const auth = useAuth();
  const navigate = useNavigate();
  const submit = (data: FormData) => {
    login.mutate(
      { email: String(data.get('email') ?? ''), password: String(data.get('password') ?? '') },
      {
        onSuccess: async () => {
          const target = safeReturn(retour);
          if (target) return navigate({ href: target });
          const me = await getMe().catch(() => null);
          navigate({ to: me?.current?.kind === 'operator' ? '/operateur' : me?.current ? '/espace' : '/' });
        },
      },
    );
  };
  return (
    <>
      <PageTitle title="Connexion" />
      {auth.me && !login.isSuccess && (
        <Alert type="info">
          <p>
            Vous êtes déjà connecté(e) en tant que {auth.me.user.email}.{' '}
            <Link to={auth.isOperator ? '/operateur' : '/espace'}>Aller à mon espace</Link>
          </p>
        </Alert>
      )}
      {told && (
        <Alert
          type={
            outcome === 'demande' || outcome === 'demande-en-cours' || outcome === 'confirmer'
              ? 'info'
              : 'warning'
          }
          title={outcome === 'confirmer' ? 'Confirmez le lien avec votre compte' : undefined}
          live
        >
          <p>{told}</p>
        </Alert>
      )}
      {proconnect.data?.enabled && (
        <section aria-labelledby="connexion-proconnect" className="proconnect">
          <h2 id="connexion-proconnect">Agent public : identifiez-vous avec ProConnect</h2>
          <p>
            <a className="proconnect-button" href="/api/v1/auth/proconnect/start">
              S'identifier avec ProConnect
            </a>
          </p>
          <p>
            <a href="https://www.proconnect.gouv.fr/" target="_blank" rel="noopener noreferrer">
              Qu'est-ce que ProConnect ? (nouvelle fenêtre)
            </a>
          </p>
          {proconnect.data.requiredForOperatorAgents && (
            <p>Les agents de l'opérateur se connectent uniquement avec ProConnect.</p>
          )}
        </section>
      )}
      <div className="grid grid--2">
        <Form id="connexion" error={login.error} onSubmit={submit}>
          <h2>{outcome === 'confirmer' ? 'Confirmer avec votre mot de passe' : 'Accéder à votre espace'}</h2>
          <TextField
            name="email"
            label="Adresse électronique"
            hint="Format attendu : nom@domaine.fr"
            type="email"
            autoComplete="username"
            required
          />
          <TextField
            name="password"
            label="Mot de passe"
            type="password"
            autoComplete="current-password"
            required
          />
          <p>
            <Link to="/mot-de-passe-oublie">Mot de passe oublié ?</Link>
          </p>
          <Button type="submit" pending={login.isPending}>
            Se connecter
          </Button>
        </Form>
        <section aria-labelledby="connexion-aide">
          <h2 id="connexion-aide">Vous n'avez pas de compte ?</h2>
          <p>
            Les comptes sont créés sur invitation : demandez au référent de votre structure (ou à l'opérateur)
            de vous inviter. Vous recevrez un lien par courriel.
          </p>
        </section>
      </div>
    </>
  );
}
