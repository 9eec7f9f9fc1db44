import { useParams } from '@tanstack/react-router';
import { countOf } from '../../../contracts/french.js';
import { EmptyState, formatDate, formatDateTime, PageTitle, QueryView, Table } from '../../ui/index.js';
import { type PublishedDeliberations, publicMinutesPdfUrl, usePublishedDeliberations } from './api.js';
import './governance.css';

type PublishedSession = PublishedDeliberations['sessions'][number];
type Deliberation = PublishedSession['deliberations'][number];

/**
 * An organisation's published lists of deliberations, without login: for each sitting, the items
 * adopted or rejected with their votes and act numbers, and its procès-verbal once adopted and
 * published (the PDF as adopted, with its SHA-256).
 */
export function PublicDeliberationsPage() {
  const { organisationId } = useParams({ from: '/organisations/$organisationId/deliberations' });
  const published = usePublishedDeliberations(organisationId);
  const name = published.data?.organisationName;
  return (
    <>
      <PageTitle title={name ? `Délibérations publiées : ${name}` : 'Délibérations publiées'} />
      <p className="lead">
        Liste des délibérations de chaque séance, publiée dans la semaine qui suit, et procès-verbal une fois
        adopté à la séance suivante.
      </p>
      <QueryView query={published} loadingLabel="Chargement des délibérations publiées…">
        {(data) =>
          data.sessions.length === 0 ? (
            <EmptyState>Aucune liste de délibérations n'est encore publiée.</EmptyState>
          ) : (
            data.sessions.map((session) => (
              <PublishedSessionSection
                key={session.sessionId}
                organisationId={organisationId}
                session={session}
              />
            ))
          )
        }
      </QueryView>
    </>
  );
}

function PublishedSessionSection({
  organisationId,
  session,
}: {
  organisationId: string;
  session: PublishedSession;
}) {
  const title = `${session.assemblyName}, séance du ${formatDate(session.startsAt)}`;
  const headingId = `seance-${session.sessionId}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p>
        Liste publiée le {formatDateTime(session.publishedAt)} ·{' '}
        {countOf(session.deliberations.length, 'délibération', 'délibérations')}.
      </p>
      <Table<Deliberation>
        caption={`Délibérations : ${title}`}
        captionHidden
        rows={session.deliberations}
        rowKey={(d) => String(d.position)}
        columns={[
          { key: 'position', header: 'Point', numeric: true, render: (d) => d.position },
          { key: 'title', header: 'Objet', rowHeader: true, render: (d) => d.title },
          { key: 'act', header: 'Acte', render: (d) => d.actNumber ?? '—' },
          { key: 'for', header: 'Pour', numeric: true, render: (d) => d.for },
          { key: 'against', header: 'Contre', numeric: true, render: (d) => d.against },
          { key: 'abstention', header: 'Abstentions', numeric: true, render: (d) => d.abstention },
        ]}
      />
      {session.minutes ? (
        <p>
          Procès-verbal adopté le {formatDate(session.minutes.adoptedAt)}, publié le{' '}
          {formatDate(session.minutes.publishedAt)} :{' '}
          <a href={publicMinutesPdfUrl(organisationId, session.sessionId)}>
            télécharger le procès-verbal de la séance du {formatDate(session.startsAt)} (PDF)
          </a>{' '}
          — empreinte SHA-256 <code className="gov-hash">{session.minutes.sha256}</code>
        </p>
      ) : (
        <p>Procès-verbal : pas encore adopté et publié.</p>
      )}
    </section>
  );
}
