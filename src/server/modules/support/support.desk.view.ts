import { INCIDENT_STATUS_LABELS } from '../../../contracts/cyber.js';
import { SERVICE_STATE_LABELS } from '../../../contracts/hosting.js';
import { type Ticket, type TicketLink, ticketReference } from '../../../contracts/support.js';
import type { Executor } from '../../platform/db/client.js';
import * as repo from './support.repository.js';

/**
 * What the desk adds to a ticket's page (issue 14): the duplicates merged into it (their description,
 * messages and files read here, not moved: each stays on its own row, its history intact), the
 * files, the linked incidents, and where a duplicate went. Read with the same reader's filters:
 * `withInternal` false hides internal notes and their files; `requesterOnly` (a member's person who
 * sees their own tickets only) keeps the merged duplicates that person opened.
 */
export async function deskView(
  db: Executor,
  row: repo.TicketRow,
  withInternal: boolean,
  requesterOnly: string | null,
): Promise<Pick<Ticket, 'messages' | 'attachments' | 'mergedInto' | 'merged' | 'links'>> {
  const merged = (await repo.mergedInto(db, row.memberId, row.id)).filter(
    (m) => requesterOnly === null || m.requesterId === requesterOnly,
  );
  const ids = [row.id, ...merged.map((m) => m.id)];
  const refs = new Map(merged.map((m) => [m.id, ticketReference(m.number)]));
  const messages = await repo.messagesOfTickets(db, row.memberId, ids, withInternal);
  const attachments = await repo.attachmentsOf(db, row.memberId, ids, withInternal);
  const links = await repo.linksOf(db, row.memberId, row.id);
  const into = row.mergedIntoId ? await repo.ticketNumber(db, row.memberId, row.mergedIntoId) : undefined;
  return {
    messages: messages.map((m) => ({
      id: m.message.id,
      body: m.message.body,
      internal: m.message.internal,
      fromOperator: m.message.fromOperator,
      authorName: m.authorName,
      createdAt: m.message.createdAt.toISOString(),
      mergedFrom: refs.get(m.message.ticketId) ?? null,
    })),
    attachments: attachments.map((a) => ({
      id: a.id,
      ticketId: a.ticketId,
      messageId: a.messageId,
      internal: a.internal,
      fileName: a.fileName,
      mediaType: a.mediaType,
      sizeBytes: a.sizeBytes,
      createdAt: a.createdAt.toISOString(),
    })),
    mergedInto:
      row.mergedIntoId && into ? { id: row.mergedIntoId, reference: ticketReference(into.number) } : null,
    merged: merged.map((m) => ({
      id: m.id,
      reference: ticketReference(m.number),
      subject: m.subject,
      description: m.description,
      requesterName: m.requesterName,
      createdAt: m.createdAt.toISOString(),
    })),
    links: links.flatMap((l) => {
      const link = linkOf(l);
      return link ? [link] : [];
    }),
  };
}

function linkOf(l: repo.LinkRow): TicketLink | null {
  if (l.cyberIncidentId && l.cyberTitle && l.cyberDetectedAt) {
    const status = l.cyberStatus as keyof typeof INCIDENT_STATUS_LABELS;
    return {
      id: l.id,
      kind: 'cyber_incident',
      incidentId: l.cyberIncidentId,
      title: l.cyberTitle,
      state: INCIDENT_STATUS_LABELS[status] ?? status,
      startedAt: l.cyberDetectedAt.toISOString(),
      resolved: status === 'closed',
    };
  }
  if (l.hostingIncidentId && l.hostingTitle && l.hostingStartedAt) {
    const state = l.hostingState as keyof typeof SERVICE_STATE_LABELS;
    return {
      id: l.id,
      kind: 'hosting_incident',
      incidentId: l.hostingIncidentId,
      title: l.hostingTitle,
      state: l.hostingResolvedAt ? 'Résolu' : (SERVICE_STATE_LABELS[state] ?? state),
      startedAt: l.hostingStartedAt.toISOString(),
      resolved: l.hostingResolvedAt !== null,
    };
  }
  return null;
}
