import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useAuth } from '../../../app/auth.js';
import { Button, PageTitle, QueryView } from '../../../ui/index.js';
import { UsersManager } from '../../accounts/UsersManager.js';
import { ActsSection } from '../../acts/ActsSection.js';
import { useMember } from '../api.js';
import { StatusBadge } from '../components.js';
import { ContactsSection } from './ContactsSection.js';
import { DocumentsSection } from './DocumentsSection.js';
import { MemberDetails } from './MemberDetails.js';
import { MemberEditForm } from './MemberEditForm.js';
import { MembershipSection } from './MembershipSection.js';

export function MemberPage() {
  const { memberId } = useParams({ from: '/operateur/adherents/$memberId' });
  const auth = useAuth();
  const member = useMember(memberId);
  const [editing, setEditing] = useState(false);
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/operateur/adherents">Adhérents</Link>
          </li>
          <li aria-current="page">{member.data?.name ?? 'Structure'}</li>
        </ol>
      </nav>
      <PageTitle title={member.data?.name ?? 'Structure'} />
      <QueryView query={member} loadingLabel="Chargement de la structure…">
        {(m) => (
          <>
            <p>
              <StatusBadge status={m.status} />
            </p>
            <Tabs className="tabs">
              <TabList aria-label="Rubriques de la structure">
                <Tab id="informations">Informations</Tab>
                <Tab id="adhesion">Adhésion</Tab>
                <Tab id="contacts">Contacts</Tab>
                <Tab id="documents">Documents</Tab>
                <Tab id="utilisateurs">Utilisateurs</Tab>
                <Tab id="actes">Actes</Tab>
              </TabList>
              <TabPanel id="informations">
                <h2>Informations</h2>
                {editing ? (
                  <MemberEditForm member={m} full onDone={() => setEditing(false)} />
                ) : (
                  <>
                    <MemberDetails member={m} />
                    {auth.isOperatorAdmin && (
                      <p className="form-actions">
                        <Button variant="secondary" onClick={() => setEditing(true)}>
                          Modifier les informations
                        </Button>
                      </p>
                    )}
                  </>
                )}
              </TabPanel>
              <TabPanel id="adhesion">
                <MembershipSection member={m} asOperatorAdmin={auth.isOperatorAdmin} asMemberAdmin={false} />
              </TabPanel>
              <TabPanel id="contacts">
                <ContactsSection memberId={m.id} canWrite />
              </TabPanel>
              <TabPanel id="documents">
                <DocumentsSection memberId={m.id} canWrite />
              </TabPanel>
              <TabPanel id="utilisateurs">
                <h2>Utilisateurs</h2>
                <UsersManager scope={{ organisationId: m.id, isOperator: false }} />
              </TabPanel>
              <TabPanel id="actes">
                <ActsSection memberId={m.id} asOperator />
              </TabPanel>
            </Tabs>
          </>
        )}
      </QueryView>
    </>
  );
}
