import { Link } from '@tanstack/react-router';
import { Alert, Button, Form, PageTitle, TextField } from '../../ui/index.js';
import { usePasswordResetRequest } from './api.js';

export function ForgotPasswordPage() {
  const request = usePasswordResetRequest();
  return (
    <>
      <PageTitle title="Mot de passe oublié" />
      {request.isSuccess ? (
        <Alert type="success" title="Demande enregistrée">
          <p>
            {request.data?.message ??
              "Si un compte existe pour cette adresse, un courriel contenant un lien de réinitialisation vient de lui être envoyé. Le lien ne sert qu'une fois."}
          </p>
          <p>
            <Link to="/connexion">Retour à la connexion</Link>
          </p>
        </Alert>
      ) : (
        <Form
          id="oubli"
          error={request.error}
          onSubmit={(data) => request.mutate(String(data.get('email') ?? ''))}
        >
          <p>
            Indiquez l'adresse électronique de votre compte : nous vous enverrons un lien pour choisir un
            nouveau mot de passe.
          </p>
          <TextField
            name="email"
            label="Adresse électronique"
            hint="Format attendu : nom@domaine.fr"
            type="email"
            autoComplete="email"
            required
          />
          <div className="form-actions">
            <Button type="submit" pending={request.isPending}>
              Recevoir le lien
            </Button>
            <Link to="/connexion">Retour à la connexion</Link>
          </div>
        </Form>
      )}
    </>
  );
}
