import { useDeferredValue, useState } from 'react';
import {
  OPERATOR_ROLES,
  OPERATOR_SCOPES,
  type OperatorScope,
  type OrganisationUser,
  ROLE_LABELS,
  ROLES,
  type Role,
  SCOPE_LABELS,
} from '../../../contracts/accounts.js';
import { de } from '../../../contracts/french.js';
import { errorMessage } from '../../app/api.js';
import { MEMBER_ROLE_LABELS, useAuth } from '../../app/auth.js';
import {
  Alert,
  Button,
  EmptyState,
  Form,
  formatDateTime,
  ModalDialog,
  optionsOf,
  Pagination,
  QueryView,
  SelectField,
  Table,
  TextField,
  useCursorPages,
} from '../../ui/index.js';
import {
  type UsersScope,
  useChangeRole,
  useInvitations,
  useInvite,
  useOrganisationUsers,
  useRemoveUser,
  useRevokeInvitation,
} from './api.js';

function roleOptions(isOperator: boolean) {
  return isOperator ? optionsOf(ROLE_LABELS, OPERATOR_ROLES) : optionsOf(MEMBER_ROLE_LABELS, ROLES);
}

function ScopesFieldset({ prefix, selected }: { prefix: string; selected: readonly string[] }) {
  return (
    <fieldset>
      <legend>Périmètres de l'agent</legend>
      <p className="field__hint">Ignorés pour un administrateur, qui a tous les droits.</p>
      {OPERATOR_SCOPES.map((scope) => (
        <div className="checkbox" key={scope}>
          <input
            type="checkbox"
            id={`${prefix}-scope-${scope}`}
            name="scopes"
            value={scope}
            defaultChecked={selected.includes(scope)}
          />
          <label htmlFor={`${prefix}-scope-${scope}`}>{SCOPE_LABELS[scope]}</label>
        </div>
      ))}
    </fieldset>
  );
}

function InviteForm({ scope }: { scope: UsersScope }) {
  const invite = useInvite(scope);
  const [sentTo, setSentTo] = useState<string | null>(null);
  return (
    <section aria-labelledby="inviter-titre">
      <h2 id="inviter-titre">Inviter une personne</h2>
      {sentTo && (
        <Alert type="success">
          <p>Invitation envoyée à {sentTo}. Le lien reçu par courriel expire au bout de quelques jours.</p>
        </Alert>
      )}
      <Form
        id="inviter"
        error={invite.error}
        onSubmit={(data, form) => {
          const email = String(data.get('email') ?? '').trim();
          invite.mutate(
            {
              email,
              role: String(data.get('role')) as Role,
              scopes: scope.isOperator ? data.getAll('scopes').map(String) : [],
            },
            {
              onSuccess: () => {
                setSentTo(email);
                form.reset();
              },
            },
          );
        }}
      >
        <TextField
          name="email"
          label="Adresse électronique"
          hint="Format attendu : nom@domaine.fr"
          type="email"
          required
        />
        <SelectField
          name="role"
          label="Rôle"
          options={roleOptions(scope.isOperator)}
          defaultValue="agent"
          required
        />
        {scope.isOperator && <ScopesFieldset prefix="inviter" selected={[]} />}
        <Button type="submit" pending={invite.isPending}>
          Envoyer l'invitation
        </Button>
      </Form>
    </section>
  );
}

