import { Link } from '@tanstack/react-router';
import { useIncidentOfBreach } from './api.js';

/**
 * On an RGPD breach: the cybersecurity incident that opened it, linked (the member's page of it, or the
 * cyber team's). Nothing when there is none or the reader may not see incidents.
 */
export function LinkedIncident({
  memberId,
  breachId,
  asOperator,
}: {
  memberId: string;
  breachId: string;
  asOperator: boolean;
}) {
  const incident = useIncidentOfBreach(memberId, breachId);
  const found = incident.data;
  if (!found) return null;
  return (
    <p>
      Ouverte par l’incident de sécurité{' '}
      {asOperator ? (
        <Link
          to="/operateur/cyber/adherents/$memberId/incidents/$incidentId"
          params={{ memberId, incidentId: found.id }}
        >
          « {found.title} »
        </Link>
      ) : (
        <Link to="/espace/cyber/incidents/$incidentId" params={{ incidentId: found.id }}>
          « {found.title} »
        </Link>
      )}
    </p>
  );
}
