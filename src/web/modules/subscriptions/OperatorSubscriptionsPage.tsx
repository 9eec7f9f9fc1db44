import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { MEMBER_KIND_LABELS, MEMBER_KINDS, type MemberKind } from '../../../contracts/members.js';
import {
  type BulkReport,
  SUBSCRIPTION_STATUS_LABELS,
  type Subscription,
  terminationEndDate,
} from '../../../contracts/subscriptions.js';
import type { EpciItem } from '../../../contracts/territory.js';
import { api, type Page } from '../../app/api.js';
import {
  Alert,
  Button,
  EmptyState,
  Form,
  formatDate,
  formatNumber,
  ModalDialog,
  optionsOf,
  PageTitle,
  Pagination,
  QueryView,
  SearchComboBox,
  SelectField,
  Table,
  TextAreaField,
  TextField,
  today,
  useCursorPages,
} from '../../ui/index.js';
import { useServices } from '../catalogue/api.js';
import { kindLabel } from '../members/components.js';
import { useDepartements } from '../territory/api.js';
import {
  PAGE_SIZE,
  subscribersExportUrl,
  useBulkSubscribe,
  useSubscribers,
  useSubscriptionAction,
  useSubscriptionQueue,
} from './api.js';
import { SubscriptionStatusBadge } from './components.js';
import { SubscriptionHistoryDialog } from './SubscriptionHistory.js';

type Decision = { subscription: Subscription; action: 'accept' | 'refuse' | 'confirm-termination' };

function DecisionDialog({ decision, onClose }: { decision: Decision; onClose: () => void }) {
  const act = useSubscriptionAction();
  const { subscription: s, action } = decision;
  const title =
    action === 'accept'
      ? 'Accepter la demande'
      : action === 'refuse'
        ? 'Refuser la demande'
        : 'Confirmer la résiliation';
  const defaultEnd =
    action === 'confirm-termination'
      ? terminationEndDate(s.updatedAt.slice(0, 10), s.service.noticeMonths, s.startDate)
      : '';
  return (
    <ModalDialog title={title} isOpen onOpenChange={(open) => !open && onClose()}>
      <p>
        <strong>{s.memberName}</strong> — {s.service.name}
        {s.units != null && ` (${formatNumber(s.units)} ${s.service.unitLabel ?? 'unités'})`}
      </p>
      <Form
        id="decision"
        error={act.error}
        onSubmit={(data) => {
          const value = (key: string) => String(data.get(key) ?? '').trim();
          const note = value('note');
          const body: Record<string, unknown> =
            action === 'accept'
              ? { startDate: value('startDate'), ...(note ? { note } : {}) }
              : action === 'refuse'
                ? { reason: value('reason') }
                : { ...(value('endDate') ? { endDate: value('endDate') } : {}), ...(note ? { note } : {}) };
          act.mutate({ subscription: s, action, body }, { onSuccess: onClose });
        }}
      >
        {action === 'accept' && (
          <>
            <TextField
              name="startDate"
              label="Date de démarrage"
              type="date"
              defaultValue={today()}
              required
            />
            <TextAreaField name="note" label="Note (facultative)" rows={2} />
          </>
        )}
        {action === 'refuse' && (
          <TextAreaField
            name="reason"
            label="Motif du refus"
            hint="Il est communiqué à la structure : soyez précis sur ce qui manque."
            rows={3}
            required
          />
        )}
        {action === 'confirm-termination' && (
          <>
            <TextField
              name="endDate"
              label="Date de fin"
              hint="Par défaut, la fin du préavis"
              type="date"
              defaultValue={defaultEnd}
            />
            <TextAreaField name="note" label="Note (facultative)" rows={2} />
          </>
        )}
        <div className="form-actions">
          <Button type="submit" variant={action === 'refuse' ? 'danger' : 'primary'} pending={act.isPending}>
            {title}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </Form>
    </ModalDialog>
  );
}

