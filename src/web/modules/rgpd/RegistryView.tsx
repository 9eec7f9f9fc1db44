import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../app/api.js';
import {
  Alert,
  Badge,
  Button,
  Card,
  EmptyState,
  Form,
  ModalDialog,
  QueryView,
  Table,
  TextField,
} from '../../ui/index.js';
import {
  type ProcessingSummary,
  registryUrl,
  useAdoptTemplate,
  useCreateProcessing,
  useDesignation,
  useProcessings,
  usePublishProcessing,
  useRegistrySuggestions,
  useRegistrySummary,
  useSaveDesignation,
} from './api.js';
import { Checkbox, Completion, DpiaBadge, ProcessingStatusBadge } from './components.js';
import { formatParisDate, parisToday } from './format.js';
import { ProcessingLink, type RegistryScope } from './scope.js';

/** Member pages of the RGPD space share this sub-menu. */
export function MemberRgpdNav() {
  return (
    <nav aria-label="Rubriques RGPD" className="rgpd-subnav">
      <ul>
        <li>
          <Link to="/espace/rgpd" activeOptions={{ exact: true }}>
            Registre des traitements
          </Link>
        </li>
        <li>
          <Link to="/espace/rgpd/demandes">Demandes d'exercice des droits</Link>
        </li>
        <li>
          <Link to="/espace/rgpd/violations">Violations de données</Link>
        </li>
      </ul>
    </nav>
  );
}

export function RegistryExports({ memberId }: { memberId: string }) {
  return (
    <p className="row">
      <span>Télécharger le registre :</span>
      <a className="btn btn--secondary btn--small" href={registryUrl(memberId, 'pdf')} download>
        PDF imprimable
      </a>
      <a className="btn btn--secondary btn--small" href={registryUrl(memberId, 'csv')} download>
        CSV
      </a>
      <a className="btn btn--secondary btn--small" href={registryUrl(memberId, 'xlsx')} download>
        XLSX (tableur)
      </a>
    </p>
  );
}

function RegistrySummaryCards({ memberId }: { memberId: string }) {
  const summary = useRegistrySummary(memberId);
  if (!summary.data) return null;
  const s = summary.data;
  return (
    <div className="grid rgpd-stats">
      <Card title="Traitements">
        <span className="stat">{s.processings}</span>
        <span className="stat-label">dont {s.validated} validés</span>
      </Card>
      <Card title="Complétude du registre">
        <span className="stat">{s.completion} %</span>
        <span className="stat-label">moyenne des fiches</span>
      </Card>
      <Card title="AIPD à réaliser">
        <span className="stat">{s.dpiaRequiredNotDone}</span>
      </Card>
      <Card title="Revues à faire">
        <span className="stat">{s.dueForReview}</span>
      </Card>
      <Card title="Mises à jour de modèles">
        <span className="stat">{s.templateUpdatesAvailable}</span>
      </Card>
    </div>
  );
}

