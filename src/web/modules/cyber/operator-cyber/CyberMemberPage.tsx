import { useParams } from '@tanstack/react-router';
import { EmptyState, PageTitle, QueryView } from '../../../ui/index.js';
import { useMember } from '../../members/api.js';
import { MemberAdvisoriesView } from '../advisories/MemberAdvisoriesView.js';
import { useDiagnostic, useDiagnostics, useIncidents } from '../api.js';
import { CyberProfileSection } from '../CyberProfileSection.js';
import { CyberSummary } from '../CyberSummary.js';
import { OperatorCyberNav, useIsCyberTeam } from '../components.js';
import { DiagnosticView } from '../diagnostics/DiagnosticView.js';
import { IncidentsTable } from '../incidents/IncidentsTable.js';
import { InventoryView } from '../inventory/InventoryView.js';

/** The cyber team's view of one member: figures, profile, advisories, incidents, diagnostic, inventory. */
export function CyberMemberPage() {
  const { memberId } = useParams({ from: '/operateur/cyber/adherents/$memberId' });
  const member = useMember(memberId);
  const isCyberTeam = useIsCyberTeam();
  const name = member.data?.name ?? 'structure';
  return (
    <>
      <PageTitle title={`Cybersécurité : ${name}`} />
      <OperatorCyberNav />
      <section aria-labelledby="chiffres-structure-titre">
        <h2 id="chiffres-structure-titre">En chiffres</h2>
        <CyberSummary memberId={memberId} />
      </section>
      <CyberProfileSection memberId={memberId} canEdit={isCyberTeam} />
      <section aria-labelledby="avis-structure-titre">
        <h2 id="avis-structure-titre">Avis de sécurité</h2>
        <MemberAdvisoriesView memberId={memberId} asOperator />
      </section>
      <MemberIncidents memberId={memberId} />
      <LatestDiagnostic memberId={memberId} />
      <section aria-labelledby="inventaire-structure-titre">
        <h2 id="inventaire-structure-titre">Inventaire</h2>
        <InventoryView memberId={memberId} canEdit={false} />
      </section>
    </>
  );
}

function MemberIncidents({ memberId }: { memberId: string }) {
  const incidents = useIncidents(memberId, undefined, undefined);
  return (
    <section aria-labelledby="incidents-structure-titre">
      <h2 id="incidents-structure-titre">Incidents</h2>
      <QueryView query={incidents} loadingLabel="Chargement des incidents…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun incident déclaré.</EmptyState>
          ) : (
            <IncidentsTable incidents={page.items} caption="Incidents de la structure" asOperator />
          )
        }
      </QueryView>
    </section>
  );
}

function LatestDiagnostic({ memberId }: { memberId: string }) {
  const diagnostics = useDiagnostics(memberId);
  const latest = diagnostics.data?.items[0];
  return (
    <section aria-labelledby="diagnostic-structure-titre">
      <h2 id="diagnostic-structure-titre">Dernier diagnostic</h2>
      {diagnostics.data && !latest && <EmptyState>Aucun diagnostic mené.</EmptyState>}
      {latest && <Latest memberId={memberId} diagnosticId={latest.id} />}
    </section>
  );
}

function Latest({ memberId, diagnosticId }: { memberId: string; diagnosticId: string }) {
  const diagnostic = useDiagnostic(memberId, diagnosticId);
  return (
    <QueryView query={diagnostic} loadingLabel="Chargement du diagnostic…">
      {(d) => <DiagnosticView diagnostic={d} catalogueLinks />}
    </QueryView>
  );
}
