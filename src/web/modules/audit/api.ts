import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AuditEvent } from '../../../contracts/audit.js';
import { api, type Page } from '../../app/api.js';

export const PAGE_SIZE = 50;

export function useAuditEvents(action: string | undefined, cursor: string | undefined) {
  return useQuery({
    queryKey: ['audit', action, cursor],
    queryFn: () => api.get<Page<AuditEvent>>('/api/v1/audit-events', { action, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
}
