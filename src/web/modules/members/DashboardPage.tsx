import { Link } from '@tanstack/react-router';
import { MEMBERSHIP_STATUS_LABELS } from '../../../contracts/members.js';
import { Card, formatNumber, PageTitle, QueryView, Table } from '../../ui/index.js';
import { useMemberStats } from './api.js';
import { kindLabel } from './components.js';

const PENDING_STEPS = [
  { status: 'requested', action: 'à présenter au comité syndical' },
  { status: 'accepted', action: 'à passer au statut « Adhérent »' },
  { status: 'withdrawal_requested', action: 'à présenter au comité syndical' },
] as const;

function Bar({ value, max }: { value: number; max: number }) {
  const width = max > 0 ? Math.max(2, Math.round((value / max) * 160)) : 0;
  return <span className="bar" style={{ width }} aria-hidden="true" />;
}

export function DashboardPage() {
  const stats = useMemberStats();
  return (
    <>
      <PageTitle title="Tableau de bord" />
      <QueryView query={stats} loadingLabel="Chargement des indicateurs…">
        {(data) => {
          const total = data.byKind.reduce((s, k) => s + k.count, 0);
          const maxKind = Math.max(0, ...data.byKind.map((k) => k.count));
          const maxDep = Math.max(0, ...data.byDepartement.map((d) => d.members));
          return (
            <>
              <div className="grid">
                <Card headingLevel={2} title="Structures adhérentes">
                  <span className="stat">{formatNumber(total)}</span>
                  <Link to="/operateur/adherents" search={{ status: 'member' }}>
                    Voir les adhérents
                  </Link>
                </Card>
                <Card headingLevel={2} title="Population couverte">
                  <span className="stat">{formatNumber(data.populationCovered)}</span>
                  <span className="stat-label">habitants des communes couvertes</span>
                </Card>
                <Card headingLevel={2} title="Étapes d'adhésion en attente">
                  {data.pending ? (
                    <ul>
                      {PENDING_STEPS.map((step) => (
                        <li key={step.status}>
                          <Link to="/operateur/adherents" search={{ status: step.status }}>
                            {formatNumber(data.pending?.[step.status] ?? 0)} «&nbsp;
                            {MEMBERSHIP_STATUS_LABELS[step.status]}&nbsp;»
                          </Link>{' '}
                          {step.action}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p>Non disponible.</p>
                  )}
                </Card>
              </div>
              <div className="grid grid--2">
                <section>
                  <h2>Adhérents par type</h2>
                  <Table
                    caption="Nombre d'adhérents par type de structure"
                    captionHidden
                    columns={[
                      {
                        key: 'kind',
                        header: 'Type',
                        rowHeader: true,
                        render: (k) => (
                          <Link to="/operateur/adherents" search={{ kind: k.kind, status: 'member' }}>
                            {kindLabel(k.kind)}
                          </Link>
                        ),
                      },
                      {
                        key: 'count',
                        header: 'Adhérents',
                        numeric: true,
                        render: (k) => (
                          <>
                            <Bar value={k.count} max={maxKind} />
                            {formatNumber(k.count)}
                          </>
                        ),
                      },
                    ]}
                    rows={data.byKind}
                    rowKey={(k) => k.kind}
                  />
                </section>
                <section>
                  <h2>Adhérents par département</h2>
                  <Table
                    caption="Nombre d'adhérents par département"
                    captionHidden
                    columns={[
                      {
                        key: 'name',
                        header: 'Département',
                        rowHeader: true,
                        render: (d) => (
                          <Link to="/operateur/adherents" search={{ departement: d.code, status: 'member' }}>
                            {d.code} — {d.name}
                          </Link>
                        ),
                      },
                      {
                        key: 'members',
                        header: 'Adhérents',
                        numeric: true,
                        render: (d) => (
                          <>
                            <Bar value={d.members} max={maxDep} />
                            {formatNumber(d.members)}
                          </>
                        ),
                      },
                    ]}
                    rows={data.byDepartement}
                    rowKey={(d) => d.code}
                  />
                </section>
              </div>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
