import { Link } from '@tanstack/react-router';
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
import { type MailSummary, outboxAttachmentUrl, PAGE_SIZE, useOutbox } from './api.js';

/**
 * Sent; kept without being sent (no SMTP server configured: the `outbox` transport hands nothing on);
 * failed (retried by the job queue, see the jobs page); or waiting for its first attempt.
 */
export function MailStatus({ mail }: { mail: Pick<MailSummary, 'sentAt' | 'error' | 'transport'> }) {
  if (mail.sentAt && mail.transport === 'outbox') return <Badge tone="default">Conservé, non envoyé</Badge>;
  if (mail.sentAt) return <Badge tone="success">Envoyé</Badge>;
  if (mail.error) return <Badge tone="error">Échec</Badge>;
  return <Badge tone="info">En attente</Badge>;
}

export function OutboxPage() {
  const pages = useCursorPages('outbox');
  const mails = useOutbox(pages.cursor);
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
                      <>
                        <Link to="/operateur/courriels/$mailId" params={{ mailId: m.id }}>
                          {m.subject}
                        </Link>
                        {m.attachments.length > 0 && (
                          <span className="muted">
                            {' '}
                            (pièce{m.attachments.length > 1 ? 's' : ''} jointe
                            {m.attachments.length > 1 ? 's' : ''} :{' '}
                            {m.attachments.map((a, index) => (
                              // biome-ignore lint/suspicious/noArrayIndexKey: the position is the file's address
                              <span key={index}>
                                {index > 0 && ', '}
                                <a href={outboxAttachmentUrl(m.id, index)} download={a.fileName}>
                                  {a.fileName}
                                </a>
                              </span>
                            ))}
                            )
                          </span>
                        )}
                      </>
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
