import { useParams } from '@tanstack/react-router';
import { PageTitle } from '../../../ui/index.js';
import { OperatorCyberNav, useIsCyberTeam } from '../components.js';
import { IncidentView } from '../incidents/IncidentView.js';
import { MemberName } from './MemberName.js';

/** The cyber team's page of a member's incident (it may act for the member). */
export function MemberIncidentPage() {
  const { memberId, incidentId } = useParams({
    from: '/operateur/cyber/adherents/$memberId/incidents/$incidentId',
  });
  const isCyberTeam = useIsCyberTeam();
  return (
    <IncidentView
      memberId={memberId}
      incidentId={incidentId}
      canEdit={isCyberTeam}
      asOperator
      title={(i) => (
        <>
          <PageTitle title={`Incident : ${i.title}`} />
          <OperatorCyberNav />
          <p className="lead">
            Structure : <MemberName memberId={memberId} />
          </p>
        </>
      )}
    />
  );
}
