import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { EmptyState, Loading, PageTitle, QueryView, Table } from '../../../ui/index.js';
import { useServices } from '../../catalogue/api.js';
import { usePools } from '../api.js';
import { formatCents, yearOf } from '../money.js';
import { YearSelect } from '../YearSelect.js';
import { AboveAloneSection } from './AboveAloneSection.js';
import { EquitySection } from './EquitySection.js';
import { ExplainSection } from './ExplainSection.js';
import { MembershipFeeSection } from './MembershipFeeSection.js';
import { PoolForm } from './PoolForm.js';
import { SimulationSection } from './SimulationSection.js';

export function OperatorPricingPage() {
  const search = useSearch({ from: '/operateur/tarification' });
  const navigate = useNavigate();
  const year = yearOf(search.annee);
  const services = useServices();
  const pools = usePools(year);
  const selected = services.data?.items.find((s) => s.id === search.service);
  const pool = pools.data?.items.find((p) => p.serviceId === search.service);
  return (
    <>
      <PageTitle title={`Tarification ${year}`} />
      <YearSelect
        year={year}
        onChange={(y) => navigate({ to: '/operateur/tarification', search: { ...search, annee: String(y) } })}
      />
      <AboveAloneSection year={year} />
      <MembershipFeeSection year={year} />
      <section aria-labelledby="services-titre">
        <h2 id="services-titre">Services : montants à répartir et règles</h2>
        <QueryView query={services} loadingLabel="Chargement des services…">
          {(list) =>
            list.items.length === 0 ? (
              <EmptyState>Aucun service au catalogue.</EmptyState>
            ) : (
              <Table
                caption={`Montant à répartir et règle de chaque service en ${year}`}
                rows={list.items}
                rowKey={(s) => s.id}
                columns={[
                  {
                    key: 'name',
                    header: 'Service',
                    rowHeader: true,
                    render: (s) => (
                      <Link
                        to="/operateur/tarification"
                        search={{ annee: String(year), service: s.id }}
                        aria-current={s.id === search.service ? 'true' : undefined}
                      >
                        {s.name}
                      </Link>
                    ),
                  },
                  {
                    key: 'pool',
                    header: 'Montant à répartir',
                    numeric: true,
                    render: (s) =>
                      formatCents(pools.data?.items.find((p) => p.serviceId === s.id)?.poolCents),
                  },
                  {
                    key: 'rule',
                    header: 'Règle',
                    render: (s) =>
                      pools.data?.items.find((p) => p.serviceId === s.id)?.ruleText ?? 'Non définie',
                  },
                ]}
              />
            )
          }
        </QueryView>
      </section>
      {selected && (
        <section aria-labelledby="service-titre">
          <h2 id="service-titre">
            {selected.name} — {year}
          </h2>
          {pools.isPending ? (
            <Loading />
          ) : (
            <>
              <PoolForm
                key={`${selected.id}-${year}-${pools.data ? 'ok' : ''}`}
                year={year}
                serviceId={selected.id}
                pool={pool}
                unitLabel={selected.unitLabel}
              />
              {pool ? (
                <>
                  <ExplainSection
                    key={`explain-${selected.id}-${year}`}
                    year={year}
                    serviceId={selected.id}
                  />
                  <SimulationSection
                    key={`sim-${selected.id}-${year}-${pool.updatedAt}`}
                    year={year}
                    serviceId={selected.id}
                    pool={pool}
                  />
                </>
              ) : (
                <p>Enregistrez d'abord le montant et la règle pour expliquer et simuler.</p>
              )}
            </>
          )}
        </section>
      )}
      <EquitySection year={year} />
    </>
  );
}
