import { useParams } from '@tanstack/react-router';
import { useCurrentOrganisation } from '../../../app/auth.js';
import { PageTitle } from '../../../ui/index.js';
import { MemberCyberNav, useCanManageCyber } from '../components.js';
import { IncidentView } from './IncidentView.js';

export function IncidentPage() {
  const current = useCurrentOrganisation();
  const { incidentId } = useParams({ from: '/espace/cyber/incidents/$incidentId' });
  const canManage = useCanManageCyber();
  return (
    <IncidentView
      memberId={current.id}
      incidentId={incidentId}
      canEdit={canManage}
      asOperator={false}
      title={(i) => (
        <>
          <PageTitle title={`Incident : ${i.title}`} />
          <MemberCyberNav />
        </>
      )}
    />
  );
}