function QueueSection({ serviceOptions }: { serviceOptions: { value: string; label: string }[] }) {
  const [status, setStatus] = useState<'requested' | 'termination_requested'>('requested');
  const [serviceId, setServiceId] = useState('');
  const pages = useCursorPages(`${status}-${serviceId}`);
  const queue = useSubscriptionQueue(status, serviceId || undefined, pages.cursor);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [history, setHistory] = useState<Subscription | null>(null);
  return (
    <section aria-labelledby="file-titre">
      <h2 id="file-titre">Demandes à traiter</h2>
      <div className="filters">
        <SelectField
          name="queue"
          label="Afficher"
          options={[
            { value: 'requested', label: 'Demandes de souscription' },
            { value: 'termination_requested', label: 'Demandes de résiliation' },
          ]}
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
        />
        <SelectField
          name="queueService"
          label="Service demandé"
          placeholder="Tous les services"
          options={serviceOptions}
          value={serviceId}
          onChange={(e) => setServiceId(e.target.value)}
        />
      </div>
      <QueryView query={queue} loadingLabel="Chargement des demandes…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune demande en attente.</EmptyState>
          ) : (
            <>
              <Table
                caption={`${SUBSCRIPTION_STATUS_LABELS[status]}s : ${formatNumber(page.total)} en attente`}
                rows={page.items}
                rowKey={(s) => s.id}
                columns={[
                  { key: 'member', header: 'Structure', rowHeader: true, render: (s) => s.memberName },
                  { key: 'service', header: 'Service', render: (s) => s.service.name },
                  { key: 'requested', header: 'Demandée le', render: (s) => formatDate(s.requestedOn) },
                  {
                    key: 'units',
                    header: 'Unités',
                    numeric: true,
                    render: (s) => (s.units == null ? '—' : formatNumber(s.units)),
                  },
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (s) => (
                      <div className="row">
                        {s.status === 'requested' ? (
                          <>
                            <Button small onClick={() => setDecision({ subscription: s, action: 'accept' })}>
                              Accepter
                              <span className="sr-only">
                                {' '}
                                la demande de {s.memberName} pour {s.service.name}
                              </span>
                            </Button>
                            <Button
                              small
                              variant="secondary"
                              onClick={() => setDecision({ subscription: s, action: 'refuse' })}
                            >
                              Refuser
                              <span className="sr-only">
                                {' '}
                                la demande de {s.memberName} pour {s.service.name}
                              </span>
                            </Button>
                          </>
                        ) : (
                          <Button
                            small
                            onClick={() => setDecision({ subscription: s, action: 'confirm-termination' })}
                          >
                            Confirmer la résiliation
                            <span className="sr-only">
                              {' '}
                              de {s.memberName} pour {s.service.name}
                            </span>
                          </Button>
                        )}
                        <Button small variant="tertiary" onClick={() => setHistory(s)}>
                          Historique
                          <span className="sr-only">
                            {' '}
                            de {s.memberName} pour {s.service.name}
                          </span>
                        </Button>
                      </div>
                    ),
                  },
                ]}
              />
              <Pagination
                label="Pagination des demandes"
                pageIndex={pages.pageIndex}
                pageSize={PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
      {decision && <DecisionDialog decision={decision} onClose={() => setDecision(null)} />}
      {history && <SubscriptionHistoryDialog subscription={history} onClose={() => setHistory(null)} />}
    </section>
  );
}

