import { Link, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { Alert, Button, Form, PageTitle, TextField } from '../../ui/index.js';
import { usePasswordResetConfirm } from './api.js';
import { checkNewPassword, PASSWORD_HINT } from './passwords.js';

export function ResetPasswordPage() {
  const { jeton } = useSearch({ from: '/reinitialiser-mot-de-passe' });
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const confirm = usePasswordResetConfirm(jeton);
  const submit = (data: FormData) => {
    const errors = checkNewPassword(data);
    setClientErrors(errors);
    if (Object.keys(errors).length === 0) confirm.mutate(String(data.get('newPassword')));
  };
  return (
    <>
      <PageTitle title="Choisir un nouveau mot de passe" />
      {!jeton ? (
        <Alert type="error" title="Lien incomplet">
          <p>
            Le lien utilisé ne contient pas de jeton. Copiez le lien complet reçu par courriel, ou{' '}
            <Link to="/mot-de-passe-oublie">demandez un nouveau lien</Link>.
          </p>
        </Alert>
      ) : confirm.isSuccess ? (
        <Alert type="success" title="Mot de passe modifié">
          <p>
            Votre nouveau mot de passe est enregistré. <Link to="/connexion">Se connecter</Link>
          </p>
        </Alert>
      ) : (
        <Form id="reinitialisation" error={confirm.error} clientErrors={clientErrors} onSubmit={submit}>
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
          <Button type="submit" pending={confirm.isPending}>
            Enregistrer le mot de passe
          </Button>
          {confirm.isError && (
            <p>
              Le lien a peut-être expiré ou déjà servi :{' '}
              <Link to="/mot-de-passe-oublie">demander un nouveau lien</Link>.
            </p>
          )}
        </Form>
      )}
    </>
  );
}
