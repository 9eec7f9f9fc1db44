import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { OutboxMail } from '../../../contracts/mail.js';
import { api, type Page } from '../../app/api.js';

export type MailSummary = Omit<OutboxMail, 'text' | 'html'>;

export const PAGE_SIZE = 50;

export function useOutbox(cursor: string | undefined) {
  return useQuery({
    queryKey: ['outbox', cursor],
    queryFn: () => api.get<Page<MailSummary>>('/api/v1/outbox', { cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
}

export function useOutboxMail(mailId: string) {
  return useQuery({
    queryKey: ['outbox', 'mail', mailId],
    queryFn: () => api.get<OutboxMail>(`/api/v1/outbox/${mailId}`),
  });
}

/** Where a mail's attachment is downloaded: its position in the mail's list (from 0). */
export function outboxAttachmentUrl(mailId: string, index: number) {
  return `/api/v1/outbox/${mailId}/attachments/${index}`;
}
