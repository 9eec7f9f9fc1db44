import { useParams } from '@tanstack/react-router';
import { countOf } from '../../../../contracts/french.js';
import { PageTitle, QueryView } from '../../../ui/index.js';
import { useAssembly } from '../api.js';
import { assemblyKindLabel, GovernanceBreadcrumb, NewSessionLink } from '../components.js';
import { quorumRule } from '../quorum.js';
import { AddSeatForm } from './AddSeatForm.js';
import { SeatsSection } from './SeatsSection.js';
import { SessionsSection } from './SessionsSection.js';

/** One assembly: its seats by college (titulars and substitutes, terms), its sessions, a new session. */
export function AssemblyPage() {
  const { assemblyId } = useParams({ strict: false }) as { assemblyId: string };
  const assembly = useAssembly(assemblyId);
  const title = assembly.data?.name ?? 'Assemblée';
  return (
    <>
      <GovernanceBreadcrumb current={title} />
      <PageTitle title={title} />
      <QueryView query={assembly} loadingLabel="Chargement de l'assemblée…">
        {(a) => {
          const required = Math.floor(a.inOffice / 2) + 1;
          return (
            <>
              <p className="lead">
                {assemblyKindLabel(a.kind)} — {a.organisationName}.{' '}
                {quorumRule({ inOffice: a.inOffice, required })}. Convocation{' '}
                {countOf(a.convocationDays, 'jour franc', 'jours francs')} avant la séance (1 en cas
                d'urgence).
              </p>
              {a.canManage && (
                <p className="gov-actions">
                  <NewSessionLink assemblyId={a.id}>Nouvelle séance</NewSessionLink>
                </p>
              )}
              <SessionsSection assemblyId={a.id} />
              <SeatsSection assembly={a} />
              {a.canManage && <AddSeatForm assembly={a} />}
            </>
          );
        }}
      </QueryView>
    </>
  );
}
