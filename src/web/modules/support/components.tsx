import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import {
  TICKET_LINK_KIND_LABELS,
  TICKET_PRIORITY_LABELS,
  TICKET_STATUS_LABELS,
  type TicketPriority,
  type TicketStatus,
} from '../../../contracts/support.js';
import { Badge, type BadgeTone, formatBytes, formatDateTime, SelectField, Table } from '../../ui/index.js';
import { useServices } from '../catalogue/api.js';
import { attachmentUrl, type Ticket, type TicketAttachment, type TicketSummary } from './api.js';
import './support.css';

const STATUS_TONES: Record<TicketStatus, BadgeTone> = {
  open: 'new',
  in_progress: 'info',
  waiting_member: 'warning',
  resolved: 'success',
  closed: 'default',
};

/** The status in words; for the team, « En attente de la structure » rather than « de votre réponse ». */
export function TicketStatusBadge({
  status,
  asOperator = false,
}: {
  status: TicketStatus;
  asOperator?: boolean;
}) {
  const label =
    asOperator && status === 'waiting_member' ? 'En attente de la structure' : TICKET_STATUS_LABELS[status];
  return <Badge tone={STATUS_TONES[status]}>{label}</Badge>;
}

const PRIORITY_TONES: Record<TicketPriority, BadgeTone> = {
  low: 'default',
  medium: 'info',
  high: 'warning',
  critical: 'error',
};

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  return <Badge tone={PRIORITY_TONES[priority]}>{TICKET_PRIORITY_LABELS[priority]}</Badge>;
}

/** The deadline that runs now, in words (the colour of the badge repeats them). */
export function NextDeadline({ ticket }: { ticket: TicketSummary }) {
  if (ticket.status === 'resolved' || ticket.status === 'closed') {
    return <>{ticket.breached ? <Badge tone="error">Délai dépassé</Badge> : 'Dans les délais'}</>;
  }
  if (ticket.status === 'waiting_member') return <>Délai suspendu</>;
  const due = ticket.firstRespondedAt ? ticket.resolutionDueAt : ticket.firstResponseDueAt;
  const step = ticket.firstRespondedAt ? 'Résolution' : 'Première réponse';
  return (
    <>
      {step} avant le {formatDateTime(due)}
      {ticket.breached && (
        <>
          {' '}
          <Badge tone="error">Délai dépassé</Badge>
        </>
      )}
    </>
  );
}

function TicketLink({ ticket, asOperator }: { ticket: TicketSummary; asOperator: boolean }) {
  return asOperator ? (
    <Link to="/operateur/assistance/$ticketId" params={{ ticketId: ticket.id }}>
      {ticket.reference} — {ticket.subject}
    </Link>
  ) : (
    <Link to="/espace/assistance/$ticketId" params={{ ticketId: ticket.id }}>
      {ticket.reference} — {ticket.subject}
    </Link>
  );
}

export function TicketsTable({
  tickets,
  caption,
  asOperator,
}: {
  tickets: TicketSummary[];
  caption: string;
  asOperator: boolean;
}) {
  return (
    <Table
      caption={caption}
      rows={tickets}
      rowKey={(t) => t.id}
      columns={[
        {
          key: 'subject',
          header: 'Demande',
          rowHeader: true,
          render: (t) => <TicketLink ticket={t} asOperator={asOperator} />,
        },
        ...(asOperator
          ? [{ key: 'member', header: 'Structure', render: (t: TicketSummary) => t.memberName }]
          : []),
        { key: 'service', header: 'Service', render: (t) => t.serviceName ?? 'Général' },
        { key: 'priority', header: 'Priorité', render: (t) => <PriorityBadge priority={t.priority} /> },
        { key: 'due', header: 'Échéance', render: (t) => <NextDeadline ticket={t} /> },
        {
          key: 'status',
          header: 'Statut',
          render: (t) => <TicketStatusBadge status={t.status} asOperator={asOperator} />,
        },
        ...(asOperator
          ? [{ key: 'assignee', header: 'Attribué à', render: (t: TicketSummary) => t.assigneeName ?? '—' }]
          : [
              {
                key: 'opened',
                header: 'Ouverte le',
                render: (t: TicketSummary) => formatDateTime(t.createdAt),
              },
            ]),
      ]}
    />
  );
}

