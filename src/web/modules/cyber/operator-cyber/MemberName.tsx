import { Link } from '@tanstack/react-router';
import { useMember } from '../../members/api.js';

/** The member's name, linked to its page on the « Cybersécurité » tab. */
export function MemberName({ memberId }: { memberId: string }) {
  const member = useMember(memberId);
  return (
    <Link to="/operateur/adherents/$memberId" params={{ memberId }} search={{ onglet: 'cybersecurite' }}>
      {member.data?.name ?? 'la structure'}
    </Link>
  );
}
