import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import { GovernanceSection } from './GovernanceSection.js';

/** « Assemblées »: the member's councils and its delegates to the comité syndical. */
function Governance({ member, auth, view }: MemberSectionProps) {
  return <GovernanceSection memberId={member.id} auth={auth} asOperator={view === 'operator'} />;
}

registerMemberSection({
  id: 'assemblees',
  label: 'Assemblées',
  order: 95,
  visible: ({ auth, view }) =>
    view === 'operator'
      ? auth.isOperatorAdmin || !!auth.current?.scopes.includes('governance')
      : !!auth.current && (auth.current.role === 'admin' || auth.current.role === 'assemblees'),
  Component: Governance,
});
