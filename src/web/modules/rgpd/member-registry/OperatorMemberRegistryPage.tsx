import { Link, useParams } from '@tanstack/react-router';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { PageTitle } from '../../../ui/index.js';
import { useMember } from '../../members/api.js';
import { RequireDpo } from '../scope.js';
import { BreachesView } from './BreachesView.js';
import { DesignationSection } from './DesignationSection.js';
import { EditorsSection } from './EditorsSection.js';
import { RegistryView } from './RegistryView.js';
import { RequestsView } from './RequestsView.js';

export function OperatorMemberRegistryPage() {
  const { memberId } = useParams({ from: '/operateur/rgpd/adherents/$memberId' });
  return (
    <RequireDpo>
      <MemberRegistry memberId={memberId} />
    </RequireDpo>
  );
}

function MemberRegistry({ memberId }: { memberId: string }) {
  const member = useMember(memberId);
  const name = member.data?.name ?? 'Structure';
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/operateur/rgpd">DPO mutualisé</Link>
          </li>
          <li aria-current="page">{name}</li>
        </ol>
      </nav>
      <PageTitle title={`RGPD : ${name}`} />
      <p>
        <Link to="/operateur/adherents/$memberId" params={{ memberId }}>
          Fiche de la structure (contacts, adhésion)
        </Link>
        {' — '}
        <Link to="/adherents/$memberId/registre" params={{ memberId }}>
          Page publique du registre
        </Link>
      </p>
      <Tabs className="tabs">
        <TabList aria-label="Rubriques RGPD de la structure">
          <Tab id="registre">Registre</Tab>
          <Tab id="demandes">Demandes d'exercice des droits</Tab>
          <Tab id="violations">Violations</Tab>
          <Tab id="designation">Désignation et rôle RGPD</Tab>
        </TabList>
        <TabPanel id="registre">
          <RegistryView scope={{ area: 'operator', memberId }} />
        </TabPanel>
        <TabPanel id="demandes">
          <h2>Demandes d'exercice des droits</h2>
          <RequestsView memberId={memberId} canEdit />
        </TabPanel>
        <TabPanel id="violations">
          <h2>Violations de données</h2>
          <BreachesView memberId={memberId} canEdit />
        </TabPanel>
        <TabPanel id="designation">
          <DesignationSection memberId={memberId} canEdit />
          <EditorsSection memberId={memberId} />
        </TabPanel>
      </Tabs>
    </>
  );
}
