import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { ROLE_LABELS } from '../../../contracts/accounts.js';
import { useAuth } from '../../app/auth.js';
import { Alert, Button, Form, formatDateTime, PageTitle, QueryView, TextField } from '../../ui/index.js';
import { type PublicInvitation, useAcceptInvitation, usePublicInvitation } from './api.js';
import { checkNewPassword, PASSWORD_HINT } from './passwords.js';

function AcceptInvitation({ token, invitation }: { token: string; invitation: PublicInvitation }) {
  const auth = useAuth();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const accept = useAcceptInvitation(token);
  if (accept.isSuccess) {
    return (
      <Alert type="success" title="Invitation acceptée">
        <p>
          Vous avez rejoint « {invitation.organisation.name} ».{' '}
          {auth.me ? (
            <Link to="/espace">Accéder à mon espace</Link>
          ) : (
            <Link to="/connexion">Se connecter</Link>
          )}
        </p>
      </Alert>
    );
  }
  if (invitation.accountExists) {
    if (!auth.me) {
      return (
        <Alert type="info" title="Connectez-vous pour accepter">
          <p>
            Un compte existe déjà pour {invitation.email}.{' '}
            <Link to="/connexion" search={{ retour: `/invitation?jeton=${encodeURIComponent(token)}` }}>
              Se connecter puis revenir à cette invitation
            </Link>
          </p>
        </Alert>
      );
    }
    return (
      <Form id="invitation" error={accept.error} onSubmit={() => accept.mutate({})}>
        {auth.me.user.email !== invitation.email && (
          <Alert type="warning">
            <p>
              Vous êtes connecté(e) en tant que {auth.me.user.email}, mais l'invitation est adressée à{' '}
              {invitation.email}.
            </p>
          </Alert>
        )}
        <Button type="submit" pending={accept.isPending}>
          Accepter l'invitation
        </Button>
      </Form>
    );
  }
  const submit = (data: FormData) => {
    const errors = checkNewPassword(data, 'password');
    if (!String(data.get('displayName') ?? '').trim()) errors.displayName = 'Saisissez votre nom.';
    setClientErrors(errors);
    if (Object.keys(errors).length === 0) {
      accept.mutate({
        displayName: String(data.get('displayName')).trim(),
        password: String(data.get('password')),
      });
    }
  };
  return (
    <Form
      id="invitation"
      error={accept.error}
      clientErrors={clientErrors}
      onSubmit={submit}
      aria-labelledby="invitation-compte"
    >
      <h2 id="invitation-compte">Créer votre compte</h2>
      <p>Adresse électronique du compte : {invitation.email}</p>
      <TextField name="displayName" label="Prénom et nom" autoComplete="name" required />
      <TextField
        name="password"
        label="Mot de passe"
        hint={PASSWORD_HINT}
        type="password"
        autoComplete="new-password"
        required
      />
      <TextField
        name="confirmation"
        label="Confirmer le mot de passe"
        type="password"
        autoComplete="new-password"
        required
      />
      <Button type="submit" pending={accept.isPending}>
        Créer mon compte et accepter
      </Button>
    </Form>
  );
}

export function InvitationPage() {
  const { jeton } = useSearch({ from: '/invitation' });
  const invitation = usePublicInvitation(jeton);
  return (
    <>
      <PageTitle title="Invitation" />
      {!jeton ? (
        <Alert type="error" title="Lien incomplet">
          <p>
            Le lien utilisé ne contient pas de jeton d'invitation : copiez le lien complet reçu par courriel.
          </p>
        </Alert>
      ) : (
        <QueryView query={invitation} loadingLabel="Vérification de l'invitation…">
          {(inv) => (
            <>
              <p className="lead">
                Vous êtes invité(e) à rejoindre <strong>{inv.organisation.name}</strong> avec le rôle «{' '}
                {ROLE_LABELS[inv.role]} ». Cette invitation expire le {formatDateTime(inv.expiresAt)}.
              </p>
              <AcceptInvitation token={jeton} invitation={inv} />
            </>
          )}
        </QueryView>
      )}
    </>
  );
}
