import { Link } from '@tanstack/react-router';
import {
  INCIDENT_CATEGORY_LABELS,
  INCIDENT_CLOCK_LABELS,
  INCIDENT_CLOCKS,
} from '../../../../contracts/cyber.js';
import { countOf } from '../../../../contracts/french.js';
import { ButtonLink, EmptyState, formatNumber, PageTitle, QueryView, Table } from '../../../ui/index.js';
import { type CyberDashboard, useCyberDashboard } from '../api.js';
import { IncidentStatusBadge, maturityName, OperatorCyberNav, SeverityBadge } from '../components.js';
import { NextClock } from '../IncidentClocks.js';

/** The cyber team's dashboard: incidents whose clocks run, members by maturity, unremediated advisories. */
export function CyberDashboardPage() {
  const dashboard = useCyberDashboard();
  return (
    <>
      <PageTitle title="Cybersécurité" />
      <OperatorCyberNav />
      <div className="page-header">
        <p className="lead">
          Les incidents dont un délai réglementaire court, la maturité des structures et les avis de sécurité
          qui restent à traiter.
        </p>
        <ButtonLink to="/operateur/cyber/avis/importer">Importer un avis CSAF</ButtonLink>
      </div>
      <QueryView query={dashboard} loadingLabel="Chargement du tableau de bord…">
        {(d) => (
          <>
            <IncidentsByClock dashboard={d} />
            <Maturity dashboard={d} />
            <Unremediated dashboard={d} />
          </>
        )}
      </QueryView>
    </>
  );
}

function IncidentsByClock({ dashboard }: { dashboard: CyberDashboard }) {
  const incidents = dashboard.openIncidents;
  const byClock = INCIDENT_CLOCKS.map((clock) => ({
    clock,
    count: incidents.filter((i) => i.nextClock?.clock === clock).length,
  }));
  const withoutClock = incidents.filter((i) => !i.nextClock).length;
  return (
    <section aria-labelledby="cyber-incidents-titre">
      <h2 id="cyber-incidents-titre">Incidents en cours</h2>
      {incidents.length === 0 ? (
        <EmptyState>Aucun incident en cours.</EmptyState>
      ) : (
        <>
          <ul>
            {byClock.map(({ clock, count }) => (
              <li key={clock}>
                {INCIDENT_CLOCK_LABELS[clock]} : {countOf(count, 'incident', 'incidents')} dont c’est la
                prochaine échéance
              </li>
            ))}
            <li>Sans délai réglementaire en cours : {countOf(withoutClock, 'incident', 'incidents')}</li>
          </ul>
          <Table
            caption="Incidents en cours, l’échéance la plus proche d’abord"
            rows={incidents}
            rowKey={(i) => i.id}
            columns={[
              {
                key: 'member',
                header: 'Structure',
                rowHeader: true,
                render: (i) => (
                  <Link
                    to="/operateur/adherents/$memberId"
                    params={{ memberId: i.memberId }}
                    search={{ onglet: 'cybersecurite' }}
                  >
                    {i.memberName}
                  </Link>
                ),
              },
              {
                key: 'title',
                header: 'Incident',
                render: (i) => (
                  <Link
                    to="/operateur/cyber/adherents/$memberId/incidents/$incidentId"
                    params={{ memberId: i.memberId, incidentId: i.id }}
                  >
                    {i.title}
                  </Link>
                ),
              },
              { key: 'category', header: 'Catégorie', render: (i) => INCIDENT_CATEGORY_LABELS[i.category] },
              {
                key: 'clock',
                header: 'Prochaine échéance',
                render: (i) => <NextClock clock={i.nextClock} />,
              },
              { key: 'status', header: 'Statut', render: (i) => <IncidentStatusBadge status={i.status} /> },
            ]}
          />
        </>
      )}
    </section>
  );
}

function Maturity({ dashboard }: { dashboard: CyberDashboard }) {
  const total = dashboard.maturity.reduce((sum, m) => sum + m.members, 0);
  return (
    <section aria-labelledby="cyber-maturite-titre">
      <h2 id="cyber-maturite-titre">Structures par maturité</h2>
      <Table
        caption={`Maturité de ${countOf(total, 'structure', 'structures')} d’après leur dernier diagnostic`}
        rows={dashboard.maturity}
        rowKey={(m) => m.level}
        columns={[
          {
            key: 'level',
            header: 'Niveau',
            rowHeader: true,
            render: (m) => (
              <Link to="/operateur/cyber/adherents" search={{ maturite: m.level }}>
                {m.level === 'none' ? maturityName('none') : m.label}
              </Link>
            ),
          },
          { key: 'members', header: 'Structures', numeric: true, render: (m) => formatNumber(m.members) },
          {
            key: 'share',
            header: 'Part',
            numeric: true,
            render: (m) => (total === 0 ? '—' : `${Math.round((m.members / total) * 100)} %`),
          },
        ]}
      />
    </section>
  );
}

function Unremediated({ dashboard }: { dashboard: CyberDashboard }) {
  const advisories = dashboard.unremediatedAdvisories;
  return (
    <section aria-labelledby="cyber-avis-titre">
      <h2 id="cyber-avis-titre">Avis critiques non traités</h2>
      {advisories.length === 0 ? (
        <EmptyState>Toutes les structures concernées ont traité les avis critiques et élevés.</EmptyState>
      ) : (
        <Table
          caption="Avis critiques et élevés dont des structures n’ont pas fini le traitement"
          rows={advisories}
          rowKey={(a) => a.id}
          columns={[
            {
              key: 'title',
              header: 'Avis',
              rowHeader: true,
              render: (a) => (
                <Link to="/operateur/cyber/avis/$advisoryId" params={{ advisoryId: a.id }}>
                  {a.reference} — {a.title}
                </Link>
              ),
            },
            { key: 'severity', header: 'Gravité', render: (a) => <SeverityBadge severity={a.severity} /> },
            {
              key: 'affected',
              header: 'Structures concernées',
              numeric: true,
              render: (a) => formatNumber(a.affectedMembers),
            },
            {
              key: 'remaining',
              header: 'Restant à traiter',
              numeric: true,
              render: (a) => formatNumber(a.affectedMembers - a.remediatedMembers),
            },
            {
              key: 'overdue',
              header: 'En retard',
              numeric: true,
              render: (a) => formatNumber(a.overdueMembers),
            },
          ]}
        />
      )}
    </section>
  );
}
