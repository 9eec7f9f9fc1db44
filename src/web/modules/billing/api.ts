import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BillingRunInput,
  BillingRunResult,
  CreditNoteInput,
  InvoiceDetail,
  InvoiceKind,
  InvoiceStatus,
  InvoiceSummary,
  PaymentImportReport,
  PaymentInput,
} from '../../../contracts/billing.js';
import { api, type Page, withQuery } from '../../app/api.js';

export const PAGE_SIZE = 50;

export interface InvoiceFilters {
  year?: number;
  memberId?: string;
  status?: InvoiceStatus;
  kind?: InvoiceKind;
  /** Part of the number, or words of the member's name. */
  q?: string;
}

export function useInvoices(filters: InvoiceFilters, cursor: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['billing', 'invoices', filters, cursor],
    queryFn: () =>
      api.get<Page<InvoiceSummary>>('/api/v1/invoices', { ...filters, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useInvoice(id: string | undefined) {
  return useQuery({
    queryKey: ['billing', 'invoice', id],
    queryFn: () => api.get<InvoiceDetail>(`/api/v1/invoices/${id}`),
    enabled: !!id,
  });
}

export const invoicePdfUrl = (id: string) => `/api/v1/invoices/${id}/pdf`;

/** Invoices, credit notes and their lines over a period, for the accounting team. */
export const invoicesExportUrl = (
  format: 'csv' | 'xlsx',
  query: { from?: string; to?: string; year?: number },
) => withQuery(`/api/v1/invoices/export.${format}`, query);

function useInvalidateBilling() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['billing'] }),
      client.invalidateQueries({ queryKey: ['pricing'] }),
    ]);
}

export function useBillingRun() {
  const invalidate = useInvalidateBilling();
  return useMutation({
    meta: { success: (result: BillingRunResult) => (result.mode === 'issue' ? result.message : null) },
    mutationFn: (body: BillingRunInput) => api.post<BillingRunResult>('/api/v1/billing/runs', body),
    onSuccess: (result) => {
      if (result.mode === 'issue') return invalidate();
    },
  });
}

export function useRecordPayment(invoiceId: string) {
  const invalidate = useInvalidateBilling();
  return useMutation({
    meta: { success: 'Paiement enregistré.' },
    mutationFn: (body: PaymentInput) =>
      api.post<InvoiceDetail>(`/api/v1/invoices/${invoiceId}/payments`, body),
    onSuccess: invalidate,
  });
}

export function useCreditNote(invoiceId: string) {
  const invalidate = useInvalidateBilling();
  return useMutation({
    meta: { success: 'Avoir émis.' },
    mutationFn: (body: CreditNoteInput) =>
      api.post<InvoiceDetail>(`/api/v1/invoices/${invoiceId}/credit-notes`, body),
    onSuccess: invalidate,
  });
}

export function usePaymentImport() {
  const invalidate = useInvalidateBilling();
  return useMutation({
    meta: {
      success: (_report: unknown, input: { dryRun: boolean }) =>
        input.dryRun ? null : 'Paiements importés.',
    },
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const form = new FormData();
      form.append('file', file);
      return api.post<PaymentImportReport>('/api/v1/billing/payments/import', form, {
        dryRun: String(dryRun),
      });
    },
    onSuccess: (report) => {
      if (!report.dryRun) return invalidate();
    },
  });
}
