import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CommuneItem, EpciDetail, EpciItem } from '../../../contracts/territory.js';
import { api, type Page } from '../../app/api.js';

export const PAGE_SIZE = 50;

export interface TerritorySearch {
  q?: string;
  departement?: string;
}

export function useDepartements() {
  return useQuery({
    queryKey: ['territory', 'departements'],
    queryFn: () =>
      api.get<{ items: { code: string; name: string; communeCount: number; population: number }[] }>(
        '/api/v1/territory/departements',
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCommunes(search: TerritorySearch, cursor: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['territory', 'communes', search, cursor],
    queryFn: () =>
      api.get<Page<CommuneItem>>('/api/v1/territory/communes', { ...search, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useEpcis(search: TerritorySearch, cursor: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['territory', 'epci', search, cursor],
    queryFn: () => api.get<Page<EpciItem>>('/api/v1/territory/epci', { ...search, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useEpci(code: string) {
  return useQuery({
    queryKey: ['territory', 'epci', 'detail', code],
    queryFn: () => api.get<EpciDetail>(`/api/v1/territory/epci/${code}`),
  });
}

/** Combobox searches (SearchComboBox): the first 10 matches as {id: code, label}. */
export const searchCommunes = async (q: string) =>
  (await api.get<Page<CommuneItem>>('/api/v1/territory/communes', { q, limit: 10 })).items.map((c) => ({
    id: c.code,
    // Homonyms (Allonnes in Maine-et-Loire and in Sarthe) are told apart by their département.
    label: `${c.name} (${c.departementCode}) — ${c.code}`,
    meta: { siren: c.siren, name: c.name },
  }));

export const searchEpcis = async (q: string) =>
  (await api.get<Page<EpciItem>>('/api/v1/territory/epci', { q, limit: 10 })).items.map((e) => ({
    id: e.code,
    label: `${e.name} (${e.type})`,
  }));
