import { useParams } from '@tanstack/react-router';
import { useCurrentOrganisation } from '../../../app/auth.js';
import { PageTitle } from '../../../ui/index.js';
import { MemberCyberNav, useCanManageCyber } from '../components.js';
import { MemberAdvisoryView } from './MemberAdvisoryView.js';

/** One advisory for the member: its assets concerned, each with its remediation. */
export function MyAdvisoryPage() {
  const current = useCurrentOrganisation();
  const { advisoryId } = useParams({ from: '/espace/cyber/avis/$advisoryId' });
  const canManage = useCanManageCyber();
  return (
    <MemberAdvisoryView
      memberId={current.id}
      advisoryId={advisoryId}
      canEdit={canManage}
      title={(reference, title) => (
        <>
          <PageTitle title={`Avis ${reference}`}>
            Avis {reference} : {title}
          </PageTitle>
          <MemberCyberNav />
        </>
      )}
    />
  );
}
