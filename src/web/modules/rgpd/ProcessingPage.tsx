import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { TEMPLATE_FIELD_NAMES, type TemplateFields } from '../../../contracts/rgpd.js';
import { useAuth } from '../../app/auth.js';
import { Alert, Button, ButtonLink, EmptyState, Form, PageTitle, QueryView } from '../../ui/index.js';
import {
  type Processing,
  type ProcessingVersion,
  useDecideTemplateUpdate,
  usePatchProcessing,
  useProcessing,
  useProcessors,
  useRegistrySummary,
  useTemplateUpdate,
  useVersions,
} from './api.js';
import { Checkbox, Completion, DpiaBadge, ProcessingStatusBadge } from './components.js';
import { cleanValue, type EditorValue, FieldsEditor } from './FieldsEditor.js';
import { formatParisDateTime } from './format.js';
import { fieldLabel, formatFieldValue } from './labels.js';
import { type RegistryScope, RequireDpo, useIsDpo } from './scope.js';

export function MyProcessingPage() {
  const { processingId } = useParams({ from: '/espace/rgpd/traitements/$processingId' });
  const auth = useAuth();
  return (
    <ProcessingView scope={{ area: 'member', memberId: auth.current!.id }} processingId={processingId} />
  );
}

export function OperatorProcessingPage() {
  const { memberId, processingId } = useParams({
    from: '/operateur/rgpd/adherents/$memberId/traitements/$processingId',
  });
  return (
    <RequireDpo>
      <ProcessingView scope={{ area: 'operator', memberId }} processingId={processingId} />
    </RequireDpo>
  );
}

function toEditorValue(p: Processing): EditorValue {
  const fields = Object.fromEntries(TEMPLATE_FIELD_NAMES.map((k) => [k, p[k]])) as TemplateFields;
  return {
    ...fields,
    status: p.status,
    lastReviewOn: p.lastReviewOn,
    nextReviewOn: p.nextReviewOn,
    dpiaStatus: p.dpiaStatus,
    dpiaNotRequiredReason: p.dpiaNotRequiredReason,
    isPublic: p.isPublic,
    processorIds: p.processors.map((x) => x.id),
  };
}

function Breadcrumb({ scope, name }: { scope: RegistryScope; name: string }) {
  return (
    <nav className="breadcrumb" aria-label="Fil d'Ariane">
      <ol>
        {scope.area === 'member' ? (
          <li>
            <Link to="/espace/rgpd">Mon registre RGPD</Link>
          </li>
        ) : (
          <>
            <li>
              <Link to="/operateur/rgpd">DPO mutualisé</Link>
            </li>
            <li>
              <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId: scope.memberId }}>
                Registre de la structure
              </Link>
            </li>
          </>
        )}
        <li aria-current="page">{name}</li>
      </ol>
    </nav>
  );
}

function ProcessingView({ scope, processingId }: { scope: RegistryScope; processingId: string }) {
  const query = useProcessing(scope.memberId, processingId);
  const summary = useRegistrySummary(scope.memberId);
  const isDpo = useIsDpo();
  const auth = useAuth();
  const canEdit = summary.data?.canEdit ?? (isDpo || auth.isMemberAdmin);
  const [tab, setTab] = useState<string>('fiche');
  const [notice, setNotice] = useState<string | null>(null);
  const name = query.data?.name ?? 'Traitement';
  return (
    <>
      <Breadcrumb scope={scope} name={name} />
      <PageTitle title={query.data ? `Traitement : ${name}` : 'Traitement'} />
      <QueryView query={query} loadingLabel="Chargement du traitement…">
        {(p) => (
          <>
            <p className="row">
              <ProcessingStatusBadge status={p.status} />
              <span>
                Complétude : <Completion value={p.completion} />
              </span>
              <DpiaBadge required={p.dpiaRequired} status={p.dpiaStatus} />
              <span className="muted">
                Version {p.version}, modifiée le {formatParisDateTime(p.updatedAt)}
              </span>
            </p>
            {scope.area === 'operator' && isDpo && (
              <p>
                <ButtonLink
                  variant="secondary"
                  to="/operateur/rgpd/adherents/$memberId/traitements/$processingId/copie"
                  params={{ memberId: scope.memberId, processingId: p.id }}
                >
                  Copier vers d'autres structures
                </ButtonLink>
              </p>
            )}
            {p.templateName && (
              <p>
                Créé à partir du modèle « {p.templateName} »
                {p.templateVersion != null ? ` (version ${p.templateVersion})` : ''}.
              </p>
            )}
            {notice && (
              <Alert type="success" live>
                <p>{notice}</p>
              </Alert>
            )}
            {p.templateUpdateAvailable && (
              <Alert type="info" title="Mise à jour du modèle disponible">
                <p>
                  Le modèle « {p.templateName} » a changé depuis la création de cette fiche.{' '}
                  <Button variant="secondary" small onClick={() => setTab('mise-a-jour')}>
                    Examiner la mise à jour
                  </Button>
                </p>
              </Alert>
            )}
            <Tabs className="tabs" selectedKey={tab} onSelectionChange={(k) => setTab(String(k))}>
              <TabList aria-label="Rubriques du traitement">
                <Tab id="fiche">Fiche</Tab>
                {p.templateId && <Tab id="mise-a-jour">Mise à jour du modèle</Tab>}
                <Tab id="historique">Historique des versions</Tab>
              </TabList>
              <TabPanel id="fiche">
                <ProcessingEditor
                  scope={scope}
                  processing={p}
                  canEdit={canEdit}
                  onSaved={(version) => setNotice(`Modifications enregistrées (version ${version}).`)}
                />
              </TabPanel>
              {p.templateId && (
                <TabPanel id="mise-a-jour">
                  <TemplateUpdateReview
                    scope={scope}
                    processing={p}
                    canEdit={canEdit}
                    onDone={(message) => {
                      setNotice(message);
                      setTab('fiche');
                    }}
                  />
                </TabPanel>
              )}
              <TabPanel id="historique">
                <VersionHistory scope={scope} processingId={p.id} />
              </TabPanel>
            </Tabs>
          </>
        )}
      </QueryView>
    </>
  );
}

