import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import type { ServiceDetail } from '../../../contracts/catalogue.js';
import { de } from '../../../contracts/french.js';
import { useAuth } from '../../app/auth.js';
import { Alert, Button, Form, PageTitle, QueryView, TextField } from '../../ui/index.js';
import { useRequestSubscription } from '../subscriptions/api.js';
import { SubscriptionStatusBadge } from '../subscriptions/components.js';
import { useService } from './api.js';
import { AlonePricesTable, domainLabel, kindsText, ServiceStatusBadge } from './components.js';

/** What the signed-in member may do with this service: request it, or read why not. */
function RequestSection({ service }: { service: ServiceDetail }) {
  const auth = useAuth();
  const request = useRequestSubscription(auth.current?.id);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const eligibility = service.forCurrentMember;
  if (!auth.me) {
    return (
      <p>
        <Link to="/connexion" search={{ retour: `/catalogue/${service.id}` }}>
          Connectez-vous
        </Link>{' '}
        avec le compte de votre structure pour demander ce service.
      </p>
    );
  }
  if (auth.isOperator || !eligibility) return null;
  if (request.isSuccess) {
    return (
      <Alert type="success" title="Demande envoyée">
        <p>
          L'opérateur va étudier votre demande et vous indiquera la date de démarrage.{' '}
          <Link to="/espace/services">Suivre mes services</Link>
        </p>
      </Alert>
    );
  }
  if (eligibility.subscription) {
    return (
      <p>
        Votre structure a déjà ce service :{' '}
        <SubscriptionStatusBadge status={eligibility.subscription.status} />{' '}
        <Link to="/espace/services">Voir mes services</Link>
      </p>
    );
  }
  if (!eligibility.eligible) {
    return (
      <Alert type="warning" title="Votre structure ne peut pas demander ce service pour le moment">
        <ul>
          {eligibility.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </Alert>
    );
  }
  if (!auth.isMemberAdmin) {
    return (
      <p>Votre structure peut demander ce service : seul son référent (administrateur) peut le faire.</p>
    );
  }
  return (
    <Form
      id="demande-service"
      error={request.error}
      clientErrors={clientErrors}
      onSubmit={(data) => {
        let units: number | undefined;
        if (service.unitLabel) {
          units = Number(String(data.get('units') ?? '').trim());
          if (!Number.isInteger(units) || units < 1) {
            setClientErrors({
              units: `Indiquez le nombre ${de(service.unitLabel)} (un nombre entier, au moins 1).`,
            });
            return;
          }
        }
        setClientErrors({});
        request.mutate({ serviceId: service.id, units });
      }}
    >
      {service.unitLabel && (
        <TextField
          name="units"
          label={`Nombre ${de(service.unitLabel)}`}
          hint="Le coût est réparti au prorata des unités déclarées"
          inputMode="numeric"
          required
        />
      )}
      <Button type="submit" pending={request.isPending}>
        Demander ce service
      </Button>
    </Form>
  );
}

export function ServicePage() {
  const { serviceId } = useParams({ from: '/catalogue/$serviceId' });
  const service = useService(serviceId);
  const name = service.data?.name ?? 'Service';
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/catalogue">Catalogue</Link>
          </li>
          <li aria-current="page">{name}</li>
        </ol>
      </nav>
      <PageTitle title={name} />
      <QueryView query={service} loadingLabel="Chargement du service…">
        {(s) => (
          <>
            <p>
              <ServiceStatusBadge status={s.status} />
            </p>
            {s.description && <p className="lead">{s.description}</p>}
            <dl className="dl">
              <dt>Domaine</dt>
              <dd>{domainLabel(s.domain)}</dd>
              <dt>Code service</dt>
              <dd>{s.code}</dd>
              <dt>Structures éligibles</dt>
              <dd>{kindsText(s.eligibleKinds)}</dd>
              <dt>Préavis de résiliation</dt>
              <dd>{s.noticeMonths} mois</dd>
              {s.unitLabel && (
                <>
                  <dt>Coût réparti par</dt>
                  <dd>{s.unitLabel} déclarés</dd>
                </>
              )}
            </dl>
            <h2>Ce qui est compris</h2>
            {s.included ? <p style={{ whiteSpace: 'pre-line' }}>{s.included}</p> : <p>Non renseigné.</p>}
            <h2>Prérequis</h2>
            {s.prerequisites.length === 0 ? (
              <p>Aucun : ce service peut être demandé seul.</p>
            ) : (
              <>
                <p>Pour demander ce service, votre structure doit déjà avoir :</p>
                <ul>
                  {s.prerequisites.map((p) => (
                    <li key={p.id}>
                      <Link to="/catalogue/$serviceId" params={{ serviceId: p.id }}>
                        {p.name}
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {s.requiredBy.length > 0 && (
              <p>
                Ce service est un prérequis de :{' '}
                {s.requiredBy.map((p, i) => (
                  <span key={p.id}>
                    {i > 0 && ', '}
                    <Link to="/catalogue/$serviceId" params={{ serviceId: p.id }}>
                      {p.name}
                    </Link>
                  </span>
                ))}
                .
              </p>
            )}
            <h2>Prix de référence hors mutualisation</h2>
            {s.alonePrices.length === 0 ? (
              <p>Pas de prix de référence pour ce service.</p>
            ) : (
              <>
                <p>
                  Ce qu'une structure paierait par an en achetant ce service seule, selon sa taille. Le prix
                  mutualisé de l'année est sur la page <Link to="/tarifs">Tarifs</Link>.
                </p>
                <AlonePricesTable
                  prices={s.alonePrices}
                  caption="Prix annuel de référence par taille de structure"
                />
              </>
            )}
            <h2>Souscrire</h2>
            <RequestSection service={s} />
          </>
        )}
      </QueryView>
    </>
  );
}
