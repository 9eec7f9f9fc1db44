import { useAuth } from '../../../app/auth.js';
import { MemberSections } from '../../../app/MemberSections.js';
import { Alert, PageTitle, QueryView } from '../../../ui/index.js';
import { useMember } from '../api.js';

/** The member's own home: the same sections as the operator's page of it, those it may see. */
export function MyStructurePage() {
  const auth = useAuth();
  const current = auth.current;
  const member = useMember(current?.id);
  if (!current) {
    return (
      <Alert type="warning" title="Aucune structure">
        <p>Votre compte n'est rattaché à aucune structure.</p>
      </Alert>
    );
  }
  const isAdmin = auth.isMemberAdmin;
  return (
    <>
      <PageTitle title="Ma structure">Ma structure : {current.name}</PageTitle>
      <p className="lead">
        Votre rôle : {isAdmin ? 'référent (administrateur)' : current.role === 'agent' ? 'agent' : 'lecteur'}.
      </p>
      <QueryView query={member} loadingLabel="Chargement de votre structure…">
        {(m) => <MemberSections member={m} auth={auth} view="member" />}
      </QueryView>
    </>
  );
}
