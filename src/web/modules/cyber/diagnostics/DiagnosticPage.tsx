import { useParams } from '@tanstack/react-router';
import { useCurrentOrganisation } from '../../../app/auth.js';
import { PageTitle, QueryView } from '../../../ui/index.js';
import { useDiagnostic } from '../api.js';
import { MemberCyberNav } from '../components.js';
import { DiagnosticView } from './DiagnosticView.js';

export function DiagnosticPage() {
  const current = useCurrentOrganisation();
  const { diagnosticId } = useParams({ from: '/espace/cyber/diagnostics/$diagnosticId' });
  const diagnostic = useDiagnostic(current.id, diagnosticId);
  return (
    <>
      <PageTitle title="Résultats du diagnostic">Résultats du diagnostic : {current.name}</PageTitle>
      <MemberCyberNav />
      <QueryView query={diagnostic} loadingLabel="Chargement du diagnostic…">
        {(d) => <DiagnosticView diagnostic={d} catalogueLinks />}
      </QueryView>
    </>
  );
}
