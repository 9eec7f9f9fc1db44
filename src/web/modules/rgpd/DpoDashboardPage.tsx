import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useId } from 'react';
import {
  DASHBOARD_SORTS,
  type DashboardMember,
  RIGHTS_REQUEST_TYPE_LABELS,
} from '../../../contracts/rgpd-cases.js';
import {
  Badge,
  Button,
  Card,
  type Column,
  EmptyState,
  formatNumber,
  formatSort,
  PageTitle,
  Pagination,
  parseSort,
  QueryView,
  SelectField,
  Table,
  TextField,
  useCursorPages,
} from '../../ui/index.js';
import { KIND_OPTIONS, kindLabel, useDepartementOptions } from '../members/components.js';
import { DASHBOARD_PAGE_SIZE, type DashboardSearch, dashboardExportUrl, useDashboard } from './api.js';
import { Completion, DeadlineCountdown } from './components.js';
import { DpoTasks } from './DpoTasks.js';
import { formatParisDate } from './format.js';
import { DpoNav } from './nav.js';
import { RequireDpo } from './scope.js';

const ALLOWED = new Set<string>(DASHBOARD_SORTS);

/** Some columns sort one way only (the most urgent first): a click picks the direction the API knows. */
function toApiSort(key: string, direction: 'asc' | 'desc'): string {
  const wanted = formatSort({ key, direction });
  if (ALLOWED.has(wanted)) return wanted;
  const other = formatSort({ key, direction: direction === 'asc' ? 'desc' : 'asc' });
  return ALLOWED.has(other) ? other : 'completion';
}

function Filters({ search }: { search: DashboardSearch }) {
  const navigate = useNavigate();
  const departements = useDepartementOptions();
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next: DashboardSearch = { sort: search.sort };
    for (const key of ['q', 'departement', 'kind'] as const) {
      const value = String(data.get(key) ?? '');
      if (value) next[key] = value;
    }
    navigate({ to: '/operateur/rgpd', search: next });
  };
  return (
    <search aria-label="Filtres du tableau de bord">
      <form className="filters" onSubmit={submit} key={JSON.stringify(search)}>
        <TextField
          id={`${id}-q`}
          name="q"
          label="Structure"
          hint="Mots du nom"
          defaultValue={search.q ?? ''}
        />
        <SelectField
          id={`${id}-departement`}
          name="departement"
          label="Département"
          placeholder="Tous les départements"
          options={departements}
          defaultValue={search.departement ?? ''}
          key={departements.length}
        />
        <SelectField
          id={`${id}-kind`}
          name="kind"
          label="Type de structure"
          placeholder="Tous les types"
          options={KIND_OPTIONS}
          defaultValue={search.kind ?? ''}
        />
        <div className="actions row">
          <Button type="submit">Filtrer</Button>
          {(search.q || search.departement || search.kind) && (
            <Button
              variant="tertiary"
              onClick={() => navigate({ to: '/operateur/rgpd', search: { sort: search.sort } })}
            >
              Effacer les filtres
            </Button>
          )}
        </div>
      </form>
    </search>
  );
}

const memberColumns: Column<DashboardMember>[] = [
  {
    key: 'name',
    header: 'Structure',
    sortKey: 'name',
    rowHeader: true,
    render: (m) => (
      <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId: m.memberId }}>
        {m.name}
      </Link>
    ),
  },
  { key: 'kind', header: 'Type', render: (m) => kindLabel(m.kind) },
  { key: 'departement', header: 'Dép.', render: (m) => m.departementCode ?? '—' },
  { key: 'processings', header: 'Fiches', numeric: true, render: (m) => formatNumber(m.processings) },
  {
    key: 'completion',
    header: 'Complétude',
    sortKey: 'completion',
    render: (m) => <Completion value={m.completion} />,
  },
  {
    key: 'reviewDue',
    header: 'Revues dues',
    sortKey: 'reviewDue',
    numeric: true,
    render: (m) => m.reviewDue,
  },
  { key: 'dpiaToDo', header: 'AIPD à faire', sortKey: 'dpiaToDo', numeric: true, render: (m) => m.dpiaToDo },
  {
    key: 'openRequests',
    header: 'Demandes ouvertes',
    sortKey: 'openRequests',
    numeric: true,
    render: (m) => (
      <>
        {m.openRequests}
        {m.overdueRequests > 0 && (
          <>
            {' '}
            <Badge tone="error">{m.overdueRequests} en retard</Badge>
          </>
        )}
      </>
    ),
  },
  {
    key: 'nextDueOn',
    header: 'Prochaine échéance',
    sortKey: 'nextDueOn',
    render: (m) => formatParisDate(m.nextDueOn),
  },
  {
    key: 'breachesInWindow',
    header: 'Violations sous 72 h',
    sortKey: 'breachesInWindow',
    numeric: true,
    render: (m) => (m.breachesInWindow > 0 ? <Badge tone="error">{m.breachesInWindow}</Badge> : '0'),
  },
  {
    key: 'referent',
    header: 'Référent RGPD',
    render: (m) => (m.hasReferent ? 'Oui' : <Badge tone="warning">Aucun</Badge>),
  },
];

export function DpoDashboardPage() {
  return (
    <RequireDpo>
      <Dashboard />
    </RequireDpo>
  );
}

