import {
  type HostingIncident,
  INCIDENT_PHASE_LABELS,
  type Maintenance,
  SERVICE_STATE_LABELS,
  type ServiceState,
} from '../../../contracts/hosting.js';
import { Badge, type BadgeTone, formatDateTime } from '../../ui/index.js';

const TONES: Record<ServiceState, BadgeTone> = {
  operational: 'success',
  maintenance: 'info',
  degraded: 'warning',
  partial_outage: 'warning',
  major_outage: 'error',
};

export function StateBadge({ state }: { state: ServiceState }) {
  return <Badge tone={TONES[state]}>{SERVICE_STATE_LABELS[state]}</Badge>;
}

/** An incident's timeline, newest step first. */
export function IncidentTimeline({ incident }: { incident: HostingIncident }) {
  return (
    <ol className="hosting-timeline">
      {incident.updates.map((u) => (
        <li key={u.id}>
          <strong>{INCIDENT_PHASE_LABELS[u.phase]}</strong> —{' '}
          <time dateTime={u.at}>{formatDateTime(u.at)}</time> : {u.message}
        </li>
      ))}
    </ol>
  );
}

/** The services, dates and origin of an incident, in one sentence. */
export function IncidentFacts({
  incident,
}: {
  incident: Pick<HostingIncident, 'services' | 'startedAt' | 'resolvedAt' | 'automatic'>;
}) {
  return (
    <p>
      Services concernés : {incident.services.map((s) => s.name).join(', ')}. Début :{' '}
      <time dateTime={incident.startedAt}>{formatDateTime(incident.startedAt)}</time>
      {incident.resolvedAt ? (
        <>
          , fin : <time dateTime={incident.resolvedAt}>{formatDateTime(incident.resolvedAt)}</time>
        </>
      ) : null}
      {incident.automatic ? ' (détecté par la surveillance automatique)' : ''}.
    </p>
  );
}

/** An incident: its services, state and timeline, newest step first. */
export function IncidentCard({
  incident,
  headingLevel = 3,
}: {
  incident: HostingIncident;
  headingLevel?: 3 | 4;
}) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <article className="hosting-incident" id={`incident-${incident.id}`}>
      <Heading>
        {incident.title}{' '}
        {incident.resolvedAt ? <Badge tone="success">Résolu</Badge> : <StateBadge state={incident.state} />}
      </Heading>
      <IncidentFacts incident={incident} />
      <IncidentTimeline incident={incident} />
    </article>
  );
}

export function MaintenanceItem({ maintenance }: { maintenance: Maintenance }) {
  return (
    <li id={`maintenance-${maintenance.id}`}>
      <strong>{maintenance.title}</strong> — du{' '}
      <time dateTime={maintenance.startsAt}>{formatDateTime(maintenance.startsAt)}</time> au{' '}
      <time dateTime={maintenance.endsAt}>{formatDateTime(maintenance.endsAt)}</time> (
      {maintenance.services.map((s) => s.name).join(', ')}) : {maintenance.message}
    </li>
  );
}
