import { Link } from '@tanstack/react-router';
import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import { CyberSummary } from './CyberSummary.js';

const canManage = ({ auth }: MemberSectionProps) =>
  !!auth.current && (auth.current.role === 'admin' || auth.current.role === 'cyber');

/** « Cybersécurité »: the member's figures, and the way to its space or to the cyber team's view of it. */
function Cyber({ member, view }: MemberSectionProps) {
  const operator = view === 'operator';
  return (
    <section aria-labelledby="cybersecurite-titre">
      <h2 id="cybersecurite-titre">Cybersécurité</h2>
      <CyberSummary memberId={member.id} />
      <p>
        {operator ? (
          <Link to="/operateur/cyber/adherents/$memberId" params={{ memberId: member.id }}>
            Ouvrir la vue cybersécurité de la structure (avis, incidents, diagnostic, inventaire)
          </Link>
        ) : (
          <Link to="/espace/cyber">Ouvrir mon espace cybersécurité</Link>
        )}
      </p>
    </section>
  );
}

registerMemberSection({
  id: 'cybersecurite',
  label: 'Cybersécurité',
  order: 105,
  // The member's admins and référents sécurité; the operator's admins and cyber team.
  visible: (props) =>
    props.view === 'member'
      ? canManage(props)
      : props.auth.isOperatorAdmin || !!props.auth.current?.scopes.includes('cyber'),
  Component: Cyber,
});
