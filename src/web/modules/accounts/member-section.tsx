import { registerMemberSection } from '../../app/member-sections.js';
import { UsersManager } from './UsersManager.js';

/** Who acts for the member: its users and invitations (the operator, the member's référent). */
registerMemberSection({
  id: 'utilisateurs',
  label: 'Utilisateurs',
  order: 50,
  visible: ({ auth, view }) => view === 'operator' || auth.isMemberAdmin,
  Component: ({ member }) => (
    <section aria-labelledby="utilisateurs-titre">
      <h2 id="utilisateurs-titre">Utilisateurs</h2>
      <UsersManager scope={{ organisationId: member.id, isOperator: false }} />
    </section>
  ),
});