function ProcessingEditor({
  scope,
  processing,
  canEdit,
  onSaved,
}: {
  scope: RegistryScope;
  processing: Processing;
  canEdit: boolean;
  onSaved: (version: number) => void;
}) {
  const [value, setValue] = useState<EditorValue>(() => toEditorValue(processing));
  // A new version (saved here, or a template update accepted) replaces what the form shows.
  const [shownVersion, setShownVersion] = useState(processing.version);
  if (shownVersion !== processing.version) {
    setShownVersion(processing.version);
    setValue(toEditorValue(processing));
  }
  const patch = usePatchProcessing(scope.memberId, processing.id);
  const processors = useProcessors();
  const options = [
    ...(processors.data?.items ?? []).map((p) => ({ id: p.id, name: p.name })),
    // A linked processor always shows, even when the directory has not loaded.
    ...processing.processors.filter((p) => !processors.data?.items.some((x) => x.id === p.id)),
  ];
  return (
    <>
      <h2 className="sr-only">Fiche du traitement</h2>
      {processing.missingFields.length > 0 && (
        <Alert type="warning" title={`Fiche complète à ${processing.completion} %`}>
          <p>Champs obligatoires à compléter : {processing.missingFields.join(', ')}.</p>
        </Alert>
      )}
      {!canEdit && (
        <Alert type="info">
          <p>Vous consultez ce traitement en lecture seule.</p>
        </Alert>
      )}
      <Form
        id="traitement"
        error={patch.error}
        aria-label="Fiche du traitement"
        onSubmit={() => {
          patch.mutate(
            { ...cleanValue(value), version: processing.version },
            { onSuccess: (saved) => onSaved(saved.version) },
          );
        }}
      >
        <FieldsEditor
          value={value}
          onChange={(change) => setValue((v) => ({ ...v, ...change }))}
          local
          processors={options}
          readOnly={!canEdit}
        />
        {canEdit && (
          <div className="form-actions sticky-actions">
            <Button type="submit" pending={patch.isPending}>
              Enregistrer le traitement
            </Button>
            <Button variant="secondary" onClick={() => setValue(toEditorValue(processing))}>
              Annuler les modifications
            </Button>
          </div>
        )}
      </Form>
    </>
  );
}

