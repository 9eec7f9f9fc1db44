import { useState } from 'react';
import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import { Button } from '../../ui/index.js';
import { ContactsSection } from './member/ContactsSection.js';
import { DocumentsSection } from './member/DocumentsSection.js';
import { MemberDetails } from './member/MemberDetails.js';
import { MemberEditForm } from './member/MemberEditForm.js';
import { MembershipSection } from './member/MembershipSection.js';

/** The members module's parts of a member's page: identity, membership, contacts, documents. */

function Informations({ member, auth, view }: MemberSectionProps) {
  const [editing, setEditing] = useState(false);
  const operator = view === 'operator';
  const canEdit = operator ? auth.isOperatorAdmin : auth.isMemberAdmin;
  return (
    <section aria-labelledby="informations-titre">
      <h2 id="informations-titre">Informations</h2>
      {editing ? (
        <MemberEditForm member={member} full={operator} onDone={() => setEditing(false)} />
      ) : (
        <>
          <MemberDetails member={member} />
          {canEdit && (
            <p className="form-actions">
              <Button variant="secondary" onClick={() => setEditing(true)}>
                {operator
                  ? 'Modifier les informations'
                  : "Modifier l'adresse, le SIRET et le code service Chorus Pro"}
              </Button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

const everyone = () => true;

registerMemberSection({
  id: 'informations',
  label: 'Informations',
  order: 10,
  visible: everyone,
  Component: Informations,
});

registerMemberSection({
  id: 'adhesion',
  label: 'Adhésion',
  order: 20,
  visible: everyone,
  Component: ({ member, auth, view }) => (
    <MembershipSection
      member={member}
      asOperatorAdmin={view === 'operator' && auth.isOperatorAdmin}
      asMemberAdmin={view === 'member' && auth.isMemberAdmin}
    />
  ),
});

registerMemberSection({
  id: 'contacts',
  label: 'Contacts',
  order: 30,
  visible: everyone,
  Component: ({ member, auth, view }) => (
    <ContactsSection memberId={member.id} canWrite={view === 'operator' || auth.isMemberAdmin} />
  ),
});

registerMemberSection({
  id: 'documents',
  label: 'Documents',
  order: 40,
  visible: everyone,
  Component: ({ member, auth, view }) => (
    <DocumentsSection
      memberId={member.id}
      canWrite={view === 'operator' || auth.isMemberAdmin || auth.current?.role === 'agent'}
    />
  ),
});
