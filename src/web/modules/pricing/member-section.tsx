import { Link } from '@tanstack/react-router';
import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import { Card, EmptyState, QueryView } from '../../ui/index.js';
import { useMemberCosts } from './api.js';
import { CostsTable } from './MyCostsPage.js';
import { formatCents, yearOf } from './money.js';

/** What the member pays this year, service by service (the detail of each computation: « Mes coûts »). */
function Costs({ member, view }: MemberSectionProps) {
  const year = yearOf(undefined);
  const costs = useMemberCosts(member.id, year);
  return (
    <section aria-labelledby="couts-titre">
      <h2 id="couts-titre">Coûts {year}</h2>
      <QueryView query={costs} loadingLabel="Calcul des coûts…">
        {(c) =>
          c.lines.length === 0 ? (
            <EmptyState>
              Aucun coût pour {year} : la structure ne règle ni cotisation ni service cette année.{' '}
              {view === 'operator' ? (
                <>Souscrivez-lui un service depuis l'onglet « Services ».</>
              ) : (
                <Link to="/catalogue">Découvrir le catalogue des services</Link>
              )}
            </EmptyState>
          ) : (
            <>
              <div className="grid">
                <Card title={`Total ${year}`}>
                  <span className="stat">{formatCents(c.totalCents)}</span>
                  <span className="stat-label">cotisation et services compris</span>
                </Card>
                <Card title="Économies">
                  <span className="stat">{formatCents(c.savingsCents)}</span>
                  <span className="stat-label">par rapport à l'achat seul des services comparables</span>
                </Card>
              </div>
              <CostsTable costs={c} />
              {c.unpriced.length > 0 && (
                <p>
                  Pas encore de prix pour {year} : {c.unpriced.map((u) => u.serviceName).join(', ')}.
                </p>
              )}
              {view === 'member' && (
                <p>
                  <Link to="/espace/couts">Le calcul de chaque montant, service par service</Link>
                </p>
              )}
            </>
          )
        }
      </QueryView>
    </section>
  );
}

registerMemberSection({
  id: 'couts',
  label: 'Coûts',
  order: 70,
  visible: ({ auth, view }) => view === 'member' || auth.isOperator,
  Component: Costs,
});
