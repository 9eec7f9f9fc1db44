import { Link } from '@tanstack/react-router';
import { useCurrentOrganisation } from '../../../app/auth.js';
import { ButtonLink, EmptyState, formatDateTime, PageTitle, QueryView, Table } from '../../../ui/index.js';
import { useDiagnostics } from '../api.js';
import { MemberCyberNav, maturityName, useCanManageCyber } from '../components.js';

/** The member's diagnostics, latest first, and the way to a new one. */
export function DiagnosticsPage() {
  const current = useCurrentOrganisation();
  const canManage = useCanManageCyber();
  const diagnostics = useDiagnostics(current.id);
  return (
    <>
      <PageTitle title="Diagnostics de cybersécurité">Diagnostics : {current.name}</PageTitle>
      <MemberCyberNav />
      <div className="page-header">
        <p className="lead">
          Une quarantaine de questions simples, fondées sur les mesures d’hygiène recommandées par l’ANSSI,
          pour mesurer votre maturité thème par thème et obtenir un plan d’action priorisé. Comptez une heure,
          idéalement avec la personne qui gère l’informatique.
        </p>
        {canManage && <ButtonLink to="/espace/cyber/diagnostics/nouveau">Mener un diagnostic</ButtonLink>}
      </div>
      <QueryView query={diagnostics} loadingLabel="Chargement des diagnostics…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun diagnostic mené pour l’instant.</EmptyState>
          ) : (
            <Table
              caption="Diagnostics menés, le plus récent d’abord"
              rows={page.items}
              rowKey={(d) => d.id}
              columns={[
                {
                  key: 'date',
                  header: 'Date',
                  rowHeader: true,
                  render: (d) => (
                    <Link to="/espace/cyber/diagnostics/$diagnosticId" params={{ diagnosticId: d.id }}>
                      Diagnostic du {formatDateTime(d.createdAt)}
                    </Link>
                  ),
                },
                {
                  key: 'score',
                  header: 'Score global',
                  numeric: true,
                  render: (d) => `${d.overallScore} / 100`,
                },
                { key: 'maturity', header: 'Maturité', render: (d) => maturityName(d.maturity) },
                { key: 'by', header: 'Mené par', render: (d) => d.createdBy ?? '—' },
              ]}
            />
          )
        }
      </QueryView>
    </>
  );
}
