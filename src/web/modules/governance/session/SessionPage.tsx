import { useParams } from '@tanstack/react-router';
import { Alert, formatDate, formatDateTime, PageTitle, QueryView } from '../../../ui/index.js';
import { type SessionDetail, useSession } from '../api.js';
import {
  AssemblyLink,
  Fact,
  GovernanceBreadcrumb,
  SessionStatusBadge,
  useGovernanceArea,
} from '../components.js';
import { AgendaSection } from './AgendaSection.js';
import { AttendanceSection } from './AttendanceSection.js';
import { CloseSection } from './CloseSection.js';
import { ConvocationsSection } from './ConvocationsSection.js';
import { MinutesSection } from './MinutesSection.js';
import { QuorumStatus } from './QuorumStatus.js';

/**
 * One session: its facts, the quorum (announced as it changes), convocations per recipient, attendance,
 * the agenda with each item's vote and the deliberation it became, closing and the procès-verbal.
 * Officials read it; those who manage the assembly convene, record attendance and votes, publish.
 */
export function SessionPage() {
  const { sessionId } = useParams({ strict: false }) as { sessionId: string };
  const area = useGovernanceArea();
  const session = useSession(sessionId);
  const title = session.data
    ? `Séance du ${formatDate(session.data.startsAt)} : ${session.data.assemblyName}`
    : 'Séance';
  return (
    <>
      <GovernanceBreadcrumb
        trail={
          session.data && area !== 'official'
            ? [
                <AssemblyLink key="assembly" assemblyId={session.data.assemblyId}>
                  {session.data.assemblyName}
                </AssemblyLink>,
              ]
            : undefined
        }
        current={session.data ? `Séance du ${formatDate(session.data.startsAt)}` : 'Séance'}
      />
      <PageTitle title={title} />
      <QueryView query={session} loadingLabel="Chargement de la séance…">
        {(s) => (
          <>
            <SessionFacts session={s} />
            <QuorumStatus quorum={s.quorum} />
            {s.canManage && <ConvocationsSection session={s} />}
            {!s.canManage && s.convocations.length > 0 && <ConvocationsSection session={s} />}
            {s.canManage && <AttendanceSection session={s} />}
            <AgendaSection session={s} />
            <CloseSection session={s} />
            <MinutesSection session={s} />
          </>
        )}
      </QueryView>
    </>
  );
}

function SessionFacts({ session: s }: { session: SessionDetail }) {
  return (
    <section aria-labelledby="seance-titre">
      <h2 id="seance-titre" className="sr-only">
        La séance
      </h2>
      <dl className="dl">
        <Fact term="Assemblée">
          {s.assemblyName} ({s.organisationName})
        </Fact>
        <Fact term="Date et heure">{formatDateTime(s.startsAt)}</Fact>
        <Fact term="Lieu">{s.remote ? `${s.place} — séance à distance` : s.place}</Fact>
        <Fact term="Statut">
          <SessionStatusBadge status={s.status} />
          {s.urgent && ' Séance urgente'}
          {s.secondConvocation && ' Seconde convocation (sans condition de quorum)'}
        </Fact>
        <Fact term="Motif de l'urgence">{s.urgencyReason}</Fact>
        <Fact term="Convocations">
          {s.convocationsSentAt
            ? `envoyées le ${formatDateTime(s.convocationsSentAt)}`
            : `à convoquer au plus tard le ${formatDate(s.convocationDueBy)}`}
        </Fact>
      </dl>
      {s.status === 'closed' && s.quorum.reached === false && (
        <Alert type="warning" title="Séance sans quorum">
          <p>
            Le quorum n'ayant pas été atteint, l'assemblée n'a pas pu délibérer : une seconde convocation, au
            moins trois jours plus tard, se tient sans condition de quorum.
          </p>
        </Alert>
      )}
    </section>
  );
}
