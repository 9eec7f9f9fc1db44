import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { de } from '../../../contracts/french.js';
import type { MemberCosts } from '../../../contracts/pricing.js';
import { useAuth } from '../../app/auth.js';
import { Alert, Card, EmptyState, PageTitle, QueryView, Table } from '../../ui/index.js';
import { useMemberCosts } from './api.js';
import { BarChart } from './charts.js';
import { formatCents, yearOf } from './money.js';
import { YearSelect } from './YearSelect.js';

type CostLine = MemberCosts['lines'][number];

const lineKey = (l: CostLine) => l.serviceId ?? 'cotisation';

/** The explanation of every line, in the words of the engine (rule, parameters, values, rounding). */
export function Explanations({ costs, headingLevel = 2 }: { costs: MemberCosts; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <section aria-labelledby={`explications-${costs.memberId}`}>
      <H id={`explications-${costs.memberId}`}>Le calcul, service par service</H>
      {costs.lines.map((l) => (
        <article key={lineKey(l)}>
          <Sub>
            {l.serviceName} : {formatCents(l.shareCents)}
          </Sub>
          <ol>
            {l.explanationLines.map((text, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the steps are fixed text in order
              <li key={i}>{text}</li>
            ))}
          </ol>
        </article>
      ))}
    </section>
  );
}

export function CostsTable({ costs }: { costs: MemberCosts }) {
  return (
    <Table
      caption={`Coûts ${costs.year} ${de(costs.memberName)} par service`}
      rows={costs.lines}
      rowKey={lineKey}
      columns={[
        { key: 'service', header: 'Service', rowHeader: true, render: (l) => l.serviceName },
        { key: 'months', header: 'Mois facturés', numeric: true, render: (l) => `${l.months} / 12` },
        {
          key: 'share',
          header: 'Montant mutualisé',
          numeric: true,
          render: (l) => formatCents(l.shareCents),
        },
        { key: 'alone', header: 'Prix seul', numeric: true, render: (l) => formatCents(l.aloneCents) },
        {
          key: 'savings',
          header: 'Économie',
          numeric: true,
          render: (l) =>
            l.savingsCents !== null && l.savingsCents < 0 ? (
              <>
                Surcoût {formatCents(-l.savingsCents)}
                <sup>
                  <a href={`#surcout-${lineKey(l)}`} aria-label={`Pourquoi ce surcoût pour ${l.serviceName}`}>
                    (?)
                  </a>
                </sup>
              </>
            ) : (
              formatCents(l.savingsCents)
            ),
        },
      ]}
    />
  );
}

/**
 * A pooled share above the stand-alone price is explained, never shown as a bare negative saving: what
 * the share is made of, why it can exceed the market price, and that the operator is told.
 */
export function AboveAloneExplanation({ costs }: { costs: MemberCosts }) {
  const above = costs.lines.filter((l) => l.savingsCents !== null && l.savingsCents < 0);
  if (above.length === 0) return null;
  return (
    <Alert
      type="info"
      title={
        above.length === 1
          ? 'Un service vous coûte plus mutualisé que seul cette année'
          : `${above.length} services vous coûtent plus mutualisés que seuls cette année`
      }
    >
      {above.map((l) => (
        <p key={lineKey(l)} id={`surcout-${lineKey(l)}`}>
          <strong>{l.serviceName}</strong> : votre part, {formatCents(l.shareCents)}, dépasse de{' '}
          {formatCents(-(l.savingsCents ?? 0))} le prix de référence d'un achat seul pour une structure de
          votre taille ({formatCents(l.aloneCents)}). Votre part vient de la règle de répartition votée pour
          ce service (le calcul est détaillé plus bas) ; le prix seul est une estimation du marché.
          L'opérateur est averti de cet écart et peut revoir la règle ou le montant à répartir.
        </p>
      ))}
    </Alert>
  );
}

function CostsView({ costs }: { costs: MemberCosts }) {
  if (costs.lines.length === 0) {
    return (
      <EmptyState>
        Aucun coût pour {costs.year}. <Link to="/catalogue">Découvrir le catalogue des services</Link>
      </EmptyState>
    );
  }
  const compared = costs.lines.filter((l) => l.aloneCents != null);
  return (
    <>
      <div className="grid">
        <Card title={`Total ${costs.year}`}>
          <span className="stat">{formatCents(costs.totalCents)}</span>
          <span className="stat-label">cotisation et services compris</span>
        </Card>
        <Card title={costs.savingsCents < 0 ? 'Votre surcoût' : 'Vos économies'}>
          <span className="stat">{formatCents(Math.abs(costs.savingsCents))}</span>
          <span className="stat-label">
            par rapport à l'achat seul ({formatCents(costs.aloneCents)} pour les services comparables)
          </span>
        </Card>
      </div>
      <h2>Détail par service</h2>
      <CostsTable costs={costs} />
      <AboveAloneExplanation costs={costs} />
      {costs.unpriced.length > 0 && (
        <p>
          Pas encore de prix pour {costs.year} : {costs.unpriced.map((u) => u.serviceName).join(', ')}.
        </p>
      )}
      {compared.length > 0 && (
        <>
          <h2>Mutualisé ou seul : la comparaison</h2>
          <BarChart
            title={`Vos coûts ${costs.year} : mutualisé et acheté seul`}
            description={`Pour chaque service, la barre pleine est ce que vous payez grâce à la mutualisation et la barre hachurée ce que vous paieriez seul. Économie totale : ${formatCents(costs.savingsCents)}.`}
            labelHeader="Service"
            series={[{ name: 'Mutualisé' }, { name: 'Acheté seul' }]}
            rows={compared.map((l) => ({
              key: lineKey(l),
              label: l.serviceName,
              values: [l.shareCents, l.aloneCents ?? 0],
            }))}
            format={formatCents}
          />
        </>
      )}
      <Explanations costs={costs} />
    </>
  );
}

export function MyCostsPage() {
  const auth = useAuth();
  const search = useSearch({ from: '/espace/couts' });
  const navigate = useNavigate();
  const year = yearOf(search.annee);
  const costs = useMemberCosts(auth.current?.id, year);
  return (
    <>
      <PageTitle title={`Mes coûts ${year}`} />
      <p className="lead">
        Ce que votre structure paie pour ses services mutualisés, comment chaque montant est calculé et ce que
        vous économisez par rapport à un achat seul.
      </p>
      <YearSelect
        year={year}
        onChange={(y) => navigate({ to: '/espace/couts', search: { annee: String(y) } })}
      />
      <QueryView query={costs} loadingLabel="Calcul de vos coûts…">
        {(data) => <CostsView costs={data} />}
      </QueryView>
    </>
  );
}
