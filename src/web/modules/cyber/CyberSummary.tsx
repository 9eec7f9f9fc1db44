import { countOf } from '../../../contracts/french.js';
import { Card, formatDate } from '../../ui/index.js';
import { useDiagnostics, useIncidents, useInventory, useMemberAdvisories } from './api.js';
import { Figure, maturityName } from './components.js';

/**
 * A member's cybersecurity in four figures: inventory, advisories to handle, latest diagnostic, open
 * incidents. Shown on the member's overview and in the « Cybersécurité » tab of both member pages.
 */
export function CyberSummary({ memberId }: { memberId: string }) {
  const inventory = useInventory(memberId, {}, undefined);
  const toDo = useMemberAdvisories(memberId, 'to_do', undefined);
  const overdue = useMemberAdvisories(memberId, 'overdue', undefined);
  const diagnostics = useDiagnostics(memberId);
  const incidents = useIncidents(memberId, 'open', undefined);
  const latest = diagnostics.data?.items[0];
  const assets = inventory.data?.summary.byKind.reduce((sum, k) => sum + k.count, 0);
  const pending = (toDo.data?.total ?? 0) + (overdue.data?.total ?? 0);
  return (
    <div className="grid">
      <Card title="Inventaire" headingLevel={3}>
        <Figure
          value={assets ?? '…'}
          label={
            inventory.data
              ? `${countOf(inventory.data.total, 'ligne', 'lignes')}, dont ${countOf(inventory.data.summary.internetExposed, 'exposée', 'exposées')} sur internet`
              : 'équipements et logiciels'
          }
        />
      </Card>
      <Card title="Avis à traiter" headingLevel={3}>
        <Figure
          value={toDo.data && overdue.data ? pending : '…'}
          label={
            overdue.data && overdue.data.total > 0 ? (
              <span className="cyber-overdue">
                dont {countOf(overdue.data.total, 'en retard', 'en retard')}
              </span>
            ) : (
              'aucun en retard'
            )
          }
        />
      </Card>
      <Card title="Dernier diagnostic" headingLevel={3}>
        <Figure
          value={latest ? `${latest.overallScore} / 100` : '—'}
          label={
            latest
              ? `${maturityName(latest.maturity)}, le ${formatDate(latest.createdAt)}`
              : diagnostics.data
                ? 'aucun diagnostic mené'
                : 'chargement…'
          }
        />
      </Card>
      <Card title="Incidents en cours" headingLevel={3}>
        <Figure value={incidents.data?.total ?? '…'} label="ouverts, non encore maîtrisés" />
      </Card>
    </div>
  );
}
