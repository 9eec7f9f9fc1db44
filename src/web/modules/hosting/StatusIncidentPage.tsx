import { Link, useParams } from '@tanstack/react-router';
import { Badge, PageTitle, QueryView } from '../../ui/index.js';
import { useStatusIncident } from './api.js';
import { IncidentFacts, IncidentTimeline, StateBadge } from './components.js';
import './hosting.css';

/** One incident's public page: its services, dates and whole timeline (no sign-in). */
export function StatusIncidentPage() {
  const { incidentId } = useParams({ from: '/statut/incidents/$incidentId' });
  const incident = useStatusIncident(incidentId);
  return (
    <QueryView query={incident} loadingLabel="Chargement de l’incident…">
      {(i) => (
        <>
          <PageTitle title={`Incident : ${i.title}`}>{i.title}</PageTitle>
          <p>
            <Link to="/statut">État des services</Link> —{' '}
            {i.resolvedAt ? <Badge tone="success">Résolu</Badge> : <StateBadge state={i.state} />}
          </p>
          <IncidentFacts incident={i} />
          <section aria-labelledby="chronologie">
            <h2 id="chronologie">Chronologie</h2>
            <IncidentTimeline incident={i} />
          </section>
        </>
      )}
    </QueryView>
  );
}
