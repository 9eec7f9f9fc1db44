import { useParams } from '@tanstack/react-router';
import { PageTitle } from '../../../ui/index.js';
import { MemberAdvisoryView } from '../advisories/MemberAdvisoryView.js';
import { OperatorCyberNav, useIsCyberTeam } from '../components.js';
import { MemberName } from './MemberName.js';

/** The cyber team's view of one member's remediation of one advisory (it may act for the member). */
export function MemberAdvisoryPage() {
  const { memberId, advisoryId } = useParams({
    from: '/operateur/cyber/adherents/$memberId/avis/$advisoryId',
  });
  const isCyberTeam = useIsCyberTeam();
  return (
    <MemberAdvisoryView
      memberId={memberId}
      advisoryId={advisoryId}
      canEdit={isCyberTeam}
      title={(reference, title) => (
        <>
          <PageTitle title={`Avis ${reference}`}>
            Avis {reference} : {title}
          </PageTitle>
          <OperatorCyberNav />
          <p className="lead">
            Structure : <MemberName memberId={memberId} />
          </p>
        </>
      )}
    />
  );
}
