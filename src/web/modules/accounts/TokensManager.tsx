import { useState } from 'react';
import {
  type ApiToken,
  type CreatedToken,
  TOKEN_ACCESS_LABELS,
  TOKEN_KIND_LABELS,
  TOKEN_MODULE_LABELS,
  TOKEN_MODULES,
  type TokenAccess,
  type TokenScopes,
} from '../../../contracts/connect.js';
import {
  Alert,
  Button,
  EmptyState,
  Form,
  formatDate,
  formatDateTime,
  optionsOf,
  QueryView,
  SelectField,
  Table,
  TextField,
} from '../../ui/index.js';
import { type TokensScope, useCreateToken, useRevokeToken, useTokens } from './connect-api.js';

/** A date `days` after today, `AAAA-MM-JJ`: the form's default expiry. */
function inDays(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return date.toISOString().slice(0, 10);
}

const scopesText = (scopes: TokenScopes) =>
  Object.entries(scopes)
    .map(
      ([module, access]) =>
        `${TOKEN_MODULE_LABELS[module as keyof TokenScopes]} (${access === 'write' ? 'écriture' : 'lecture'})`,
    )
    .join(', ');

function ShownOnce({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert type="success" title={`Jeton « ${created.name} » créé`} live>
      <p>Copiez ce jeton maintenant : il ne sera plus jamais affiché (seule son empreinte est conservée).</p>
      <p>
        <code className="token-secret">{created.token}</code>
      </p>
      <p>
        Envoyez-le dans l'en-tête <code>Authorization: Bearer …</code> de chaque requête.
      </p>
      <Button
        type="button"
        variant="secondary"
        onClick={() => {
          navigator.clipboard?.writeText(created.token).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? 'Jeton copié' : 'Copier le jeton'}
      </Button>{' '}
      <Button type="button" variant="secondary" onClick={onDone}>
        J'ai copié le jeton
      </Button>
    </Alert>
  );
}

function CreateTokenForm({ scope, onCreated }: { scope: TokensScope; onCreated: (t: CreatedToken) => void }) {
  const create = useCreateToken(scope);
  const [noScope, setNoScope] = useState<Record<string, string>>({});
  return (
    <section aria-labelledby="jeton-nouveau">
      <h2 id="jeton-nouveau">Créer un jeton</h2>
      <Form
        id="jeton"
        error={create.error}
        clientErrors={noScope}
        onSubmit={(data, form) => {
          const scopes: TokenScopes = {};
          for (const module of TOKEN_MODULES) {
            const access = String(data.get(`scope-${module}`) ?? '');
            if (access === 'read' || access === 'write') scopes[module] = access as TokenAccess;
          }
          if (Object.keys(scopes).length === 0) {
            setNoScope({ [`scope-${TOKEN_MODULES[0]}`]: 'Choisissez au moins un module.' });
            return;
          }
          setNoScope({});
          create.mutate(
            {
              name: String(data.get('name') ?? ''),
              expiresOn: String(data.get('expiresOn') ?? ''),
              scopes,
              ...(scope.isOperator
                ? {}
                : {
                    kind:
                      scope.isAdmin && String(data.get('kind')) === 'member'
                        ? ('member' as const)
                        : ('personal' as const),
                  }),
            },
            {
              onSuccess: (created) => {
                form.reset();
                onCreated(created);
              },
            },
          );
        }}
      >
        <TextField name="name" label="Nom du jeton" hint="Par exemple : logiciel de finances" required />
        <TextField
          name="expiresOn"
          label="Date d'expiration"
          hint="Un an au plus. Format attendu : AAAA-MM-JJ"
          type="date"
          defaultValue={inDays(90)}
          required
        />
        {!scope.isOperator && scope.isAdmin && (
          <SelectField
            name="kind"
            label="Type de jeton"
            hint="De la structure : appartient à la structure, agit pour elle avec exactement les modules choisis, et continue de fonctionner si vous quittez la structure. Personnel : agit avec vos propres droits et s'arrête si vous perdez l'accès à la structure."
            options={optionsOf(TOKEN_KIND_LABELS, ['member', 'personal'])}
            defaultValue="member"
          />
        )}
        {!scope.isOperator && !scope.isAdmin && (
          <p className="field__hint">
            Ce jeton est personnel : il agit avec vos propres droits dans la structure et s'arrête si vous
            perdez l'accès à la structure. Seul l'administrateur de la structure crée les jetons de la
            structure.
          </p>
        )}
        <fieldset>
          <legend>Modules accessibles</legend>
          <p className="field__hint">
            Le jeton ne peut rien faire en dehors de ces modules ; « Lecture seule » refuse toute
            modification.
          </p>
          {TOKEN_MODULES.map((module) => (
            <SelectField
              key={module}
              name={`scope-${module}`}
              label={TOKEN_MODULE_LABELS[module]}
              placeholder="Aucun accès"
              options={optionsOf(TOKEN_ACCESS_LABELS)}
            />
          ))}
        </fieldset>
        <Button type="submit" pending={create.isPending}>
          Créer le jeton
        </Button>
      </Form>
    </section>
  );
}

export function TokensManager({ scope }: { scope: TokensScope }) {
  const tokens = useTokens(scope);
  const revoke = useRevokeToken(scope);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  return (
    <>
      {created && <ShownOnce created={created} onDone={() => setCreated(null)} />}
      <section aria-labelledby="jetons-actifs">
        <h2 id="jetons-actifs">
          {scope.isOperator || scope.isAdmin ? 'Jetons actifs' : 'Mes jetons actifs'}
        </h2>
        <QueryView query={tokens}>
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState>Aucun jeton actif.</EmptyState>
            ) : (
              <Table<ApiToken>
                caption="Jetons d'API actifs"
                captionHidden
                rows={page.items}
                rowKey={(t) => t.id}
                columns={[
                  { key: 'name', header: 'Nom', rowHeader: true, render: (t) => t.name },
                  { key: 'kind', header: 'Type', render: (t) => TOKEN_KIND_LABELS[t.kind] },
                  { key: 'prefix', header: 'Début du jeton', render: (t) => <code>{t.prefix}…</code> },
                  { key: 'scopes', header: 'Modules', render: (t) => scopesText(t.scopes) },
                  { key: 'expires', header: 'Expire le', render: (t) => formatDate(t.expiresOn) },
                  { key: 'by', header: 'Créé par', render: (t) => t.createdBy?.displayName ?? '—' },
                  {
                    key: 'used',
                    header: 'Dernière utilisation',
                    render: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Jamais'),
                  },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (t) => (
                      <Button
                        type="button"
                        variant="secondary"
                        aria-label={`Révoquer le jeton ${t.name}`}
                        pending={revoke.isPending && revoke.variables === t.id}
                        onClick={() => revoke.mutate(t.id)}
                      >
                        Révoquer
                      </Button>
                    ),
                  },
                ]}
              />
            )
          }
        </QueryView>
      </section>
      <CreateTokenForm scope={scope} onCreated={setCreated} />
    </>
  );
}
