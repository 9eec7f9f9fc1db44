import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import type { PublicPrices } from '../../../contracts/pricing.js';
import { Card, EmptyState, formatNumber, PageTitle, QueryView, Table } from '../../ui/index.js';
import { domainLabel } from '../catalogue/components.js';
import { usePublicPrices } from './api.js';
import { BarChart } from './charts.js';
import { formatCents, formatPreciseCents, yearOf } from './money.js';
import { YearSelect } from './YearSelect.js';

type PublicService = PublicPrices['services'][number];

function StrataTable({ service }: { service: PublicService }) {
  return (
    <Table
      caption={`${service.name} : prix annuel par taille de structure`}
      rows={service.strata}
      rowKey={(s) => String(s.upTo)}
      columns={[
        { key: 'label', header: 'Taille de la structure', rowHeader: true, render: (s) => s.label },
        { key: 'subscribers', header: 'Abonnés', numeric: true, render: (s) => formatNumber(s.subscribers) },
        {
          key: 'range',
          header: 'Prix mutualisé (min. – max.)',
          numeric: true,
          render: (s) =>
            s.minCents == null
              ? '—'
              : s.minCents === s.maxCents
                ? formatCents(s.minCents)
                : `${formatCents(s.minCents)} – ${formatCents(s.maxCents)}`,
        },
        {
          key: 'average',
          header: 'Prix mutualisé moyen',
          numeric: true,
          render: (s) => formatCents(s.averageCents),
        },
        {
          key: 'alone',
          header: 'Prix seul sur le marché',
          numeric: true,
          render: (s) => formatCents(s.aloneCents),
        },
      ]}
    />
  );
}

function PricesView({ data }: { data: PublicPrices }) {
  const { savings } = data;
  if (data.services.length === 0) {
    return <EmptyState>Les tarifs de l'année {data.year} ne sont pas encore publiés.</EmptyState>;
  }
  const withAlone = data.services.filter((s) => s.totalAloneCents > 0);
  return (
    <>
      <div className="grid">
        <Card title="Économies des adhérents">
          <span className="stat">{formatCents(savings.totalSavingsCents)}</span>
          <span className="stat-label">
            par rapport à l'achat seul, pour {formatNumber(savings.subscribers)} abonnements
          </span>
        </Card>
        <Card title="Coût mutualisé total">
          <span className="stat">{formatCents(savings.totalShareCents)}</span>
          <span className="stat-label">contre {formatCents(savings.totalAloneCents)} en achetant seul</span>
        </Card>
        <Card title="Cotisation d'adhésion">
          {data.membershipFee ? (
            <p>
              {data.membershipFee.ruleText} ({formatPreciseCents(data.membershipFee.centsPerInhabitant)} par
              habitant, minimum {formatCents(data.membershipFee.minimumCents)}).
            </p>
          ) : (
            <p>Non fixée pour {data.year}.</p>
          )}
        </Card>
      </div>
      <h2>Prix des services {data.year}</h2>
      <Table
        caption={`Services mutualisés ${data.year} : montant partagé, règle de répartition et économies`}
        rows={data.services}
        rowKey={(s) => s.serviceId}
        columns={[
          {
            key: 'name',
            header: 'Service',
            rowHeader: true,
            render: (s) => (
              <Link to="/catalogue/$serviceId" params={{ serviceId: s.serviceId }}>
                {s.name}
              </Link>
            ),
          },
          { key: 'domain', header: 'Domaine', render: (s) => domainLabel(s.domain) },
          { key: 'rule', header: 'Répartition', render: (s) => s.ruleText },
          { key: 'pool', header: 'Coût à partager', numeric: true, render: (s) => formatCents(s.poolCents) },
          {
            key: 'subscribers',
            header: 'Abonnés',
            numeric: true,
            render: (s) => formatNumber(s.subscribers),
          },
          {
            key: 'savings',
            header: 'Économies totales',
            numeric: true,
            render: (s) => (s.totalAloneCents > 0 ? formatCents(s.totalSavingsCents) : '—'),
          },
        ]}
      />
      {withAlone.length > 0 && (
        <>
          <h2>Mutualiser ou acheter seul</h2>
          <BarChart
            title={`Coût total par service en ${data.year} : mutualisé et acheté seul`}
            description={`Pour chaque service, la barre pleine montre ce que paient ensemble les abonnés et la barre hachurée ce qu'ils paieraient en achetant seuls. Au total, ${formatCents(savings.totalShareCents)} au lieu de ${formatCents(savings.totalAloneCents)}, soit ${formatCents(savings.totalSavingsCents)} d'économies.`}
            labelHeader="Service"
            series={[{ name: 'Mutualisé' }, { name: 'Acheté seul' }]}
            rows={withAlone.map((s) => ({
              key: s.serviceId,
              label: s.name,
              values: [s.totalAloneCents - s.totalSavingsCents, s.totalAloneCents],
            }))}
            format={formatCents}
            extraColumns={[
              {
                key: 'savings',
                header: 'Économie',
                numeric: true,
                render: (r) => formatCents((r.values[1] ?? 0) - (r.values[0] ?? 0)),
              },
            ]}
          />
        </>
      )}
      <h2>Prix par taille de structure</h2>
      <p>Ouvrez un service pour voir ce que paie une structure selon son nombre d'habitants.</p>
      {data.services.map((s) => (
        <details key={s.serviceId}>
          <summary>{s.name}</summary>
          {s.strata.length === 0 ? <p>Pas de détail par taille.</p> : <StrataTable service={s} />}
        </details>
      ))}
    </>
  );
}

export function PublicPricesPage() {
  const search = useSearch({ from: '/tarifs' });
  const navigate = useNavigate();
  const year = yearOf(search.annee);
  const prices = usePublicPrices(year);
  return (
    <>
      <PageTitle title={`Tarifs ${year}`} />
      <p className="lead">
        Ce que coûte chaque service à la communauté des adhérents, comment ce coût est partagé, et ce que la
        mutualisation fait économiser par rapport à un achat seul.
      </p>
      <YearSelect year={year} onChange={(y) => navigate({ to: '/tarifs', search: { annee: String(y) } })} />
      <QueryView query={prices} loadingLabel="Chargement des tarifs…">
        {(data) => <PricesView data={data} />}
      </QueryView>
    </>
  );
}
