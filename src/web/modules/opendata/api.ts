import { useQuery } from '@tanstack/react-query';
import type { OpenCatalogue } from '../../../contracts/opendata.js';
import { api } from '../../app/api.js';

/** The open-data catalogue (DCAT-style), public. */
export function useOpenCatalogue() {
  return useQuery({ queryKey: ['open-data'], queryFn: () => api.get<OpenCatalogue>('/api/v1/open-data') });
}
