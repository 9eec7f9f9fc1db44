import { z } from 'zod';
import { INT4_MAX, isoDate, listTotalFields, problemSchema } from './common.js';
import { yearSchema } from './pricing.js';

export const INVOICE_KINDS = ['invoice', 'credit_note'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];
export const INVOICE_KIND_LABELS: Record<InvoiceKind, string> = {
  invoice: 'Facture',
  credit_note: 'Avoir',
};

export const INVOICE_STATUSES = ['issued', 'partly_paid', 'paid', 'cancelled'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  issued: 'Émise',
  partly_paid: 'Partiellement payée',
  paid: 'Payée',
  cancelled: 'Annulée',
};

const chorusField = z.string().trim().min(1).max(50);

export const billingRunInputSchema = z
  .object({
    year: yearSchema,
    mode: z.enum(['preview', 'issue'], { message: 'mode attendu : preview ou issue' }),
    /**
     * annual: one invoice per member not invoiced yet for the year. complementary: also, for members
     * already invoiced, what their shares now exceed their invoices (net of credit notes).
     */
    call: z
      .enum(['annual', 'complementary'], { message: "type d'appel attendu : annual ou complementary" })
      .default('annual'),
    /** Due date of the invoices; 30 days after issue by default. */
    dueOn: isoDate.optional(),
    /** Chorus Pro engagement numbers given by members, by member id. */
    engagementNumbers: z.record(z.uuid(), chorusField).optional(),
    /** Chorus Pro service codes of the debtors, by member id. */
    serviceCodes: z.record(z.uuid(), chorusField).optional(),
    /** How many draft invoices the preview lists (totals always cover every member). */
    previewLimit: z.number().int().min(0).max(2000).default(200),
    /**
     * Issue even for members whose invoice Chorus Pro would reject (no SIRET): refused otherwise, and
     * recorded in the audit log when given.
     */
    force: z.boolean({ message: 'oui ou non attendu' }).default(false),
  })
  .strict();
export type BillingRunInput = z.input<typeof billingRunInputSchema>;

export const draftLineSchema = z.object({
  serviceId: z.uuid().nullable(),
  serviceCode: z.string().nullable(),
  label: z.string(),
  totalCents: z.number().int(),
});
export const draftInvoiceSchema = z.object({
  memberId: z.uuid(),
  memberName: z.string(),
  totalCents: z.number().int(),
  lines: z.array(draftLineSchema),
});

export const CHORUS_REQUIRED_FIELDS = ['siret', 'serviceCode'] as const;
export type ChorusRequiredField = (typeof CHORUS_REQUIRED_FIELDS)[number];

/**
 * What members lack for Chorus Pro, in words: « SIRET », « code service » or both, after « sans »
 * (`de` false), or after « n’a pas » (`de` true: « de SIRET ou de code service »).
 */
export function lackingForChorus(
  members: readonly { missing: readonly ChorusRequiredField[] }[],
  de = false,
) {
  return (['siret', 'serviceCode'] as const)
    .filter((f) => members.some((m) => m.missing.includes(f)))
    .map((f) => (f === 'siret' ? 'SIRET' : 'code service'))
    .map((w) => (de ? `de ${w}` : w))
    .join(' ou ');
}

/** A member whose invoice Chorus Pro would reject, and what its record lacks. */
const incompleteMemberSchema = z.object({
  memberId: z.uuid(),
  memberName: z.string(),
  /** `serviceCode`: its Chorus Pro structure requires a service code and none is known. */
  missing: z.array(z.enum(CHORUS_REQUIRED_FIELDS)),
});

/** The 422 of an issue refused for members without SIRET: the problem, and who they are. */
export const billingRunRefusalSchema = problemSchema.extend({
  incomplete: z.array(incompleteMemberSchema).optional(),
  incompleteCount: z.number().int().optional(),
});

export const billingRunResultSchema = z.object({
  mode: z.enum(['preview', 'issue']),
  call: z.enum(['annual', 'complementary']),
  year: z.number().int(),
  runId: z.uuid().nullable(),
  /** Invoices the run creates (preview) or created (issue). */
  invoiceCount: z.number().int(),
  totalCents: z.number().int(),
  /** Members already invoiced for this year: a run leaves them alone. */
  alreadyInvoiced: z.number().int(),
  firstNumber: z.string().nullable(),
  lastNumber: z.string().nullable(),
  services: z.array(
    z.object({
      serviceId: z.uuid().nullable(),
      name: z.string(),
      lines: z.number().int(),
      totalCents: z.number().int(),
    }),
  ),
  invoices: z.array(draftInvoiceSchema),
  /** True when `invoices` lists only the first ones. */
  truncated: z.boolean(),
  /** Complementary call: members invoiced beyond their current shares, and by how much (never credited automatically). */
  overbilledMembers: z.number().int(),
  overbilledCents: z.number().int(),
  /**
   * Members this run invoices whose invoice Chorus Pro would reject: no SIRET, or no service code
   * their Chorus Pro structure requires (one given for the run counts). Issuing refuses them
   * unless forced. Sorted by name, the first 500 (`incompleteCount` counts them all).
   */
  incomplete: z.array(incompleteMemberSchema),
  incompleteCount: z.number().int(),
  message: z.string(),
});
export type BillingRunResult = z.infer<typeof billingRunResultSchema>;