function NewProcessingDialog({ scope, onClose }: { scope: RegistryScope; onClose: () => void }) {
  const create = useCreateProcessing(scope.memberId);
  const navigate = useNavigate();
  return (
    <ModalDialog title="Nouveau traitement" isOpen onOpenChange={(open) => !open && onClose()}>
      <Form
        id="nouveau-traitement"
        error={create.error}
        onSubmit={(data) => {
          const name = String(data.get('name') ?? '').trim();
          create.mutate(
            { name },
            {
              onSuccess: (p) => {
                onClose();
                if (scope.area === 'member')
                  navigate({ to: '/espace/rgpd/traitements/$processingId', params: { processingId: p.id } });
                else
                  navigate({
                    to: '/operateur/rgpd/adherents/$memberId/traitements/$processingId',
                    params: { memberId: scope.memberId, processingId: p.id },
                  });
              },
            },
          );
        }}
      >
        <TextField name="name" label="Nom du traitement" required autoFocus />
        <p className="field__hint">La fiche est créée en brouillon ; vous la complétez ensuite.</p>
        <div className="form-actions">
          <Button type="submit" pending={create.isPending}>
            Créer la fiche
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

function PublishToggle({
  scope,
  p,
  disabled,
}: {
  scope: RegistryScope;
  p: ProcessingSummary;
  disabled: boolean;
}) {
  const publish = usePublishProcessing(scope.memberId);
  // Show the requested state until the saved version has been read back.
  const sent = publish.variables;
  const isPublic =
    sent && (publish.isPending || (publish.isSuccess && sent.version === p.version))
      ? sent.isPublic
      : p.isPublic;
  return (
    <>
      <Checkbox
        label={
          <>
            {isPublic ? 'Publié' : 'Non publié'}
            <span className="sr-only"> : publier « {p.name} » sur la page publique</span>
          </>
        }
        checked={isPublic}
        disabled={disabled}
        onChange={(next) => {
          // Not disabled while saving: a disabled box would drop the keyboard focus.
          if (!publish.isPending) publish.mutate({ id: p.id, isPublic: next, version: p.version });
        }}
      />
      {publish.isError && (
        <span className="field__error" role="alert">
          {errorMessage(publish.error)}
        </span>
      )}
    </>
  );
}

/** Templates the member's subscribed services imply, offered until the registry holds them. */
function Suggestions({ scope, canEdit }: { scope: RegistryScope; canEdit: boolean }) {
  const suggestions = useRegistrySuggestions(scope.memberId);
  const adopt = useAdoptTemplate(scope.memberId);
  const [added, setAdded] = useState<{ id: string; name: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // The button pressed leaves with its suggestion: the focus goes to the section's title.
  useEffect(() => {
    if (added) heading.current?.focus();
  }, [added]);
  const items = suggestions.data?.items ?? [];
  if (items.length === 0 && !added) return null;
  const member = scope.area === 'member';
  return (
    <section aria-labelledby="suggestions-titre" className="card">
      <h2 id="suggestions-titre" tabIndex={-1} ref={heading}>
        {member ? 'Traitements proposés par vos services' : 'Traitements proposés par les services souscrits'}
      </h2>
      {added && (
        <Alert type="success" live>
          <p>
            « {added.name} » ajouté au registre, en brouillon :{' '}
            <ProcessingLink scope={scope} processingId={added.id}>
              compléter la fiche
            </ProcessingLink>
            .
          </p>
        </Alert>
      )}
      {items.length > 0 && (
        <>
          <p>
            Les services auxquels la structure a souscrit impliquent ces traitements, absents du registre. Une
            fiche ajoutée reprend le modèle, en brouillon, avec les sous-traitants du service.
          </p>
          <ul>
            {items.map((s) => (
              <li key={s.template.id} className="row">
                <span>
                  <strong>{s.template.name}</strong>{' '}
                  <span className="muted">
                    ({s.services.length > 1 ? 'services' : 'service'} :{' '}
                    {s.services.map((x) => x.name).join(', ')}
                    {s.processors.length > 0
                      ? ` ; sous-traitant${s.processors.length > 1 ? 's' : ''} : ${s.processors.map((p) => p.name).join(', ')}`
                      : ''}
                    )
                  </span>
                </span>
                {canEdit && (
                  <Button
                    variant="secondary"
                    small
                    pending={adopt.isPending && adopt.variables === s.template.id}
                    onClick={() =>
                      !adopt.isPending &&
                      adopt.mutate(s.template.id, { onSuccess: (p) => setAdded({ id: p.id, name: p.name }) })
                    }
                    aria-label={`Ajouter au registre : ${s.template.name}`}
                  >
                    Ajouter au registre
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {adopt.isError && (
        <p className="field__error" role="alert">
          {errorMessage(adopt.error)}
        </p>
      )}
    </section>
  );
}

export function RegistryView({ scope }: { scope: RegistryScope }) {
  const processings = useProcessings(scope.memberId);
  const summary = useRegistrySummary(scope.memberId);
  const canEdit = summary.data?.canEdit ?? scope.area === 'operator';
  const [creating, setCreating] = useState(false);
  const today = parisToday();
  return (
    <>
      <RegistrySummaryCards memberId={scope.memberId} />
      <Suggestions scope={scope} canEdit={canEdit} />
      <div className="page-header rgpd-header">
        <h2>Traitements</h2>
        {canEdit && <Button onClick={() => setCreating(true)}>Nouveau traitement</Button>}
      </div>
      <RegistryExports memberId={scope.memberId} />
      {creating && <NewProcessingDialog scope={scope} onClose={() => setCreating(false)} />}
      <QueryView query={processings} loadingLabel="Chargement du registre…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Le registre ne contient encore aucun traitement.</EmptyState>
          ) : (
            <Table
              caption={`Registre des activités de traitement (${page.total})`}
              rows={page.items}
              rowKey={(p) => p.id}
              columns={[
                {
                  key: 'name',
                  header: 'Traitement',
                  rowHeader: true,
                  render: (p) => (
                    <>
                      <ProcessingLink scope={scope} processingId={p.id}>
                        {p.name}
                      </ProcessingLink>
                      {p.templateUpdateAvailable && (
                        <>
                          {' '}
                          <Badge tone="new">Mise à jour disponible</Badge>
                        </>
                      )}
                    </>
                  ),
                },
                { key: 'department', header: 'Service', render: (p) => p.department ?? '—' },
                {
                  key: 'status',
                  header: 'Statut',
                  render: (p) => <ProcessingStatusBadge status={p.status} />,
                },
                {
                  key: 'completion',
                  header: 'Complétude',
                  render: (p) => <Completion value={p.completion} />,
                },
                {
                  key: 'dpia',
                  header: 'AIPD',
                  render: (p) => <DpiaBadge required={p.dpiaRequired} status={p.dpiaStatus} />,
                },
                {
                  key: 'review',
                  header: 'Prochaine revue',
                  render: (p) =>
                    p.nextReviewOn && p.nextReviewOn <= today ? (
                      <strong>
                        {formatParisDate(p.nextReviewOn)} <Badge tone="warning">Revue due</Badge>
                      </strong>
                    ) : (
                      formatParisDate(p.nextReviewOn)
                    ),
                },
                {
                  key: 'public',
                  header: 'Page publique',
                  render: (p) => <PublishToggle scope={scope} p={p} disabled={!canEdit} />,
                },
              ]}
            />
          )
        }
      </QueryView>
    </>
  );
}

export function DesignationSection({ memberId, canEdit }: { memberId: string; canEdit: boolean }) {
  const designation = useDesignation(memberId);
  const save = useSaveDesignation(memberId);
  const [editing, setEditing] = useState(false);
  const d = designation.data;
  return (
    <section aria-labelledby="designation-titre">
      <h2 id="designation-titre">Désignation du délégué à la protection des données</h2>
      {editing ? (
        <Form
          id="designation"
          error={save.error}
          onSubmit={(data) => {
            const get = (k: string) => String(data.get(k) ?? '').trim() || null;
            save.mutate(
              { cnilNumber: get('cnilNumber'), designatedOn: get('designatedOn'), dpoName: get('dpoName') },
              { onSuccess: () => setEditing(false) },
            );
          }}
        >
          <TextField name="dpoName" label="DPO désigné" defaultValue={d?.dpoName ?? ''} />
          <TextField
            name="cnilNumber"
            label="Numéro de désignation CNIL"
            defaultValue={d?.cnilNumber ?? ''}
          />
          <TextField
            name="designatedOn"
            type="date"
            label="Date de désignation"
            defaultValue={d?.designatedOn ?? ''}
          />
          <div className="form-actions">
            <Button type="submit" pending={save.isPending}>
              Enregistrer la désignation
            </Button>
            <Button variant="secondary" onClick={() => setEditing(false)}>
              Annuler
            </Button>
          </div>
        </Form>
      ) : (
        <>
          {d ? (
            <dl className="dl">
              <dt>DPO désigné</dt>
              <dd>{d.dpoName ?? '—'}</dd>
              <dt>Numéro CNIL</dt>
              <dd>{d.cnilNumber ?? '—'}</dd>
              <dt>Date de désignation</dt>
              <dd>{formatParisDate(d.designatedOn)}</dd>
            </dl>
          ) : designation.isError ? (
            <p className="muted">Aucune désignation enregistrée.</p>
          ) : null}
          {canEdit && (
            <p className="form-actions">
              <Button variant="secondary" onClick={() => setEditing(true)}>
                Modifier la désignation
              </Button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

export function RegistryError({ error }: { error: unknown }) {
  return (
    <Alert type="error" title="Action impossible" live>
      <p>{errorMessage(error)}</p>
    </Alert>
  );
}
