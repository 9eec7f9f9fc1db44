import { Link } from '@tanstack/react-router';
import { countOf } from '../../../contracts/french.js';
import { useAuth } from '../../app/auth.js';
import { EmptyState, formatDateTime, PageTitle, QueryView, Table } from '../../ui/index.js';
import { type AssemblySummary, useAssemblies } from './api.js';
import {
  AssemblyLink,
  assemblyKindLabel,
  isGovernanceTeam,
  isMemberAssembliesManager,
  useGovernanceArea,
} from './components.js';
import { NewAssemblyForm } from './NewAssemblyForm.js';

/**
 * The assemblies the person may see: the operator's comité syndical and bureau for its governance team,
 * a member's councils for its admin and `assemblees` people, with their next session.
 */
export function AssembliesPage() {
  const auth = useAuth();
  const area = useGovernanceArea();
  const assemblies = useAssemblies();
  const title = area === 'operator' ? 'Assemblées du syndicat' : `Assemblées : ${auth.current?.name ?? ''}`;
  return (
    <>
      <PageTitle title={title} />
      <p className="lead">
        {area === 'operator'
          ? 'Le comité syndical et le bureau : sièges par collège, séances, convocations, présences et votes.'
          : 'Les conseils de la structure : sièges des élus, séances, convocations, présences et votes.'}
      </p>
      {area === 'member' && isMemberAssembliesManager(auth) && (
        <p>
          <Link to="/espace/delegues">Désigner les délégués de la structure au comité syndical</Link>
        </p>
      )}
      <QueryView query={assemblies} loadingLabel="Chargement des assemblées…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              <p>Aucune assemblée n'est encore enregistrée.</p>
              {area === 'member' && (
                <p>
                  La gestion des conseils passe par le service « Convocations électroniques des élus » du
                  catalogue.
                </p>
              )}
            </EmptyState>
          ) : (
            <AssembliesTable assemblies={page.items} />
          )
        }
      </QueryView>
      {auth.current && (isGovernanceTeam(auth) || isMemberAssembliesManager(auth)) && (
        <NewAssemblyForm organisationId={auth.current.id} area={area} />
      )}
    </>
  );
}

function AssembliesTable({ assemblies }: { assemblies: AssemblySummary[] }) {
  // The organisation is named only when the list holds more than one's assemblies.
  const several = new Set(assemblies.map((a) => a.organisationId)).size > 1;
  return (
    <Table
      caption="Assemblées"
      columns={[
        {
          key: 'name',
          header: 'Assemblée',
          rowHeader: true,
          render: (a) => <AssemblyLink assemblyId={a.id}>{a.name}</AssemblyLink>,
        },
        ...(several
          ? [{ key: 'organisation', header: 'Structure', render: (a: AssemblySummary) => a.organisationName }]
          : []),
        { key: 'kind', header: 'Type', render: (a) => assemblyKindLabel(a.kind) },
        {
          key: 'inOffice',
          header: 'Membres en exercice',
          numeric: true,
          render: (a) => countOf(a.inOffice, 'titulaire', 'titulaires'),
        },
        {
          key: 'next',
          header: 'Prochaine séance',
          render: (a) =>
            a.nextSessionAt ? formatDateTime(a.nextSessionAt) : <span className="muted">—</span>,
        },
      ]}
      rows={assemblies}
      rowKey={(a) => a.id}
    />
  );
}
