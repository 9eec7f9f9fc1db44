import { useEffect, useRef, useState } from 'react';
import { countOf } from '../../../../contracts/french.js';
import { SEAT_KIND_LABELS } from '../../../../contracts/governance.js';
import { errorMessage } from '../../../app/api.js';
import { Alert, Button, formatDate, formatDateTime, Table, today } from '../../../ui/index.js';
import {
  type ConvocationsSent,
  convocationsPdfUrl,
  type SessionDetail,
  useSendConvocations,
} from '../api.js';

type Convocation = SessionDetail['convocations'][number];

const when = (value: string | null) => (value ? formatDateTime(value) : <span className="muted">—</span>);

function sentMessage(result: ConvocationsSent): string {
  const parts = [`${countOf(result.queued, 'convocation envoyée', 'convocations envoyées')} par courriel`];
  if (result.alreadySent > 0)
    parts.push(`${countOf(result.alreadySent, 'déjà envoyée', 'déjà envoyées')} auparavant`);
  if (result.paper > 0)
    parts.push(`${countOf(result.paper, 'à imprimer', 'à imprimer')} pour les envois sur papier`);
  return `${parts.join(', ')}.`;
}

/**
 * Convocations per recipient (sent, received, opened, unavailable), the button that sends them through
 * the mail queue and the PDF for those convened on paper. An official sees only their own.
 */
export function ConvocationsSection({ session }: { session: SessionDetail }) {
  const send = useSendConvocations(session.id);
  const [sent, setSent] = useState<ConvocationsSent | null>(null);
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (sent || send.isError) outcome.current?.focus();
  }, [sent, send.isError]);
  const late = today() > session.convocationDueBy && !session.urgent;
  // Convocations exist once sent: before that, every titular in office is to be convened.
  const titulars = session.attendance.filter((e) => e.seatKind === 'titular').length;
  const toSend = session.convocationsSentAt
    ? session.convocations.filter((c) => !c.sentAt && !c.paper && c.email).length
    : titulars;
  const open = session.status === 'planned' || session.status === 'convened';
  return (
    <section aria-labelledby="convocations-titre">
      <h2 id="convocations-titre">Convocations</h2>
      {session.canManage && (
        <>
          <p>
            À envoyer au plus tard le <strong>{formatDate(session.convocationDueBy)}</strong>
            {session.urgent ? ' (séance urgente : un jour franc)' : ''}.
          </p>
          {late && !session.convocationsSentAt && (
            <Alert type="warning" title="Délai de convocation dépassé">
              <p>
                Les convocations ne peuvent plus être envoyées dans le délai légal. Seule une séance marquée
                urgente, avec son motif, peut encore être convoquée.
              </p>
            </Alert>
          )}
          <div ref={outcome} tabIndex={-1}>
            {sent && (
              <Alert type="success" live>
                <p>{sentMessage(sent)}</p>
              </Alert>
            )}
            {send.isError && (
              <Alert type="error" title="Envoi impossible" live>
                <p>{errorMessage(send.error)}</p>
              </Alert>
            )}
          </div>
          <div className="gov-actions">
            {open && toSend > 0 && (
              <Button
                pending={send.isPending}
                onClick={() => {
                  setSent(null);
                  send.mutate(undefined, { onSuccess: setSent });
                }}
              >
                Envoyer les convocations ({countOf(toSend, 'élu', 'élus')})
              </Button>
            )}
            <a className="btn btn--secondary" href={convocationsPdfUrl(session.id)} download>
              Convocations à imprimer (PDF)
            </a>
          </div>
        </>
      )}
      <ConvocationsTable convocations={session.convocations} />
    </section>
  );
}

function ConvocationsTable({ convocations }: { convocations: Convocation[] }) {
  if (convocations.length === 0)
    return <p>Aucun élu à convoquer : ajoutez d'abord les sièges de l'assemblée.</p>;
  return (
    <Table
      caption="Convocation de chaque élu"
      columns={[
        { key: 'name', header: 'Élu', rowHeader: true, render: (c) => c.fullName },
        { key: 'seat', header: 'Siège', render: (c) => SEAT_KIND_LABELS[c.seatKind] },
        { key: 'by', header: 'Envoi', render: (c) => (c.paper || !c.email ? 'Papier' : 'Courriel') },
        { key: 'sent', header: 'Envoyée', render: (c) => when(c.sentAt) },
        { key: 'received', header: 'Reçue', render: (c) => when(c.receivedAt) },
        { key: 'opened', header: 'Ouverte', render: (c) => when(c.openedAt) },
        {
          key: 'unavailable',
          header: 'Empêché',
          render: (c) =>
            c.unavailableAt ? `le ${formatDateTime(c.unavailableAt)}` : <span className="muted">—</span>,
        },
      ]}
      rows={convocations}
      rowKey={(c) => c.seatId}
    />
  );
}