function SubscribersSection({ serviceOptions }: { serviceOptions: { value: string; label: string }[] }) {
  const search = useSearch({ from: '/operateur/abonnements' });
  const navigate = useNavigate();
  const serviceId = search.service;
  const pages = useCursorPages(serviceId ?? '');
  const subscribers = useSubscribers(serviceId, pages.cursor);
  return (
    <section aria-labelledby="abonnes-titre">
      <h2 id="abonnes-titre">Abonnés par service</h2>
      <div className="filters">
        <SelectField
          name="service"
          label="Service"
          placeholder="Choisir un service…"
          options={serviceOptions}
          value={serviceId ?? ''}
          onChange={(e) =>
            navigate({
              to: '/operateur/abonnements',
              search: e.target.value ? { service: e.target.value } : {},
            })
          }
        />
      </div>
      {serviceId && (
        <>
          <p className="row">
            <span>Exporter les abonnés :</span>
            <a
              className="btn btn--secondary btn--small"
              href={subscribersExportUrl(serviceId, 'csv')}
              download
            >
              Exporter en CSV
            </a>
            <a
              className="btn btn--secondary btn--small"
              href={subscribersExportUrl(serviceId, 'xlsx')}
              download
            >
              Exporter en XLSX (tableur)
            </a>
          </p>
          <QueryView query={subscribers} loadingLabel="Chargement des abonnés…">
            {(page) =>
              page.items.length === 0 ? (
                <EmptyState>Aucun abonné à ce service.</EmptyState>
              ) : (
                <>
                  <Table
                    caption={`Abonnés du service (${formatNumber(page.total)})`}
                    rows={page.items}
                    rowKey={(s) => s.subscriptionId}
                    columns={[
                      { key: 'name', header: 'Structure', rowHeader: true, render: (s) => s.memberName },
                      { key: 'kind', header: 'Type', render: (s) => kindLabel(s.kind) },
                      { key: 'dep', header: 'Département', render: (s) => s.departementCode ?? '—' },
                      {
                        key: 'population',
                        header: 'Population',
                        numeric: true,
                        render: (s) => formatNumber(s.population),
                      },
                      {
                        key: 'status',
                        header: 'Statut',
                        render: (s) => <SubscriptionStatusBadge status={s.status} />,
                      },
                      { key: 'start', header: 'Début', render: (s) => formatDate(s.startDate) },
                      { key: 'end', header: 'Fin', render: (s) => formatDate(s.endDate) },
                      {
                        key: 'units',
                        header: 'Unités',
                        numeric: true,
                        render: (s) => (s.units == null ? '—' : formatNumber(s.units)),
                      },
                    ]}
                  />
                  <Pagination
                    label="Pagination des abonnés"
                    pageIndex={pages.pageIndex}
                    pageSize={PAGE_SIZE}
                    shown={page.items.length}
                    total={page.total}
                    nextCursor={page.nextCursor}
                    onNext={pages.next}
                    onPrevious={pages.previous}
                  />
                </>
              )
            }
          </QueryView>
        </>
      )}
    </section>
  );
}

const searchEpci = async (q: string) =>
  (await api.get<Page<EpciItem>>('/api/v1/territory/epci', { q, limit: 10 })).items.map((e) => ({
    id: e.code,
    label: `${e.name} (${e.type})`,
  }));

type BulkInput = {
  serviceId: string;
  epciCode?: string;
  departement?: string;
  kind?: MemberKind;
  startDate: string;
};

function BulkReportView({ report }: { report: BulkReport }) {
  return (
    <Table
      caption={
        report.dryRun
          ? `Vérification : ${formatNumber(report.created)} abonnement(s) seraient créés, ${formatNumber(report.skipped)} structure(s) ignorée(s)`
          : `Résultat : ${formatNumber(report.created)} abonnement(s) créé(s), ${formatNumber(report.skipped)} structure(s) ignorée(s)`
      }
      rows={report.items}
      rowKey={(i) => i.memberId}
      columns={[
        { key: 'name', header: 'Structure', rowHeader: true, render: (i) => i.name },
        {
          key: 'outcome',
          header: 'Résultat',
          render: (i) => (i.outcome === 'created' ? (report.dryRun ? 'Sera abonnée' : 'Abonnée') : 'Ignorée'),
        },
        { key: 'reason', header: 'Motif', render: (i) => i.reason ?? '—' },
      ]}
    />
  );
}

