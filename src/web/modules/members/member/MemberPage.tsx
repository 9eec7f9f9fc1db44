import { Link, useParams } from '@tanstack/react-router';
import { useAuth } from '../../../app/auth.js';
import { MemberSections } from '../../../app/MemberSections.js';
import { PageTitle, QueryView } from '../../../ui/index.js';
import { useMember } from '../api.js';
import { StatusBadge } from '../components.js';

/** One member at a glance for the operator: every module's section as a tab (app/member-sections.ts). */
export function MemberPage() {
  const { memberId } = useParams({ from: '/operateur/adherents/$memberId' });
  const auth = useAuth();
  const member = useMember(memberId);
  const title = member.data
    ? member.data.departementCode
      ? `${member.data.name} (${member.data.departementCode})`
      : member.data.name
    : 'Structure';
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/operateur/adherents">Adhérents</Link>
          </li>
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <PageTitle title={title} />
      <QueryView query={member} loadingLabel="Chargement de la structure…">
        {(m) => (
          <>
            <p>
              <StatusBadge status={m.status} /> <span className="muted">SIREN {m.siren}</span>
            </p>
            <MemberSections member={m} auth={auth} view="operator" />
          </>
        )}
      </QueryView>
    </>
  );
}
