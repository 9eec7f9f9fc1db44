import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import {
  SERVICE_STATUS_LABELS,
  SERVICE_STATUSES,
  type ServiceStatus,
  type ServiceSummary,
} from '../../../../contracts/catalogue.js';
import { useAuth } from '../../../app/auth.js';
import {
  Alert,
  Button,
  EmptyState,
  optionsOf,
  PageTitle,
  QueryView,
  SelectField,
  Table,
} from '../../../ui/index.js';
import { formatCents } from '../../pricing/money.js';
import { ServiceImpliedSection } from '../../rgpd/ServiceImpliedSection.js';
import { useService, useServices } from '../api.js';
import { domainLabel, ServiceStatusBadge } from '../components.js';
import { HistorySection } from './HistorySection.js';
import { ServiceForm } from './ServiceForm.js';

function EditService({
  serviceId,
  all,
  canEdit,
}: {
  serviceId: string;
  all: ServiceSummary[];
  canEdit: boolean;
}) {
  const service = useService(serviceId);
  return (
    <QueryView query={service} loadingLabel="Chargement du service…">
      {(s) => (
        <section aria-labelledby="edition-titre">
          <h2 id="edition-titre">{canEdit ? `Modifier « ${s.name} »` : s.name}</h2>
          <p>
            <Link to="/catalogue/$serviceId" params={{ serviceId: s.id }}>
              Voir la page publique du service
            </Link>
            {s.alonePrices.length > 0 &&
              ` — prix seul de ${formatCents(Math.min(...s.alonePrices.map((p) => p.aloneCents)))} à ${formatCents(Math.max(...s.alonePrices.map((p) => p.aloneCents)))}`}
          </p>
          {canEdit && <ServiceForm service={s} all={all} onSaved={() => undefined} />}
          <ServiceImpliedSection serviceId={s.id} serviceName={s.name} />
          <HistorySection serviceId={s.id} />
        </section>
      )}
    </QueryView>
  );
}

export function OperatorCataloguePage() {
  const search = useSearch({ from: '/operateur/catalogue' });
  const navigate = useNavigate();
  const auth = useAuth();
  const [status, setStatus] = useState<ServiceStatus | ''>('');
  const services = useServices(status ? { status } : {});
  const all = useServices();
  return (
    <>
      <div className="page-header">
        <PageTitle title="Catalogue des services" />
        {auth.isOperatorAdmin && (
          <Button onClick={() => navigate({ to: '/operateur/catalogue', search: { service: 'nouveau' } })}>
            Nouveau service
          </Button>
        )}
      </div>
      {!auth.isOperatorAdmin && (
        <Alert type="info">
          <p>
            Le catalogue reflète les décisions du comité syndical : seuls les administrateurs de l'opérateur
            le modifient. Vous pouvez consulter chaque service et son historique.
          </p>
        </Alert>
      )}
      <div className="filters">
        <SelectField
          name="status"
          label="Statut"
          placeholder="Tous sauf retirés"
          options={optionsOf(SERVICE_STATUS_LABELS, SERVICE_STATUSES)}
          value={status}
          onChange={(e) => setStatus(e.target.value as ServiceStatus | '')}
        />
      </div>
      <QueryView query={services} loadingLabel="Chargement du catalogue…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun service.</EmptyState>
          ) : (
            <Table
              caption={`Services du catalogue (${page.total})`}
              rows={page.items}
              rowKey={(s) => s.id}
              columns={[
                {
                  key: 'name',
                  header: 'Service',
                  rowHeader: true,
                  render: (s) => (
                    <Link
                      to="/operateur/catalogue"
                      search={{ service: s.id }}
                      aria-current={s.id === search.service ? 'true' : undefined}
                    >
                      {s.name}
                    </Link>
                  ),
                },
                { key: 'code', header: 'Code', render: (s) => s.code },
                { key: 'domain', header: 'Domaine', render: (s) => domainLabel(s.domain) },
                { key: 'status', header: 'Statut', render: (s) => <ServiceStatusBadge status={s.status} /> },
                { key: 'notice', header: 'Préavis', numeric: true, render: (s) => `${s.noticeMonths} mois` },
              ]}
            />
          )
        }
      </QueryView>
      {search.service === 'nouveau' && auth.isOperatorAdmin ? (
        <section aria-labelledby="creation-titre">
          <h2 id="creation-titre">Nouveau service</h2>
          <ServiceForm
            all={all.data?.items ?? []}
            onSaved={(id) => navigate({ to: '/operateur/catalogue', search: { service: id } })}
          />
        </section>
      ) : (
        search.service &&
        search.service !== 'nouveau' && (
          <EditService
            key={search.service}
            serviceId={search.service}
            all={all.data?.items ?? []}
            canEdit={auth.isOperatorAdmin}
          />
        )
      )}
    </>
  );
}