function TemplateUpdateReview({
  scope,
  processing,
  canEdit,
  onDone,
}: {
  scope: RegistryScope;
  processing: Processing;
  canEdit: boolean;
  onDone: (message: string) => void;
}) {
  const update = useTemplateUpdate(scope.memberId, processing.id, !!processing.templateId);
  const decide = useDecideTemplateUpdate(scope.memberId, processing.id);
  const [accepted, setAccepted] = useState<string[]>([]);
  return (
    <>
      <h2>Mise à jour du modèle</h2>
      <QueryView query={update} loadingLabel="Comparaison avec le modèle…">
        {(u) =>
          !u.available || u.differences.length === 0 ? (
            <EmptyState>
              Cette fiche est à jour : elle suit la version {u.toVersion} du modèle « {u.templateName} ».
            </EmptyState>
          ) : (
            <Form
              id="mise-a-jour"
              error={decide.error}
              aria-label="Mise à jour du modèle"
              onSubmit={() =>
                decide.mutate(
                  { accept: accepted },
                  {
                    onSuccess: () =>
                      onDone(
                        `${accepted.length} champ${accepted.length > 1 ? 's' : ''} repris du modèle « ${u.templateName} ».`,
                      ),
                  },
                )
              }
            >
              <p>
                Le modèle « {u.templateName} » est passé de la version {u.fromVersion ?? '?'} à la version{' '}
                {u.toVersion}. Cochez les champs dont vous acceptez la nouvelle valeur ; les autres gardent
                votre valeur locale.
              </p>
              <div className="table-wrap">
                <table className="table">
                  <caption>Différences entre votre fiche et le modèle</caption>
                  <thead>
                    <tr>
                      <th scope="col">Champ</th>
                      <th scope="col">Votre valeur</th>
                      <th scope="col">Nouvelle valeur du modèle</th>
                      <th scope="col">Accepter</th>
                    </tr>
                  </thead>
                  <tbody>
                    {u.differences.map((d) => (
                      <tr key={d.field}>
                        <th scope="row">{fieldLabel(d.field)}</th>
                        <td className="diff-before">{formatFieldValue(d.field, d.current)}</td>
                        <td className="diff-after">{formatFieldValue(d.field, d.proposed)}</td>
                        <td>
                          <Checkbox
                            label={<span className="sr-only">Accepter : {fieldLabel(d.field)}</span>}
                            checked={accepted.includes(d.field)}
                            disabled={!canEdit}
                            onChange={(checked) =>
                              setAccepted((a) => (checked ? [...a, d.field] : a.filter((f) => f !== d.field)))
                            }
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {canEdit && (
                <div className="form-actions">
                  <Button variant="secondary" onClick={() => setAccepted(u.differences.map((d) => d.field))}>
                    Tout cocher
                  </Button>
                  <Button type="submit" pending={decide.isPending} disabled={accepted.length === 0}>
                    Accepter les champs cochés
                  </Button>
                  <Button
                    variant="tertiary"
                    pending={decide.isPending}
                    onClick={() =>
                      decide.mutate(
                        { accept: [], dismiss: true },
                        {
                          onSuccess: () =>
                            onDone('Mise à jour du modèle écartée : votre fiche reste inchangée.'),
                        },
                      )
                    }
                  >
                    Écarter la mise à jour
                  </Button>
                </div>
              )}
            </Form>
          )
        }
      </QueryView>
    </>
  );
}

function VersionHistory({ scope, processingId }: { scope: RegistryScope; processingId: string }) {
  const versions = useVersions(scope.memberId, processingId);
  return (
    <>
      <h2>Historique des versions</h2>
      <QueryView query={versions} loadingLabel="Chargement de l'historique…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune version enregistrée.</EmptyState>
          ) : (
            <ol className="timeline">
              {[...page.items]
                .sort((a, b) => b.version - a.version)
                .map((v) => (
                  <VersionItem key={v.version} version={v} />
                ))}
            </ol>
          )
        }
      </QueryView>
    </>
  );
}

function VersionItem({ version: v }: { version: ProcessingVersion }) {
  const who = v.actorName ?? 'opération automatique';
  return (
    <li className="timeline__item">
      <h3>Version {v.version}</h3>
      <p className="timeline__meta">
        Le {formatParisDateTime(v.at)}, par {who}
      </p>
      {v.changes.length === 0 ? (
        <p>{v.version === 1 ? 'Création du traitement.' : 'Aucun champ modifié.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Modifications de la version {v.version}</caption>
            <thead>
              <tr>
                <th scope="col">Champ</th>
                <th scope="col">Avant</th>
                <th scope="col">Après</th>
              </tr>
            </thead>
            <tbody>
              {v.changes.map((c) => (
                <tr key={c.field}>
                  <th scope="row">{fieldLabel(c.field)}</th>
                  <td className="diff-before">
                    <del>
                      <span className="sr-only">Avant : </span>
                      {formatFieldValue(c.field, c.before)}
                    </del>
                  </td>
                  <td className="diff-after">
                    <ins>
                      <span className="sr-only">Après : </span>
                      {formatFieldValue(c.field, c.after)}
                    </ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}
