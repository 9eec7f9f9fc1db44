import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useAuth, useCurrentOrganisation } from '../../../app/auth.js';
import { Alert, Button, ButtonLink, PageTitle, QueryView } from '../../../ui/index.js';
import { useProcessing, useRegistrySummary } from '../api.js';
import { Completion, DpiaBadge, ProcessingStatusBadge } from '../components.js';
import { formatParisDateTime } from '../format.js';
import { type RegistryScope, RequireDpo, useIsDpo } from '../scope.js';
import { ProcessingEditor } from './ProcessingEditor.js';
import { TemplateUpdateReview } from './TemplateUpdateReview.js';
import { VersionHistory } from './VersionHistory.js';

export function MyProcessingPage() {
  const { processingId } = useParams({ from: '/espace/rgpd/traitements/$processingId' });
  const current = useCurrentOrganisation();
  return <ProcessingView scope={{ area: 'member', memberId: current.id }} processingId={processingId} />;
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
              <Alert type="success">
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
