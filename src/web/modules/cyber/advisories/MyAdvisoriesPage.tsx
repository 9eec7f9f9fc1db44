import { useCurrentOrganisation } from '../../../app/auth.js';
import { PageTitle } from '../../../ui/index.js';
import { MemberCyberNav } from '../components.js';
import { MemberAdvisoriesView } from './MemberAdvisoriesView.js';

/** The advisories that concern the member's inventory, and where each stands. */
export function MyAdvisoriesPage() {
  const current = useCurrentOrganisation();
  return (
    <>
      <PageTitle title="Avis de sécurité">Avis de sécurité : {current.name}</PageTitle>
      <MemberCyberNav />
      <p className="lead">
        L’équipe cybersécurité rapproche chaque avis de votre inventaire : vous ne recevez que ceux qui
        concernent vos équipements et logiciels. Traitez-les avant leur échéance.
      </p>
      <MemberAdvisoriesView memberId={current.id} asOperator={false} />
    </>
  );
}
