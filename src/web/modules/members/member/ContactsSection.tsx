import { useState } from 'react';
import {
  CONTACT_ROLE_LABELS,
  CONTACT_ROLES,
  type Contact,
  type ContactInput,
} from '../../../../contracts/members.js';
import { errorMessage } from '../../../app/api.js';
import {
  Alert,
  Button,
  EmptyState,
  Form,
  ModalDialog,
  optionsOf,
  QueryView,
  SelectField,
  Table,
  TextField,
} from '../../../ui/index.js';
import { useContacts, useDeleteContact, useSaveContact } from '../api.js';
import { valuesOf } from './form-data.js';

function ContactDialog({
  memberId,
  contact,
  onClose,
}: {
  memberId: string;
  contact: Contact | null;
  onClose: () => void;
}) {
  const save = useSaveContact(memberId);
  return (
    <ModalDialog
      title={contact ? 'Modifier le contact' : 'Ajouter un contact'}
      isOpen
      onOpenChange={(o) => !o && onClose()}
    >
      <Form
        id="contact"
        error={save.error}
        onSubmit={(data) => {
          const v = valuesOf(data, ['role', 'firstName', 'lastName', 'email', 'phone']);
          const body = { ...v, firstName: v.firstName ?? '', lastName: v.lastName ?? '' } as ContactInput;
          save.mutate({ id: contact?.id, body }, { onSuccess: onClose });
        }}
      >
        <SelectField
          name="role"
          label="Rôle"
          options={optionsOf(CONTACT_ROLE_LABELS, CONTACT_ROLES)}
          defaultValue={contact?.role ?? 'referent_numerique'}
          required
        />
        <TextField
          name="firstName"
          label="Prénom"
          defaultValue={contact?.firstName ?? ''}
          autoComplete="off"
          required
        />
        <TextField
          name="lastName"
          label="Nom"
          defaultValue={contact?.lastName ?? ''}
          autoComplete="off"
          required
        />
        <TextField
          name="email"
          label="Adresse électronique"
          hint="Format attendu : nom@domaine.fr"
          type="email"
          defaultValue={contact?.email ?? ''}
          autoComplete="off"
        />
        <TextField
          name="phone"
          label="Téléphone"
          hint="10 chiffres, par exemple 02 51 00 00 00"
          type="tel"
          defaultValue={contact?.phone ?? ''}
          autoComplete="off"
        />
        <div className="form-actions">
          <Button type="submit" pending={save.isPending}>
            Enregistrer le contact
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

export function ContactsSection({ memberId, canWrite }: { memberId: string; canWrite: boolean }) {
  const contacts = useContacts(memberId);
  const remove = useDeleteContact(memberId);
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  return (
    <section aria-labelledby="contacts-titre">
      <div className="page-header">
        <h2 id="contacts-titre">Contacts</h2>
        {canWrite && <Button onClick={() => setEditing('new')}>Ajouter un contact</Button>}
      </div>
      {remove.isError && (
        <Alert type="error" live>
          <p>{errorMessage(remove.error)}</p>
        </Alert>
      )}
      <QueryView query={contacts} loadingLabel="Chargement des contacts…">
        {(items) =>
          items.length === 0 ? (
            <EmptyState>Aucun contact enregistré.</EmptyState>
          ) : (
            <Table
              caption="Contacts de la structure"
              captionHidden
              rows={items}
              rowKey={(c) => c.id}
              columns={[
                {
                  key: 'name',
                  header: 'Nom',
                  rowHeader: true,
                  render: (c) => `${c.firstName} ${c.lastName}`,
                },
                { key: 'role', header: 'Rôle', render: (c) => CONTACT_ROLE_LABELS[c.role] },
                {
                  key: 'email',
                  header: 'Courriel',
                  render: (c) => (c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : '—'),
                },
                { key: 'phone', header: 'Téléphone', render: (c) => c.phone ?? '—' },
                ...(canWrite
                  ? [
                      {
                        key: 'actions',
                        header: 'Actions',
                        render: (c: Contact) => (
                          <div className="row">
                            <Button variant="secondary" small onClick={() => setEditing(c)}>
                              Modifier<span className="sr-only"> {`${c.firstName} ${c.lastName}`}</span>
                            </Button>
                            <Button
                              variant="tertiary"
                              small
                              pending={remove.isPending}
                              onClick={() => {
                                if (window.confirm(`Supprimer le contact ${c.firstName} ${c.lastName} ?`))
                                  remove.mutate(c.id);
                              }}
                            >
                              Supprimer<span className="sr-only"> {`${c.firstName} ${c.lastName}`}</span>
                            </Button>
                          </div>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )
        }
      </QueryView>
      {editing && (
        <ContactDialog
          memberId={memberId}
          contact={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  );
}
