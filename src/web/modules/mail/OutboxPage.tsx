import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { OutboxMail } from '../../../contracts/mail.js';
import { api, type Page } from '../../app/api.js';
import {
  Badge,
  EmptyState,
  formatDateTime,
  PageTitle,
  Pagination,
  QueryView,
  Table,
  useCursorPages,
} from '../../ui/index.js';

type MailSummary = Omit<OutboxMail, 'text' | 'html'>;
const PAGE_SIZE = 50;

/** Sent; failed (retried by the job queue, see the jobs page); or waiting for its first attempt. */
function MailStatus({ mail }: { mail: MailSummary }) {
  if (mail.sentAt) return <Badge tone="success">Envoyé</Badge>;
  if (mail.error) return <Badge tone="error">Échec</Badge>;
  return <Badge tone="info">En attente</Badge>;
}

export function OutboxPage() {
  const pages = useCursorPages('outbox');
  const mails = useQuery({
    queryKey: ['outbox', pages.cursor],
    queryFn: () => api.get<Page<MailSummary>>('/api/v1/outbox', { cursor: pages.cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageTitle title="Courriels envoyés" />
      <p className="lead">
        Tous les courriels de la plateforme. Sans serveur SMTP configuré, ils sont conservés ici : ouvrez-en
        un pour suivre ses liens (réinitialisation de mot de passe, invitation). Un envoi qui échoue est
        réessayé automatiquement : suivez-le dans les{' '}
        <Link to="/operateur/travaux">travaux en arrière-plan</Link>.
      </p>
      <QueryView query={mails} loadingLabel="Chargement des courriels…">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState>Aucun courriel envoyé.</EmptyState>
          ) : (
            <>
              <Table
                caption="Courriels, du plus récent au plus ancien"
                rows={page.items}
                rowKey={(m) => m.id}
                columns={[
                  { key: 'date', header: 'Date', render: (m) => formatDateTime(m.createdAt) },
                  { key: 'to', header: 'Destinataire', render: (m) => m.to },
                  {
                    key: 'subject',
                    header: 'Objet',
                    rowHeader: true,
                    render: (m) => (
                      <Link to="/operateur/courriels/$mailId" params={{ mailId: m.id }}>
                        {m.subject}
                      </Link>
                    ),
                  },
                  { key: 'status', header: 'État', render: (m) => <MailStatus mail={m} /> },
                ]}
              />
              <Pagination
                label="Pagination des courriels"
                pageIndex={pages.pageIndex}
                pageSize={PAGE_SIZE}
                shown={page.items.length}
                total={page.total}
                nextCursor={page.nextCursor}
                onNext={pages.next}
                onPrevious={pages.previous}
              />
            </>
          )
        }
      </QueryView>
    </>
  );
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** The text body with its addresses turned into links; the HTML body is never injected. */
function LinkifiedText({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <div className="mail-body">
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable text
          <a key={index} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </div>
  );
}

export function MailPage() {
  const { mailId } = useParams({ from: '/operateur/courriels/$mailId' });
  const mail = useQuery({
    queryKey: ['outbox', 'mail', mailId],
    queryFn: () => api.get<OutboxMail>(`/api/v1/outbox/${mailId}`),
  });
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/operateur/courriels">Courriels envoyés</Link>
          </li>
          <li aria-current="page">Courriel</li>
        </ol>
      </nav>
      <PageTitle title={mail.data ? `Courriel : ${mail.data.subject}` : 'Courriel'} />
      <QueryView query={mail} loadingLabel="Chargement du courriel…">
        {(m) => (
          <>
            <dl className="dl">
              <dt>Destinataire</dt>
              <dd>{m.to}</dd>
              <dt>Objet</dt>
              <dd>{m.subject}</dd>
              <dt>Date</dt>
              <dd>{formatDateTime(m.createdAt)}</dd>
              <dt>Transport</dt>
              <dd>{m.transport}</dd>
              {m.error && (
                <>
                  <dt>Erreur</dt>
                  <dd>{m.error}</dd>
                </>
              )}
            </dl>
            <h2>Contenu</h2>
            <LinkifiedText text={m.text} />
          </>
        )}
      </QueryView>
    </>
  );
}
