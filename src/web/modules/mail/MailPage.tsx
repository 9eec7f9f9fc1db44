import { Link, useParams } from '@tanstack/react-router';
import { formatBytes, formatDateTime, PageTitle, QueryView } from '../../ui/index.js';
import { outboxAttachmentUrl, useOutboxMail } from './api.js';
import { MailStatus } from './OutboxPage.js';

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
  const mail = useOutboxMail(mailId);
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
              <dt>Statut</dt>
              <dd>
                <MailStatus mail={m} />
                {m.transport === 'outbox' && (
                  <span className="muted">
                    {' '}
                    Aucun serveur SMTP n'est configuré : le courriel est conservé ici, il n'a pas quitté la
                    plateforme.
                  </span>
                )}
              </dd>
              <dt>Transport</dt>
              <dd>{m.transport === 'outbox' ? 'aucun (conservation seule)' : m.transport}</dd>
              {m.attachments.length > 0 && (
                <>
                  <dt>Pièces jointes</dt>
                  <dd>
                    <ul aria-label="Pièces jointes">
                      {m.attachments.map((a, index) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: the position is the file's address
                        <li key={index}>
                          <a href={outboxAttachmentUrl(m.id, index)} download={a.fileName}>
                            {a.fileName}
                          </a>{' '}
                          ({formatBytes(a.size)})
                        </li>
                      ))}
                    </ul>
                  </dd>
                </>
              )}
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
