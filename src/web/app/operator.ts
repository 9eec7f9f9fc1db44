import { useQuery } from '@tanstack/react-query';
import { api } from './api.js';
import { useAuth } from './auth.js';

interface PublicInfo {
  operator?: { name?: string } | null;
  operatorName?: string;
}

/**
 * The operator's name for the header: from the signed-in person's organisations, else from the public
 * statistics when they carry it; null when unknown.
 */
export function useOperatorName(): string | null {
  const auth = useAuth();
  const fromMe = auth.me?.organisations.find((o) => o.kind === 'operator')?.name;
  const query = useQuery({
    queryKey: ['members', 'stats'],
    queryFn: () => api.get<PublicInfo>('/api/v1/members/stats'),
    staleTime: 5 * 60_000,
    retry: false,
  });
  return fromMe ?? query.data?.operator?.name ?? query.data?.operatorName ?? null;
}