function BulkSection({ serviceOptions }: { serviceOptions: { value: string; label: string }[] }) {
  const [criterion, setCriterion] = useState<'epci' | 'departement'>('epci');
  const [input, setInput] = useState<BulkInput | null>(null);
  const check = useBulkSubscribe();
  const commit = useBulkSubscribe();
  const departements = useDepartements();
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const report = commit.data ?? check.data;
  return (
    <section aria-labelledby="groupe-titre">
      <h2 id="groupe-titre">Abonnement groupé</h2>
      <p>
        Abonnez d'un coup un ensemble de structures, par exemple toutes les communes d'un EPCI. Une
        vérification montre d'abord, structure par structure, ce qui sera fait et pourquoi certaines sont
        ignorées.
      </p>
      <Form
        id="abonnement-groupe"
        error={check.error ?? commit.error}
        clientErrors={clientErrors}
        onSubmit={(data) => {
          const value = (key: string) => String(data.get(key) ?? '').trim();
          const errors: Record<string, string> = {};
          if (!value('serviceId')) errors.serviceId = 'Choisissez un service.';
          if (criterion === 'epci' && !value('epciCode'))
            errors.epciCode = 'Choisissez un EPCI dans la liste.';
          if (criterion === 'departement' && !value('departement'))
            errors.departement = 'Choisissez un département.';
          if (!value('startDate')) errors.startDate = 'Indiquez la date de démarrage.';
          setClientErrors(errors);
          if (Object.keys(errors).length) return;
          const next: BulkInput = {
            serviceId: value('serviceId'),
            startDate: value('startDate'),
            ...(criterion === 'epci'
              ? { epciCode: value('epciCode') }
              : { departement: value('departement') }),
            ...(value('kind') ? { kind: value('kind') as MemberKind } : {}),
          };
          setInput(next);
          commit.reset();
          check.reset();
          check.mutate({ ...next, dryRun: true });
        }}
      >
        <SelectField
          name="serviceId"
          label="Service"
          placeholder="Choisir un service…"
          options={serviceOptions}
          required
        />
        <SelectField
          name="criterion"
          label="Structures à abonner"
          options={[
            { value: 'epci', label: 'Un EPCI et ses communes' },
            { value: 'departement', label: 'Un département' },
          ]}
          value={criterion}
          onChange={(e) => setCriterion(e.target.value as typeof criterion)}
        />
        {criterion === 'epci' ? (
          <SearchComboBox
            name="epciCode"
            label="EPCI"
            hint="Tapez le nom ou le SIREN puis choisissez dans la liste."
            search={searchEpci}
            queryKey="epci"
            required
          />
        ) : (
          <SelectField
            name="departement"
            label="Département"
            placeholder="Choisir un département…"
            options={(departements.data?.items ?? []).map((d) => ({
              value: d.code,
              label: `${d.code} — ${d.name}`,
            }))}
            required
          />
        )}
        <SelectField
          name="kind"
          label="Seulement les structures de type (facultatif)"
          placeholder="Tous les types"
          options={optionsOf(MEMBER_KIND_LABELS, MEMBER_KINDS)}
        />
        <TextField name="startDate" label="Date de démarrage" type="date" defaultValue={today()} required />
        <div className="form-actions">
          <Button type="submit" pending={check.isPending}>
            Vérifier (sans rien enregistrer)
          </Button>
        </div>
      </Form>
      <div aria-live="polite">
        {commit.isSuccess && (
          <Alert type="success" title="Abonnements créés">
            <p>
              {formatNumber(commit.data.created)} abonnement(s) créé(s), {formatNumber(commit.data.skipped)}{' '}
              structure(s) ignorée(s).
            </p>
          </Alert>
        )}
      </div>
      {check.data && !commit.isSuccess && input && check.data.created > 0 && (
        <p>
          <Button pending={commit.isPending} onClick={() => commit.mutate({ ...input, dryRun: false })}>
            Abonner {formatNumber(check.data.created)} structure{check.data.created > 1 ? 's' : ''}
          </Button>
        </p>
      )}
      {report && <BulkReportView report={report} />}
    </section>
  );
}

export function OperatorSubscriptionsPage() {
  const services = useServices();
  const serviceOptions = (services.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
  return (
    <>
      <PageTitle title="Abonnements" />
      <QueueSection serviceOptions={serviceOptions} />
      <SubscribersSection serviceOptions={serviceOptions} />
      <BulkSection serviceOptions={serviceOptions} />
    </>
  );
}
