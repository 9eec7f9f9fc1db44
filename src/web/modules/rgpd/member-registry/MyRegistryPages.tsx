import { useAuth, useCurrentOrganisation } from '../../../app/auth.js';
import { PageTitle } from '../../../ui/index.js';
import { useRegistrySummary } from '../api.js';
import { MemberRgpdNav } from '../nav.js';
import { BreachesView } from './BreachesView.js';
import { DesignationSection } from './DesignationSection.js';
import { DpoActions, EmptyRegistryHelp } from './DpoContact.js';
import { EditorsSection } from './EditorsSection.js';
import { RegistryView } from './RegistryView.js';
import { RequestsView } from './RequestsView.js';

/** The signed-in member's own RGPD space; the server decides who may write (summary.canEdit). */
function useMemberRgpd() {
  const auth = useAuth();
  const current = useCurrentOrganisation();
  const summary = useRegistrySummary(current.id);
  return {
    memberId: current.id,
    name: current.name,
    canEdit: summary.data?.canEdit ?? auth.isMemberAdmin,
    empty: summary.data?.processings === 0,
    auth,
  };
}

export function MyRegistryPage() {
  const { memberId, name, auth, empty, canEdit } = useMemberRgpd();
  return (
    <>
      <PageTitle title="Registre RGPD">Registre RGPD : {name}</PageTitle>
      <MemberRgpdNav />
      {empty && <EmptyRegistryHelp memberId={memberId} canEdit={canEdit} />}
      <RegistryView scope={{ area: 'member', memberId }} />
      <DesignationSection memberId={memberId} canEdit={auth.isMemberAdmin} />
      {auth.isMemberAdmin && <EditorsSection memberId={memberId} />}
    </>
  );
}

export function MyRequestsPage() {
  const { memberId, canEdit } = useMemberRgpd();
  return (
    <>
      <PageTitle title="Demandes d'exercice des droits" />
      <MemberRgpdNav />
      <RequestsView memberId={memberId} canEdit={canEdit} />
    </>
  );
}

export function MyBreachesPage() {
  const { memberId, canEdit } = useMemberRgpd();
  return (
    <>
      <PageTitle title="Violations de données" />
      <MemberRgpdNav />
      <DpoActions memberId={memberId} />
      <BreachesView memberId={memberId} canEdit={canEdit} />
    </>
  );
}
