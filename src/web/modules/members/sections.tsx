import { useState } from 'react';
import {
  CONTACT_ROLE_LABELS,
  CONTACT_ROLES,
  type Contact,
  type ContactInput,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  MEMBER_SELF_EDITABLE_FIELDS,
  MEMBERSHIP_STATUS_LABELS,
  MEMBERSHIP_TRANSITIONS,
  type MemberDetail,
  type MembershipStatus,
} from '../../../contracts/members.js';
import { errorMessage } from '../../app/api.js';
import {
  Alert,
  Button,
  EmptyState,
  FileField,
  Form,
  formatBytes,
  formatDate,
  formatDateTime,
  formatNumber,
  ModalDialog,
  optionsOf,
  QueryView,
  SelectField,
  Table,
  TextAreaField,
  TextField,
  today,
} from '../../ui/index.js';
import {
  documentUrl,
  useContacts,
  useDeleteContact,
  useDocuments,
  useHistory,
  usePatchMember,
  useSaveContact,
  useTransition,
  useUploadDocument,
} from './api.js';
import { kindLabel, StatusBadge } from './components.js';

/** Form values as the API wants them: empty strings become null, untouched keys are dropped. */
function valuesOf(data: FormData, keys: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of keys) {
    if (!data.has(key)) continue;
    const value = String(data.get(key) ?? '').trim();
    out[key] = value === '' ? null : value;
  }
  return out;
}

// ---------- Details ----------

export function MemberDetails({ member }: { member: MemberDetail }) {
  const p = member.private;
  return (
    <dl className="dl">
      <dt>Type</dt>
      <dd>{kindLabel(member.kind, member.epciType)}</dd>
      <dt>SIREN</dt>
      <dd>{member.siren}</dd>
      {p && (
        <>
          <dt>SIRET</dt>
          <dd>{p.siret ?? '—'}</dd>
        </>
      )}
      {member.communeCode && (
        <>
          <dt>Code INSEE</dt>
          <dd>{member.communeCode}</dd>
        </>
      )}
      {member.epciCode && (
        <>
          <dt>Code EPCI</dt>
          <dd>{member.epciCode}</dd>
        </>
      )}
      <dt>Département</dt>
      <dd>
        {member.departementName
          ? `${member.departementCode} — ${member.departementName}`
          : (member.departementCode ?? '—')}
      </dd>
      <dt>Population</dt>
      <dd>{member.population == null ? '—' : `${formatNumber(member.population)} habitants`}</dd>
      {member.parent && (
        <>
          <dt>Structure de rattachement</dt>
          <dd>{member.parent.name}</dd>
        </>
      )}
      {p && (
        <>
          <dt>Adresse</dt>
          <dd>
            {[p.address, [p.postalCode, p.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || '—'}
          </dd>
        </>
      )}
      <dt>Statut d'adhésion</dt>
      <dd>
        <StatusBadge status={member.status} /> depuis le {formatDate(member.statusChangedAt)}
      </dd>
    </dl>
  );
}

const ALL_EDITABLE = [
  'name',
  'siren',
  'siret',
  'communeCode',
  'epciCode',
  'departementCode',
  'address',
  'postalCode',
  'city',
  'population',
] as const;

const FIELD_LABELS: Record<(typeof ALL_EDITABLE)[number], string> = {
  name: 'Nom',
  siren: 'SIREN',
  siret: 'SIRET',
  communeCode: 'Code INSEE de la commune',
  epciCode: "Code de l'EPCI (SIREN)",
  departementCode: 'Département (code)',
  address: 'Adresse',
  postalCode: 'Code postal',
  city: 'Commune (adresse)',
  population: 'Population',
};

/** The operator edits everything; a member admin only its address, SIRET and entered population. */
export function MemberEditForm({
  member,
  full,
  onDone,
}: {
  member: MemberDetail;
  full: boolean;
  onDone: () => void;
}) {
  const patch = usePatchMember(member.id);
  const officialPopulation = member.kind === 'commune' || member.kind === 'epci';
  const fields = (full ? ALL_EDITABLE : MEMBER_SELF_EDITABLE_FIELDS).filter(
    (f) =>
      !(f === 'population' && officialPopulation) &&
      !(f === 'communeCode' && member.kind !== 'commune') &&
      !(f === 'epciCode' && member.kind !== 'epci'),
  );
  const current: Record<string, string> = {
    name: member.name,
    siren: member.siren,
    siret: member.private?.siret ?? '',
    communeCode: member.communeCode ?? '',
    epciCode: member.epciCode ?? '',
    departementCode: member.departementCode ?? '',
    address: member.private?.address ?? '',
    postalCode: member.private?.postalCode ?? '',
    city: member.private?.city ?? '',
    population: member.population == null ? '' : String(member.population),
  };
  return (
    <Form
      id="modifier-structure"
      error={patch.error}
      onSubmit={(data) => {
        const values = valuesOf(data, fields);
        const changed = Object.fromEntries(
          Object.entries(values).filter(([k, v]) => (v ?? '') !== current[k]),
        );
        if (Object.keys(changed).length === 0) return onDone();
        patch.mutate(changed, { onSuccess: onDone });
      }}
    >
      {fields.map((f) => (
        <TextField
          key={f}
          name={f}
          label={FIELD_LABELS[f]}
          defaultValue={current[f]}
          inputMode={
            f === 'population' || f === 'siren' || f === 'siret' || f === 'postalCode' ? 'numeric' : undefined
          }
          hint={
            f === 'siret'
              ? '14 chiffres, espaces acceptés'
              : f === 'siren'
                ? '9 chiffres, espaces acceptés'
                : undefined
          }
        />
      ))}
      <div className="form-actions">
        <Button type="submit" pending={patch.isPending}>
          Enregistrer
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Annuler
        </Button>
      </div>
    </Form>
  );
}

// ---------- Contacts ----------

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

// ---------- Documents ----------

/** Appends the text fields before the file: the server reads them in any order, proxies may not. */
function uploadForm(fields: Record<string, string | null | undefined>, file: File): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value) form.append(key, value);
  form.append('file', file);
  return form;
}