function Dashboard() {
  const search = useSearch({ from: '/operateur/rgpd' }) as DashboardSearch;
  const navigate = useNavigate();
  const pages = useCursorPages(JSON.stringify(search));
  const query = useDashboard(search, pages.cursor);
  const sort = parseSort(search.sort, { key: 'completion', direction: 'asc' });
  return (
    <>
      <PageTitle title="Tableau de bord RGPD" />
      <DpoNav />
      <DpoTasks />
      <h2>Indicateurs des structures</h2>
      <Filters search={search} />
      <p className="row">
        <span>Exporter le tableau filtré :</span>
        <a className="btn btn--secondary btn--small" href={dashboardExportUrl('csv', search)} download>
          Exporter en CSV
        </a>
        <a className="btn btn--secondary btn--small" href={dashboardExportUrl('xlsx', search)} download>
          Exporter en XLSX (tableur)
        </a>
      </p>
      <QueryView query={query} loadingLabel="Calcul des indicateurs…">
        {(d) => (
          <>
            <p className="muted">Situation au {formatParisDate(d.asOf)}.</p>
            <div className="grid rgpd-stats">
              <Card title="Complétude des registres">
                <span className="stat">{d.totals.completion == null ? '—' : `${d.totals.completion} %`}</span>
                <span className="stat-label">
                  {formatNumber(d.totals.processings)} traitements,{' '}
                  {formatNumber(d.totals.membersWithRegistry)} structures sur {formatNumber(d.totals.members)}
                </span>
              </Card>
              <Card title="Revues à faire">
                <span className="stat">{formatNumber(d.totals.reviewDue)}</span>
              </Card>
              <Card title="AIPD requises non faites">
                <span className="stat">{formatNumber(d.totals.dpiaToDo)}</span>
              </Card>
              <Card title="Demandes ouvertes">
                <span className="stat">{formatNumber(d.totals.openRequests)}</span>
                <span className="stat-label">dont {formatNumber(d.totals.overdueRequests)} en retard</span>
              </Card>
              <Card title="Violations sous 72 h">
                <span className="stat">{formatNumber(d.totals.breachesInWindow)}</span>
              </Card>
              <Card title="Structures sans référent RGPD">
                <span className="stat">{formatNumber(d.totals.membersWithoutReferent)}</span>
              </Card>
            </div>

            <h2>Violations dans leur délai de 72 heures</h2>
            {d.breachesInWindow.length === 0 ? (
              <EmptyState>Aucune violation en attente de notification.</EmptyState>
            ) : (
              <Table
                caption="Violations à notifier à la CNIL, la plus urgente d'abord"
                captionHidden
                rows={d.breachesInWindow}
                rowKey={(b) => b.id}
                columns={[
                  {
                    key: 'member',
                    header: 'Structure',
                    rowHeader: true,
                    render: (b) => (
                      <>
                        <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId: b.memberId }}>
                          {b.memberName}
                        </Link>
                        {b.toQualify && (
                          <>
                            {' '}
                            <Badge tone="warning">À qualifier</Badge>
                          </>
                        )}
                      </>
                    ),
                  },
                  {
                    key: 'countdown',
                    header: 'Délai de notification',
                    render: (b) => (
                      <DeadlineCountdown
                        deadline={b.notificationDeadline}
                        deadlineLabel={b.notificationDeadlineLabel}
                      />
                    ),
                  },
                ]}
              />
            )}

            <h2>Demandes d'exercice des droits ouvertes</h2>
            {d.openRequests.length === 0 ? (
              <EmptyState>Aucune demande en attente de réponse.</EmptyState>
            ) : (
              <Table
                caption="Demandes ouvertes, par date d'échéance"
                captionHidden
                rows={d.openRequests}
                rowKey={(r) => r.id}
                columns={[
                  {
                    key: 'due',
                    header: 'Échéance',
                    rowHeader: true,
                    render: (r) =>
                      r.overdue ? (
                        <strong>
                          {formatParisDate(r.dueOn)} <Badge tone="error">En retard</Badge>
                        </strong>
                      ) : (
                        formatParisDate(r.dueOn)
                      ),
                  },
                  {
                    key: 'member',
                    header: 'Structure',
                    render: (r) => (
                      <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId: r.memberId }}>
                        {r.memberName}
                      </Link>
                    ),
                  },
                  { key: 'type', header: 'Demande', render: (r) => RIGHTS_REQUEST_TYPE_LABELS[r.type] },
                  { key: 'received', header: 'Reçue le', render: (r) => formatParisDate(r.receivedOn) },
                ]}
              />
            )}

            <h2>Registres par structure</h2>
            {d.members.items.length === 0 ? (
              <EmptyState>Aucune structure ne correspond à ces critères.</EmptyState>
            ) : (
              <>
                <div className="rgpd-wide">
                  <Table
                    caption={`Registres des structures (${formatNumber(d.members.total)})`}
                    rows={d.members.items}
                    rowKey={(m) => m.memberId}
                    columns={memberColumns}
                    sort={sort}
                    onSort={(next) =>
                      navigate({
                        to: '/operateur/rgpd',
                        search: { ...search, sort: toApiSort(next.key, next.direction) },
                      })
                    }
                  />
                </div>
                <Pagination
                  label="Pagination des structures"
                  pageIndex={pages.pageIndex}
                  pageSize={DASHBOARD_PAGE_SIZE}
                  shown={d.members.items.length}
                  total={d.members.total}
                  nextCursor={d.members.nextCursor}
                  onNext={pages.next}
                  onPrevious={pages.previous}
                />
              </>
            )}

            <h2>Structures sans référent RGPD</h2>
            {d.membersWithoutReferent.length === 0 ? (
              <EmptyState>Toutes les structures ont un référent RGPD.</EmptyState>
            ) : (
              <ul>
                {d.membersWithoutReferent.map((m) => (
                  <li key={m.memberId}>
                    <Link to="/operateur/adherents/$memberId" params={{ memberId: m.memberId }}>
                      {m.name}
                    </Link>{' '}
                    <span className="muted">({kindLabel(m.kind)})</span>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}
