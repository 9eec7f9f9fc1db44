import { countOf } from '../../../../contracts/french.js';
import { EmptyState, formatDate, formatDateTime, QueryView, Table } from '../../../ui/index.js';
import { type SessionSummary, useSessions } from '../api.js';
import { SessionLink, SessionStatusBadge } from '../components.js';

function SessionsTable({ caption, sessions }: { caption: string; sessions: SessionSummary[] }) {
  return (
    <Table
      caption={caption}
      columns={[
        {
          key: 'startsAt',
          header: 'Séance',
          rowHeader: true,
          render: (s) => (
            <SessionLink sessionId={s.id}>
              Séance du {formatDateTime(s.startsAt)}
              {s.urgent ? ' (urgente)' : ''}
              {s.secondConvocation ? ' (seconde convocation)' : ''}
            </SessionLink>
          ),
        },
        { key: 'place', header: 'Lieu', render: (s) => (s.remote ? `${s.place} (à distance)` : s.place) },
        { key: 'items', header: 'Ordre du jour', render: (s) => countOf(s.itemCount, 'point', 'points') },
        {
          key: 'convocations',
          header: 'Convocations',
          render: (s) =>
            s.convocationsSentAt
              ? `Envoyées le ${formatDate(s.convocationsSentAt)}`
              : `À envoyer au plus tard le ${formatDate(s.convocationDueBy)}`,
        },
        { key: 'status', header: 'Statut', render: (s) => <SessionStatusBadge status={s.status} /> },
      ]}
      rows={sessions}
      rowKey={(s) => s.id}
    />
  );
}

/** The assembly's sessions: those to come first, then the past ones, most recent first. */
export function SessionsSection({ assemblyId }: { assemblyId: string }) {
  const upcoming = useSessions(assemblyId, 'upcoming');
  const past = useSessions(assemblyId, 'past');
  return (
    <section aria-labelledby="seances-titre">
      <h2 id="seances-titre">Séances</h2>
      <QueryView query={upcoming} loadingLabel="Chargement des séances à venir…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>
              <p>Aucune séance à venir.</p>
            </EmptyState>
          ) : (
            <SessionsTable caption="Séances à venir" sessions={page.items} />
          )
        }
      </QueryView>
      <QueryView query={past} loadingLabel="Chargement des séances passées…">
        {(page) =>
          page.items.length === 0 ? null : <SessionsTable caption="Séances passées" sessions={page.items} />
        }
      </QueryView>
    </section>
  );
}