function isPdfName(file: File) {
  return file.type === 'application/pdf' || file.name.toLowerCase().endsWith('.pdf');
}

export function DocumentsSection({ memberId, canWrite }: { memberId: string; canWrite: boolean }) {
  const documents = useDocuments(memberId);
  const upload = useUploadDocument(memberId);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  return (
    <section aria-labelledby="documents-titre">
      <h2 id="documents-titre">Documents</h2>
      <QueryView query={documents} loadingLabel="Chargement des documents…">
        {(items) =>
          items.length === 0 ? (
            <EmptyState>Aucun document déposé.</EmptyState>
          ) : (
            <Table
              caption="Documents de la structure"
              captionHidden
              rows={items}
              rowKey={(d) => d.id}
              columns={[
                {
                  key: 'title',
                  header: 'Titre',
                  rowHeader: true,
                  render: (d) => (
                    <a href={documentUrl(memberId, d.id)} download={d.fileName}>
                      {d.title}
                      <span className="sr-only"> (PDF, {formatBytes(d.sizeBytes)})</span>
                    </a>
                  ),
                },
                { key: 'kind', header: 'Type', render: (d) => DOCUMENT_KIND_LABELS[d.kind] },
                { key: 'date', header: 'Date du document', render: (d) => formatDate(d.documentDate) },
                { key: 'size', header: 'Taille', numeric: true, render: (d) => formatBytes(d.sizeBytes) },
                { key: 'created', header: 'Déposé le', render: (d) => formatDateTime(d.createdAt) },
              ]}
            />
          )
        }
      </QueryView>
      {canWrite && (
        <>
          <h3>Déposer un document</h3>
          {done && (
            <Alert type="success" live>
              <p>Document « {done} » déposé.</p>
            </Alert>
          )}
          <Form
            id="depot-document"
            error={upload.error}
            clientErrors={clientErrors}
            onSubmit={(data, form) => {
              const file = data.get('file');
              const errors: Record<string, string> = {};
              if (!(file instanceof File) || file.size === 0) errors.file = 'Choisissez un fichier PDF.';
              else if (!isPdfName(file)) errors.file = 'Le fichier doit être un PDF.';
              if (String(data.get('title') ?? '').trim().length < 2)
                errors.title = 'Donnez un titre au document.';
              setClientErrors(errors);
              if (Object.keys(errors).length) return;
              const title = String(data.get('title')).trim();
              upload.mutate(
                uploadForm(
                  {
                    kind: String(data.get('kind')),
                    title,
                    documentDate: String(data.get('documentDate') ?? ''),
                  },
                  file as File,
                ),
                {
                  onSuccess: () => {
                    setDone(title);
                    form.reset();
                  },
                },
              );
            }}
          >
            <SelectField
              name="kind"
              label="Type de document"
              options={optionsOf(DOCUMENT_KIND_LABELS, DOCUMENT_KINDS)}
              required
            />
            <TextField
              name="title"
              label="Titre"
              hint="Par exemple : Délibération d'adhésion du 12 mars 2026"
              required
            />
            <TextField name="documentDate" label="Date du document" type="date" />
            <FileField
              name="file"
              label="Fichier"
              hint="Format PDF uniquement, 20 Mo au plus"
              accept="application/pdf,.pdf"
              required
            />
            <Button type="submit" pending={upload.isPending}>
              Déposer le document
            </Button>
          </Form>
        </>
      )}
    </section>
  );
}

