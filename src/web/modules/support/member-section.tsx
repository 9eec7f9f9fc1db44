import { Link } from '@tanstack/react-router';
import { type MemberSectionProps, registerMemberSection } from '../../app/member-sections.js';
import { EmptyState, QueryView } from '../../ui/index.js';
import { useMemberTickets } from './api.js';
import { TicketsTable } from './components.js';

/** « Assistance »: the member's latest requests, and the way to all of them or to the team's queue. */
function Support({ member, view }: MemberSectionProps) {
  const operator = view === 'operator';
  const tickets = useMemberTickets(member.id, undefined, undefined, 5);
  return (
    <section aria-labelledby="assistance-titre">
      <h2 id="assistance-titre">Assistance</h2>
      <QueryView query={tickets} loadingLabel="Chargement des demandes…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucune demande d’assistance.</EmptyState>
          ) : (
            <>
              <p>
                {page.total} demande{page.total > 1 ? 's' : ''} au total ; les plus récentes :
              </p>
              <TicketsTable
                tickets={page.items}
                caption="Dernières demandes d’assistance"
                asOperator={operator}
              />
            </>
          )
        }
      </QueryView>
      <p>
        {operator ? (
          <Link to="/operateur/assistance">Ouvrir la file de l’assistance</Link>
        ) : (
          <Link to="/espace/assistance">Voir mes demandes ou en ouvrir une</Link>
        )}
      </p>
    </section>
  );
}

registerMemberSection({
  id: 'assistance',
  label: 'Assistance',
  order: 100,
  // Every person of the member; the operator's admins and support team.
  visible: (props) =>
    props.view === 'member'
      ? !!props.auth.current
      : props.auth.isOperatorAdmin || !!props.auth.current?.scopes.includes('support'),
  Component: Support,
});
