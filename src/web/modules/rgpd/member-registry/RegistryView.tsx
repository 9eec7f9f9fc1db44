import { useState } from 'react';
import { Badge, Button, Card, EmptyState, QueryView, Table } from '../../../ui/index.js';
import { registryUrl, useProcessings, useRegistrySummary } from '../api.js';
import { Completion, DpiaBadge, ProcessingStatusBadge } from '../components.js';
import { formatParisDate, parisToday } from '../format.js';
import { ProcessingLink, type RegistryScope } from '../scope.js';
import { NewProcessingDialog } from './NewProcessingDialog.js';
import { PublishToggle } from './PublishToggle.js';
import { Suggestions } from './Suggestions.js';

function RegistryExports({ memberId }: { memberId: string }) {
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
