import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import type { FormEvent } from 'react';
import {
  SERVICE_DOMAIN_LABELS,
  SERVICE_DOMAINS,
  type ServiceDomain,
  type ServiceSummary,
} from '../../../contracts/catalogue.js';
import { Button, EmptyState, optionsOf, PageTitle, QueryView, SelectField } from '../../ui/index.js';
import { useServices } from './api.js';
import { kindsText, ServiceStatusBadge } from './components.js';

const isDomain = (value: string | undefined): value is ServiceDomain =>
  !!value && (SERVICE_DOMAINS as readonly string[]).includes(value);

function ServiceItem({ service }: { service: ServiceSummary }) {
  return (
    <li className="card">
      <h3>
        <Link to="/catalogue/$serviceId" params={{ serviceId: service.id }}>
          {service.name}
        </Link>
      </h3>
      <p>
        <ServiceStatusBadge status={service.status} />
      </p>
      {service.description && <p>{service.description}</p>}
      <dl className="dl">
        <dt>Pour</dt>
        <dd>{kindsText(service.eligibleKinds)}</dd>
        <dt>Préavis de résiliation</dt>
        <dd>{service.noticeMonths} mois</dd>
        {service.unitLabel && (
          <>
            <dt>Facturé par</dt>
            <dd>{service.unitLabel}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

export function CataloguePage() {
  const search = useSearch({ from: '/catalogue' });
  const navigate = useNavigate();
  const domain = isDomain(search.domaine) ? search.domaine : undefined;
  const services = useServices(domain ? { domain } : {});
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('domaine') ?? '');
    navigate({ to: '/catalogue', search: value ? { domaine: value } : {} });
  };
  return (
    <>
      <PageTitle title="Catalogue des services" />
      <p className="lead">
        Les services numériques mutualisés proposés aux adhérents : ce qui est compris, les prérequis, les
        structures qui peuvent y souscrire. Les prix mutualisés de l'année sont sur la page{' '}
        <Link to="/tarifs">Tarifs</Link>.
      </p>
      <search aria-label="Filtrer le catalogue">
        <form className="filters" onSubmit={submit} key={domain ?? ''}>
          <SelectField
            name="domaine"
            label="Domaine"
            placeholder="Tous les domaines"
            options={optionsOf(SERVICE_DOMAIN_LABELS, SERVICE_DOMAINS)}
            defaultValue={domain ?? ''}
          />
          <div className="actions row">
            <Button type="submit">Afficher</Button>
          </div>
        </form>
      </search>
      <QueryView query={services} loadingLabel="Chargement du catalogue…">
        {(page) => {
          if (page.items.length === 0)
            return <EmptyState>Aucun service dans ce domaine pour le moment.</EmptyState>;
          const domains = SERVICE_DOMAINS.filter((d) => page.items.some((s) => s.domain === d));
          return (
            <>
              <p aria-live="polite">
                {page.total} service{page.total > 1 ? 's' : ''}
              </p>
              {domains.map((d) => (
                <section key={d} aria-labelledby={`domaine-${d}`}>
                  <h2 id={`domaine-${d}`}>{SERVICE_DOMAIN_LABELS[d]}</h2>
                  <ul className="grid" style={{ listStyle: 'none', padding: 0 }}>
                    {page.items
                      .filter((s) => s.domain === d)
                      .map((s) => (
                        <ServiceItem key={s.id} service={s} />
                      ))}
                  </ul>
                </section>
              ))}
            </>
          );
        }}
      </QueryView>
    </>
  );
}
