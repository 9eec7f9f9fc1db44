import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AboveAlone,
  CostPool,
  CostPoolInput,
  Equity,
  FeeProration,
  MemberCosts,
  MembershipFee,
  PublicPrices,
  Simulation,
  SimulationInput,
} from '../../../contracts/pricing.js';
import { api } from '../../app/api.js';

export function usePublicPrices(year: number) {
  return useQuery({
    queryKey: ['pricing', 'public', year],
    queryFn: () => api.get<PublicPrices>(`/api/v1/public/prices/${year}`),
  });
}

export function useMemberCosts(memberId: string | undefined, year: number) {
  return useQuery({
    queryKey: ['pricing', 'costs', memberId, year],
    queryFn: () => api.get<MemberCosts>(`/api/v1/members/${memberId}/costs/${year}`),
    enabled: !!memberId,
  });
}

export function usePools(year: number) {
  return useQuery({
    queryKey: ['pricing', 'pools', year],
    queryFn: () => api.get<{ year: number; items: CostPool[] }>(`/api/v1/pricing/pools/${year}`),
  });
}

export function useMembershipFee(year: number) {
  return useQuery({
    queryKey: ['pricing', 'membership-fee', year],
    queryFn: () => api.get<MembershipFee>(`/api/v1/pricing/membership-fees/${year}`),
    retry: false,
  });
}

export function useEquity(year: number) {
  return useQuery({
    queryKey: ['pricing', 'equity', year],
    queryFn: () => api.get<Equity>(`/api/v1/pricing/equity/${year}`),
  });
}

function useInvalidatePricing() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['pricing'] });
}

/** Services whose pooled share exceeds the stand-alone price of some subscribers (finance). */
export function useAboveAlone(year: number) {
  return useQuery({
    queryKey: ['pricing', 'above-alone', year],
    queryFn: () => api.get<AboveAlone>(`/api/v1/pricing/above-alone/${year}`),
  });
}

export function useSavePool(year: number) {
  const invalidate = useInvalidatePricing();
  return useMutation({
    meta: { success: 'Coûts du service enregistrés.' },
    mutationFn: ({ serviceId, body }: { serviceId: string; body: CostPoolInput }) =>
      api.put<CostPool>(`/api/v1/pricing/pools/${year}/${serviceId}`, body),
    onSuccess: invalidate,
  });
}

export function useSaveMembershipFee(year: number) {
  const invalidate = useInvalidatePricing();
  return useMutation({
    meta: { success: 'Cotisation d’adhésion enregistrée.' },
    mutationFn: (body: { centsPerInhabitant: number; minimumCents: number; proration: FeeProration }) =>
      api.put<MembershipFee>(`/api/v1/pricing/membership-fees/${year}`, body),
    onSuccess: invalidate,
  });
}

/** Simulations write nothing: a mutation only because it is a POST run on demand. */
export function useSimulation() {
  return useMutation({
    mutationFn: (body: SimulationInput) => api.post<Simulation>('/api/v1/pricing/simulations', body),
  });
}
