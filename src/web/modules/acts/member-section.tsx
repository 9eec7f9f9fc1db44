import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import { ActsSection } from './ActsSection.js';

/** « Actes »: the register's figures and links for the member, the portal and transmissions for the operator. */
function Acts({ member, view }: MemberSectionProps) {
  return <ActsSection memberId={member.id} asOperator={view === 'operator'} />;
}

registerMemberSection({
  id: 'actes',
  label: 'Actes',
  order: 85,
  visible: () => true,
  Component: Acts,
});
