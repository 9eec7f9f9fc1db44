import { Link } from '@tanstack/react-router';
import {
  type RecentIncident,
  STATUS_HISTORY_DAYS,
  STATUS_RECENT_DAYS,
  type StatusService,
} from '../../../contracts/hosting.js';
import { Alert, formatDateTime, PageTitle, QueryView } from '../../ui/index.js';
import { type PublicStatus, useStatus } from './api.js';
import { IncidentCard, IncidentFacts, MaintenanceItem, StateBadge } from './components.js';
import './hosting.css';

const DAY_LABEL = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', timeZone: 'UTC' });

/** 90 small cells, worst state of each day; the text beside says the same for screen readers. */
function History({ service }: { service: StatusService }) {
  const byDate = new Map(service.history.map((h) => [h.date, h.state]));
  const today = new Date();
  const days = Array.from({ length: STATUS_HISTORY_DAYS }, (_, i) => {
    const d = new Date(
      Date.UTC(
        today.getUTCFullYear(),
        today.getUTCMonth(),
        today.getUTCDate() - (STATUS_HISTORY_DAYS - 1 - i),
      ),
    );
    return d.toISOString().slice(0, 10);
  });
  const troubled = service.history.length;
  return (
    <>
      <div className="hosting-history" aria-hidden="true">
        {days.map((day) => (
          <span
            key={day}
            className={`hosting-day hosting-day--${byDate.get(day) ?? 'operational'}`}
            title={day}
          />
        ))}
      </div>
      <p className="hosting-history__text">
        {troubled === 0
          ? `Aucune perturbation sur ${STATUS_HISTORY_DAYS} jours.`
          : `${troubled} jour${troubled > 1 ? 's' : ''} perturbé${troubled > 1 ? 's' : ''} sur ${STATUS_HISTORY_DAYS} : ${service.history
              .map((h) => DAY_LABEL.format(new Date(`${h.date}T00:00:00Z`)))
              .join(', ')}.`}
      </p>
    </>
  );
}

/** A resolved incident in short: its page holds the timeline. */
function RecentIncidentItem({ incident }: { incident: RecentIncident }) {
  return (
    <li id={`incident-${incident.id}`}>
      <Link to="/statut/incidents/$incidentId" params={{ incidentId: incident.id }}>
        {incident.title}
      </Link>{' '}
      — pire état : <StateBadge state={incident.worstState} />
      <IncidentFacts incident={incident} />
    </li>
  );
}

function StatusView({ status }: { status: PublicStatus }) {
  const open = status.incidents;
  const past = status.recentIncidents;
  const allGood = open.length === 0 && status.services.every((s) => s.state === 'operational');
  return (
    <>
      {allGood ? (
        <Alert type="success" title="Tous les services fonctionnent normalement." />
      ) : (
        <Alert type="warning" title="Certains services sont perturbés." />
      )}
      <p>Mis à jour le {formatDateTime(status.updatedAt)}.</p>
      <section aria-labelledby="etat-services">
        <h2 id="etat-services">Services</h2>
        <ul className="hosting-services">
          {status.services.map((s) => (
            <li key={s.serviceId}>
              <span className="hosting-service__name">{s.name}</span> <StateBadge state={s.state} />
              <History service={s} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="incidents-en-cours">
        <h2 id="incidents-en-cours">Incidents en cours</h2>
        {open.length === 0 ? (
          <p>Aucun incident en cours.</p>
        ) : (
          open.map((i) => <IncidentCard key={i.id} incident={i} />)
        )}
      </section>
      <section aria-labelledby="maintenances">
        <h2 id="maintenances">Maintenances programmées</h2>
        {status.maintenances.length === 0 ? (
          <p>Aucune maintenance programmée.</p>
        ) : (
          <ul>
            {status.maintenances.map((m) => (
              <MaintenanceItem key={m.id} maintenance={m} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="historique">
        <h2 id="historique">Incidents résolus des {STATUS_RECENT_DAYS} derniers jours</h2>
        {past.length === 0 ? (
          <p>Aucun incident résolu sur la période.</p>
        ) : (
          <ul className="hosting-recent">
            {past.map((i) => (
              <RecentIncidentItem key={i.id} incident={i} />
            ))}
          </ul>
        )}
        <p>
          Les jours perturbés plus anciens restent visibles dans l’historique de chaque service ci-dessus.
        </p>
      </section>
    </>
  );
}

/** The public status page: no sign-in, light, readable on a phone. */
export function StatusPage() {
  const status = useStatus();
  return (
    <>
      <PageTitle title="État des services">État des services</PageTitle>
      <p className="lead">
        L’état en direct des services hébergés par l’opérateur, les incidents et leur suivi, les maintenances
        programmées. <a href="/api/v1/status/feed.atom">S’abonner au flux Atom</a>.
      </p>
      <QueryView query={status} loadingLabel="Chargement de l’état des services…">
        {(data) => <StatusView status={data} />}
      </QueryView>
    </>
  );
}
