import { Link } from '@tanstack/react-router';
import { INCIDENT_CATEGORY_LABELS } from '../../../../contracts/cyber.js';
import { Badge, formatDateTime, Table } from '../../../ui/index.js';
import type { IncidentSummary } from '../api.js';
import { IncidentStatusBadge } from '../components.js';
import { NextClock } from '../IncidentClocks.js';

function IncidentLink({ incident: i, asOperator }: { incident: IncidentSummary; asOperator: boolean }) {
  return asOperator ? (
    <Link
      to="/operateur/cyber/adherents/$memberId/incidents/$incidentId"
      params={{ memberId: i.memberId, incidentId: i.id }}
    >
      {i.title}
    </Link>
  ) : (
    <Link to="/espace/cyber/incidents/$incidentId" params={{ incidentId: i.id }}>
      {i.title}
    </Link>
  );
}

export function IncidentsTable({
  incidents,
  caption,
  asOperator,
}: {
  incidents: IncidentSummary[];
  caption: string;
  asOperator: boolean;
}) {
  return (
    <Table
      caption={caption}
      rows={incidents}
      rowKey={(i) => i.id}
      columns={[
        {
          key: 'title',
          header: 'Incident',
          rowHeader: true,
          render: (i) => <IncidentLink incident={i} asOperator={asOperator} />,
        },
        { key: 'category', header: 'Catégorie', render: (i) => INCIDENT_CATEGORY_LABELS[i.category] },
        { key: 'detected', header: 'Détecté le', render: (i) => formatDateTime(i.detectedAt) },
        {
          key: 'personal',
          header: 'Données personnelles',
          render: (i) => (i.personalData ? <Badge tone="warning">Touchées</Badge> : 'Non'),
        },
        { key: 'clock', header: 'Prochaine échéance', render: (i) => <NextClock clock={i.nextClock} /> },
        { key: 'status', header: 'Statut', render: (i) => <IncidentStatusBadge status={i.status} /> },
      ]}
    />
  );
}