function EditUserDialog({
  scope,
  user,
  onClose,
}: {
  scope: UsersScope;
  user: OrganisationUser;
  onClose: () => void;
}) {
  const change = useChangeRole(scope);
  return (
    <ModalDialog
      title={`Modifier le rôle ${de(user.displayName)}`}
      isOpen
      onOpenChange={(open) => !open && onClose()}
    >
      <Form
        id="modifier-role"
        error={change.error}
        onSubmit={(data) =>
          change.mutate(
            {
              userId: user.userId,
              role: String(data.get('role')) as Role,
              scopes: data.getAll('scopes').map(String),
            },
            { onSuccess: onClose },
          )
        }
      >
        <SelectField
          name="role"
          label="Rôle"
          options={roleOptions(scope.isOperator)}
          defaultValue={user.role}
        />
        {scope.isOperator && <ScopesFieldset prefix="modifier" selected={user.scopes} />}
        <div className="form-actions">
          <Button type="submit" pending={change.isPending}>
            Enregistrer
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

function RemoveUserDialog({
  scope,
  user,
  onClose,
}: {
  scope: UsersScope;
  user: OrganisationUser;
  onClose: () => void;
}) {
  const remove = useRemoveUser(scope);
  return (
    <ModalDialog title={`Retirer ${user.displayName} ?`} isOpen onOpenChange={(open) => !open && onClose()}>
      <p>
        {user.displayName} ({user.email}) n'aura plus accès à cette organisation. Son compte reste actif pour
        ses autres organisations.
      </p>
      {remove.isError && (
        <Alert type="error" live>
          <p>{errorMessage(remove.error)}</p>
        </Alert>
      )}
      <div className="form-actions">
        <Button
          variant="danger"
          pending={remove.isPending}
          onClick={() => remove.mutate(user.userId, { onSuccess: onClose })}
        >
          Retirer l'accès
        </Button>
        <Button variant="secondary" onClick={onClose}>
          Annuler
        </Button>
      </div>
    </ModalDialog>
  );
}

function UsersTable({ scope }: { scope: UsersScope }) {
  const auth = useAuth();
  const [q, setQ] = useState('');
  const name = useDeferredValue(q.trim());
  const pages = useCursorPages(`${scope.organisationId}-${name}`);
  const users = useOrganisationUsers(scope, pages.cursor, name || undefined);
  const [editing, setEditing] = useState<OrganisationUser | null>(null);
  const [removing, setRemoving] = useState<OrganisationUser | null>(null);
  const labels = scope.isOperator ? ROLE_LABELS : MEMBER_ROLE_LABELS;
  return (
    <>
      <div className="filters">
        <TextField
          name="usersQuery"
          type="search"
          label="Chercher une personne"
          hint="Nom ou adresse électronique"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <QueryView query={users} loadingLabel="Chargement des utilisateurs…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              {name
                ? `Personne ne correspond à « ${name} ».`
                : "Aucun utilisateur pour l'instant : invitez une première personne ci-dessous."}
            </EmptyState>
          ) : (
            <>
              <Table
                caption="Utilisateurs ayant accès"
                rows={page.items}
                rowKey={(u) => u.userId}
                columns={[
                  { key: 'name', header: 'Nom', rowHeader: true, render: (u) => u.displayName },
                  { key: 'email', header: 'Adresse électronique', render: (u) => u.email },
                  {
                    key: 'role',
                    header: 'Rôle',
                    render: (u) =>
                      scope.isOperator && u.role === 'agent' && u.scopes.length
                        ? `${labels[u.role]} (${u.scopes.map((s) => SCOPE_LABELS[s as OperatorScope]).join(', ')})`
                        : labels[u.role],
                  },
                  { key: 'last', header: 'Dernière connexion', render: (u) => formatDateTime(u.lastLoginAt) },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (u) =>
                      u.userId === auth.me?.user.id ? (
                        <span className="muted">Vous</span>
                      ) : (
                        <div className="row">
                          <Button variant="secondary" small onClick={() => setEditing(u)}>
                            Modifier le rôle<span className="sr-only"> de {u.displayName}</span>
                          </Button>
                          <Button variant="tertiary" small onClick={() => setRemoving(u)}>
                            Retirer<span className="sr-only"> {u.displayName}</span>
                          </Button>
                        </div>
                      ),
                  },
                ]}
              />
              <Pagination
                label="Pagination des utilisateurs"
                pageIndex={pages.pageIndex}
                pageSize={50}
                shown={page.items.length}
                total={page.total}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
              {editing && <EditUserDialog scope={scope} user={editing} onClose={() => setEditing(null)} />}
              {removing && (
                <RemoveUserDialog scope={scope} user={removing} onClose={() => setRemoving(null)} />
              )}
            </>
          )
        }
      </QueryView>
    </>
  );
}

function PendingInvitations({ scope }: { scope: UsersScope }) {
  const invitations = useInvitations(scope);
  const revoke = useRevokeInvitation(scope);
  const labels = scope.isOperator ? ROLE_LABELS : MEMBER_ROLE_LABELS;
  return (
    <section aria-labelledby="invitations-titre">
      <h2 id="invitations-titre">Invitations en attente</h2>
      {revoke.isError && (
        <Alert type="error" live>
          <p>{errorMessage(revoke.error)}</p>
        </Alert>
      )}
      <QueryView query={invitations} loadingLabel="Chargement des invitations…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune invitation en attente.</EmptyState>
          ) : (
            <Table
              caption="Invitations en attente"
              captionHidden
              rows={page.items}
              rowKey={(i) => i.id}
              columns={[
                { key: 'email', header: 'Adresse électronique', rowHeader: true, render: (i) => i.email },
                { key: 'role', header: 'Rôle', render: (i) => labels[i.role] },
                { key: 'by', header: 'Invité(e) par', render: (i) => i.invitedBy?.displayName ?? '—' },
                { key: 'expires', header: 'Expire le', render: (i) => formatDateTime(i.expiresAt) },
                {
                  key: 'actions',
                  header: 'Actions',
                  render: (i) => (
                    <Button
                      variant="tertiary"
                      small
                      pending={revoke.isPending}
                      onClick={() => revoke.mutate(i.id)}
                    >
                      Annuler l'invitation<span className="sr-only"> de {i.email}</span>
                    </Button>
                  ),
                },
              ]}
            />
          )
        }
      </QueryView>
    </section>
  );
}

/** People of one organisation: who has access, pending invitations, and inviting someone. */
export function UsersManager({ scope }: { scope: UsersScope }) {
  return (
    <>
      <UsersTable scope={scope} />
      <div className="grid grid--2">
        <InviteForm scope={scope} />
        <PendingInvitations scope={scope} />
      </div>
    </>
  );
}