export const invoiceListQuerySchema = z.object({
  year: yearSchema.optional(),
  memberId: z.uuid().optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  kind: z.enum(INVOICE_KINDS).optional(),
  /** Part of the invoice number, or words of the member's name. */
  q: z.string().trim().max(100, '100 caractères au plus').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type InvoiceListQuery = z.infer<typeof invoiceListQuerySchema>;

export const invoiceSummarySchema = z.object({
  id: z.uuid(),
  number: z.string(),
  memberId: z.uuid(),
  memberName: z.string(),
  year: z.number().int(),
  totalCents: z.number().int(),
  paidCents: z.number().int(),
  creditedCents: z.number().int(),
  status: z.enum(INVOICE_STATUSES),
  issuedOn: z.string(),
  dueOn: z.string(),
  kind: z.enum(INVOICE_KINDS),
  /** 1: the annual contribution call; 2, 3…: complementary calls of the same year. */
  call: z.number().int(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummarySchema>;
/** Counted up to 1,000 (`totalIsExact` false beyond: « plus de 1 000 », see listTotalFields). */
export const invoiceListSchema = z.object({
  items: z.array(invoiceSummarySchema),
  total: z.number().int(),
  ...listTotalFields,
  nextCursor: z.string().nullable(),
});

export const invoiceLineSchema = z.object({
  id: z.uuid(),
  position: z.number().int(),
  serviceId: z.uuid().nullable(),
  serviceCode: z.string().nullable(),
  creditOfLineId: z.uuid().nullable(),
  label: z.string(),
  quantity: z.number().int(),
  unitCents: z.number().int(),
  totalCents: z.number().int(),
  explanation: z.string().nullable(),
});
export const paymentSchema = z.object({
  id: z.uuid(),
  paidOn: z.string(),
  amountCents: z.number().int(),
  reference: z.string(),
});
export const invoiceDetailSchema = invoiceSummarySchema.extend({
  creditOf: z.uuid().nullable(),
  creditOfNumber: z.string().nullable(),
  reason: z.string().nullable(),
  serviceCode: z.string().nullable(),
  engagementNumber: z.string().nullable(),
  operatorName: z.string(),
  operatorSiret: z.string(),
  memberSiren: z.string(),
  memberSiret: z.string().nullable(),
  /** Amount still due: total − credited − paid (0 for credit notes). */
  dueCents: z.number().int(),
  lines: z.array(invoiceLineSchema),
  payments: z.array(paymentSchema),
  creditNotes: z.array(
    z.object({ id: z.uuid(), number: z.string(), totalCents: z.number().int(), issuedOn: z.string() }),
  ),
});
export type InvoiceDetail = z.infer<typeof invoiceDetailSchema>;

const reason = z.string().trim().min(3, 'indiquez le motif de l’avoir (3 caractères au moins)').max(500);
export const creditNoteInputSchema = z.union([
  z.object({ full: z.literal(true), reason }).strict(),
  z
    .object({
      lines: z
        .array(
          z
            .object({
              lineId: z.uuid(),
              /** Positive amount to credit; the whole line (what remains of it) by default. */
              amountCents: z
                .number()
                .int()
                .min(1, 'montant positif attendu')
                .max(INT4_MAX, 'montant trop grand')
                .optional(),
            })
            .strict(),
        )
        .min(1, 'choisissez au moins une ligne'),
      reason,
    })
    .strict(),
]);
export type CreditNoteInput = z.infer<typeof creditNoteInputSchema>;

export const paymentInputSchema = z
  .object({
    paidOn: isoDate,
    amountCents: z.number().int().min(1, 'le montant doit être positif').max(INT4_MAX, 'montant trop grand'),
    reference: z.string().trim().max(140).default(''),
  })
  .strict();
export type PaymentInput = z.input<typeof paymentInputSchema>;

export const paymentImportQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export const paymentImportReportSchema = z.object({
  dryRun: z.boolean(),
  totalLines: z.number().int(),
  validLines: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), path: z.string(), message: z.string() })),
  payments: z.array(
    z.object({
      line: z.number().int(),
      number: z.string(),
      invoiceId: z.uuid(),
      paidOn: z.string(),
      amountCents: z.number().int(),
      reference: z.string(),
    }),
  ),
  /** Payments recorded (0 on a dry run or when refused). */
  recorded: z.number().int(),
});
export type PaymentImportReport = z.infer<typeof paymentImportReportSchema>;

export const invoiceExportQuerySchema = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  year: yearSchema.optional(),
});
