import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { GlobalSearch } from '../../../contracts/search.js';
import { api } from '../../app/api.js';

/** The global search: every module's results the signed-in person may see (2 characters at least). */
export function useGlobalSearch(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['search', term],
    queryFn: () => api.get<GlobalSearch>('/api/v1/search', { q: term, limit: 10 }),
    enabled: term.length >= 2,
    placeholderData: keepPreviousData,
  });
}
