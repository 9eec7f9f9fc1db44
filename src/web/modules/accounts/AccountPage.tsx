import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ROLE_LABELS } from '../../../contracts/accounts.js';
import { errorMessage } from '../../app/api.js';
import { useAuth, useSwitchOrganisation } from '../../app/auth.js';
import { Alert, Badge, Button, Form, PageTitle, Table, TextField } from '../../ui/index.js';
import { kindLabel } from '../members/components.js';
import { useChangePassword } from './api.js';
import { checkNewPassword, PASSWORD_HINT } from './passwords.js';

function ChangePasswordForm() {
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const change = useChangePassword();
  return (
    <section aria-labelledby="mot-de-passe-titre">
      <h2 id="mot-de-passe-titre">Changer mon mot de passe</h2>
      {change.isSuccess && (
        <Alert type="success">
          <p>Votre mot de passe a été modifié.</p>
        </Alert>
      )}
      <Form
        id="mot-de-passe"
        error={change.error}
        clientErrors={clientErrors}
        onSubmit={(data, form) => {
          const errors = checkNewPassword(data);
          setClientErrors(errors);
          if (Object.keys(errors).length) return;
          change.mutate(
            {
              currentPassword: String(data.get('currentPassword')),
              newPassword: String(data.get('newPassword')),
            },
            { onSuccess: () => form.reset() },
          );
        }}
      >
        <TextField
          name="currentPassword"
          label="Mot de passe actuel"
          type="password"
          autoComplete="current-password"
          required
        />
        <TextField
          name="newPassword"
          label="Nouveau mot de passe"
          hint={PASSWORD_HINT}
          type="password"
          autoComplete="new-password"
          required
        />
        <TextField
          name="confirmation"
          label="Confirmer le nouveau mot de passe"
          type="password"
          autoComplete="new-password"
          required
        />
        <Button type="submit" pending={change.isPending}>
          Changer le mot de passe
        </Button>
      </Form>
    </section>
  );
}

function MyOrganisations() {
  const auth = useAuth();
  const switchOrg = useSwitchOrganisation();
  const navigate = useNavigate();
  const organisations = auth.me?.organisations ?? [];
  return (
    <section aria-labelledby="organisations-titre">
      <h2 id="organisations-titre">Mes organisations</h2>
      {switchOrg.isError && (
        <Alert type="error" live>
          <p>{errorMessage(switchOrg.error)}</p>
        </Alert>
      )}
      <Table
        caption="Organisations pour lesquelles j'agis"
        captionHidden
        rows={organisations}
        rowKey={(o) => o.id}
        columns={[
          { key: 'name', header: 'Organisation', rowHeader: true, render: (o) => o.name },
          { key: 'kind', header: 'Type', render: (o) => kindLabel(o.kind) },
          { key: 'role', header: 'Mon rôle', render: (o) => ROLE_LABELS[o.role] },
          {
            key: 'action',
            header: 'Organisation courante',
            render: (o) =>
              o.id === auth.current?.id ? (
                <Badge tone="info">Courante</Badge>
              ) : (
                <Button
                  variant="secondary"
                  small
                  pending={switchOrg.isPending}
                  onClick={() =>
                    switchOrg.mutate(o.id, {
                      onSuccess: () => navigate({ to: o.kind === 'operator' ? '/operateur' : '/espace' }),
                    })
                  }
                >
                  Agir pour {o.name}
                </Button>
              ),
          },
        ]}
      />
    </section>
  );
}

export function AccountPage() {
  const auth = useAuth();
  return (
    <>
      <PageTitle title="Mon compte" />
      <dl className="dl">
        <dt>Nom</dt>
        <dd>{auth.me?.user.displayName}</dd>
        <dt>Adresse électronique</dt>
        <dd>{auth.me?.user.email}</dd>
      </dl>
      <MyOrganisations />
      {auth.current && auth.current.kind !== 'operator' && (
        <p>
          <Link to="/espace/jetons">Mes jetons d'API</Link> (accès par programme à l'API, avec vos droits)
        </p>
      )}
      <ChangePasswordForm />
    </>
  );
}