// ---------- Membership lifecycle ----------

type Step = (typeof MEMBERSHIP_TRANSITIONS)[number];

const STEP_LABELS: Record<string, string> = {
  'prospect>requested': "Demander l'adhésion",
  'requested>accepted': 'Accepter la demande (comité syndical)',
  'requested>prospect': 'Refuser la demande',
  'accepted>member': "Prononcer l'adhésion",
  'member>withdrawal_requested': 'Demander le retrait',
  'withdrawal_requested>withdrawn': 'Acter le retrait (comité syndical)',
  'withdrawn>requested': "Demander à nouveau l'adhésion",
};

const DATE_LABELS: Record<MembershipStatus, string> = {
  prospect: 'Date du refus',
  requested: "Date de la délibération d'adhésion",
  accepted: 'Date de la décision du comité syndical',
  member: "Date d'effet de l'adhésion",
  withdrawal_requested: 'Date de la délibération de retrait',
  withdrawn: 'Date de la décision du comité syndical',
};

const stepKey = (s: Step) => `${s.from}>${s.to}`;

function TransitionDialog({
  member,
  step,
  onClose,
}: {
  member: MemberDetail;
  step: Step;
  onClose: () => void;
}) {
  const transition = useTransition(member.id);
  const upload = useUploadDocument(member.id);
  const documents = useDocuments(member.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const requires = step.requires as readonly string[];
  const needsDocument = requires.includes('documentId');
  const isDeliberation = step.to === 'requested' || step.to === 'withdrawal_requested';
  const existing = (documents.data ?? []).filter((d) => (isDeliberation ? d.kind === 'deliberation' : true));
  const submit = async (data: FormData) => {
    const effectiveOn = String(data.get('effectiveOn') ?? '');
    const decisionReference = String(data.get('decisionReference') ?? '').trim();
    const note = String(data.get('note') ?? '').trim();
    const file = data.get('file');
    const chosen = String(data.get('existingDocument') ?? '');
    const hasFile = file instanceof File && file.size > 0;
    const errors: Record<string, string> = {};
    if (!effectiveOn) errors.effectiveOn = 'Indiquez la date.';
    if (requires.includes('decisionReference') && !decisionReference)
      errors.decisionReference = 'Indiquez la référence de la décision du comité syndical.';
    if (requires.includes('note') && !note) errors.note = 'Indiquez le motif.';
    if (needsDocument && !hasFile && !chosen) errors.file = 'Joignez la délibération en PDF.';
    if (hasFile && !isPdfName(file)) errors.file = 'Le fichier doit être un PDF.';
    setClientErrors(errors);
    if (Object.keys(errors).length) return;
    let documentId = chosen || undefined;
    try {
      if (hasFile) {
        const title = isDeliberation
          ? `${step.to === 'requested' ? "Délibération d'adhésion" : 'Délibération de retrait'} du ${formatDate(effectiveOn)}`
          : `Décision du ${formatDate(effectiveOn)}`;
        const doc = await upload.mutateAsync(
          uploadForm(
            { kind: isDeliberation ? 'deliberation' : 'decision', title, documentDate: effectiveOn },
            file,
          ),
        );
        documentId = doc.id;
      }
      await transition.mutateAsync({
        to: step.to,
        effectiveOn,
        ...(decisionReference ? { decisionReference } : {}),
        ...(note ? { note } : {}),
        ...(documentId ? { documentId } : {}),
      });
      onClose();
    } catch {
      // the error is shown by the form's summary
    }
  };
  return (
    <ModalDialog
      title={STEP_LABELS[stepKey(step)] ?? 'Changer le statut'}
      isOpen
      onOpenChange={(o) => !o && onClose()}
    >
      <p>
        {member.name} passera de « {MEMBERSHIP_STATUS_LABELS[step.from]} » à «{' '}
        {MEMBERSHIP_STATUS_LABELS[step.to]} ».
      </p>
      <Form
        id="etape-adhesion"
        error={upload.error ?? transition.error}
        clientErrors={clientErrors}
        onSubmit={submit}
      >
        <TextField
          name="effectiveOn"
          label={DATE_LABELS[step.to]}
          type="date"
          defaultValue={today()}
          required
        />
        {(requires.includes('decisionReference') || !step.byMember) && step.to !== 'prospect' && (
          <TextField
            name="decisionReference"
            label="Référence de la décision"
            hint="Par exemple : CS-2026-014"
            required={requires.includes('decisionReference')}
          />
        )}
        {needsDocument && existing.length > 0 && (
          <SelectField
            name="existingDocument"
            label="Délibération déjà déposée"
            placeholder="Aucune : je joins un fichier ci-dessous"
            options={existing.map((d) => ({
              value: d.id,
              label: `${d.title} (${formatDate(d.documentDate)})`,
            }))}
          />
        )}
        <FileField
          name="file"
          label={isDeliberation ? 'Délibération (PDF)' : 'Document de décision (PDF, facultatif)'}
          hint="Format PDF uniquement, 20 Mo au plus"
          accept="application/pdf,.pdf"
          required={needsDocument && existing.length === 0}
        />
        <TextAreaField
          name="note"
          label={requires.includes('note') ? 'Motif' : 'Note (facultative)'}
          required={requires.includes('note')}
        />
        <div className="form-actions">
          <Button type="submit" pending={upload.isPending || transition.isPending}>
            Valider
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

/** Current status, the steps this person may take from it, and the dated history. */
export function MembershipSection({
  member,
  asOperatorAdmin,
  asMemberAdmin,
}: {
  member: MemberDetail;
  asOperatorAdmin: boolean;
  asMemberAdmin: boolean;
}) {
  const history = useHistory(member.id);
  const [step, setStep] = useState<Step | null>(null);
  const steps = MEMBERSHIP_TRANSITIONS.filter(
    (s) => s.from === member.status && (asOperatorAdmin || (asMemberAdmin && s.byMember)),
  );
  return (
    <section aria-labelledby="adhesion-titre">
      <h2 id="adhesion-titre">Adhésion</h2>
      <p>
        Statut actuel : <StatusBadge status={member.status} /> depuis le {formatDate(member.statusChangedAt)}.
      </p>
      {steps.length > 0 ? (
        <div className="row">
          {steps.map((s) => (
            <Button
              key={stepKey(s)}
              variant={s.to === 'prospect' ? 'secondary' : 'primary'}
              onClick={() => setStep(s)}
            >
              {STEP_LABELS[stepKey(s)]}
            </Button>
          ))}
        </div>
      ) : (
        !asOperatorAdmin &&
        asMemberAdmin && (
          <p className="muted">
            Aucune démarche n'est à faire de votre part : la suite relève du comité syndical.
          </p>
        )
      )}
      {step && <TransitionDialog member={member} step={step} onClose={() => setStep(null)} />}
      <h3>Historique</h3>
      <QueryView query={history} loadingLabel="Chargement de l'historique…">
        {(events) =>
          events.length === 0 ? (
            <EmptyState>Aucun événement.</EmptyState>
          ) : (
            <ol className="timeline">
              {events.map((e) => (
                <li key={e.id} className="timeline__item">
                  <strong>{MEMBERSHIP_STATUS_LABELS[e.toStatus]}</strong> — le {formatDate(e.effectiveOn)}
                  <div className="timeline__meta">
                    {e.fromStatus ? `Depuis « ${MEMBERSHIP_STATUS_LABELS[e.fromStatus]} »` : 'Création'}
                    {e.decisionReference && ` · décision ${e.decisionReference}`}
                    {` · enregistré le ${formatDateTime(e.createdAt)}`}
                    {e.actor && ` par ${e.actor.displayName}`}
                  </div>
                  {e.document && (
                    <div>
                      Document :{' '}
                      <a href={documentUrl(member.id, e.document.id)} download>
                        {e.document.title}
                      </a>
                    </div>
                  )}
                  {e.note && <div>Note : {e.note}</div>}
                </li>
              ))}
            </ol>
          )
        }
      </QueryView>
    </section>
  );
}
