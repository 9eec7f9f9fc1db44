import { useNavigate, useSearch } from '@tanstack/react-router';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import type { MemberDetail } from '../../contracts/members.js';
import type { Auth } from './auth.js';
import type { MemberView } from './member-sections.js';
import { memberSectionsFor } from './member-sections.load.js';

/**
 * The registered sections of a member as tabs, the chosen one kept in the URL (`?onglet=`), so a link,
 * a reload or the back button comes back to it.
 */
export function MemberSections({
  member,
  auth,
  view,
}: {
  member: MemberDetail;
  auth: Auth;
  view: MemberView;
}) {
  const navigate = useNavigate();
  const search: { onglet?: string } = useSearch({ strict: false });
  const props = { member, auth, view };
  const sections = memberSectionsFor(props);
  if (sections.length === 0) return null;
  const selected = sections.find((s) => s.id === search.onglet)?.id ?? sections[0].id;
  return (
    <Tabs
      className="tabs"
      selectedKey={selected}
      onSelectionChange={(key) =>
        navigate({
          to: '.',
          search: (prev: Record<string, unknown>) => ({ ...prev, onglet: String(key) }),
          replace: true,
        })
      }
    >
      <TabList aria-label={view === 'operator' ? 'Rubriques de la structure' : 'Rubriques de ma structure'}>
        {sections.map((s) => (
          <Tab key={s.id} id={s.id}>
            {s.label}
          </Tab>
        ))}
      </TabList>
      {sections.map((s) => (
        <TabPanel key={s.id} id={s.id}>
          <s.Component {...props} />
        </TabPanel>
      ))}
    </Tabs>
  );
}
