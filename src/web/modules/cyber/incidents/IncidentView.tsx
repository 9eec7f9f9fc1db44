import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { INCIDENT_CATEGORY_LABELS } from '../../../../contracts/cyber.js';
import { Alert, formatDateTime, QueryView } from '../../../ui/index.js';
import { useBreaches } from '../../rgpd/api.js';
import { BreachCountdown } from '../../rgpd/components.js';
import { type Incident, useIncident } from '../api.js';
import { IncidentStatusBadge } from '../components.js';
import { ClockLine } from '../IncidentClocks.js';
import { IncidentStepsForm } from './IncidentStepsForm.js';
import { IncidentTimeline } from './IncidentTimeline.js';

/** An incident: its facts, the regulators' clocks as text, the linked breach, its steps and timeline. */
export function IncidentView({
  memberId,
  incidentId,
  canEdit,
  asOperator,
  title,
}: {
  memberId: string;
  incidentId: string;
  canEdit: boolean;
  asOperator: boolean;
  title: (incident: Incident) => ReactNode;
}) {
  const incident = useIncident(memberId, incidentId);
  return (
    <QueryView query={incident} loadingLabel="Chargement de l’incident…">
      {(i) => (
        <>
          {title(i)}
          <dl className="dl">
            <dt>Statut</dt>
            <dd>
              <IncidentStatusBadge status={i.status} />
            </dd>
            <dt>Catégorie</dt>
            <dd>{INCIDENT_CATEGORY_LABELS[i.category]}</dd>
            <dt>Détecté le</dt>
            <dd>{formatDateTime(i.detectedAt)}</dd>
            <dt>Services touchés</dt>
            <dd>{i.servicesAffected.length ? i.servicesAffected.join(', ') : 'Non renseignés'}</dd>
            <dt>Données personnelles</dt>
            <dd>{i.personalData ? 'Touchées' : 'Non touchées'}</dd>
            <dt>Plainte</dt>
            <dd>
              {i.policeComplaintAt ? `Déposée le ${formatDateTime(i.policeComplaintAt)}` : 'Non déposée'}
            </dd>
            <dt>Assureur</dt>
            <dd>
              {i.insurerDeclaredAt ? `Prévenu le ${formatDateTime(i.insurerDeclaredAt)}` : 'Non prévenu'}
            </dd>
          </dl>
          {i.description && <p>{i.description}</p>}
          <section aria-labelledby="delais-titre">
            <h2 id="delais-titre">Délais réglementaires</h2>
            {i.nis2 ? (
              <>
                <p>
                  La structure relève de la directive NIS 2 : l’ANSSI (CERT-FR) attend une alerte précoce sous
                  24 heures, une notification sous 72 heures et un rapport final sous un mois, à compter de la
                  détection.
                </p>
                {i.clocks.map((clock) => (
                  <ClockLine key={clock.clock} clock={clock} headingLevel={3} />
                ))}
              </>
            ) : (
              <p>La structure ne relève pas de NIS 2 : aucune notification à l’ANSSI n’est imposée.</p>
            )}
            {i.breachId && <LinkedBreach memberId={memberId} breachId={i.breachId} asOperator={asOperator} />}
          </section>
          {canEdit && <IncidentStepsForm memberId={memberId} incident={i} />}
          <IncidentTimeline memberId={memberId} incident={i} canEdit={canEdit} />
        </>
      )}
    </QueryView>
  );
}

/** The RGPD breach opened with the incident, its own 72 h CNIL clock, and the way to it. */
function LinkedBreach({
  memberId,
  breachId,
  asOperator,
}: {
  memberId: string;
  breachId: string;
  asOperator: boolean;
}) {
  const breaches = useBreaches(memberId);
  const breach = breaches.data?.items.find((b) => b.id === breachId);
  return (
    <section aria-labelledby="violation-titre">
      <h3 id="violation-titre">Violation de données personnelles liée</h3>
      <p>
        Une violation de données est inscrite au registre RGPD de la structure, découverte au même instant que
        l’incident.{' '}
        {asOperator ? (
          <Link to="/operateur/rgpd/adherents/$memberId" params={{ memberId }}>
            Voir la violation au registre de la structure
          </Link>
        ) : (
          <Link to="/espace/rgpd/violations">Voir la violation au registre des violations</Link>
        )}
      </p>
      {breach ? (
        <BreachCountdown breach={breach} />
      ) : breaches.isError ? (
        <Alert type="info">
          <p>Le délai de notification à la CNIL se lit sur la page de la violation.</p>
        </Alert>
      ) : null}
    </section>
  );
}
