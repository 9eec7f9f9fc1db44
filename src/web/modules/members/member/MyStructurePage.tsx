import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useAuth } from '../../../app/auth.js';
import { Button, PageTitle, QueryView } from '../../../ui/index.js';
import { ActsSection } from '../../acts/ActsSection.js';
import { useMember } from '../api.js';
import { ContactsSection } from './ContactsSection.js';
import { DocumentsSection } from './DocumentsSection.js';
import { MemberDetails } from './MemberDetails.js';
import { MemberEditForm } from './MemberEditForm.js';
import { MembershipSection } from './MembershipSection.js';

export function MyStructurePage() {
  const auth = useAuth();
  const current = auth.current!;
  const member = useMember(current.id);
  const [editing, setEditing] = useState(false);
  const isAdmin = auth.isMemberAdmin;
  const canUpload = isAdmin || current.role === 'agent';
  return (
    <>
      <PageTitle title="Ma structure">Ma structure : {current.name}</PageTitle>
      <p className="lead">
        Votre rôle : {isAdmin ? 'référent (administrateur)' : current.role === 'agent' ? 'agent' : 'lecteur'}.
        {isAdmin && (
          <>
            {' '}
            <Link to="/espace/utilisateurs">Gérer les utilisateurs de la structure</Link>
          </>
        )}
      </p>
      <QueryView query={member} loadingLabel="Chargement de votre structure…">
        {(m) => (
          <>
            <section aria-labelledby="informations-titre">
              <h2 id="informations-titre">Informations</h2>
              {editing ? (
                <MemberEditForm member={m} full={false} onDone={() => setEditing(false)} />
              ) : (
                <>
                  <MemberDetails member={m} />
                  {isAdmin && (
                    <p className="form-actions">
                      <Button variant="secondary" onClick={() => setEditing(true)}>
                        Modifier l'adresse et le SIRET
                      </Button>
                    </p>
                  )}
                </>
              )}
            </section>
            <MembershipSection member={m} asOperatorAdmin={false} asMemberAdmin={isAdmin} />
            <ContactsSection memberId={m.id} canWrite={isAdmin} />
            <DocumentsSection memberId={m.id} canWrite={canUpload} />
            <ActsSection memberId={m.id} asOperator={false} />
          </>
        )}
      </QueryView>
    </>
  );
}