/** The exchanges of a ticket, oldest first; internal notes marked (only the team ever receives them). */
export function Thread({ ticket, asOperator = false }: { ticket: Ticket; asOperator?: boolean }) {
  const filesOf = (ticketId: string, messageId: string | null) =>
    ticket.attachments.filter((a) => a.ticketId === ticketId && a.messageId === messageId);
  return (
    <section aria-labelledby="echanges-titre">
      <h2 id="echanges-titre">Échanges</h2>
      {ticket.mergedInto && (
        <p className="support-merged-note">
          Cette demande a été fusionnée dans{' '}
          {asOperator ? (
            <Link to="/operateur/assistance/$ticketId" params={{ ticketId: ticket.mergedInto.id }}>
              {ticket.mergedInto.reference}
            </Link>
          ) : (
            <Link to="/espace/assistance/$ticketId" params={{ ticketId: ticket.mergedInto.id }}>
              {ticket.mergedInto.reference}
            </Link>
          )}{' '}
          : ses échanges s’y poursuivent.
        </p>
      )}
      <ol className="support-thread">
        <li className="support-message">
          <p className="support-message__meta">
            <strong>{ticket.requesterName ?? 'La structure'}</strong>, le {formatDateTime(ticket.createdAt)}
          </p>
          <p className="support-message__body">{ticket.description}</p>
          <Files ticket={ticket} files={filesOf(ticket.id, null)} asOperator={asOperator} />
        </li>
        {ticket.merged.map((m) => (
          <li key={m.id} className="support-message support-message--merged">
            <p className="support-message__meta">
              <strong>{m.requesterName ?? 'La structure'}</strong>, le {formatDateTime(m.createdAt)}{' '}
              <Badge tone="info">Fusionné depuis {m.reference}</Badge>
            </p>
            <p className="support-message__body">
              {m.subject} — {m.description}
            </p>
            <Files ticket={ticket} files={filesOf(m.id, null)} asOperator={asOperator} />
          </li>
        ))}
        {ticket.messages.map((m) => (
          <li
            key={m.id}
            className={m.internal ? 'support-message support-message--internal' : 'support-message'}
          >
            <p className="support-message__meta">
              <strong>{m.authorName ?? (m.fromOperator ? "L'assistance" : 'La structure')}</strong>
              {m.fromOperator && !m.internal && ' (assistance)'}, le {formatDateTime(m.createdAt)}{' '}
              {m.internal && <Badge tone="warning">Note interne</Badge>}
              {m.mergedFrom && <Badge tone="info">Sur {m.mergedFrom}</Badge>}
            </p>
            <p className="support-message__body">{m.body}</p>
            <Files
              ticket={ticket}
              files={ticket.attachments.filter((a) => a.messageId === m.id)}
              asOperator={asOperator}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A message's files, as download links (name, size). */
function Files({
  ticket,
  files,
  asOperator,
}: {
  ticket: Ticket;
  files: TicketAttachment[];
  asOperator: boolean;
}) {
  if (files.length === 0) return null;
  return (
    <ul className="support-files" aria-label="Pièces jointes">
      {files.map((f) => (
        <li key={f.id}>
          <a href={attachmentUrl(ticket, f.id, asOperator)} download={f.fileName}>
            {f.fileName}
          </a>{' '}
          ({formatBytes(f.sizeBytes)}){f.internal && ' — interne'}
        </li>
      ))}
    </ul>
  );
}

/** The incidents linked to the ticket (the member's cyber incidents, the status page's incidents). */
export function LinkedIncidents({
  ticket,
  actions,
}: {
  ticket: Ticket;
  actions?: (linkId: string) => ReactNode;
}) {
  if (ticket.links.length === 0) return null;
  return (
    <section aria-labelledby="incidents-lies-titre">
      <h2 id="incidents-lies-titre">Incidents liés</h2>
      <ul>
        {ticket.links.map((l) => (
          <li key={l.id}>
            {TICKET_LINK_KIND_LABELS[l.kind]} : <strong>{l.title}</strong> — {l.state}, depuis le{' '}
            {formatDateTime(l.startedAt)} {actions?.(l.id)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Due dates and service level facts of one ticket, as a description list. */
export function TicketFacts({ ticket, asOperator }: { ticket: Ticket; asOperator: boolean }) {
  return (
    <dl className="dl">
      <dt>Référence</dt>
      <dd>{ticket.reference}</dd>
      {asOperator && (
        <>
          <dt>Structure</dt>
          <dd>{ticket.memberName}</dd>
        </>
      )}
      <dt>Statut</dt>
      <dd>
        <TicketStatusBadge status={ticket.status} asOperator={asOperator} />
        {ticket.mergedInto && ` fusionné dans ${ticket.mergedInto.reference}`}
      </dd>
      <dt>Priorité</dt>
      <dd>
        <PriorityBadge priority={ticket.priority} />
      </dd>
      <dt>Service</dt>
      <dd>{ticket.serviceName ?? 'Général'}</dd>
      <dt>Première réponse</dt>
      <dd>
        {ticket.firstRespondedAt
          ? `le ${formatDateTime(ticket.firstRespondedAt)}`
          : `attendue avant le ${formatDateTime(ticket.firstResponseDueAt)}`}
      </dd>
      <dt>Résolution</dt>
      <dd>
        {ticket.resolvedAt
          ? `le ${formatDateTime(ticket.resolvedAt)}`
          : ticket.paused
            ? 'délai suspendu en attendant la réponse de la structure'
            : `attendue avant le ${formatDateTime(ticket.resolutionDueAt)}`}
      </dd>
      {ticket.breached && (
        <>
          <dt>Engagement de service</dt>
          <dd>
            <Badge tone="error">Délai dépassé</Badge>
          </dd>
        </>
      )}
      {ticket.satisfaction !== null && (
        <>
          <dt>Satisfaction</dt>
          <dd>{ticket.satisfaction} sur 5</dd>
        </>
      )}
    </dl>
  );
}

/**
 * The catalogue service a training session or an article is tied to (none: a general topic). The
 * select is drawn again once the catalogue has loaded, so the saved service is the one shown.
 */
export function CatalogueServiceField({ defaultValue }: { defaultValue: string | null | undefined }) {
  const services = useServices();
  const options = (services.data?.items ?? []).map((s) => ({
    value: s.id,
    label: s.status === 'retired' ? `${s.name} (retiré)` : s.name,
  }));
  return (
    <SelectField
      key={options.length}
      name="serviceId"
      label="Service du catalogue"
      placeholder="Aucun (sujet général)"
      hint="Le service concerné, s’il y en a un."
      options={options}
      defaultValue={defaultValue ?? ''}
    />
  );
}
